//! The link stage: from loaded entries and pages to a [`Chronicle`] — entries in time
//! order, grouped by theme and year, with resolved links between files, related entries
//! (both ways), backlinks and neighbours. Duplicate slugs, broken links and unknown
//! related slugs are reported here, each at its place in the source.

use crate::config::Config;
use crate::content::{Document, Entry, Loaded, Page, SourceLink};
use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Location, Suggester};
use crate::markdown;
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

/// The whole chronicle, linked and ready to render.
#[derive(Debug)]
pub struct Chronicle {
    /// In time order, oldest first (see ARCHITECTURE.md, "Dates").
    pub entries: Vec<Entry>,
    /// By menu position, then slug.
    pub pages: Vec<Page>,
    /// For each theme of `config.themes` (same index), its entries in time order.
    pub by_theme: Vec<Vec<usize>>,
    /// For each thread of `config.threads` (same index), its steps in time order.
    pub by_thread: Vec<Vec<usize>>,
    /// Each year that has entries (by start year), ascending, with its entries.
    pub years: Vec<(i32, Vec<usize>)>,
    /// For each entry: related entries, declared either way, in time order.
    pub related: Vec<Vec<usize>>,
    /// For each entry: entries whose body links to it, in time order.
    pub backlinks: Vec<Vec<usize>>,
    /// Every language but the default (in `config.languages` order), with its translations.
    pub languages: Vec<Translations>,
}

/// One language's words for the chronicle: for each entry and page, its translation into
/// that language, if there is one. Facts are never here: they are the original's.
#[derive(Debug, Default)]
pub struct Translations {
    pub code: String,
    /// Same index as `Chronicle::entries`.
    pub entries: Vec<Option<Translated>>,
    /// Same index as `Chronicle::pages`.
    pub pages: Vec<Option<Translated>>,
}

impl Translations {
    /// How many entries have a translation into this language.
    pub fn entry_count(&self) -> usize {
        self.entries.iter().flatten().count()
    }
}

/// An entry or page in another language: its words, with its body's links resolved to
/// the same language (a translated target's page, else the original's).
#[derive(Debug, Clone)]
pub struct Translated {
    /// `content/entries/a.ru.md`.
    pub file: String,
    /// Its own `slug:`, else the original's.
    pub slug: String,
    /// The translated title (the original's when the translation gives none).
    pub title: String,
    pub summary: String,
    /// The step label in its thread, when the translation gives one (`step:`).
    pub step: Option<String>,
    /// For each source of the original (same index), its translated title, if given.
    pub sources: Vec<Option<String>>,
    /// The rendered body, links resolved.
    pub html: String,
    pub heading_ids: Vec<String>,
}

impl Chronicle {
    /// The entry before `i` in time, if any.
    pub fn previous(&self, i: usize) -> Option<usize> {
        i.checked_sub(1)
    }

    /// The entry after `i` in time, if any.
    pub fn next(&self, i: usize) -> Option<usize> {
        (i + 1 < self.entries.len()).then_some(i + 1)
    }
}

/// Time order with the slug as the last tie-break.
pub fn chronological(a: &Entry, b: &Entry) -> Ordering {
    a.date
        .chronological(&b.date)
        .then_with(|| a.doc.slug.cmp(&b.doc.slug))
}

/// What a link can point at.
struct Target {
    /// Its site path (`entries/x/`); a link from another file is that file's root and this.
    url: String,
    /// The way from its own page back to the site root (`../../`).
    root: String,
    heading_ids: HashSet<String>,
    /// Index of the entry, when the target is an entry.
    entry: Option<usize>,
    /// Its headings for suggestions, made on the first broken fragment that names it.
    headings: OnceLock<Headings>,
}

/// A target's heading ids, ready for any number of broken fragments.
struct Headings {
    index: Suggester,
    /// Sorted, joined with `, `.
    list: String,
}

impl Headings {
    fn of(ids: &HashSet<String>) -> Headings {
        let mut sorted: Vec<&str> = ids.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        Headings {
            index: Suggester::new(sorted.iter().copied()),
            list: sorted.join(", "),
        }
    }
}

/// Every file a link can reach, for "did you mean": made on the first broken link of a run
/// (a clean build never pays for it), then each broken link costs only the files of a
/// length that can be close (see [`Suggester`]).
struct PathIndex {
    paths: Suggester,
    names: Suggester,
    /// For each file name, its path when only one file has it.
    unique_names: HashMap<String, Option<String>>,
}

impl PathIndex {
    fn of(targets: &HashMap<String, Target>) -> PathIndex {
        let mut unique_names: HashMap<String, Option<String>> = HashMap::new();
        for path in targets.keys() {
            unique_names
                .entry(file_name(path).to_string())
                .and_modify(|p| *p = None)
                .or_insert_with(|| Some(path.clone()));
        }
        PathIndex {
            paths: Suggester::new(targets.keys().map(String::as_str)),
            names: Suggester::new(unique_names.keys().map(String::as_str)),
            unique_names,
        }
    }
}

/// The last part of a path: `entries/a.md` → `a.md`.
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or_default()
}

/// How to fix a link to `t` whose fragment `frag` names no heading of it.
fn fragment_help(t: &Target, link: &SourceLink, frag: &str) -> String {
    if t.heading_ids.is_empty() {
        return format!(
            "{} has no headings; link to the file without `#{frag}`",
            link.path
        );
    }
    let headings = t.headings.get_or_init(|| Headings::of(&t.heading_ids));
    match headings.index.closest(frag, None) {
        Some(id) => format!(
            "did you mean `{}#{}`?",
            markdown_destination(&link.path),
            markdown_destination(id)
        ),
        None => format!("its headings are: {}", headings.list),
    }
}

/// Resolves `link` written in the file at `from` (both relative to `content/`).
/// `None` when the path climbs out of `content/`.
pub fn resolve_path(from: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = from.split('/').collect();
        p.pop();
        p
    };
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// How a link in the file at `from` must be written to reach `to` (both relative to
/// `content/`): `other.md` beside it, `../pages/method.md` from an entry. The inverse of
/// [`resolve_path`], so that a suggested link can be pasted as it is.
pub fn relative_link(from: &str, to: &str) -> String {
    let mut from_dir: Vec<&str> = from.split('/').collect();
    from_dir.pop();
    let to_parts: Vec<&str> = to.split('/').collect();
    let (to_dir, to_name) = to_parts.split_at(to_parts.len().saturating_sub(1));
    let common = from_dir
        .iter()
        .zip(to_dir)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dir.len() - common);
    for part in to_dir[common..].iter().chain(to_name) {
        out.push_str(part);
        out.push('/');
    }
    out.pop();
    markdown_destination(&out)
}

/// A path or fragment written so that it can be pasted into a Markdown link as it is:
/// characters that would end or change the link (spaces, brackets, `#`, `?`, `%`, control
/// characters) are percent-encoded, as the link reader decodes them.
fn markdown_destination(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() || "<>()[]#?%\\`\"'".contains(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Everything a body link can point at, with what is known about missing targets.
pub struct LinkTargets {
    targets: HashMap<String, Target>,
    /// Drafts left out of this build: a link to one is its own error.
    drafts: HashSet<String>,
    /// Files that failed to load: their own errors are reported, links to them are not.
    failed: HashSet<String>,
    /// For suggestions, made on the first broken link.
    paths: OnceLock<PathIndex>,
}

impl LinkTargets {
    pub fn new(
        _config: &Config,
        entries: &[Entry],
        pages: &[Page],
        drafts: HashSet<String>,
        failed: &HashSet<&str>,
    ) -> LinkTargets {
        let target = |doc: &Document, route: crate::routes::Route, entry: Option<usize>| {
            let target = Target {
                url: route.path(),
                root: route.root(),
                heading_ids: doc.heading_ids.iter().cloned().collect(),
                entry,
                headings: OnceLock::new(),
            };
            (doc.content_path.clone(), target)
        };
        // Made in parallel (a tenth of linking at 100,000 entries), inserted in order: a
        // path given twice keeps its last target, as it did when inserted one by one.
        let made: Vec<(String, Target)> = entries
            .par_iter()
            .enumerate()
            .map(|(i, e)| target(&e.doc, crate::routes::Route::Entry(&e.doc.slug), Some(i)))
            .chain(
                pages
                    .par_iter()
                    .map(|p| target(&p.doc, crate::routes::Route::Page(&p.doc.slug), None)),
            )
            .collect();
        let mut targets: HashMap<String, Target> = HashMap::with_capacity(made.len());
        targets.extend(made);
        LinkTargets {
            targets,
            drafts,
            failed: failed.iter().map(|s| s.to_string()).collect(),
            paths: OnceLock::new(),
        }
    }

    /// The targets of a linked chronicle (for re-linking one edited document).
    pub fn of(chronicle: &Chronicle, config: &Config) -> LinkTargets {
        LinkTargets::new(
            config,
            &chronicle.entries,
            &chronicle.pages,
            HashSet::new(),
            &HashSet::new(),
        )
    }

    /// How to fix a link to a file that does not exist: the nearest existing file, written
    /// as it must be in `doc` (relative to its folder, fragment kept), ready to paste.
    fn broken_link_help(
        &self,
        doc: &Document,
        link: &SourceLink,
        resolved: Option<&str>,
    ) -> String {
        let index = self.paths.get_or_init(|| PathIndex::of(&self.targets));
        // Written relative to content/ instead of the file (`pages/about.md` in an entry)?
        let from_root = link.path.trim_start_matches(['.', '/']);
        let near = self
            .targets
            .get_key_value(from_root)
            .map(|(k, _)| k.as_str())
            .or_else(|| index.paths.closest(resolved.unwrap_or(&link.path), None))
            .or_else(|| {
                // Else the file whose name is nearest, when only one is.
                let best = index.names.closest(file_name(&link.path), None)?;
                index.unique_names.get(best)?.as_deref()
            });
        match near {
            Some(to) => {
                let mut fix = relative_link(&doc.content_path, to);
                if let Some(frag) = &link.fragment {
                    fix.push('#');
                    fix.push_str(&markdown_destination(frag));
                }
                format!(
                    "did you mean `{fix}`? (paths are relative to the folder of {})",
                    doc.file
                )
            }
            None => format!(
                "link to a file that exists, relative to {} (e.g. `other-entry.md` or `../pages/about.md`)",
                doc.file
            ),
        }
    }

    /// Resolves `doc`'s links, writes its final HTML, and returns the problems and the
    /// entries it links to.
    pub fn resolve(&self, doc: &mut Document) -> (Vec<Diagnostic>, Vec<usize>) {
        self.resolve_in(doc, None)
    }

    /// Resolves the links of `doc`, a translation (its `content_path` its original's), in
    /// a language whose translated pages are `own` (by the original's content path): a
    /// link goes to the translated page when there is one, else to the original's page in
    /// the default language; a fragment is checked against the headings of the page the
    /// link goes to.
    fn resolve_in(
        &self,
        doc: &mut Document,
        own: Option<&HashMap<String, Target>>,
    ) -> (Vec<Diagnostic>, Vec<usize>) {
        // From a language's tree, the default language's pages are one folder up.
        let up = if own.is_some() { "../" } else { "" };
        // Positions by binary search in one index of the file's lines, made on its first
        // problem: a file with many broken links is not scanned from the top for each.
        // The text itself is fetched then too: a document of `build` holds only the way to
        // read its file again (`content::Text`).
        let source = std::cell::OnceCell::new();
        let lines = std::cell::OnceCell::new();
        let locate = |l: &SourceLink| -> Option<Location> {
            let source = source.get_or_init(|| doc.source.get()).as_deref()?;
            (l.offset <= source.len()).then(|| {
                lines
                    .get_or_init(|| LineIndex::new(source))
                    .location(l.offset, l.len)
            })
        };
        let mut ds = Vec::new();
        let mut linked = Vec::new();
        let mut urls = Vec::with_capacity(doc.links.len());
        // Links are relative to the linking file's own page (see `routes`).
        let own_root;
        let root = match self.targets.get(&doc.content_path) {
            Some(t) => t.root.as_str(),
            None => {
                own_root = crate::routes::Route::Entry(&doc.slug).root();
                own_root.as_str()
            }
        };
        for link in &doc.links {
            let resolved = resolve_path(&doc.content_path, &link.path);
            let target = resolved.as_deref().and_then(|p| self.targets.get(p));
            let url = match (target, &resolved) {
                (Some(t), _) => {
                    if let Some(e) = t.entry {
                        linked.push(e);
                    }
                    let translated = resolved.as_deref().and_then(|p| own.and_then(|o| o.get(p)));
                    let (t, up) = match translated {
                        Some(tt) => (tt, ""),
                        None => (t, up),
                    };
                    match &link.fragment {
                        Some(frag) if !t.heading_ids.contains(frag) => {
                            let help = fragment_help(t, link, frag);
                            ds.push(
                                Diagnostic::error(
                                    "broken-fragment",
                                    format!("`{}` has no heading `#{frag}`", link.path),
                                )
                                .in_file(doc.file.clone())
                                .at_opt(locate(link))
                                .help(help),
                            );
                            format!("{root}{up}{}", t.url)
                        }
                        Some(frag) => format!("{root}{up}{}#{frag}", t.url),
                        None => format!("{root}{up}{}", t.url),
                    }
                }
                (None, Some(p)) if self.failed.contains(p) => String::new(),
                (None, Some(p)) if self.drafts.contains(p) => {
                    ds.push(
                        Diagnostic::error("link-to-draft", format!("`{}` is a draft, so it is not published", link.path))
                            .in_file(doc.file.clone())
                            .at_opt(locate(link))
                            .help("remove the link, publish the target (remove `draft: true`), or build with --drafts"),
                    );
                    String::new()
                }
                (None, resolved) => {
                    let help = self.broken_link_help(doc, link, resolved.as_deref());
                    ds.push(
                        Diagnostic::error(
                            "broken-link",
                            format!("link to `{}`, which does not exist", link.path),
                        )
                        .in_file(doc.file.clone())
                        .at_opt(locate(link))
                        .help(help),
                    );
                    String::new()
                }
            };
            urls.push(url);
        }
        if !urls.is_empty() {
            doc.html = markdown::substitute_links(&doc.html, &urls);
        }
        (ds, linked)
    }
}

/// For each entry, the entries related to it, declared either way (unsorted). A slug that
/// is the entry's own, a draft's, or nobody's is reported at its place in `related:`.
fn related_both_ways(
    entries: &[Entry],
    failed_slugs: &HashSet<String>,
    draft_slugs: &HashSet<String>,
    diags: &mut Diagnostics,
) -> Vec<Vec<usize>> {
    let slug_index: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.doc.slug.as_str(), i))
        .collect();

    let mut related: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    // Every slug, indexed on the first unknown one.
    let mut slugs: Option<Suggester> = None;
    for (i, e) in entries.iter().enumerate() {
        for slug in &e.related {
            let loc = || e.doc.locate_value("related", slug);
            match slug_index.get(slug.as_str()) {
                Some(&j) if j == i => diags.push(
                    Diagnostic::error(
                        "self-related",
                        format!("the entry lists itself (`{slug}`) as related"),
                    )
                    .in_file(e.doc.file.clone())
                    .at_opt(loc())
                    .help("remove it from `related`"),
                ),
                Some(&j) => {
                    related[i].push(j);
                    related[j].push(i);
                }
                None if failed_slugs.contains(slug) => {}
                None => {
                    let d = if draft_slugs.contains(slug) {
                        Diagnostic::error(
                            "link-to-draft",
                            format!("related entry `{slug}` is a draft"),
                        )
                        .help("remove it from `related`, publish it, or build with --drafts")
                    } else {
                        let slugs = slugs.get_or_insert_with(|| {
                            Suggester::new(entries.iter().map(|e| e.doc.slug.as_str()))
                        });
                        let help = match slugs.closest(slug, Some(&e.doc.slug)) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "`related` lists the slugs of other entries (their file names without .md)".into(),
                        };
                        Diagnostic::error(
                            "unknown-related",
                            format!("no entry has the slug `{slug}`"),
                        )
                        .help(help)
                    };
                    diags.push(d.in_file(e.doc.file.clone()).at_opt(loc()));
                }
            }
        }
    }
    related
}

/// Links the loaded content. Drafts are dropped unless `drafts` is set.
pub fn link(loaded: Loaded, config: &Config, drafts: bool, diags: &mut Diagnostics) -> Chronicle {
    let Loaded {
        mut entries,
        mut pages,
        failed,
        translations,
        hashes: _,
    } = loaded;
    // Files whose own errors are already reported: links to them are not errors too.
    let failed_paths: HashSet<&str> = failed.iter().map(|f| f.content_path.as_str()).collect();
    let failed_slugs: HashSet<String> = failed
        .iter()
        .map(|f| crate::content::file_slug(&f.content_path))
        .collect();
    let mut draft_paths = HashSet::new();
    let mut draft_slugs = HashSet::new();
    if !drafts {
        for d in entries
            .iter()
            .map(|e| &e.doc)
            .chain(pages.iter().map(|p| &p.doc))
        {
            if d.draft {
                draft_paths.insert(d.content_path.clone());
            }
        }
        for e in entries.iter().filter(|e| e.doc.draft) {
            draft_slugs.insert(e.doc.slug.clone());
        }
        entries.retain(|e| !e.doc.draft);
        pages.retain(|p| !p.doc.draft);
    }
    // Stable, as `sort_by` is; in parallel (entries are large to move).
    entries.par_sort_by(chronological);
    pages.sort_by(|a, b| {
        (a.menu.is_none(), a.menu, &a.doc.slug).cmp(&(b.menu.is_none(), b.menu, &b.doc.slug))
    });

    check_unique_slugs(entries.iter().map(|e| &e.doc), "entry", diags);
    check_unique_slugs(pages.iter().map(|p| &p.doc), "page", diags);
    for p in &pages {
        if crate::routes::is_reserved(&p.doc.slug) {
            diags.push(
                Diagnostic::error(
                    "reserved-slug",
                    format!("the page slug `{}` is reserved", p.doc.slug),
                )
                .in_file(p.doc.file.clone())
                .at(p.doc.slug_location.clone())
                .help(format!(
                    "annals uses /{}/ itself; rename the file or set another `slug:`",
                    p.doc.slug
                )),
            );
        }
    }

    let targets = LinkTargets::new(config, &entries, &pages, draft_paths.clone(), &failed_paths);
    let resolve = |doc: &mut Document| targets.resolve(doc);
    let entry_results: Vec<(Vec<Diagnostic>, Vec<usize>)> = entries
        .par_iter_mut()
        .map(|e| resolve(&mut e.doc))
        .collect();
    let page_results: Vec<(Vec<Diagnostic>, Vec<usize>)> =
        pages.par_iter_mut().map(|p| resolve(&mut p.doc)).collect();

    let n = entries.len();
    let mut backlinks: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (from, (ds, linked)) in entry_results.into_iter().enumerate() {
        diags.extend(ds);
        for to in linked {
            if to != from {
                backlinks[to].push(from);
            }
        }
    }
    for (ds, _) in page_results {
        diags.extend(ds);
    }

    for p in &pages {
        if let Some(l) = config
            .languages
            .iter()
            .skip(1)
            .find(|l| l.code == p.doc.slug)
        {
            diags.push(
                Diagnostic::error(
                    "reserved-slug",
                    format!("the page slug `{}` is the folder of the {} pages", p.doc.slug, l.name),
                )
                .in_file(p.doc.file.clone())
                .at(p.doc.slug_location.clone())
                .help("rename the file or set another `slug:`: each language other than the first is served under /<code>/"),
            );
        }
    }
    let languages = translate(translations, &entries, &pages, &targets, config, diags);

    let mut related = related_both_ways(&entries, &failed_slugs, &draft_slugs, diags);
    for list in related.iter_mut().chain(backlinks.iter_mut()) {
        list.sort_unstable();
        list.dedup();
    }

    let mut by_theme: Vec<Vec<usize>> = vec![Vec::new(); config.themes.len()];
    let theme_index: HashMap<&str, usize> = config
        .themes
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let mut years: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        for t in &e.themes {
            if let Some(&ti) = theme_index.get(t.as_str()) {
                by_theme[ti].push(i);
            }
        }
        years.entry(e.date.year()).or_default().push(i);
    }
    let by_thread = group_by_thread(&entries, config);

    Chronicle {
        entries,
        pages,
        by_theme,
        by_thread,
        years: years.into_iter().collect(),
        related,
        backlinks,
        languages,
    }
}

/// Pairs each translation with its original (entries and pages as linked), renders its
/// body and resolves its links in its language; one [`Translations`] per language other
/// than the default. A translated slug that is invalid or taken twice in a language is
/// reported at the translation.
fn translate(
    translations: Vec<crate::content::translation::RawTranslation>,
    entries: &[Entry],
    pages: &[Page],
    targets: &LinkTargets,
    config: &Config,
    diags: &mut Diagnostics,
) -> Vec<Translations> {
    let codes: Vec<&str> = config
        .languages
        .iter()
        .skip(1)
        .map(|l| l.code.as_str())
        .collect();
    let mut out: Vec<Translations> = codes
        .iter()
        .map(|c| Translations {
            code: c.to_string(),
            entries: vec![None; entries.len()],
            pages: vec![None; pages.len()],
        })
        .collect();
    if translations.is_empty() {
        return out;
    }
    let entry_of: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.doc.file.as_str(), i))
        .collect();
    let page_of: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.doc.file.as_str(), i))
        .collect();
    // First the words and slugs, so that every language's targets are known before any
    // body is linked.
    let mut docs: Vec<Vec<Pending>> = codes.iter().map(|_| Vec::new()).collect();
    for t in translations {
        let Some(l) = codes.iter().position(|c| *c == t.language) else {
            continue;
        };
        let (e, p) = (
            entry_of.get(t.original.as_str()),
            page_of.get(t.original.as_str()),
        );
        let original = match (e, p) {
            (Some(&i), _) => &entries[i].doc,
            (_, Some(&k)) => &pages[k].doc,
            // A draft left out of this build, or an original that failed to load.
            _ => continue,
        };
        let slug = match &t.slug {
            Some(s) if !crate::slug::is_valid(s) => {
                diags.push(
                    Diagnostic::error("bad-slug", format!("slug `{s}` is not valid"))
                        .in_file(t.file.clone())
                        .at(slug_location(&t))
                        .help(format!(
                            "a slug uses lowercase letters a–z, digits and single dashes, e.g. `{}`",
                            crate::slug::suggest(s)
                        )),
                );
                original.slug.clone()
            }
            Some(s) => s.clone(),
            None => original.slug.clone(),
        };
        let body = markdown::render(&t.body, !config.raw_html);
        // Positions only for a body with something to say (most have nothing).
        let lines = std::cell::OnceCell::new();
        for note in &body.notes {
            let lines = lines.get_or_init(|| LineIndex::new(&t.text));
            let d = if note.error {
                Diagnostic::error(note.code, note.message.clone())
            } else {
                Diagnostic::warning(note.code, note.message.clone())
            };
            diags.push(
                d.in_file(t.file.clone())
                    .at(lines.location(t.body_offset + note.offset, note.len))
                    .help(note.help.clone()),
            );
        }
        let sources = match e {
            Some(&i) => entries[i]
                .sources
                .iter()
                .map(|s| {
                    t.sources
                        .iter()
                        .find(|ts| ts.url == s.url)
                        .map(|ts| ts.title.clone())
                })
                .collect(),
            None => Vec::new(),
        };
        let doc = Document {
            file: t.file.clone(),
            source: crate::content::Text::Kept(std::sync::Arc::clone(&t.text)),
            yaml: (0, 0),
            content_path: original.content_path.clone(),
            slug: slug.clone(),
            slug_location: slug_location(&t),
            title: t.title.clone().unwrap_or_else(|| original.title.clone()),
            draft: original.draft,
            links: SourceLink::of_body(&body, t.body_offset),
            html: body.html,
            heading_ids: body.heading_ids,
        };
        let words = Translated {
            file: t.file.clone(),
            slug,
            title: doc.title.clone(),
            summary: t.summary.clone().unwrap_or_else(|| match e {
                Some(&i) => entries[i].summary.clone(),
                None => pages[*p.expect("a page")].summary.clone(),
            }),
            step: t.step.clone(),
            sources,
            html: String::new(),
            heading_ids: doc.heading_ids.clone(),
        };
        let of = match (e, p) {
            (Some(&i), _) => Of::Entry(i),
            (_, Some(&k)) => Of::Page(k),
            _ => continue,
        };
        docs[l].push(Pending { doc, words, of });
    }
    for (l, list) in docs.into_iter().enumerate() {
        for d in list.iter().filter(|d| matches!(d.of, Of::Page(_))) {
            if crate::routes::is_reserved(&d.doc.slug) {
                diags.push(
                    Diagnostic::error(
                        "reserved-slug",
                        format!("the page slug `{}` is reserved", d.doc.slug),
                    )
                    .in_file(d.doc.file.clone())
                    .at(d.doc.slug_location.clone())
                    .help(format!(
                        "annals uses /{}/{}/ itself; set another `slug:`",
                        codes[l], d.doc.slug
                    )),
                );
            }
        }
        check_unique_slugs(
            list.iter()
                .filter(|d| matches!(d.of, Of::Entry(_)))
                .map(|d| &d.doc),
            "entry",
            diags,
        );
        check_unique_slugs(
            list.iter()
                .filter(|d| matches!(d.of, Of::Page(_)))
                .map(|d| &d.doc),
            "page",
            diags,
        );
        let own: HashMap<String, Target> = list
            .iter()
            .map(|d| {
                let (route, entry) = match d.of {
                    Of::Entry(i) => (crate::routes::Route::Entry(&d.doc.slug), Some(i)),
                    Of::Page(_) => (crate::routes::Route::Page(&d.doc.slug), None),
                };
                (
                    d.doc.content_path.clone(),
                    Target {
                        url: route.path(),
                        root: route.root(),
                        heading_ids: d.doc.heading_ids.iter().cloned().collect(),
                        entry,
                        headings: OnceLock::new(),
                    },
                )
            })
            .collect();
        let linked: Vec<(Vec<Diagnostic>, Pending)> = list
            .into_par_iter()
            .map(|mut d| {
                let (ds, _) = targets.resolve_in(&mut d.doc, Some(&own));
                d.words.html = std::mem::take(&mut d.doc.html);
                (ds, d)
            })
            .collect();
        for (ds, d) in linked {
            diags.extend(ds);
            match d.of {
                Of::Entry(i) => out[l].entries[i] = Some(d.words),
                Of::Page(k) => out[l].pages[k] = Some(d.words),
            }
        }
    }
    out
}

/// What a translation translates: entry `i` or page `k` of the linked chronicle.
#[derive(Clone, Copy)]
enum Of {
    Entry(usize),
    Page(usize),
}

/// A translation read and rendered, waiting for its links.
struct Pending {
    doc: Document,
    words: Translated,
    of: Of,
}

/// Where a translation's `slug:` is written (its first line when it has none).
fn slug_location(t: &crate::content::translation::RawTranslation) -> Location {
    let text = &*t.text;
    match text.find("\nslug:") {
        Some(at) => Location::of_offset(text, at + 1, "slug".len()),
        None => t.stamp_location.clone(),
    }
}

/// For each thread of `config.threads`, the entries that are its steps, in time order
/// (`entries` is in time order already).
fn group_by_thread(entries: &[Entry], config: &Config) -> Vec<Vec<usize>> {
    let mut by_thread: Vec<Vec<usize>> = vec![Vec::new(); config.threads.len()];
    for (i, e) in entries.iter().enumerate() {
        if let Some(k) = e
            .thread
            .as_deref()
            .and_then(|id| config.threads.iter().position(|t| t.id == id))
        {
            by_thread[k].push(i);
        }
    }
    by_thread
}

fn check_unique_slugs<'a>(
    docs: impl Iterator<Item = &'a Document>,
    what: &str,
    diags: &mut Diagnostics,
) {
    let mut seen: HashMap<&str, &Document> = HashMap::new();
    let mut all: Vec<&Document> = docs.collect();
    all.sort_by(|a, b| a.file.cmp(&b.file));
    for d in all {
        if let Some(first) = seen.get(d.slug.as_str()) {
            diags.push(
                Diagnostic::error(
                    "duplicate-slug",
                    format!("{} and {} have the same slug `{}`", first.file, d.file, d.slug),
                )
                .in_file(d.file.clone())
                .at(d.slug_location.clone())
                .help(format!(
                    "each {what} needs its own slug: rename one of the files or give it a different `slug:`"
                )),
            );
        } else {
            seen.insert(&d.slug, d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_relative_to_the_file() {
        assert_eq!(
            resolve_path("entries/a.md", "b.md").as_deref(),
            Some("entries/b.md")
        );
        assert_eq!(
            resolve_path("entries/a.md", "../pages/method.md").as_deref(),
            Some("pages/method.md")
        );
        assert_eq!(
            resolve_path("entries/x/a.md", "./../b.md").as_deref(),
            Some("entries/b.md")
        );
        assert_eq!(
            resolve_path("entries/a.md", "/pages/a.md").as_deref(),
            Some("pages/a.md")
        );
        assert_eq!(resolve_path("entries/a.md", "../../x.md"), None);
    }

    #[test]
    fn relative_links_resolve_back_to_their_target() {
        let cases = [
            ("entries/a.md", "entries/b.md", "b.md"),
            ("entries/a.md", "pages/method.md", "../pages/method.md"),
            ("entries/x/a.md", "entries/b.md", "../b.md"),
            ("entries/a.md", "entries/x/y/b.md", "x/y/b.md"),
            ("pages/about.md", "entries/x/b.md", "../entries/x/b.md"),
            ("entries/a.md", "entries/о нас.md", "о%20нас.md"),
        ];
        for (from, to, want) in cases {
            let link = relative_link(from, to);
            assert_eq!(link, want);
            let decoded = crate::markdown::percent_decode(&link);
            assert_eq!(
                resolve_path(from, &decoded).as_deref(),
                Some(to),
                "{from} → {to}"
            );
        }
    }
}
