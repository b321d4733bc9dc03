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
