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
fallback-marker = ({ $language })
language-home = Бұл бет қазақ тіліне аударылмаған: қазақша басты бетке өту
nav-threads = Реформалар
data-link = Деректер (JSON, CSV)
license-text = Бұл хрониканың деректері мына лицензиямен жарияланған:
connection-related = Байланысты жазба
connection-referenced-by = Осы жазбаға сілтейді
connected-entries = Байланысты жазбалар
in-its-themes = { $n ->
   *[other] Өз тақырыбында
}
before-this = Бұған дейін:
after-this = Бұдан кейін:
theme-first = Бұл тақырыптың алғашқы жазбасы.
theme-last = Бұл тақырыпта кейінгі жазба әзірге жоқ.
pager-entries = Ертерек және кейінірек жазбалар
earlier-entry = Хроникада ертерек
later-entry = Хроникада кейінірек
not-found-title = Бет табылмады
not-found-text = Бұл мекенжайда бет жоқ. Жазбаның атауы өзгергенде ол басқа жерге көшкен болуы мүмкін.
not-found-go = Мынаған өтіңіз:
not-found-timeline = хронология
not-found-or = немесе қараңыз:
not-found-themes = тақырыптар
search-description = Іздеу: { $site }
search-placeholder = мысалы, азаптау, омбудсмен, 2021
sort-label = Нәтижелерді сұрыптау
sort-relevance = Сәйкестігі бойынша
sort-newest = Алдымен жаңалары
sort-oldest = Алдымен ескілері
filter-results = Нәтижелерді сүзу
facet-theme = Тақырып
all-themes = Барлық тақырыптар
facet-status = Мәртебесі
any-status = Кез келген мәртебе
facet-thread = Реформа
all-threads = Барлық реформалар
from-year = Бастапқы жыл
to-year = Соңғы жыл
search-noscript = Іздеу үшін JavaScript керек, ол өшірулі. Барлық жазбаны мына бойынша қарауға болады:
search-noscript-theme = тақырыптар
search-noscript-or = немесе
search-noscript-timeline = хронология
search-noscript-end = , онда әр жылға сілтеме бар.
more-results = Тағы көрсету
themes-description = «{ $site }» хроникасының тақырыптары
more-about-theme = Бұл тақырып туралы толығырақ
theme-feed = Осы тақырыптың арнасы
theme-over-time = { $theme }: жылдар бойынша
overview-cue = Соңғы жылдар көрсетілген: ертеректерін көру үшін көлденең айналдырыңыз.
overview-label = Хронология: тақырыптар бойынша { $entries }
overview-theme-label = Хронология: { $theme }
overview-caption = Әр белгі — өз тақырыбының жолағындағы және өз жылындағы жазба; белгінің пішіні мәртебесін көрсетеді, ал ирек сызықтар жазбасыз жылдарды жинайды. Белгілер арасында көрсеткі пернелерімен жылжыңыз.
threads-title = Реформалар қадамдары
threads-lede = Әр реформа күні көрсетілген қадамдар түрінде: не болды, қандай мәртебеге жетті және алдыңғы қадамнан кейін қанша уақыт өтті.
threads-description = «{ $site }» хроникасының реформалары, әрқайсысы күні көрсетілген қадамдар түрінде
thread-description = { $site }: { $thread }, қадам бойынша
steps-count = { $n ->
   *[other] { $n } қадам
}
thread-step-of = { $count } қадамның { $n }-қадамы
reform-thread = Реформа
all-reform-threads = Барлық реформалар
thread-empty = Бұл реформаның қадамы әзірге жоқ.
year-page = { $year } жыл жеке бетте
year-count = { $year }: { $entries }.
timeline-more-latest = Бұл бетте { $total } жазбаның соңғы { $shown } жазбасы көрсетілген. Қалғандары «Жылдар» тізіміндегі жыл беттерінде.
timeline-more-earliest = Бұл бетте { $total } жазбаның алғашқы { $shown } жазбасы көрсетілген. Қалғандары «Жылдар» тізіміндегі жыл беттерінде.
other-years = Басқа жылдар
earlier-year = Алдыңғы жыл
later-year = Келесі жыл
draft = Жоба
overview-key = Белгілер
shape-outline = контур
shape-half = жартылай боялған
shape-filled = боялған
shape-struck = сызылған
shape-square = шаршы
legend-span = Жолақ: реформа қанша уақытқа созылды
legend-thread = Сызық: бір реформаның қадамдары
legend-count = Сан: көп жазбалы жылдың жазбалары (жылды ашады)
overview-badge = { $year }: { $entries } — { $lane }
gap-same-year = { $step } болған жылы
gap-year-after = { $step } болған жылдың келесі жылы
gap-about = { $step } болғаннан кейін шамамен { $time } өткен соң
gap-same-month = { $step } болған айда
gap-month-after = { $step } болған айдың келесі айында
gap-same-day = { $step } болған күні
gap-after = { $step } болғаннан кейін { $time } өткен соң
gap-over-after = { $step } болғаннан кейін { $time } астам уақыт өткен соң
step-named = «{ $name }» қадамы
step-titled = «{ $title }» жазбасы
years-count = { $n ->
   *[other] { $n } жыл
}
months-count = { $n ->
   *[other] { $n } ай
}
days-count = { $n ->
   *[other] { $n } күн
}
years-months = { $years } { $months }
js-filter-shown = { $n } жазбаның { $shown } жазбасы көрсетілді
js-type-more = Кемінде екі әріп теріңіз.
js-searching = Ізделуде…
js-order-relevance = алдымен ең сәйкестері
js-order-newest = алдымен жаңалары
js-order-oldest = алдымен ескілері
js-no-match = «{ $q }» сұрауы бойынша жазба жоқ.
js-matches = «{ $q }» сұрауы бойынша { $n } жазба табылды, { $order }.
js-index-error = Іздеу индексі жүктелмеді ({ $error }).
