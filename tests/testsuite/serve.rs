//! `annals serve`: the real binary on a free port, spoken to with plain HTTP/1.1 over a
//! `TcpStream`. Every connect, read and write has a timeout and every wait a deadline, so a
//! failure cannot hang the suite; the server is killed when a test ends, also on a panic.

use crate::util::{Site, golden, snapshot};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a rebuild (or the first build) may take before a test gives up.
const DEADLINE: Duration = Duration::from_secs(60);
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// A running `annals serve`; killed on drop.
struct Server {
    child: Child,
    port: u16,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn collect(stream: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let out = Arc::new(Mutex::new(String::new()));
    let sink = out.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut s = sink.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
    out
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Server {
    /// Starts `annals serve --root <site> --port 0 <extra>` and waits until it serves.
    fn start(site: &Site, extra: &[&str]) -> Server {
        let mut args = vec!["serve", "--root", site.root.to_str().unwrap()];
        if !extra.contains(&"--port") {
            args.extend(["--port", "0"]);
        }
        args.extend_from_slice(extra);
        let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
            .args(&args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("annals runs");
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        let mut server = Server {
            child,
            port: 0,
            stdout,
            stderr,
        };
        let start = Instant::now();
        loop {
            let out = server.stdout();
            if let Some(i) = out.find("at http://127.0.0.1:") {
                let rest = &out[i + "at http://127.0.0.1:".len()..];
                let end = rest.find('/').unwrap();
                server.port = rest[..end].parse().unwrap();
                break;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "annals serve exited with {status}:\n{}{}",
                    out,
                    server.stderr()
                );
            }
            assert!(
                start.elapsed() < DEADLINE,
                "annals serve did not start:\n{out}{}",
                server.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    /// Starts `annals serve` with its stdout a pipe nobody reads (closed before it starts),
    /// on a port found free beforehand, and waits until it serves. `full_stderr` sends its
    /// stderr to `/dev/full` (else it is collected).
    fn start_without_stdout(site: &Site, full_stderr: bool) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
            .args(["serve", "--root", site.root.to_str().unwrap()])
            .args(["--port", &port.to_string()])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::from(writer))
            .stderr(if full_stderr {
                Stdio::from(
                    std::fs::File::options()
                        .write(true)
                        .open("/dev/full")
                        .unwrap(),
                )
            } else {
                Stdio::piped()
            })
            .spawn()
            .expect("annals runs");
        let stderr = match child.stderr.take() {
            Some(pipe) => collect(pipe),
            None => Arc::new(Mutex::new(String::new())),
        };
        let server = Server {
            child,
            port,
            stdout: Arc::new(Mutex::new(String::new())),
            stderr,
        };
        // The port accepts connections from before the first build, but requests are
        // answered only once the sources are watched: a save before that would be missed.
        wait_until("the server to answer", || server.answers());
        server
    }

    /// Whether the server answers a request (it may still be starting).
    fn answers(&self) -> bool {
        let addr = ([127, 0, 0, 1], self.port).into();
        let Ok(mut s) = TcpStream::connect_timeout(&addr, IO_TIMEOUT) else {
            return false;
        };
        let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
        let request = format!(
            "GET /__annals/errors HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        );
        let mut head = [0u8; 12];
        s.write_all(request.as_bytes()).is_ok()
            && s.read_exact(&mut head).is_ok()
            && head.starts_with(b"HTTP/1.1 200")
    }

    fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    fn connect(&self) -> TcpStream {
        let addr = ([127, 0, 0, 1], self.port).into();
        let s = TcpStream::connect_timeout(&addr, IO_TIMEOUT).expect("connects");
        s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        s.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
        s
    }

    /// Sends `request` as it is and reads the whole response.
    fn raw(&self, request: &str) -> Response {
        let mut s = self.connect();
        s.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes)
            .expect("the response arrives in time");
        parse(&bytes)
    }

    fn request(&self, method: &str, target: &str) -> Response {
        self.raw(&format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        ))
    }

    fn get(&self, target: &str) -> Response {
        self.request("GET", target)
    }

    /// The state of the last build, from `/__annals/errors`.
    fn state(&self) -> serde_json::Value {
        let r = self.get("/__annals/errors");
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("application/json"));
        serde_json::from_slice(&r.body).unwrap()
    }
}

fn parse(bytes: &[u8]) -> Response {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(bytes)));
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = bytes[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..i]).unwrap().trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[i + 2..i + 2 + size]);
        data = &data[i + 2 + size + 2..];
    }
    out
}

/// An open `/__annals/events` stream.
struct Events {
    stream: TcpStream,
    buf: String,
}

impl Events {
    fn open(server: &Server) -> Events {
        let mut stream = server.connect();
        write!(
            stream,
            "GET /__annals/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAccept: text/event-stream\r\n\r\n",
            server.port
        )
        .unwrap();
        Events {
            stream,
            buf: String::new(),
        }
    }

    /// The data of the next `state` event.
    fn next(&mut self) -> serde_json::Value {
        let start = Instant::now();
        loop {
            if let Some(i) = self.buf.find("data: ")
                && let Some(end) = self.buf[i..].find('\n')
            {
                let data = self.buf[i + 6..i + end].to_string();
                self.buf.drain(..i + end);
                return serde_json::from_str(&data).unwrap();
            }
            assert!(start.elapsed() < DEADLINE, "no event in:\n{}", self.buf);
            let mut chunk = [0u8; 4096];
            let n = self
                .stream
                .read(&mut chunk)
                .expect("an event arrives in time");
            assert!(n > 0, "the event stream closed:\n{}", self.buf);
            self.buf.push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    }
}

const ENTRY: &str = "content/entries/moratorium-2003.md";
const ENTRY_URL: &str = "/entries/moratorium-2003/";

fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.path(rel)).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    site.write(rel, text.replace(from, to));
}

#[test]
fn serves_the_site_from_memory() {
    let site = Site::fixture("basic");
    // The port asked for is taken: the next free one is used, and said.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let asked = taken.local_addr().unwrap().port();
    let server = Server::start(&site, &["--port", &asked.to_string()]);
    assert_ne!(server.port, asked);
    assert!(
        server.stderr().contains(&format!("port {asked} is taken")),
        "{}",
        server.stderr()
    );

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = home.text();
    // Built with the serving address as its base URL, and with the live-reload script.
    assert!(
        html.contains(&format!(
            "<link rel=\"canonical\" href=\"{}\">",
            server.base()
        )),
        "{html}"
    );
    let script = "<script src=\"/__annals/live.js\" data-annals-site=\"";
    assert!(html.contains(script));
    assert!(html.find(script).unwrap() < html.rfind("</body>").unwrap());

    let entry = server.get(ENTRY_URL);
    assert_eq!(entry.status, 200);
    assert!(entry.text().contains("Moratorium on executions"));

    // A directory without its slash is redirected, query and all.
    let r = server.get("/entries/moratorium-2003?from=feed");
    assert_eq!(r.status, 301);
    assert_eq!(
        r.header("location"),
        Some("/entries/moratorium-2003/?from=feed")
    );

    for (path, ty) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/timeline.json", "application/json"),
        ("/timeline.csv", "text/csv; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/__annals/live.js", "text/javascript; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ty), "{path}");
    }

    // The site's own 404 page, with status 404; no directory listings; drafts stay out.
    let not_found = server.get("/no/such/page/");
    assert_eq!(not_found.status, 404);
    assert_eq!(not_found.text(), server.get("/404.html").text());
    assert!(not_found.text().contains("<html"));
    for path in [
        "/entries/",
        "/entries",
        "/missing.css",
        "/entries/draft-2022/",
    ] {
        assert_eq!(server.get(path).status, 404, "{path}");
    }

    let head = server.request("HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let post = server.request("POST", "/");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));

    // Nothing was written into the site.
    assert!(!site.path("public").exists());

    // What is served is exactly what `annals build` writes with the same base URL, plus the
    // script in HTML; and the build has no script.
    site.build_ok(&["--base-url", &server.base()]);
    let built = snapshot(&site.path("public"));
    assert!(built.len() > 20);
    for (rel, bytes) in &built {
        if rel == ".annals-output" {
            continue;
        }
        let served = server.get(&format!("/{rel}"));
        assert_eq!(served.status, 200, "{rel}");
        let mut body = served.text();
        if rel.ends_with(".html") {
            assert!(
                !String::from_utf8_lossy(bytes).contains("__annals"),
                "{rel}"
            );
            let start = body.find(script).unwrap();
            let end = start + body[start..].find("</script>\n").unwrap() + "</script>\n".len();
            body.replace_range(start..end, "");
        }
        assert_eq!(body.as_bytes(), &bytes[..], "{rel} differs from the build");
    }
    drop(taken);

    // With --drafts, drafts are served.
    let drafts = Server::start(&site, &["--drafts"]);
    assert_eq!(drafts.get("/entries/draft-2022/").status, 200);
}

#[test]
fn refuses_paths_outside_the_site() {
    let site = Site::fixture("basic");
    let secret = site.root.parent().unwrap().join("secret.txt");
    std::fs::write(&secret, "TOP SECRET").unwrap();
    site.write("static/notes/ok.txt", "fine");
    let server = Server::start(&site, &[]);
    assert_eq!(server.get("/notes/ok.txt").text(), "fine");

    let abs = secret.to_str().unwrap().to_string();
    let encoded_abs = abs.replace('/', "%2F");
    let targets = [
        "/../secret.txt".to_string(),
        "/notes/../../secret.txt".to_string(),
        "/%2e%2e/secret.txt".to_string(),
        "/%2e%2e%2fsecret.txt".to_string(),
        "/%2E%2E%2Fsecret.txt".to_string(),
        "/..%2fsecret.txt".to_string(),
        "/.%2e/secret.txt".to_string(),
        "/notes/%2e%2e%2f%2e%2e%2fsecret.txt".to_string(),
        "/..%5csecret.txt".to_string(),
        "/notes/..%5C..%5Csecret.txt".to_string(),
        "/..\\secret.txt".to_string(),
        "/notes\\..\\..\\secret.txt".to_string(),
        format!("/{abs}"),
        format!("/{encoded_abs}"),
        format!("/%2F{}", &abs[1..]),
        "/C:/Windows/win.ini".to_string(),
        "/./index.html".to_string(),
        "/notes//ok.txt".to_string(),
        "/%2e%2e".to_string(),
        "/a%00b".to_string(),
        "/%zz".to_string(),
        format!("http://127.0.0.1:{}/../secret.txt", server.port),
        format!("http://127.0.0.1:{}/%2e%2e/secret.txt", server.port),
    ];
    for target in &targets {
        for method in ["GET", "HEAD"] {
            let r = server.request(method, target);
            assert_eq!(r.status, 400, "{method} {target} was not refused");
            assert!(!r.text().contains("TOP SECRET"), "{target} leaked");
        }
    }
    // The server still serves after all that.
    assert_eq!(server.get("/").status, 200);
}

/// A save shows on the page, and open pages hear of a new site; returns the state after
/// the full rebuild.
fn a_save_is_served(
    site: &Site,
    server: &Server,
    events: &mut Events,
    first: &serde_json::Value,
) -> serde_json::Value {
    let first_site = first["site"].as_str().unwrap();
    edit(
        site,
        ENTRY,
        "Moratorium on executions",
        "Moratorium, as edited",
    );
    wait_until("the edit to be served", || {
        server
            .get(ENTRY_URL)
            .text()
            .contains("Moratorium, as edited")
    });
    // The edited entry's page is served first on its own ("Updated …"), then the full
    // rebuild follows; the first event names only that page as changed.
    let quick = events.next();
    assert_eq!(quick["ok"], true);
    assert_ne!(quick["site"], first_site);
    assert_eq!(quick["previous"], first_site);
    assert_eq!(
        quick["changed"],
        serde_json::json!(["entries/moratorium-2003/index.html"])
    );
    wait_until("the fast path to be reported", || {
        server
            .stdout()
            .contains("Updated /entries/moratorium-2003/ in")
    });
    let after_edit = events.next();
    assert_eq!(after_edit["ok"], true);
    assert_eq!(after_edit["previous"], quick["site"]);
    let changed = after_edit["changed"].as_array().unwrap();
    assert!(
        changed.iter().any(|p| p == "index.html"),
        "the timeline shows the new title"
    );
    assert!(
        !changed
            .iter()
            .any(|p| p == "entries/moratorium-2003/index.html"),
        "already served"
    );
    after_edit
}

/// A broken save: the last good page stays, the problem is in the terminal and in the
/// overlay data, with its file, line and column.
fn a_broken_save_is_shown(
    site: &Site,
    server: &Server,
    events: &mut Events,
    after_edit: &serde_json::Value,
) {
    edit(
        site,
        ENTRY,
        "themes: [death-penalty]",
        "themes: [death-penalti]",
    );
    wait_until("the error to be reported", || server.state()["ok"] == false);
    let state = server.state();
    let problem = state["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "unknown-theme")
        .unwrap_or_else(|| panic!("no unknown-theme problem in {state}"));
    assert_eq!(problem["file"], ENTRY);
    assert_eq!(problem["line"], 6);
    assert_eq!(problem["column"], 10);
    assert_eq!(problem["severity"], "error");
    // The overlay shows the snippet as `check` prints it, caret and all.
    let rendered = problem["rendered"].as_str().unwrap();
    assert!(
        rendered.contains(&format!("--> {ENTRY}:6:10"))
            && rendered.contains("6 | themes: [death-penalti]")
            && rendered.contains("^^^^^^^^^^^^^"),
        "{rendered}"
    );
    assert_eq!(state["summary"], "1 problem found");
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("death-penalti")
    );
    let broken = events.next();
    assert_eq!(broken["ok"], false);
    assert_eq!(broken["site"], after_edit["site"]);
    let page = server.get(ENTRY_URL);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Moratorium, as edited"));
    wait_until("the terminal to show the problem", || {
        server.stderr().contains(&format!("--> {ENTRY}:6:10"))
    });
    assert!(server.stderr().contains("error[unknown-theme]"));
}

/// Editors' temporary files do not count, and the fix clears the problems and serves the
/// new page.
fn temporary_files_are_not_rebuilt_and_the_fix_is(site: &Site, server: &Server) {
    // Written before the fix, the temporary files reach the watcher first: a rebuild for
    // them would come before the fix's, or the fix's would name them ("… and 3 others
    // changed"). No sleep: the fix's rebuild is the event that ends the wait.
    let seen = server.stdout().len();
    site.write("content/entries/.moratorium-2003.md.swp", "junk");
    site.write("content/entries/moratorium-2003.md~", "junk");
    site.write("content/entries/.#moratorium-2003.md", "junk");

    let text = std::fs::read_to_string(site.path(ENTRY)).unwrap();
    site.write(
        ENTRY,
        text.replace("themes: [death-penalti]", "themes: [death-penalty]")
            .replace("Moratorium, as edited", "Moratorium, fixed"),
    );
    wait_until("the fix to be served", || {
        server.get(ENTRY_URL).text().contains("Moratorium, fixed")
    });
    wait_until("the fix's full rebuild", || {
        server.stdout()[seen..].contains("Built ")
    });
    let since = server.stdout()[seen..].to_string();
    let rebuilds: Vec<&str> = since
        .lines()
        .filter(|l| l.ends_with("; rebuilding"))
        .collect();
    assert_eq!(
        rebuilds,
        [format!("{ENTRY} changed; rebuilding")],
        "temporary files caused rebuilds:\n{since}"
    );
    assert_eq!(server.state()["ok"], true);
    assert_eq!(server.state()["problems"], serde_json::json!([]));
}

#[test]
fn rebuilds_after_a_save_and_recovers_from_a_broken_one() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let mut events = Events::open(&server);
    let first = events.next();
    assert_eq!(first["ok"], true);
    assert!(
        server
            .get(ENTRY_URL)
            .text()
            .contains("Moratorium on executions")
    );

    let after_edit = a_save_is_served(&site, &server, &mut events, &first);
    a_broken_save_is_shown(&site, &server, &mut events, &after_edit);
    temporary_files_are_not_rebuilt_and_the_fix_is(&site, &server);

    // A new entry appears, and goes when its file does.
    let new_entry = "content/entries/new-2024.md";
    let text = std::fs::read_to_string(site.path(ENTRY)).unwrap();
    site.write(
        new_entry,
        text.replace("Moratorium, fixed", "A new entry")
            .replace("related: [ratification-2021]\n", ""),
    );
    wait_until("the new entry", || {
        server.get("/entries/new-2024/").status == 200
    });
    site.remove(new_entry);
    wait_until("the removed entry to go", || {
        server.get("/entries/new-2024/").status == 404
    });
    assert!(!site.path("public").exists());
}

#[test]
fn starts_on_a_broken_site_and_serves_it_once_fixed() {
    let site = Site::fixture("basic");
    edit(
        &site,
        ENTRY,
        "date: 2003-12-17\nstatus",
        "date: 2003-13-17\nstatus",
    );
    let server = Server::start(&site, &[]);
    let r = server.get("/");
    assert_eq!(r.status, 503);
    assert!(r.text().contains("/__annals/live.js"));
    let state = server.state();
    assert_eq!(state["ok"], false);
    assert!(
        state["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["file"] == ENTRY && p["line"] == 3),
        "{state}"
    );
    edit(&site, ENTRY, "date: 2003-13-17", "date: 2003-12-17");
    wait_until("the site to build", || server.get("/").status == 200);
    assert_eq!(server.get(ENTRY_URL).status, 200);
    assert_eq!(server.state()["ok"], true);
}

#[cfg(unix)]
#[test]
fn a_rebuild_that_fails_on_io_is_shown_as_such() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    assert_eq!(server.state()["ok"], true);
    // A static file that cannot be read (a dangling link): not a problem of a source file,
    // but a fatal I/O error, labelled by its kind, in the same shape as any diagnostic.
    std::fs::create_dir_all(site.path("static")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/annals-test", site.path("static/broken.css")).unwrap();
    wait_until("the failure to be reported", || {
        server.state()["ok"] == false
    });
    let state = server.state();
    let problems = state["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{state}");
    let p = &problems[0];
    assert_eq!(p["code"], "io");
    assert_eq!(p["file"], serde_json::Value::Null);
    let message = p["message"].as_str().unwrap();
    assert!(
        message.starts_with("cannot read ") && message.contains("broken.css"),
        "{message}"
    );
    assert!(
        p["rendered"]
            .as_str()
            .unwrap()
            .starts_with("error[io]: cannot read "),
        "{p}"
    );
    assert_eq!(state["summary"], "1 problem found");
    wait_until("the terminal to show it", || {
        server.stderr().contains("error: cannot read ")
    });
    // The last good site is still served, and the fix brings the state back.
    assert_eq!(server.get(ENTRY_URL).status, 200);
    site.remove("static/broken.css");
    wait_until("the fix", || server.state()["ok"] == true);
    assert_eq!(server.state()["summary"], serde_json::Value::Null);
}

#[cfg(unix)]
#[test]
fn stops_cleanly_on_ctrl_c_with_pages_open() {
    let site = Site::fixture("basic");
    let mut server = Server::start(&site, &[]);
    let mut events = Events::open(&server);
    events.next();
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    let code = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status.code();
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "annals serve did not stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(code, Some(0), "{}", server.stderr());
    wait_until("the last line", || server.stdout().contains("Stopped."));
}

#[test]
fn keeps_rebuilding_when_stdout_is_closed() {
    let site = Site::fixture("basic");
    let mut server = Server::start_without_stdout(&site, false);
    assert!(
        server
            .get(ENTRY_URL)
            .text()
            .contains("Moratorium on executions")
    );
    // Every rebuild prints lines that cannot be written; the preview follows each save.
    for round in ["first", "second"] {
        edit(
            &site,
            ENTRY,
            "Moratorium on executions",
            &format!("Moratorium on executions, {round} save"),
        );
        wait_until("the save to be served", || {
            server
                .get(ENTRY_URL)
                .text()
                .contains(&format!("{round} save"))
        });
        edit(
            &site,
            ENTRY,
            &format!("Moratorium on executions, {round} save"),
            "Moratorium on executions",
        );
    }
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server stopped"
    );
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
    drop(server);

    // With stderr on a full disk too: a broken save prints its problems there, and the next
    // save is still served.
    #[cfg(target_os = "linux")]
    {
        let mut server = Server::start_without_stdout(&site, true);
        edit(&site, ENTRY, "date: 2003-12-17", "date: 2003-13-17");
        wait_until("the error to be reported", || server.state()["ok"] == false);
        edit(&site, ENTRY, "date: 2003-13-17", "date: 2003-12-17");
        edit(
            &site,
            ENTRY,
            "Moratorium on executions",
            "Moratorium, fixed",
        );
        wait_served(&server, ENTRY_URL, "Moratorium, fixed");
        assert_eq!(server.state()["ok"], true);
        assert!(
            server.child.try_wait().unwrap().is_none(),
            "the server stopped"
        );
    }
}

/// A request as a browser sends it, with `host_lines` (each `Host: …\r\n`, or none).
fn with_host(server: &Server, target: &str, host_lines: &str) -> Response {
    server.raw(&format!(
        "GET {target} HTTP/1.1\r\n{host_lines}Accept: */*\r\nConnection: close\r\n\r\n"
    ))
}

/// Asserts that every route refuses the request with a 403 that names `refused`.
fn assert_refused(server: &Server, host_lines: &str, refused: &str) {
    for target in [
        "/",
        ENTRY_URL,
        "/entries/draft-2022/",
        "/style.css",
        "/no/such/page/",
        "/../secret",
        "/__annals/errors",
        "/__annals/events",
        "/__annals/live.js",
    ] {
        let r = with_host(server, target, host_lines);
        assert_eq!(r.status, 403, "{host_lines:?} {target} was answered");
        assert_eq!(r.header("content-type"), Some("text/plain; charset=utf-8"));
        let text = r.text();
        assert!(text.contains(refused), "{host_lines:?} {target}: {text}");
        assert!(!text.contains("Moratorium") && !text.contains("problems"));
    }
}

#[test]
fn answers_only_requests_for_its_own_host() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &["--drafts"]);
    let port = server.port;
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("EVIL.example:{port}"),
        "127.0.0.2".to_string(),
        format!("[::2]:{port}"),
        format!("0.0.0.0:{port}"),
        "localhost.".to_string(),
        "".to_string(),
        format!("localhost:{port}@evil.example"),
    ] {
        assert_refused(
            &server,
            &format!("Host: {host}\r\n"),
            &format!("refused a request for the host `{host}`"),
        );
    }
    // No Host (HTTP/1.1 requires one), two of them, or an absolute target for another.
    assert_refused(&server, "", "without a Host header");
    let two = format!("Host: 127.0.0.1:{port}\r\nHost: evil.example\r\n");
    assert_refused(&server, &two, "more than one Host header");
    let absolute = server.raw(&format!(
        "GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(absolute.status, 403);

    let refused = with_host(&server, "/__annals/errors", "Host: evil.example\r\n");
    golden("serve/forbidden_host", &refused.text());
    golden(
        "serve/forbidden_no_host",
        &with_host(&server, "/", "").text(),
    );

    // Its own names, in any case, with its port or another (a forwarded one) or none.
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("localhost:{port}"),
        "LocalHost".to_string(),
        "localhost:8080".to_string(),
        format!("[::1]:{port}"),
        "[::1]".to_string(),
    ] {
        let r = with_host(&server, ENTRY_URL, &format!("Host: {host}\r\n"));
        assert_eq!(r.status, 200, "{host} was refused: {}", r.text());
        assert!(r.text().contains("Moratorium on executions"));
    }
    // HTTP/1.0 has no Host to require (and no browser sends a request without one).
    let old = server.raw("GET /__annals/errors HTTP/1.0\r\n\r\n");
    assert_eq!(old.status, 200);
    // The live-reload stream still works for the page's own host.
    let mut events = Events::open(&server);
    assert_eq!(events.next()["ok"], true);
}

#[test]
fn bound_to_every_interface_it_accepts_ip_addresses_and_allowed_names() {
    let site = Site::fixture("basic");
    let server = Server::start(
        &site,
        &["--bind", "0.0.0.0", "--allow-host", "Preview.Example"],
    );
    let port = server.port;
    for host in [
        format!("192.168.1.7:{port}"),
        "10.0.0.1".to_string(),
        format!("[fe80::1]:{port}"),
        format!("preview.example:{port}"),
        "PREVIEW.EXAMPLE".to_string(),
        format!("localhost:{port}"),
    ] {
        let r = with_host(&server, "/__annals/errors", &format!("Host: {host}\r\n"));
        assert_eq!(r.status, 200, "{host} was refused: {}", r.text());
    }
    for host in ["evil.example", "preview.example.evil.example", "[::1"] {
        assert_refused(&server, &format!("Host: {host}\r\n"), host);
    }
    let text = with_host(&server, "/", "Host: laptop.local\r\n").text();
    assert!(
        text.contains("any IP address of this machine and preview.example"),
        "{text}"
    );
    assert!(text.contains("--allow-host laptop.local"), "{text}");
    // A name that is not one is refused before the server starts.
    let r = crate::util::run(&["serve", "--allow-host", "evil.example:80", "--root", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not a host name"), "{}", r.stderr);
}

/// `cp -r from to`.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Waits until `target` is served with `text` in it.
fn wait_served(server: &Server, target: &str, text: &str) {
    wait_until(&format!("{target} to show `{text}`"), || {
        server.get(target).text().contains(text)
    });
}

#[test]
fn follows_a_replaced_content_folder() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let rename = |from: &str, to: &str| std::fs::rename(site.path(from), site.path(to)).unwrap();

    // `mv content old; mv new content`, then a save in the new folder.
    copy_tree(&site.path("content"), &site.path("new"));
    edit(
        &site,
        "new/entries/moratorium-2003.md",
        "Moratorium on",
        "Moved in on",
    );
    rename("content", "old");
    rename("new", "content");
    wait_served(&server, ENTRY_URL, "Moved in on executions");
    edit(&site, ENTRY, "Moved in on", "Saved after mv on");
    wait_served(&server, ENTRY_URL, "Saved after mv on executions");
    // The folder moved away is no longer the site.
    edit(
        &site,
        "old/entries/moratorium-2003.md",
        "Moratorium on",
        "Stale on",
    );
    edit(&site, ENTRY, "Saved after mv on", "Saved again on");
    wait_served(&server, ENTRY_URL, "Saved again on executions");
    assert!(!server.get(ENTRY_URL).text().contains("Stale"));

    // `rm -rf content; cp -r backup content`, then a save.
    edit(
        &site,
        "old/entries/moratorium-2003.md",
        "Stale on",
        "Restored on",
    );
    std::fs::remove_dir_all(site.path("content")).unwrap();
    copy_tree(&site.path("old"), &site.path("content"));
    wait_served(&server, ENTRY_URL, "Restored on executions");
    edit(&site, ENTRY, "Restored on", "Saved after cp on");
    wait_served(&server, ENTRY_URL, "Saved after cp on executions");

    // Both again, each within one debounce of the other, then a save.
    std::fs::remove_dir_all(site.path("content")).unwrap();
    copy_tree(&site.path("old"), &site.path("content"));
    rename("content", "older");
    rename("old", "content");
    edit(&site, ENTRY, "Restored on", "Saved at last on");
    wait_served(&server, ENTRY_URL, "Saved at last on executions");
}

#[test]
fn follows_templates_static_and_site_yaml_appearing_and_replaced() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let rename = |from: &str, to: &str| std::fs::rename(site.path(from), site.path(to)).unwrap();
    let page =
        |v: &str| format!("<!DOCTYPE html>\n<html><body><p>custom 404 {v}</p></body></html>\n");

    // templates/ appears (by rename), is saved, replaced, removed and made again.
    site.write("t1/404.html", page("v1"));
    rename("t1", "templates");
    wait_served(&server, "/404.html", "custom 404 v1");
    site.write("templates/404.html", page("v2"));
    wait_served(&server, "/404.html", "custom 404 v2");
    site.write("t3/404.html", page("v3"));
    rename("templates", "t2");
    rename("t3", "templates");
    wait_served(&server, "/404.html", "custom 404 v3");
    site.write("templates/404.html", page("v4"));
    wait_served(&server, "/404.html", "custom 404 v4");
    std::fs::remove_dir_all(site.path("templates")).unwrap();
    wait_until("the default 404 page", || {
        !server.get("/404.html").text().contains("custom 404")
    });
    site.write("templates/404.html", page("v5"));
    wait_served(&server, "/404.html", "custom 404 v5");
    site.write("templates/404.html", page("v6"));
    wait_served(&server, "/404.html", "custom 404 v6");

    // static/ likewise.
    site.write("static/note.txt", "s1");
    wait_served(&server, "/note.txt", "s1");
    site.write("static/note.txt", "s2");
    wait_served(&server, "/note.txt", "s2");
    site.write("s3/note.txt", "s3");
    rename("static", "s2");
    rename("s3", "static");
    wait_served(&server, "/note.txt", "s3");
    site.write("static/note.txt", "s4");
    wait_served(&server, "/note.txt", "s4");
    std::fs::remove_dir_all(site.path("static")).unwrap();
    wait_until("the note to go", || server.get("/note.txt").status == 404);
    copy_tree(&site.path("s2"), &site.path("static"));
    wait_served(&server, "/note.txt", "s2");
    site.write("static/note.txt", "s5");
    wait_served(&server, "/note.txt", "s5");

    // site.yaml saved as editors do: a temporary file renamed over it, twice.
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    for title in ["Renamed chronicle", "Renamed again"] {
        site.write(".site.yaml.tmp", yaml.replace("Fixture chronicle", title));
        rename(".site.yaml.tmp", "site.yaml");
        wait_served(&server, "/", title);
    }
}

/// Warnings do not stop the preview, but `/__annals/errors` lists them (`ok` stays true:
/// the build had no error).
#[test]
fn the_state_lists_warnings_of_a_good_build() {
    let site = Site::fixture("basic");
    site.write(
        "content/entries/todo.md",
        "---\ntitle: \"Placeholder\"\ndate: 2021\nstatus: signed\ninstrument: law\nthemes: [ombudsman]\nsummary: \"TODO: say what happened.\"\nsources:\n  - title: \"S\"\n    url: \"https://example.org/s\"\n---\nText.\n",
    );
    let server = Server::start(&site, &[]);
    assert_eq!(server.get("/").status, 200);
    let state = server.state();
    assert_eq!(state["ok"], true, "{state}");
    let problems = state["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{state}");
    assert_eq!(problems[0]["code"], "placeholder");
    assert_eq!(problems[0]["severity"], "warning");
    assert_eq!(problems[0]["file"], "content/entries/todo.md");
    assert_eq!(state["summary"], "1 warning");
}
