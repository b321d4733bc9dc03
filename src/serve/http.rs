//! HTTP for the preview: the built site from memory with its Content-Types, `index.html` for
//! directories (and a redirect from `/entries/x` to `/entries/x/`), the site's 404 page,
//! no directory listings, and no path that could name anything outside the site — `..`,
//! `.`, backslashes, empty segments and drive letters are refused, encoded or not. Under
//! `/__annals/` are the live-reload script, its event stream and the last build's problems.

use super::{Shared, Snapshot};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use bytes::Bytes;
use futures_util::Stream;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// The server-sent events that tell open pages about each build.
pub const EVENTS: &str = "/__annals/events";
/// The state of the last build as JSON: `{"site": id, "ok": bool, "problems": [...]}`.
pub const ERRORS: &str = "/__annals/errors";
/// The script injected into every served HTML page.
pub const LIVE_JS: &str = "/__annals/live.js";

const LIVE_JS_SOURCE: &str = include_str!("live.js");

/// The routes of the preview server.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .route(ERRORS, get(errors))
        .route(LIVE_JS, get(live_js))
        .fallback(site_file)
        .with_state(shared)
}

/// A request path checked and decoded: the segments inside the site, and whether it ended
/// with `/` (a directory).
#[derive(Debug, PartialEq, Eq)]
pub struct SitePath {
    /// `entries/x` for `/entries/x/`; empty for `/`.
    pub rel: String,
    pub dir: bool,
}

/// Why a request path is refused.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub &'static str);

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn percent_decode(raw: &str) -> Result<String, Refused> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) else {
                return Err(Refused("a malformed percent-encoding"));
            };
            out.push(h << 4 | l);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Refused("a path that is not UTF-8"))
}

/// Checks and decodes the path of a request (as sent, still percent-encoded). Anything that
/// could step out of the site or name an absolute path is refused, before any lookup.
pub fn resolve(raw: &str) -> Result<SitePath, Refused> {
    let Some(rest) = raw.strip_prefix('/') else {
        return Err(Refused("a path that does not start with /"));
    };
    if raw.contains('\\') {
        return Err(Refused("a backslash"));
    }
    let decoded = percent_decode(rest)?;
    if decoded.contains(['\\', '\0']) {
        return Err(Refused("a backslash or NUL"));
    }
    let dir = decoded.is_empty() || decoded.ends_with('/');
    let body = decoded.strip_suffix('/').unwrap_or(&decoded);
    if body.is_empty() {
        return if decoded.is_empty() {
            Ok(SitePath {
                rel: String::new(),
                dir: true,
            })
        } else {
            Err(Refused("an absolute path"))
        };
    }
    for (i, segment) in body.split('/').enumerate() {
        match segment {
            "" => return Err(Refused("an empty segment or an absolute path")),
            "." | ".." => return Err(Refused("a `.` or `..` segment")),
            s if i == 0 && s.len() == 2 && s.ends_with(':') => {
                return Err(Refused("a drive letter"));
            }
            _ => {}
        }
    }
    Ok(SitePath {
        rel: body.to_string(),
        dir,
    })
}

/// What a path of the site names.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The file at this key.
    File(String),
    /// A directory without its trailing slash: redirect to it.
    AddSlash,
    NotFound,
}

pub fn lookup(files: &super::memory::Files, path: &SitePath) -> Lookup {
    let index = if path.rel.is_empty() {
        "index.html".to_string()
    } else {
        format!("{}/index.html", path.rel)
    };
    if path.dir {
        if files.contains_key(&index) {
            Lookup::File(index)
        } else {
            Lookup::NotFound
        }
    } else if files.contains_key(&path.rel) {
        Lookup::File(path.rel.clone())
    } else if files.contains_key(&index) {
        Lookup::AddSlash
    } else {
        Lookup::NotFound
    }
}

/// The Content-Type for a file of the site, by its extension.
pub fn content_type(rel: &str) -> &'static str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name == "atom.xml" {
        return "application/atom+xml; charset=utf-8";
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

/// The tag that loads the live-reload script, marked with the site it was served from.
fn script_tag(site_id: &str) -> String {
    format!("<script src=\"{LIVE_JS}\" data-annals-site=\"{site_id}\"></script>\n")
}

/// `html` with the live-reload script before its last `</body>` (at the end if it has none).
pub fn inject(html: &[u8], site_id: &str) -> Vec<u8> {
    let tag = script_tag(site_id);
    let needle = b"</body";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn respond(status: StatusCode, content_type: &str, body: impl Into<Body>) -> Response {
    let mut r = Response::new(body.into());
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    // A preview must never show a page from before the last rebuild.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn text(status: StatusCode, message: &str) -> Response {
    respond(status, "text/plain; charset=utf-8", format!("{message}\n"))
}

fn file(status: StatusCode, rel: &str, bytes: &Bytes, site_id: &str) -> Response {
    let ty = content_type(rel);
    if ty.starts_with("text/html") {
        respond(status, ty, inject(bytes, site_id))
    } else {
        respond(status, ty, bytes.clone())
    }
}

/// The page shown while no build has succeeded yet: the script's overlay says why.
fn no_site_yet(snapshot: &Snapshot) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>The site does not build yet</title>\n</head>\n<body>\n<h1>The site does not build yet</h1>\n<p>annals serve shows the problems above this page; it reloads once they are fixed.</p>\n{}</body>\n</html>\n",
        script_tag(&snapshot.site_id)
    );
    respond(
        StatusCode::SERVICE_UNAVAILABLE,
        "text/html; charset=utf-8",
        html,
    )
}

async fn site_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "405 Method Not Allowed");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let path = match resolve(uri.path()) {
        Ok(p) => p,
        Err(Refused(why)) => {
            return text(
                StatusCode::BAD_REQUEST,
                &format!("400 Bad Request: refused a path with {why}"),
            );
        }
    };
    let snapshot = shared.current();
    let Some(files) = &snapshot.files else {
        return no_site_yet(&snapshot);
    };
    match lookup(files, &path) {
        Lookup::File(rel) => file(StatusCode::OK, &rel, &files[&rel], &snapshot.site_id),
        Lookup::AddSlash => {
            let mut location = format!("{}/", uri.path());
            if let Some(q) = uri.query() {
                location.push('?');
                location.push_str(q);
            }
            let mut r = text(StatusCode::MOVED_PERMANENTLY, &location);
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Lookup::NotFound => match files.get("404.html") {
            Some(page) => file(StatusCode::NOT_FOUND, "404.html", page, &snapshot.site_id),
            None => text(StatusCode::NOT_FOUND, "404 Not Found"),
        },
    }
}

async fn errors(State(shared): State<Arc<Shared>>) -> Response {
    respond(
        StatusCode::OK,
        "application/json",
        shared.current().json.clone(),
    )
}

async fn live_js() -> Response {
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        LIVE_JS_SOURCE,
    )
}

/// Resolves once the server is shutting down.
async fn stopping(rx: &mut watch::Receiver<bool>) {
    while !*rx.borrow_and_update() {
        if rx.changed().await.is_err() {
            return;
        }
    }
}

/// One `state` event now, then one after each build; the stream ends when the server stops,
/// so that an open page never holds up a shutdown.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let state = shared.subscribe();
    let stop = shared.stop.clone();
    let stream = futures_util::stream::unfold(
        (state, stop, true),
        |(mut state, mut stop, first)| async move {
            if !first {
                tokio::select! {
                    changed = state.changed() => changed.ok()?,
                    () = stopping(&mut stop) => return None,
                }
            }
            if *stop.borrow() {
                return None;
            }
            let json = state.borrow_and_update().json.clone();
            let event = Event::default()
                .event("state")
                .retry(Duration::from_secs(1))
                .data(json);
            Some((Ok(event), (state, stop, false)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(rel: &str, dir: bool) -> Result<SitePath, Refused> {
        Ok(SitePath {
            rel: rel.to_string(),
            dir,
        })
    }

    #[test]
    fn resolves_site_paths() {
        assert_eq!(resolve("/"), ok("", true));
        assert_eq!(resolve("/entries/x/"), ok("entries/x", true));
        assert_eq!(resolve("/entries/x"), ok("entries/x", false));
        assert_eq!(resolve("/style.css"), ok("style.css", false));
        assert_eq!(resolve("/a%20b.txt"), ok("a b.txt", false));
        assert_eq!(resolve("/%D0%B0.txt"), ok("а.txt", false));
        assert_eq!(resolve("/a..b/c.d"), ok("a..b/c.d", false));
    }

    #[test]
    fn refuses_every_way_out() {
        for raw in [
            "/..",
            "/../secret",
            "/entries/../../secret",
            "/%2e%2e/secret",
            "/%2E%2E%2Fsecret",
            "/%2e%2e%2fsecret",
            "/..%2fsecret",
            "/entries/%2e%2e%2f%2e%2e%2fsecret",
            "/.%2e/secret",
            "/./index.html",
            "/..\\secret",
            "/%5c..%5csecret",
            "/..%5csecret",
            "//etc/passwd",
            "/%2fetc%2fpasswd",
            "/%2Fetc/passwd",
            "/entries//x",
            "/C:/Windows/win.ini",
            "/c%3a/Windows",
            "/a%00b",
            "/%zz",
            "/%2",
            "/%ff%fe",
            "etc/passwd",
            "*",
            "",
        ] {
            assert!(resolve(raw).is_err(), "{raw} was not refused");
        }
    }

    #[test]
    fn looks_up_files_and_directories() {
        let mut files = super::super::memory::Files::new();
        for k in [
            "index.html",
            "entries/x/index.html",
            "style.css",
            "404.html",
        ] {
            files.insert(k.to_string(), Bytes::from_static(b""));
        }
        let l = |raw: &str| lookup(&files, &resolve(raw).unwrap());
        assert_eq!(l("/"), Lookup::File("index.html".into()));
        assert_eq!(l("/index.html"), Lookup::File("index.html".into()));
        assert_eq!(
            l("/entries/x/"),
            Lookup::File("entries/x/index.html".into())
        );
        assert_eq!(l("/entries/x"), Lookup::AddSlash);
        assert_eq!(l("/entries/"), Lookup::NotFound);
        assert_eq!(l("/entries"), Lookup::NotFound);
        assert_eq!(l("/style.css"), Lookup::File("style.css".into()));
        assert_eq!(l("/style.css/"), Lookup::NotFound);
        assert_eq!(l("/nope"), Lookup::NotFound);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("themes/x/atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("timeline.json"), "application/json");
        assert_eq!(content_type("timeline.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("img/A.PNG"), "image/png");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn injects_before_the_last_body_end() {
        let out = inject(b"<html><body><p>x</p></BODY></html>", "s-1");
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "<html><body><p>x</p><script src=\"/__annals/live.js\" data-annals-site=\"s-1\"></script>\n</BODY></html>"
        );
        let bare = String::from_utf8(inject(b"<p>x</p>", "s")).unwrap();
        assert!(bare.starts_with("<p>x</p><script"));
    }
}
