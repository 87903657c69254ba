// Judges conformance cases with ajv, as a second JSON Schema validator independent of the
// `jsonschema` crate: draft 2020-12, strict mode, formats asserted by ajv-formats. Every schema
// under the schemas directory is registered under its `$id`, so references between files resolve
// offline, as they do for the crate.
//
// Usage: node ajv.mjs <schemas dir> <cases.json>
// cases.json: [{ "name": ..., "payload": ..., "schemas": ["envelope.schema.json", ...] }]
// Prints on stdout: [{ "name": ..., "verdicts": { "<schema path>": true | false } }]

import { readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [schemasDir, casesFile] = process.argv.slice(2);
if (!schemasDir || !casesFile) {
  console.error("usage: node ajv.mjs <schemas dir> <cases.json>");
  process.exit(2);
}

const docs = new Map();
for (const file of schemaFiles(schemasDir)) {
  docs.set(relative(schemasDir, file).split(sep).join("/"), JSON.parse(readFileSync(file, "utf8")));
}

const ajv = new Ajv2020({ strict: true });
addFormats(ajv);
// The schemas' `x-` annotations (`x-id-prefix`, `x-since`, ...) are keywords to strict mode.
const extensions = new Set();
for (const doc of docs.values()) collectExtensions(doc, extensions);
ajv.addVocabulary([...extensions]);
for (const doc of docs.values()) ajv.addSchema(doc);

const validators = new Map();
function validator(path) {
  if (!validators.has(path)) {
    const doc = docs.get(path);
    if (!doc) throw new Error(`no schema ${path} under ${schemasDir}`);
    validators.set(path, ajv.getSchema(doc.$id));
  }
  return validators.get(path);
}

const cases = JSON.parse(readFileSync(casesFile, "utf8"));
const results = cases.map(({ name, payload, schemas }) => ({
  name,
  verdicts: Object.fromEntries(schemas.map((path) => [path, validator(path)(payload)])),
}));
console.log(JSON.stringify(results));

function* schemaFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* schemaFiles(path);
    else if (entry.name.endsWith(".schema.json")) yield path;
  }
}

function collectExtensions(value, found) {
  if (value === null || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith("x-")) found.add(key);
    collectExtensions(child, found);
  }
}
