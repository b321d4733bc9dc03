# annals interface strings, English. Each language's file has the same ids
# (a test keeps them complete). Override any of them with i18n/en.ftl in your site.

skip-to-content = Skip to content
nav-site = Site
nav-timeline = Timeline
nav-themes = Themes
nav-search = Search
nav-years = Years
nav-languages = Languages
atom-feed = Atom feed
data-json = Data (JSON)
data-csv = Data (CSV)
built-with = Built with annals.
entries-count = { $n ->
    [one] { $n } entry
   *[other] { $n } entries
}
fact-date = Date
fact-status = Status
fact-instrument = Instrument
fact-jurisdiction = Jurisdiction
fact-themes = Themes
fact-updated = Updated
sources = Sources
related-entries = Related entries
referenced-by = Referenced by
filter-timeline = Filter the timeline
filter-themes = Themes
filter-status = Status
filter-instrument = Instrument
clear-filters = Clear filters
no-entries-yet = No entries yet.
search-heading = Search
search-label = Search the chronicle
search-button = Search
# Shown on a page whose text is not yet translated; $language is the name of the
# language the text is in.
untranslated-notice = This text has not been translated yet; it is shown in { $language }.
in-language = in { $language }
# Beside a title shown in the default language on another language's page; $language
# is that language's name in itself.
fallback-marker = ({ $language })
# The switcher's link to a language in which the page does not exist (in that language).
language-home = This page is not translated into English: to the English home page
nav-threads = Threads
data-link = Data (JSON, CSV)
license-text = The data of this chronicle is published under
connection-related = Related
connection-referenced-by = Links to this entry
connected-entries = Connected entries
in-its-themes = { $n ->
    [one] In its theme
   *[other] In its themes
}
before-this = Before this:
after-this = After this:
theme-first = This is the theme's first entry.
theme-last = Nothing later in this theme yet.
pager-entries = Earlier and later entries
earlier-entry = Earlier in the chronicle
later-entry = Later in the chronicle
not-found-title = Page not found
not-found-text = There is no page at this address. It may have moved when an entry was renamed.
not-found-go = Go to
not-found-timeline = the timeline
not-found-or = or browse
not-found-themes = the themes
search-description = Search { $site }
search-placeholder = e.g. torture, ombudsman, 2021
sort-label = Sort results by
sort-relevance = Relevance
sort-newest = Newest first
sort-oldest = Oldest first
filter-results = Filter results
facet-theme = Theme
all-themes = All themes
facet-status = Status
any-status = Any status
facet-thread = Reform thread
all-threads = All threads
from-year = From year
to-year = To year
search-noscript = Search needs JavaScript, which is turned off. You can browse every entry by
search-noscript-theme = theme
search-noscript-or = or from the
search-noscript-timeline = timeline
search-noscript-end = , which links to each year.
more-results = Show more results
themes-description = The themes of { $site }
more-about-theme = More about this theme
theme-feed = Feed of this theme
theme-over-time = { $theme } over time
overview-cue = Showing the latest years: scroll sideways for earlier ones.
overview-label = Timeline of { $n } entries by theme
overview-theme-label = Timeline of { $theme }
overview-caption = Each mark is an entry in its theme's lane and year; its shape shows its status, and zig-zags fold years without entries. Use the arrow keys to move between marks.
threads-title = Reform threads
threads-lede = Each reform, told as its dated steps: what happened, the status it reached and how long after the step before.
threads-description = The reforms of { $site }, each told as its dated steps
thread-description = { $site }: { $thread }, step by step
steps-count = { $n ->
    [one] { $n } step
   *[other] { $n } steps
}
thread-step-of = Step { $n } of { $count }
reform-thread = Reform thread
all-reform-threads = All reform threads
thread-empty = No entry is a step of this thread yet.
year-page = The year { $year } on its own page
year-count = { $entries } in { $year }.
timeline-more-latest = This page shows the { $shown } latest of { $total } entries. The others are on the year pages listed under “Years”.
timeline-more-earliest = This page shows the { $shown } earliest of { $total } entries. The others are on the year pages listed under “Years”.
other-years = Other years
earlier-year = Earlier year
later-year = Later year
draft = Draft
overview-key = Key
shape-outline = outline
shape-half = half filled
shape-filled = filled
shape-struck = struck through
shape-square = square
legend-span = Bar: how long a reform lasted
legend-thread = Line: the steps of one reform thread
legend-count = Number: entries in a busy year (opens the year)
overview-badge = { $n } entries in { $year }: { $lane }
# The time between two steps of a reform thread; $step is what the earlier step is
# called (step-named or step-titled), $time a count of years, months or days.
gap-same-year = in the same year as { $step }
gap-year-after = in the year after { $step }
gap-about = about { $time } after { $step }
gap-same-month = in the same month as { $step }
gap-month-after = in the month after { $step }
gap-same-day = the same day as { $step }
gap-after = { $time } after { $step }
gap-over-after = over { $time } after { $step }
step-named = the { $name }
step-titled = “{ $title }”
years-count = { $n ->
    [one] { $n } year
   *[other] { $n } years
}
months-count = { $n ->
    [one] { $n } month
   *[other] { $n } months
}
days-count = { $n ->
    [one] { $n } day
   *[other] { $n } days
}
years-months = { $years } and { $months }
# What annals.js writes on the page (a count is $n; the script picks the plural form).
js-filter-shown = { $shown } of { $n } entries shown
js-type-more = Type at least two letters.
js-searching = Searching…
js-order-relevance = most relevant first
js-order-newest = newest first
js-order-oldest = oldest first
js-no-match = No entries match “{ $q }”.
js-matches = { $count } “{ $q }”, { $order }.
js-matches-count = { $n ->
    [one] { $n } entry matches
   *[other] { $n } entries match
}
js-index-error = The search index could not be loaded ({ $error }).
# The data page. Ids ending in -html are markup, written as they are.
data-title = Data
data-description = Download the data of { $site }: CSV and JSON
data-lede = Every published entry of { $site } ({ $entries }), to download and reuse.
data-license = The data is published under
data-license-after = : reuse it under its terms, and cite { $site } with the address of the entry you use.
data-no-license = The site names no licence for its data: ask its editors before reusing it.
data-downloads = Downloads
data-file = File
data-format = Format
data-size = Size
data-what = What it holds
data-csv-heading = The columns of timeline.csv
data-csv-intro-html = One row per entry, oldest first, with a header row; UTF-8, comma-separated, lists separated by <code>;</code>.
data-json-heading = The fields of timeline.json
data-json-intro-html = An object with <code>version</code>, <code>license</code>, <code>site</code> (title, themes, statuses and instruments with their labels) and <code>entries</code>, oldest first; its <code>$schema</code> names the JSON Schema above. Each entry has:
