// Validates with ajv through the OpenAPI document, as a consumer that reads only that document
// would: the document is registered whole under one URI, and every schema is reached by a JSON
// Pointer into it, so its references (`#/components/schemas/...`) resolve inside it and nowhere
// else. Draft 2020-12 (OpenAPI 3.1's dialect), strict mode, formats asserted by ajv-formats.
//
// Usage: node openapi-ajv.mjs <openapi.json> <cases.json>
// openapi.json: the document, as JSON (tests/openapi.rs converts the YAML).
// cases.json: [{ "name": ..., "payload": ..., "pointers": ["/webhooks/.../schema", ...] }]
// Prints on stdout: { "compiled": [<webhook key>, ...],
//                     "results": [{ "name": ..., "verdicts": { "<pointer>": true | false } }] }
// where `compiled` lists every webhook whose request body schemas all compiled.

import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

// Any absolute URI does: every reference in the document is a fragment.
const BASE = "urn:deck-events:openapi";

const [documentFile, casesFile] = process.argv.slice(2);
if (!documentFile || !casesFile) {
  console.error("usage: node openapi-ajv.mjs <openapi.json> <cases.json>");
  process.exit(2);
}
const doc = JSON.parse(readFileSync(documentFile, "utf8"));

const ajv = new Ajv2020({ strict: true });
addFormats(ajv);
// The schemas' `x-` annotations (`x-id-prefix`, `x-since`, ...) are keywords to strict mode.
const extensions = new Set();
collectExtensions(doc.components?.schemas ?? {}, extensions);
ajv.addVocabulary([...extensions]);
// ajv compiles the root of any document it resolves a pointer in, and strict mode rejects the
// OpenAPI fields there (`openapi`, `info`, `webhooks`, ...). None of them is a JSON Schema keyword,
// so they are declared as keywords without meaning: the root validates nothing, and strict mode
// still checks every schema the pointers reach.
const fields = Object.keys(doc);
for (const field of fields) {
  if (ajv.getKeyword(field)) throw new Error(`the document's field ${field} is a JSON Schema keyword`);
}
ajv.addVocabulary(fields);
ajv.addSchema(doc, BASE);

const validators = new Map();
function validator(pointer) {
  if (!validators.has(pointer)) {
    validators.set(pointer, ajv.compile({ $ref: `${BASE}#${pointer}` }));
  }
  return validators.get(pointer);
}

const compiled = [];
for (const [key, pathItem] of Object.entries(doc.webhooks ?? {})) {
  let all = true;
  for (const [method, operation] of Object.entries(pathItem)) {
    for (const mediaType of Object.keys(operation?.requestBody?.content ?? {})) {
      const pointer = ["", "webhooks", key, method, "requestBody", "content", mediaType, "schema"]
        .map(escapeToken)
        .join("/");
      try {
        validator(pointer);
      } catch (error) {
        console.error(`${key}: ${error}`);
        all = false;
      }
    }
  }
  if (all) compiled.push(key);
}

const cases = JSON.parse(readFileSync(casesFile, "utf8"));
const results = cases.map(({ name, payload, pointers }) => ({
  name,
  verdicts: Object.fromEntries(pointers.map((p) => [p, validator(p)(payload)])),
}));
console.log(JSON.stringify({ compiled, results }));

function escapeToken(token) {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

function collectExtensions(value, found) {
  if (value === null || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith("x-")) found.add(key);
    collectExtensions(child, found);
  }
}
