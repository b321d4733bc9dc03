// The JSON Schema of timeline.json (src/render/timeline.schema.json, written beside every
// timeline.json), compiled by ajv in strict mode, and a real timeline.json validated
// against it. tests/testsuite/schema.rs runs the same check with the jsonschema crate.
//
//   node tests/schema/timeline.mjs target/e2e-site/timeline.json   (after `npm ci` in tests/e2e)
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(new URL("../e2e/package.json", import.meta.url));
const Ajv2020 = require("ajv/dist/2020").default;

const path = process.argv[2];
if (!path) {
  console.error("usage: node tests/schema/timeline.mjs PATH/timeline.json");
  process.exit(2);
}
const schema = JSON.parse(readFileSync(new URL("../../src/render/timeline.schema.json", import.meta.url), "utf8"));
const data = JSON.parse(readFileSync(path, "utf8"));
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
if (!validate(data)) {
  for (const e of validate.errors) console.error(`${path}: ${e.instancePath || "/"} ${e.message}`);
  process.exit(1);
}
console.log(`ok: ${path} (${data.entries.length} entries) matches timeline.schema.json`);
