// Reads an AsyncAPI document from disk with the official parser (@asyncapi/parser), so relative
// `$ref`s resolve as they would for any tool, and prints a JSON report on stdout: the parser's
// diagnostics and, for every message, its payload's schema format, the resolved payload's
// `type` constant, and ajv's verdict (JSON Schema draft 2020-12, formats asserted) on each of its
// examples against that payload. tests/asyncapi.rs judges the report.
//
// Usage: node asyncapi.mjs <asyncapi.yaml>

import { Parser, fromFile } from "@asyncapi/parser";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const SEVERITIES = ["error", "warning", "information", "hint"];

const [path] = process.argv.slice(2);
if (!path) {
  console.error("usage: node asyncapi.mjs <asyncapi.yaml>");
  process.exit(2);
}

const { document, diagnostics } = await fromFile(new Parser(), path).parse();
const report = {
  diagnostics: diagnostics.map((d) => ({
    severity: SEVERITIES[d.severity] ?? String(d.severity),
    code: String(d.code),
    message: d.message,
    path: d.path.join("/"),
  })),
  messages: [],
};

if (document) {
  for (const message of document.messages().all()) {
    const payload = message.payload();
    const schema = payload?.json()?.schema ?? null;
    const entry = {
      id: message.id(),
      name: message.name() ?? null,
      schemaFormat: payload?.schemaFormat() ?? null,
      hasHeaders: message.hasHeaders(),
      typeConstant: schema?.properties?.type?.enum ?? null,
      examples: [],
    };
    const validate = schema === null ? null : compile(schema);
    for (const example of message.examples().all()) {
      if (validate === null) {
        entry.examples.push({ valid: false, errors: "the payload did not resolve to a schema" });
      } else if (typeof validate === "string") {
        entry.examples.push({ valid: false, errors: validate });
      } else {
        const valid = validate(example.payload());
        entry.examples.push({ valid, errors: valid ? null : JSON.stringify(validate.errors) });
      }
    }
    report.messages.push(entry);
  }
}

console.log(JSON.stringify(report));

// A validator for a resolved payload in strict mode, which also checks the schema against the
// 2020-12 meta-schema; the `x-` annotations (the spec's and the parser's own) are declared as
// keywords. Returns the error text when the schema does not compile.
function compile(schema) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addVocabulary([...extensionKeywords(schema)]);
  try {
    return ajv.compile(schema);
  } catch (error) {
    return String(error);
  }
}

function extensionKeywords(value, found = new Set(), seen = new Set()) {
  if (value === null || typeof value !== "object" || seen.has(value)) return found;
  seen.add(value);
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith("x-")) found.add(key);
    extensionKeywords(child, found, seen);
  }
  return found;
}
