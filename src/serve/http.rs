//! HTTP for the preview: the built site from memory with its Content-Types, `index.html` for
//! directories (and a redirect from `/entries/x` to `/entries/x/`), the site's 404 page,
//! no directory listings, and no path that could name anything outside the site — `..`,
//! `.`, backslashes, empty segments and drive letters are refused, encoded or not. Under
//! `/__annals/` are the live-reload script, its event stream and the last build's problems.
//! Every route answers only requests addressed to the preview itself ([`Hosts`]): a page on
//! another site whose name was made to resolve to this machine (DNS rebinding) gets a 403,
//! not the drafts or the problems with their paths and source lines.

use super::{Shared, Snapshot};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, Version, header};
use axum::middleware::Next;
use axum::response::Response;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use bytes::Bytes;
use futures_util::Stream;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// The server-sent events that tell open pages about each build.
pub const EVENTS: &str = "/__annals/events";
/// The state of the last build as JSON: `{"site": id, "ok": bool, "problems": [...],
/// "summary": "2 problems found", "4 warnings" or null, "previous", "changed"}` (`ok` when
/// the build had no error; its warnings are listed too), each problem in the shape
/// of `check --format json` ([`crate::diagnostic::JsonDiagnostic`]).
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
        .layer(axum::middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

/// The names a request may be addressed to (its `Host`, and the authority of an
/// absolute-form target): `localhost`, `127.0.0.1`, `[::1]`, the `--bind` address and the
/// `--allow-host` names, case-insensitive, each with any port (a forwarded port, as with
/// `ssh -L`, changes it; the port plays no part in DNS rebinding). Bound to every interface
/// (`0.0.0.0`, `::`), any IP address is accepted as well: the machine's own addresses are
/// how others reach it then, and a literal address cannot be rebound by DNS.
#[derive(Debug, Clone)]
pub struct Hosts {
    bind: IpAddr,
    /// Lowercase.
    names: Vec<String>,
}

impl Hosts {
    pub fn new(bind: IpAddr, allowed: &[String]) -> Hosts {
        let mut names = vec!["localhost".to_string()];
        names.extend(allowed.iter().map(|n| n.to_ascii_lowercase()));
        Hosts { bind, names }
    }

    fn allows_ip(&self, ip: IpAddr) -> bool {
        ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
            || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
            || ip == self.bind
            || self.bind.is_unspecified()
    }

    /// Whether `authority` (`host`, `host:port`, `[v6]` or `[v6]:port`) names the preview.
    pub fn allows(&self, authority: &str) -> bool {
        let bracketed = authority.starts_with('[');
        let (host, port) = if bracketed {
            match authority[1..].split_once(']') {
                Some(split) => split,
                None => return false,
            }
        } else {
            let at = authority.find(':').unwrap_or(authority.len());
            authority.split_at(at)
        };
        let port_ok = port.is_empty()
            || port.strip_prefix(':').is_some_and(|p| {
                !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok()
            });
        if !port_ok {
            return false;
        }
        if bracketed {
            return host
                .parse::<Ipv6Addr>()
                .is_ok_and(|ip| self.allows_ip(IpAddr::V6(ip)));
        }
        self.names.iter().any(|n| n.eq_ignore_ascii_case(host))
            || host
                .parse::<Ipv4Addr>()
                .is_ok_and(|ip| self.allows_ip(IpAddr::V4(ip)))
    }

    /// The names accepted, for the refusal message.
    fn describe(&self) -> String {
        let mut shown = vec![
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "[::1]".to_string(),
        ];
        if self.bind.is_unspecified() {
            shown.push("any IP address of this machine".to_string());
        } else {
            let bind = match self.bind {
                IpAddr::V6(v6) => format!("[{v6}]"),
                v4 => v4.to_string(),
            };
            if !shown.contains(&bind) {
                shown.push(bind);
            }
        }
        shown.extend(self.names.iter().skip(1).cloned());
        let last = shown.pop().unwrap_or_default();
        format!("{} and {last}", shown.join(", "))
    }
}

/// Why a request is not for the preview.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    /// `a request for the host `evil.example``.
    pub what: String,
    /// Whether a host was named (or none, or several).
    pub host: bool,
    /// The name to pass to `--allow-host` to accept it, when it is one.
    pub name: Option<String>,
}

impl Refusal {
    fn bare(what: &str) -> Refusal {
        Refusal {
            what: what.to_string(),
            host: false,
            name: None,
        }
    }
}

/// Why a request is not for the preview, or `None` when it is.
pub fn refuse_host(
    hosts: &Hosts,
    version: Version,
    headers: &HeaderMap,
    uri: &Uri,
) -> Option<Refusal> {
    let mut values = headers.get_all(header::HOST).iter();
    let host = match (values.next(), values.next()) {
        (Some(_), Some(_)) => {
            return Some(Refusal::bare("a request with more than one Host header"));
        }
        (Some(v), None) => Some(v),
        (None, _) if version >= Version::HTTP_11 => {
            return Some(Refusal::bare("a request without a Host header"));
        }
        (None, _) => None,
    };
    let named = host
        .map(|v| v.as_bytes())
        .into_iter()
        .chain(uri.authority().map(|a| a.as_str().as_bytes()));
    for raw in named {
        let ok = std::str::from_utf8(raw).is_ok_and(|a| hosts.allows(a));
        if !ok {
            let mut shown = raw.escape_ascii().to_string();
            if shown.len() > 100 {
                shown.truncate(100);
                shown.push('…');
            }
            return Some(Refusal {
                what: format!("a request for the host `{shown}`"),
                host: true,
                name: std::str::from_utf8(raw)
                    .ok()
                    .and_then(|a| super::parse_allow_host(a.split(':').next()?).ok()),
            });
        }
    }
    None
}

/// Refuses, with 403, every request that is not addressed to the preview ([`Hosts`]).
async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let why = refuse_host(
        &shared.hosts,
        request.version(),
        request.headers(),
        request.uri(),
    );
    match why {
        None => next.run(request).await,
        Some(why) => text(StatusCode::FORBIDDEN, &forbidden(&shared.hosts, &why)),
    }
}

/// The text of a 403: what was refused, why, and how to allow it.
fn forbidden(hosts: &Hosts, why: &Refusal) -> String {
    let how = if why.host {
        let name = why.name.as_deref().unwrap_or("NAME");
        format!(
            "Open the preview at one of those; to allow this name, restart with \
             `annals serve --allow-host {name}`; to serve on another address, use \
             `--bind ADDRESS` (`--bind 0.0.0.0` accepts this machine's IP addresses)."
        )
    } else {
        "Send one Host header naming one of those, as a browser does.".to_string()
    };
    format!(
        "403 Forbidden: annals serve refused {}.\n\
         The preview answers only to {}, so that a web page you visit cannot read it through \
         a name of its own (DNS rebinding).\n{how}",
        why.what,
        hosts.describe()
    )
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
    fn knows_its_hosts() {
        let loopback = Hosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &[]);
        for ok in [
            "localhost",
            "LocalHost:1111",
            "localhost:8080",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]",
            "[::1]:1111",
            "[0:0:0:0:0:0:0:1]:1111",
        ] {
            assert!(loopback.allows(ok), "{ok} refused");
        }
        for bad in [
            "",
            ":1111",
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "localhost.",
            "sub.localhost",
            "127.0.0.2",
            "0.0.0.0",
            "192.168.1.7",
            "[::2]",
            "[::ffff:127.0.0.1]",
            "::1",
            "[::1",
            "[::1]x",
            "[::1]:",
            "localhost:",
            "localhost:99999",
            "localhost:+80",
            "localhost:80:80",
            "localhost:80@evil.example",
            "user@localhost",
            "127.1",
            "0177.0.0.1",
            "localhost ",
        ] {
            assert!(!loopback.allows(bad), "{bad} accepted");
        }
        let any = Hosts::new(
            IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            &["Preview.example".into()],
        );
        for ok in [
            "192.168.1.7:1111",
            "[fe80::1]",
            "preview.EXAMPLE:1111",
            "localhost",
        ] {
            assert!(any.allows(ok), "{ok} refused");
        }
        for bad in ["evil.example", "preview.example.evil", "[::1]x"] {
            assert!(!any.allows(bad), "{bad} accepted");
        }
        let lan = Hosts::new("192.168.1.7".parse().unwrap(), &["10.0.0.9".into()]);
        assert!(lan.allows("192.168.1.7:1111") && lan.allows("10.0.0.9"));
        assert!(!lan.allows("192.168.1.8"));
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
