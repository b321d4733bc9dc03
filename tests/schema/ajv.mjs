// The JSON Schemas annals writes, compiled by ajv in strict mode (which refuses unknown
// keywords and loose types), and the cases of cases.json run through them: ajv must
// accept exactly the front matters the schema is meant to accept. cases.json and
// basic-site.schema.json (`annals schema` in tests/fixtures/basic) are written by
// tests/testsuite/schema.rs, which holds `annals check` to the same cases.
//
//   node tests/schema/ajv.mjs        (after `npm ci` in tests/e2e, where ajv is installed)
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(new URL("../e2e/package.json", import.meta.url));
const Ajv2020 = require("ajv/dist/2020").default;

const read = (path) => JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8"));
let failures = 0;

function compile(path) {
  try {
    return new Ajv2020({ strict: true, allErrors: true }).compile(read(path));
  } catch (e) {
    console.error(`${path} does not compile in strict mode: ${e.message}`);
    failures++;
    return null;
  }
}

compile("../../static/schema.json");
const site = compile("basic-site.schema.json");
const cases = read("cases.json");
if (site) {
  for (const c of cases) {
    const accepted = site(c.front_matter);
    if (accepted !== c.schema_accepts) {
      failures++;
      const errors = (site.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
      console.error(`${c.name}: ajv ${accepted ? "accepts" : "rejects"} it, expected the opposite ${errors.join("; ")}`);
    }
  }
}
if (failures > 0) {
  console.error(`ajv: ${failures} problem(s)`);
  process.exit(1);
}
console.log(`ajv: both schemas compile in strict mode; ${cases.length} cases as expected`);
