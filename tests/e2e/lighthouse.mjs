// Lighthouse 12 on a built chronicle with Debian's chromium, served gzip-compressed as a
// static host would. Lighthouse is not a dependency of this folder (it is large); install
// it anywhere and pass its executable:
//   npm install --prefix /tmp/lh lighthouse@12
//   node tests/e2e/lighthouse.mjs target/e2e-site 8791 /tmp/lh/node_modules/.bin/lighthouse
// The site must be built with --base-url http://127.0.0.1:<port>/. Prints the four scores of
// the home, an entry and the search page (mobile, simulated throttling, Lighthouse's
// defaults) and writes each report to target/lighthouse/.
import { createServer } from "node:http";
import { readFile, stat, mkdir, readdir } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { execFile } from "node:child_process";
import path from "node:path";

const [siteDir, portArg, lighthouse] = process.argv.slice(2);
if (!siteDir || !lighthouse) {
  console.error("usage: node lighthouse.mjs <site-dir> <port> <lighthouse-executable>");
  process.exit(2);
}
const port = Number(portArg || 8791);
const base = `http://127.0.0.1:${port}/`;
const out = path.resolve(new URL(".", import.meta.url).pathname, "../../target/lighthouse");
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json" };
const server = createServer(async (req, res) => {
  let file = path.join(siteDir, decodeURIComponent(new URL(req.url, base).pathname));
  let status = 200;
  if ((await stat(file).catch(() => null))?.isDirectory()) file = path.join(file, "index.html");
  let body = await readFile(file).catch(() => null);
  if (!body) { status = 404; file = path.join(siteDir, "404.html"); body = await readFile(file); }
  res.writeHead(status, { "content-type": types[path.extname(file)] || "application/octet-stream", "content-encoding": "gzip", "cache-control": "max-age=3600" });
  res.end(gzipSync(body));
});
await new Promise((ok) => server.listen(port, "127.0.0.1", ok));
await mkdir(out, { recursive: true });
const entries = await readdir(path.join(siteDir, "entries"));
const pages = { home: "", entry: `entries/${entries.sort()[0]}/`, search: "search/?q=torture" };
for (const [name, rel] of Object.entries(pages)) {
  const report = path.join(out, `${name}.json`);
  // Asynchronously: this process serves the pages Lighthouse loads.
  await new Promise((ok, fail) => {
    execFile(lighthouse, [base + rel, "--quiet", "--output=json", `--output-path=${report}`,
      "--only-categories=performance,accessibility,best-practices,seo",
      "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
      { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM || "/usr/bin/chromium" } },
      (e, _out, err) => (e ? fail(new Error(err || e.message)) : ok()));
  });
  const r = JSON.parse(await readFile(report, "utf8"));
  console.log(`${name.padEnd(7)} ${Object.values(r.categories).map((c) => `${c.title} ${Math.round(c.score * 100)}`).join(" · ")}`);
}
server.close();
