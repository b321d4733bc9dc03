// End-to-end tests of a built chronicle in a real browser: Debian's chromium driven by
// playwright-core, pages served on 127.0.0.1 by a tiny static server, accessibility checked
// with axe-core. Usage: node run.mjs <site-dir> <port>   (see README "Testing in a browser").
// Prints one line per check and ends with "N passed, M failed"; screenshots of failures go
// to target/e2e/.
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { readFile, stat, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const [siteDir, portArg] = process.argv.slice(2);
if (!siteDir) {
  console.error("usage: node run.mjs <site-dir> [port]");
  process.exit(2);
}
const port = Number(portArg || 8791);
const base = `http://127.0.0.1:${port}/`;
const shots = path.resolve(new URL(".", import.meta.url).pathname, "../../target/e2e");
const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".xml": "application/xml", ".csv": "text/csv", ".txt": "text/plain",
  ".svg": "image/svg+xml",
};
const server = createServer(async (req, res) => {
  try {
    let p = decodeURIComponent(new URL(req.url, base).pathname);
    if (p.includes("..")) throw new Error("traversal");
    let file = path.join(siteDir, p);
    if ((await stat(file).catch(() => null))?.isDirectory()) file = path.join(file, "index.html");
    const body = await readFile(file);
    res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
    res.end(await readFile(path.join(siteDir, "404.html")).catch(() => "not found"));
  }
});
await new Promise((ok) => server.listen(port, "127.0.0.1", ok));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
let passed = 0, failed = 0;
const started = Date.now();

async function check(name, fn, { expect404 = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    if (expect404 && /status of 404/.test(m.text())) return;
    errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await fn(page);
    if (errors.length) throw new Error("console errors: " + errors.join(" | "));
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
    await mkdir(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, name.replace(/[^a-z0-9]+/gi, "-") + ".png"), fullPage: true }).catch(() => {});
  } finally {
    await context.close();
  }
}

function assert(cond, msg) { if (!cond) throw new Error(msg); }

// One page of each type.
const pageTypes = {
  timeline: "",
  entry: null, // found from the timeline
  themes: "themes/",
  theme: null,
  year: null,
  page: null,
  search: "search/?q=torture",
  threads: "threads/",
  thread: "threads/death-penalty-abolition/",
  notFound: "no/such/page/",
};

await check("timeline opens, links to entries, themes and years", async (page) => {
  const r = await page.goto(base);
  assert(r.ok(), "status " + r.status());
  assert((await page.locator("h1").count()) === 1, "one h1");
  assert(await page.locator("html[lang]").count() === 1, "lang on html");
  const cards = await page.locator(".entry-card").count();
  assert(cards > 10, `only ${cards} entries`);
  pageTypes.entry = await page.locator(".entry-card-title a").first().getAttribute("href");
  pageTypes.theme = await page.locator(".entry-card .tags a").first().getAttribute("href");
  pageTypes.year = await page.locator(".year-nav a").first().getAttribute("href");
  pageTypes.page = await page.locator(".site-nav a").last().getAttribute("href");
  assert(await page.locator("svg.timeline-svg a").count() > 10, "overview markers");
});

await check("clicking an entry opens it, with sources", async (page) => {
  await page.goto(base);
  const link = page.locator(".entry-card-title a").nth(2);
  const title = (await link.textContent()).trim();
  await link.click();
  await page.waitForLoadState();
  assert((await page.locator("h1").textContent()).trim() === title, "entry title");
  assert(await page.locator("#_entry-sources + ol a[href^='http']").count() >= 1, "a source link");
  assert(await page.locator("time[datetime]").count() >= 1, "a time element");
});

await check("following a theme lists its entries", async (page) => {
  await page.goto(base);
  const tag = page.locator(".entry-card .tags a").first();
  const name = (await tag.textContent()).trim();
  await tag.click();
  await page.waitForLoadState();
  assert((await page.locator("h1").textContent()).trim() === name, "theme heading");
  const n = await page.locator(".entry-card").count();
  assert(n >= 1, "theme has entries");
  for (const t of await page.locator(".entry-card").all()) {
    assert((await t.locator(".tags").textContent()).includes(name), "every entry carries the theme");
  }
});

await check("search for torture finds entries", async (page) => {
  await page.goto(base + "search/");
  await page.fill("#_q", "tortu");
  await page.press("#_q", "Enter");
  await page.waitForSelector("#_results li", { timeout: 5000 });
  const n = await page.locator("#_results li").count();
  assert(n >= 3, `only ${n} results`);
  const text = await page.locator("#_results").textContent();
  assert(/torture/i.test(text), "results mention torture");
  assert(page.url().includes("q=tortu"), "query kept in the URL");
  // Ranked, with the matching words marked, and facet values counted.
  assert(/tortur/i.test(await page.locator("#_results li h2").first().textContent()), "the best match first");
  assert((await page.locator("#_results mark").count()) > 0, "matching words marked");
  assert(/\(\d+\)$/.test(await page.locator("#_f-theme option").nth(1).textContent()), "facet values carry counts");
  await page.selectOption("#_sort", "oldest");
  await page.waitForTimeout(300);
  assert(page.url().includes("sort=oldest"), "sort kept in the URL");
  await page.selectOption("#_sort", "relevance");
  await page.waitForTimeout(300);
  // A facet narrows the results.
  await page.click(".facets summary");
  await page.selectOption("#_f-status", "in-force");
  await page.waitForTimeout(300);
  const m = await page.locator("#_results li").count();
  assert(m < n, `facet did not narrow (${m} of ${n})`);
});

await check("search folds Cyrillic case", async (page) => {
  await page.goto(base + "search/?q=ЗАКОН");
  await page.waitForSelector("#_search-status:not(:empty)", { timeout: 5000 });
  const status = await page.locator("#_search-status").textContent();
  assert(!/could not be loaded/.test(status), status);
});

await check("a theme filter hides other entries and stays in the URL", async (page) => {
  await page.goto(base);
  const before = await page.locator(".entry-card:visible").count();
  await page.click("#_filters-box summary");
  await page.check('input[name="theme"][value="torture"]');
  await page.waitForTimeout(100);
  const after = await page.locator(".entry-card:visible").count();
  assert(after > 0 && after < before, `filter: ${after} of ${before}`);
  assert(page.url().includes("theme=torture"), "filter in URL: " + page.url());
  await page.goto(base + "?theme=torture");
  assert((await page.locator(".entry-card:visible").count()) === after, "shared URL gives the same view");
});

for (const [kind, rel] of Object.entries(pageTypes)) {
  await check(`axe: ${kind} page has no serious or critical violations`, async (page) => {
    assert(rel !== null, "page not found on the timeline");
    const url = rel.startsWith("http") ? rel : base + rel;
    await page.goto(url);
    if (kind === "search") await page.waitForSelector("#_results li", { timeout: 5000 });
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert(bad.length === 0, bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`).join("; "));
  }, { expect404: kind === "notFound" });
  await check(`no horizontal overflow at 390 px: ${kind}`, async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const url = rel.startsWith("http") ? rel : base + rel;
    await page.goto(url);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert(over <= 0, `page is ${over}px wider than the screen`);
  }, { expect404: kind === "notFound" });
}

await check("the 404 page answers with status 404", async (page) => {
  const r = await page.goto(base + "no/such/page/");
  assert(r.status() === 404, "status " + r.status());
  assert((await page.locator("h1").textContent()).includes("not found"), "404 heading");
}, { expect404: true });

const noJs = await browser.newContext({ javaScriptEnabled: false });
try {
  const page = await noJs.newPage();
  await page.goto(base);
  const cards = await page.locator(".entry-card").count();
  const hiddenFilters = await page.locator("#_filters-box").isHidden();
  await page.goto(base + "search/");
  const noscript = await page.content();
  if (cards > 10 && hiddenFilters && noscript.includes("Search needs JavaScript")) {
    passed++;
    console.log("ok   without JavaScript: timeline readable, filters hidden, search explains itself");
  } else {
    failed++;
    console.log(`FAIL without JavaScript: cards=${cards} filtersHidden=${hiddenFilters}`);
  }
} finally {
  await noJs.close();
}

await browser.close();
server.close();
console.log(`e2e finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
