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
