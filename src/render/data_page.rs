//! The data page (`/data/`): what can be downloaded (format, size, what it holds), under
//! which licence, and what every field of the CSV and JSON exports means. It is written
//! after the exports, whose sizes it shows: every language's (the others' under their
//! folder, `ru/timeline.csv`), all on the one data page at the root.

use super::exports::{CSV_COLUMNS, Download, JSON_FIELDS};
use super::views::LinkView;
use super::{Recorder, RenderError, Site};
use crate::routes::Route;
use serde::Serialize;

/// A file of the list.
#[derive(Serialize)]
struct DownloadView {
    /// Its site path (the template writes the page's root before it).
    url: String,
    name: String,
    format: &'static str,
    what: String,
    /// "12.3 kB".
    size: String,
    bytes: usize,
}

#[derive(Serialize)]
struct FieldView {
    name: &'static str,
    description: &'static str,
}

/// "812 bytes", "12.3 kB", "4.1 MB" (decimal units, as file managers show them).
pub fn size_text(bytes: usize) -> String {
    match bytes {
        0..1000 => format!("{bytes} bytes"),
        1000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1000.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_000_000.0),
    }
}

/// Writes the data page.
pub(super) fn write(
    site: &Site,
    out: &Recorder,
    downloads: &[Download],
) -> Result<(), RenderError> {
    let route = Route::Data;
    let config = site.config;
    let meta = site.meta(
        super::PageId::Data,
        route,
        "data",
        site.lang.text("data-title"),
        site.lang.messages.get(
            "data-description",
            &[("site", site.lang.labels.site_title().into())],
        ),
    );
    let m = &site.lang.messages;
    let site_title = site.lang.labels.site_title();
    let lede = m.get(
        "data-lede",
        &[
            ("site", site_title.into()),
            (
                "entries",
                m.count("entries-count", site.published.len()).into(),
            ),
        ],
    );
    let license_after = m.get("data-license-after", &[("site", site_title.into())]);
    let files: Vec<DownloadView> = downloads
        .iter()
        .map(|d| DownloadView {
            name: d.path.clone(),
            url: d.path.clone(),
            format: d.format,
            what: d.what.clone(),
            size: size_text(d.bytes),
            bytes: d.bytes,
        })
        .collect();
    let fields = |list: &'static [(&'static str, &'static str)]| -> Vec<FieldView> {
        list.iter()
            .map(|&(name, description)| FieldView { name, description })
            .collect()
    };
    let license = config.license.as_ref().map(|l| LinkView {
        lang: None,
        title: l.name.clone(),
        url: l.url.clone(),
    });
    let html = site.render("data.html", route, &meta, |ctx| {
        ctx.insert("downloads", &files);
        ctx.insert("csv_columns", &fields(CSV_COLUMNS));
        ctx.insert("json_fields", &fields(JSON_FIELDS));
        ctx.insert("license", &license);
        ctx.insert("entries", &site.published.len());
        ctx.insert("lede", &lede);
        ctx.insert("license_after", &license_after);
    })?;
    Ok(out.write(route, html.as_bytes())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_file_managers_show_them() {
        assert_eq!(size_text(812), "812 bytes");
        assert_eq!(size_text(12_345), "12.3 kB");
        assert_eq!(size_text(4_100_000), "4.1 MB");
    }
}
