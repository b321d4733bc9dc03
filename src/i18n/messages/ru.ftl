# Строки интерфейса annals, русский язык.

skip-to-content = Перейти к содержанию
nav-site = Сайт
nav-timeline = Хронология
nav-themes = Темы
nav-search = Поиск
nav-years = Годы
nav-languages = Языки
atom-feed = Лента Atom
data-json = Данные (JSON)
data-csv = Данные (CSV)
built-with = Сделано с помощью annals.
entries-count = { $n ->
    [one] { $n } запись
    [few] { $n } записи
   *[many] { $n } записей
}
fact-date = Дата
fact-status = Статус
fact-instrument = Вид акта
fact-jurisdiction = Юрисдикция
fact-themes = Темы
fact-updated = Обновлено
sources = Источники
related-entries = Связанные записи
referenced-by = Ссылаются на эту запись
filter-timeline = Фильтр хронологии
filter-themes = Темы
filter-status = Статус
filter-instrument = Вид акта
clear-filters = Сбросить фильтры
no-entries-yet = Записей пока нет.
search-heading = Поиск
search-label = Поиск по хронологии
search-button = Найти
untranslated-notice = Этот текст ещё не переведён; он показан на языке оригинала ({ $language }).
in-language = на языке: { $language }
fallback-marker = ({ $language })
language-home = Эта страница не переведена на русский язык: на главную страницу на русском
nav-threads = Реформы
data-link = Данные (JSON, CSV)
license-text = Данные этой хроники опубликованы на условиях лицензии
connection-related = Связанная запись
connection-referenced-by = Ссылается на эту запись
connected-entries = Связанные записи
in-its-themes = { $n ->
    [1] В своей теме
   *[other] В своих темах
}
before-this = До этого:
after-this = После этого:
theme-first = Это первая запись темы.
theme-last = Более поздних записей в этой теме пока нет.
pager-entries = Более ранние и более поздние записи
earlier-entry = Ранее в хронике
later-entry = Позднее в хронике
not-found-title = Страница не найдена
not-found-text = По этому адресу страницы нет. Возможно, она переехала, когда запись переименовали.
not-found-go = Перейдите к
not-found-timeline = хронологии
not-found-or = или откройте
not-found-themes = темы
search-description = Поиск: { $site }
search-placeholder = например, пытки, омбудсмен, 2021
sort-label = Сортировать результаты
sort-relevance = По релевантности
sort-newest = Сначала новые
sort-oldest = Сначала старые
filter-results = Уточнить результаты
facet-theme = Тема
all-themes = Все темы
facet-status = Статус
any-status = Любой статус
facet-thread = Реформа
all-threads = Все реформы
from-year = С года
to-year = По год
search-noscript = Для поиска нужен JavaScript, а он выключен. Все записи можно просмотреть по
search-noscript-theme = темам
search-noscript-or = или из
search-noscript-timeline = хронологии
search-noscript-end = , где есть ссылки на каждый год.
more-results = Показать ещё
themes-description = Темы хроники «{ $site }»
more-about-theme = Подробнее об этой теме
theme-feed = Лента этой темы
theme-over-time = { $theme }: по годам
overview-cue = Показаны последние годы: прокрутите вбок, чтобы увидеть более ранние.
overview-label = Хронология: { $entries } по темам
overview-theme-label = Хронология: { $theme }
overview-caption = Каждая отметка — запись на дорожке своей темы в своём году; форма отметки показывает статус, а зигзаги сворачивают годы без записей. Переходите между отметками клавишами со стрелками.
threads-title = Реформы по шагам
threads-lede = Каждая реформа — в виде датированных шагов: что произошло, какого статуса удалось достичь и сколько времени прошло после предыдущего шага.
threads-description = Реформы хроники «{ $site }», каждая в виде датированных шагов
thread-description = { $site }: { $thread }, шаг за шагом
steps-count = { $n ->
    [one] { $n } шаг
    [few] { $n } шага
   *[many] { $n } шагов
}
thread-step-of = Шаг { $n } из { $count }
reform-thread = Реформа
all-reform-threads = Все реформы
thread-empty = Шагов этой реформы пока нет.
year-page = { $year } год на отдельной странице
year-count = { $year }: { $entries }.
timeline-more-latest = На этой странице — последние { $shown } из { $total } записей. Остальные — на страницах годов из списка «Годы».
timeline-more-earliest = На этой странице — первые { $shown } из { $total } записей. Остальные — на страницах годов из списка «Годы».
other-years = Другие годы
earlier-year = Предыдущий год
later-year = Следующий год
draft = Черновик
overview-key = Обозначения
shape-outline = контур
shape-half = наполовину закрашен
shape-filled = закрашен
shape-struck = перечёркнут
shape-square = квадрат
legend-span = Полоса: сколько длилась реформа
legend-thread = Линия: шаги одной реформы
legend-count = Число: записи насыщенного года (открывает год)
overview-badge = { $year }: { $entries } — { $lane }
gap-same-year = в том же году, после { $step }
gap-year-after = на следующий год после { $step }
gap-about = примерно через { $time } после { $step }
gap-same-month = в том же месяце, после { $step }
gap-month-after = в следующем месяце после { $step }
gap-same-day = в тот же день, после { $step }
gap-after = через { $time } после { $step }
gap-over-after = более чем через { $time } после { $step }
step-named = шага «{ $name }»
step-titled = записи «{ $title }»
years-count = { $n ->
    [one] { $n } год
    [few] { $n } года
   *[many] { $n } лет
}
months-count = { $n ->
    [one] { $n } месяц
    [few] { $n } месяца
   *[many] { $n } месяцев
}
days-count = { $n ->
    [one] { $n } день
    [few] { $n } дня
   *[many] { $n } дней
}
years-months = { $years } и { $months }
js-filter-shown = { $n ->
    [one] Показано { $shown } из { $n } записи
   *[other] Показано { $shown } из { $n } записей
}
js-type-more = Введите хотя бы две буквы.
js-searching = Ищем…
js-order-relevance = сначала самые подходящие
js-order-newest = сначала новые
js-order-oldest = сначала старые
js-no-match = По запросу «{ $q }» записей нет.
js-matches = По запросу «{ $q }» { $count }, { $order }.
js-matches-count = { $n ->
    [one] найдена { $n } запись
    [few] найдено { $n } записи
   *[many] найдено { $n } записей
}
js-index-error = Не удалось загрузить поисковый индекс ({ $error }).
data-title = Данные
data-description = Скачать данные хроники «{ $site }»: CSV и JSON
data-lede = Все опубликованные записи хроники «{ $site }» ({ $entries }) — чтобы скачать и использовать.
data-license = Данные опубликованы на условиях лицензии
data-license-after = : используйте их на её условиях и ссылайтесь на «{ $site }» с адресом записи, которую используете.
data-no-license = Сайт не указывает лицензию на свои данные: прежде чем использовать их, спросите редакторов.
data-downloads = Файлы
data-file = Файл
data-format = Формат
data-size = Размер
data-what = Что в нём
data-csv-heading = Столбцы timeline.csv
data-csv-intro-html = Одна строка на запись, сначала старые, со строкой заголовков; UTF-8, через запятую, списки разделены <code>;</code>.
data-json-heading = Поля timeline.json
data-json-intro-html = Объект с полями <code>version</code>, <code>license</code>, <code>site</code> (название, темы, статусы и виды актов с их подписями) и <code>entries</code>, сначала старые; его <code>$schema</code> указывает на JSON Schema выше. У каждой записи есть:
