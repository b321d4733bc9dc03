// Runs queries through annals.js's search engine (the code the search page runs) on a
// built site, reading the index files from disk; prints one JSON line per query:
//   node tests/search/run.mjs SITE_DIR QUERIES_JSON
// QUERIES_JSON is a list of {q, sort?, theme?, status?, thread?, from?, to?}. Each line is
// {q, titles, snippets: [[text, marked] …] of the first page, counts: {theme|status|thread:
// {id: n}}, files: the index files read}. tests/testsuite/search.rs drives it.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const here = new URL(".", import.meta.url).pathname;
const { Engine, snippet, highlight } = require(join(here, "../../static/annals.js"));
const [site, queries] = process.argv.slice(2);

for (const query of JSON.parse(queries)) {
  const files = new Set();
  const engine = new Engine(async (path) => {
    files.add(path);
    return JSON.parse(readFileSync(join(site, "search", path), "utf8"));
  });
  const f = {
    theme: query.theme || "", status: query.status || "", thread: query.thread || "",
    from: query.from ?? NaN, to: query.to ?? NaN,
  };
  const r = await engine.query(query.q, f, query.sort || "relevance");
  const docs = await engine.docs(r.ids.slice(0, 20));
  const named = (list, counts) => Object.fromEntries(Object.entries(counts || {}).map(([k, n]) => [list[k].id, n]));
  console.log(JSON.stringify({
    q: query.q,
    titles: docs.map((d) => d[1]),
    title_marks: docs.map((d) => highlight(d[1], r.words).filter((s) => s.m).map((s) => s.t)),
    snippets: docs.map((d) => snippet(d, r.words).map((s) => [s.t, s.m])),
    counts: r.counts && {
      theme: named(r.meta.themes, r.counts.theme),
      status: named(r.meta.statuses, r.counts.status),
      thread: named(r.meta.threads, r.counts.thread),
    },
    files: [...files].sort(),
  }));
}
