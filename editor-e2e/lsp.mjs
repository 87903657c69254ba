// Editor test of the spec-format schemas, run by tests/yaml_language_server.rs (`cargo test`).
//
// Usage: node lsp.mjs <repository root>
//
// Starts yaml-language-server over stdio, as VS Code, Neovim, Helix and JetBrains (LSP4IJ) do, and
// talks to it as an editor would. Each spec file finds its schema through its own first line
// (`# yaml-language-server: $schema=...`), so documents are opened at their place under spec/;
// edited texts are sent to the server only, never written to disk. Checks:
//
// 1. every file of the real spec opens without a diagnostic (no false errors in the editor);
// 2. misspelt keys in a real spec file (a type's `description`, a field's `nullable`) are
//    marked, at the key;
// 3. inside a field, completion offers `optional`, `nullable` and `deprecated`; after `type:` it
//    offers every built-in type and `array<T>` / `map<T>`; after `signing:` both schemes;
// 4. hover shows a key's documentation from the schema;
// 5. a malformed type expression and a misnamed event are marked with the schema's message.
//
// Expected texts are read from the generated schemas, not repeated here.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const [root] = process.argv.slice(2);
if (!root) fail("usage: node lsp.mjs <repository root>");
const specDir = resolve(root, "spec");
const schemaDir = resolve(root, "generated/spec-schema");
const includeSchema = JSON.parse(readFileSync(join(schemaDir, "include.schema.json"), "utf8"));
const rootSchema = JSON.parse(readFileSync(join(schemaDir, "root.schema.json"), "utf8"));
const fieldKeys = includeSchema.definitions.field.properties;

const TIMEOUT_MS = 30_000;
let failures = 0;

function fail(message) {
  console.error(`editor-e2e: FAIL: ${message}`);
  process.exit(1);
}

function check(condition, message) {
  if (condition) {
    console.log(`ok: ${message}`);
  } else {
    console.error(`editor-e2e: FAIL: ${message}`);
    failures += 1;
  }
}

// --- A minimal LSP client over stdio (Content-Length framing, JSON-RPC 2.0). ---

const require = createRequire(import.meta.url);
const serverMain = require.resolve("yaml-language-server/bin/yaml-language-server");
const server = spawn(process.execPath, [serverMain, "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
let stderr = "";
server.stderr.on("data", (d) => (stderr += d));
server.on("exit", (code) => {
  if (!shuttingDown) fail(`the language server exited (${code}):\n${stderr}`);
});
let shuttingDown = false;

// The settings an editor sends. The schema store is off: it would fetch a catalog from the
// network, and these files name their schema themselves.
const settings = {
  yaml: {
    validate: true,
    hover: true,
    completion: true,
    format: { enable: false },
    schemaStore: { enable: false },
  },
};

let nextId = 0;
const pending = new Map();
const diagnosticWaiters = new Map();
let buffer = Buffer.alloc(0);

server.stdout.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString());
    buffer = buffer.subarray(headerEnd + 4 + length);
    receive(message);
  }
});

function receive(message) {
  if (message.method && message.id !== undefined) {
    // A request from the server: answer as an editor does.
    let result = null;
    if (message.method === "workspace/configuration") {
      result = message.params.items.map((item) => (item.section ? settings[item.section] ?? null : settings));
    }
    send({ jsonrpc: "2.0", id: message.id, result });
  } else if (message.id !== undefined) {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(JSON.stringify(message.error)));
    else waiter.resolve(message.result);
  } else if (message.method === "textDocument/publishDiagnostics") {
    const waiter = diagnosticWaiters.get(message.params.uri);
    if (waiter) {
      diagnosticWaiters.delete(message.params.uri);
      waiter(message.params.diagnostics);
    }
  }
}

function send(message) {
  const text = JSON.stringify(message);
  server.stdin.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to ${what} in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function request(method, params) {
  const id = ++nextId;
  send({ jsonrpc: "2.0", id, method, params });
  return withTimeout(new Promise((resolve, reject) => pending.set(id, { resolve, reject })), method);
}

function notify(method, params) {
  send({ jsonrpc: "2.0", method, params });
}

let version = 0;

/** Opens a document with the given text at `path` and returns the diagnostics published for it. */
async function open(path, text) {
  const uri = pathToFileURL(path).href;
  const diagnostics = withTimeout(
    new Promise((resolve) => diagnosticWaiters.set(uri, resolve)),
    `the diagnostics of ${path}`,
  );
  notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: ++version, text } });
  return { uri, diagnostics: await diagnostics };
}

/** Closes a document and waits until the server has cleared its diagnostics, so that they are not
 * taken for those of the next document opened at the same place. */
async function close(uri) {
  const cleared = withTimeout(new Promise((resolve) => diagnosticWaiters.set(uri, resolve)), `closing ${uri}`);
  notify("textDocument/didClose", { textDocument: { uri } });
  await cleared;
}

async function complete(uri, line, character) {
  const result = await request("textDocument/completion", { textDocument: { uri }, position: { line, character } });
  return (Array.isArray(result) ? result : result?.items ?? []).map((item) => item.label);
}

async function hover(uri, line, character) {
  const result = await request("textDocument/hover", { textDocument: { uri }, position: { line, character } });
  const contents = result?.contents;
  return typeof contents === "string" ? contents : contents?.value ?? "";
}

/** Line and column (0-based) of the first match of `pattern` in `text`, at its group 1. */
function position(text, pattern) {
  const lines = text.split("\n");
  for (let line = 0; line < lines.length; line++) {
    const m = pattern.exec(lines[line]);
    if (m) return { line, character: m.index + m[0].indexOf(m[1]) };
  }
  fail(`no line matches ${pattern}`);
}

function describe(diagnostics) {
  return JSON.stringify(diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`));
}

// --- What an editor does, step by step. ---

await request("initialize", {
  processId: process.pid,
  rootUri: pathToFileURL(resolve(root)).href,
  capabilities: {
    workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } },
    textDocument: {
      completion: { completionItem: { snippetSupport: true, documentationFormat: ["markdown", "plaintext"] } },
      hover: { contentFormat: ["markdown", "plaintext"] },
      publishDiagnostics: {},
    },
  },
});
notify("initialized", {});
notify("workspace/didChangeConfiguration", { settings });

// 1. The real spec: no diagnostics in any file.
const specFiles = readdirSync(specDir).filter((f) => f.endsWith(".yaml")).sort();
check(specFiles.length > 1, `spec/ has ${specFiles.length} YAML files`);
for (const name of specFiles) {
  const text = readFileSync(join(specDir, name), "utf8");
  const { uri, diagnostics } = await open(join(specDir, name), text);
  check(diagnostics.length === 0, `spec/${name} opens without diagnostics ${describe(diagnostics)}`);
  await close(uri);
}

// 2. Misspelt keys in a real spec file: a type's `description` and a field's `nullable`.
for (const [key, typo] of [["description", "descripton"], ["nullable", "nulable"]]) {
  const path = join(specDir, "task_run.yaml");
  const text = readFileSync(path, "utf8");
  const at = position(text, new RegExp(`^\\s+(${key}):`));
  const lines = text.split("\n");
  lines[at.line] = lines[at.line].replace(`${key}:`, `${typo}:`);
  const { uri, diagnostics } = await open(path, lines.join("\n"));
  const marked = diagnostics.filter(
    (d) => d.range.start.line === at.line && d.range.start.character === at.character && d.message.includes(typo),
  );
  check(
    marked.length === 1,
    `\`${typo}\` in spec/task_run.yaml:${at.line + 1} is marked at the key ${describe(diagnostics)}`,
  );
  await close(uri);
}

// 3 and 4. Completion and hover in an included file, as it is being typed.
{
  const path = join(specDir, "editor-e2e-probe.yaml");
  const text = [
    "# yaml-language-server: $schema=../generated/spec-schema/include.schema.json",
    "types:",
    "  Widget:",
    "    description: A widget.",
    "    fields:",
    "      size:",
    "        description: Size in bytes.",
    "        type: integer",
    "        ",
    "      count:",
    "        description: How many.",
    "        type: ",
  ].join("\n");
  const { uri } = await open(path, text);

  const keys = await complete(uri, 8, 8);
  for (const key of ["optional", "nullable", "deprecated"]) {
    check(fieldKeys[key] && keys.includes(key), `completion in a field offers \`${key}\` ${JSON.stringify(keys)}`);
  }

  const types = await complete(uri, 11, 14);
  const offered = fieldKeys.type.defaultSnippets.map((s) => s.label);
  for (const name of ["string", "integer", "datetime", "json", "array<T>", "map<T>"]) {
    check(offered.includes(name), `the schema offers \`${name}\` as a type`);
  }
  for (const name of offered) {
    check(types.includes(name), `completion after \`type:\` offers \`${name}\` ${JSON.stringify(types)}`);
  }

  const doc = await hover(uri, 7, 9);
  check(doc.includes(fieldKeys.type.description), `hover on \`type\` shows its documentation: ${JSON.stringify(doc)}`);
  await close(uri);
}

// 5. Malformed values, marked with the schema's own messages.
{
  const path = join(specDir, "editor-e2e-probe.yaml");
  const text = [
    "# yaml-language-server: $schema=../generated/spec-schema/include.schema.json",
    "types:",
    "  Widget:",
    "    description: A widget.",
    "    fields:",
    '      tags: { type: "array<string", description: Tags. }',
    "events:",
    "  Widget.created:",
    "    description: A widget is created.",
    "    examples: [{ type: Widget.created }]",
  ].join("\n");
  const { uri, diagnostics } = await open(path, text);
  const typeMessage = fieldKeys.type.patternErrorMessage;
  check(
    diagnostics.some((d) => d.range.start.line === 5 && d.message.includes(typeMessage)),
    `a malformed type expression is marked with "${typeMessage}" ${describe(diagnostics)}`,
  );
  const nameMessage = includeSchema.properties.events.propertyNames.patternErrorMessage;
  check(
    diagnostics.some((d) => d.range.start.line === 7 && d.message.includes(nameMessage)),
    `an event name that is not snake_case is marked with "${nameMessage}" ${describe(diagnostics)}`,
  );
  await close(uri);
}

// The root file: completion of `signing`.
{
  const path = join(specDir, "spec.yaml");
  const text = readFileSync(path, "utf8");
  const at = position(text, /^  (version):/);
  const lines = text.split("\n");
  lines.splice(at.line, 0, "  signing: ");
  const { uri } = await open(path, lines.join("\n"));
  const words = await complete(uri, at.line, "  signing: ".length);
  for (const word of rootSchema.definitions.package.properties.signing.enum) {
    check(words.includes(word), `completion after \`signing:\` offers \`${word}\` ${JSON.stringify(words)}`);
  }
  await close(uri);
}

shuttingDown = true;
await request("shutdown", null).catch(() => {});
notify("exit", null);
server.kill();
if (failures > 0) {
  console.error(`editor-e2e: ${failures} check(s) failed`);
  process.exit(1);
}
console.log("editor-e2e: all checks passed");
