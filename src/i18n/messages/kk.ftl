# annals интерфейс жолдары, қазақ тілі.

skip-to-content = Мазмұнға өту
nav-site = Сайт
nav-timeline = Хронология
nav-themes = Тақырыптар
nav-search = Іздеу
nav-years = Жылдар
nav-languages = Тілдер
atom-feed = Atom арнасы
data-json = Деректер (JSON)
data-csv = Деректер (CSV)
built-with = annals көмегімен жасалған.
entries-count = { $n ->
   *[other] { $n } жазба
}
fact-date = Күні
fact-status = Мәртебесі
fact-instrument = Акт түрі
fact-jurisdiction = Юрисдикция
fact-themes = Тақырыптар
fact-updated = Жаңартылды
sources = Дереккөздер
related-entries = Байланысты жазбалар
referenced-by = Осы жазбаға сілтейтіндер
filter-timeline = Хронологияны сүзу
filter-themes = Тақырыптар
filter-status = Мәртебесі
filter-instrument = Акт түрі
clear-filters = Сүзгілерді тазарту
no-entries-yet = Әзірге жазба жоқ.
search-heading = Іздеу
search-label = Хронология бойынша іздеу
search-button = Іздеу
untranslated-notice = Бұл мәтін әлі аударылмаған; ол түпнұсқа тілінде ({ $language }) көрсетілген.
in-language = { $language } тілінде
