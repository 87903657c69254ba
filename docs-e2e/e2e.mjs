// Browser test of the generated docs site, run by tests/browser.rs (`cargo test`).
//
// Usage: node e2e.mjs <docs dir> [screenshot dir]
//
// Serves <docs dir> over HTTP as the site's root, the way a static host publishes it, and uses the
// site in headless Chromium as a reader would:
//   1. follows every link of every page, and checks each target (page, asset, JSON Schema) and
//      each `#anchor`; nothing may lead outside the directory; every page's title says which
//      version it documents and whether it is released. In a site of several versions (`cargo
//      xtask site`) the version switcher leads the crawl through every version, and, with
//      scripts off, takes a reader from an event of a release to the same event in `next/`;
//   2. at 390 px without scripts, reaches every event through the menu;
//   3. lands on anchors below the sticky top bar, at 1400 and 390 px, nested fields included;
//   4. copies an example and a field's link with the copy buttons, and reads the clipboard;
//   5. runs axe-core on the index, an event, a resource and a type page, light and dark, at
//      1400 and 390 px: no serious or critical violation;
//   6. searches: event names, a part of one, guide words, a pasted ID, a spelling variant, a typo.
// With a screenshot dir, also saves the index and an event page at 1400 and 390 px, light and dark.
import { chromium } from "playwright-core";
import { createServer } from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { extname, join, normalize, resolve, sep } from "node:path";

const [docsArg, shotDir] = process.argv.slice(2);
const executablePath = process.env.DOCS_E2E_CHROMIUM || "/usr/bin/chromium";
const INSTALL = "run `bash .ci/install-browser` (as root)";
// The screen sizes the site is checked at, [width, height]: a desktop's, then a phone's.
const VIEWPORTS = [[1400, 900], [390, 844]];
const [DESKTOP, PHONE] = VIEWPORTS.map(([width, height]) => ({ width, height }));

function fail(message) {
  console.error(`docs-e2e: FAIL: ${message}`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) fail(message);
}

check(docsArg, "usage: node e2e.mjs <docs dir> [screenshot dir]");
const docsDir = resolve(docsArg);
check(existsSync(join(docsDir, "index.html")), `${docsDir}/index.html does not exist`);
check(existsSync(executablePath), `Chromium not found at ${executablePath}: ${INSTALL}`);
let axePath;
try {
  axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
} catch {
  fail(`axe-core is not installed in docs-e2e/node_modules: ${INSTALL}`);
}

// A static file server over the docs directory, the site's root at `/`.
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
};
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  const file = normalize(join(docsDir, path.endsWith("/") ? `${path}index.html` : path));
  if (!(file === docsDir || file.startsWith(docsDir + sep)) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
    return;
  }
  res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath,
  headless: true,
  timeout: 60_000,
  // The machine has no network besides package registries: everything that phones home is off.
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

const errors = [];
async function open(options = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, ...options });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(`page error on ${page.url()}: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console error on ${page.url()}: ${m.text()}`); });
  // A load cut short by the next navigation (the icon, often) is aborted, not broken; a missing
  // file shows as an HTTP error below.
  page.on("requestfailed", (r) => {
    const reason = (r.failure() || {}).errorText || "";
    if (reason !== "net::ERR_ABORTED") errors.push(`request failed: ${r.url()} (${reason})`);
  });
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  return { context, page };
}

const rel = (url) => url.slice(base.length);

try {
  await crawl();
  const events = await eventNames();
  await switcher(events);
  await menu(events);
  await anchors();
  await copying();
  await accessibility();
  await searching(events);
  if (shotDir) await screenshots();
  check(errors.length === 0, `the browser reported errors:\n${errors.join("\n")}`);
  console.log("docs-e2e: ok");
} catch (e) {
  console.error(`docs-e2e: FAIL: ${e.stack || e}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  server.close();
}

// 1. Every link of every page, from the index, as served.
async function crawl() {
  const { context, page } = await open({ javaScriptEnabled: false });
  const queue = [`${base}index.html`];
  const ids = new Map(); // page URL -> set of ids
  const links = []; // [from, href]
  const files = new Set();
  const site = new URL(base);
  while (queue.length) {
    const url = queue.shift();
    if (ids.has(url)) continue;
    const response = await page.goto(url);
    check(response && response.status() === 200, `${rel(url)}: HTTP ${response && response.status()}`);
    const found = await page.evaluate(() => ({
      ids: Array.from(document.querySelectorAll("[id]"), (e) => e.id),
      hrefs: Array.from(document.querySelectorAll("a[href], link[href], script[src]"),
        (e) => e.href || e.src),
    }));
    ids.set(url, new Set(found.ids));
    const title = await page.title();
    check(/ v\d+\.\d+\.\d+ \((un)?released\)$/.test(title), `${rel(url)}: the title "${title}" names no version and status`);
    for (const href of found.hrefs) {
      const target = new URL(href);
      if (target.protocol === "http:" && target.host !== site.host) fail(`${rel(url)}: link to another host: ${href}`);
      if (target.origin !== site.origin) continue; // https:// links in the spec's text
      // An origin leaves out credentials: `http://user@<this host>/` passes above, and is caught here.
      check(target.href.startsWith(base), `${rel(url)}: ${href} leaves the site`);
      links.push([url, target.href]);
      const file = target.href.split("#")[0];
      if (file.endsWith(".html")) queue.push(file);
      else files.add(file);
    }
  }
  // Assets and schemas: fetched as a browser would, schemas parsed.
  let schemas = 0;
  for (const file of files) {
    const response = await context.request.get(file);
    check(response.status() === 200, `HTTP ${response.status()}: ${rel(file)}`);
    if (file.endsWith(".json")) {
      let schema;
      try { schema = JSON.parse(await response.text()); } catch (e) { fail(`${rel(file)} is not JSON: ${e.message}`); }
      check(typeof schema.$schema === "string" && schema.$id, `${rel(file)} is not a JSON Schema`);
      schemas += 1;
    }
  }
  let anchored = 0;
  for (const [from, href] of links) {
    const [file, fragment] = href.split("#");
    if (!fragment || !file.endsWith(".html")) continue;
    check(ids.get(file).has(decodeURIComponent(fragment)), `${rel(from)}: ${rel(href)} points at no element`);
    anchored += 1;
  }
  check(schemas > 0, "no page links to a JSON Schema");
  console.log(`crawl: ${ids.size} pages, ${links.length} links (${anchored} to anchors), ${files.size} other files (${schemas} JSON Schemas), all served`);
  await context.close();
}

async function eventNames() {
  const { context, page } = await open();
  await page.goto(`${base}index.html`);
  const names = await page.$$eval("section.group[id^='group-'] .event-name code", (c) => c.map((x) => x.textContent));
  check(names.length > 0, "the index lists no events");
  await context.close();
  return names;
}

// 1b. The version switcher, scripts off: from an event of a release to the same event in next/.
async function switcher(events) {
  const { context, page } = await open({ javaScriptEnabled: false });
  await page.goto(`${base}index.html`);
  const dirs = await page.$$eval("details.versions a", (a) => a.map((x) => x.getAttribute("href")));
  if (dirs.length === 0) {
    console.log("switcher: a site of one version, none to check");
    await context.close();
    return;
  }
  const release = dirs.map((h) => /^(v\d+\.\d+\.\d+\/)/.exec(h)).find(Boolean);
  check(release, `the switcher lists no release: ${dirs.join(" ")}`);
  check(dirs.some((h) => h.startsWith("next/")), `the switcher lists no next/: ${dirs.join(" ")}`);
  const name = events[0];
  await page.goto(`${base}${release[1]}events/${name}.html`);
  const details = page.locator("details.versions");
  await details.locator("summary").click();
  const link = details.locator("a", { hasText: "unreleased" });
  check(await link.isVisible(), `${release[1]}events/${name}.html: the switcher does not open`);
  await Promise.all([page.waitForURL(`${base}next/events/${name}.html`), link.click()]);
  const h1 = (await page.locator("h1").textContent()).trim();
  check(h1 === name, `the switcher led from ${release[1]} to "${h1}", not ${name}`);
  console.log(`switcher, scripts off: ${release[1]}events/${name}.html to next/events/${name}.html`);
  await context.close();
}

// 2. At 390 px with scripts off, the menu opens and leads to every event.
async function menu(events) {
  const { context, page } = await open({ viewport: PHONE, javaScriptEnabled: false });
  await page.goto(`${base}index.html`);
  const sidebar = page.locator("#site-nav");
  check(!(await sidebar.isVisible()), "at 390 px the navigation shows before the menu is opened");
  for (const name of events) {
    const button = page.locator("label.menu-button");
    check(await button.isVisible(), `at 390 px ${rel(page.url())} shows no menu button`);
    await button.click();
    check(await sidebar.isVisible(), `at 390 px the menu of ${rel(page.url())} does not open`);
    const link = sidebar.locator(`a[href$="events/${name}.html"]`);
    await link.scrollIntoViewIfNeeded();
    await Promise.all([page.waitForURL(`**/events/${name}.html`), link.click()]);
    const h1 = (await page.locator("h1").textContent()).trim();
    check(h1 === name, `the menu's link to ${name} led to "${h1}"`);
    check(!(await sidebar.isVisible()), `the menu stays open on ${name}'s page`);
  }
  console.log(`menu at 390 px, scripts off: reached all ${events.length} events`);
  await context.close();
}

// 3. A followed anchor is below the sticky top bar, not under it.
async function anchors() {
  const cases = [
    ["events/task_run.completed.html", "field-status"],
    ["resources/task_run.html", "field-interaction.type"],
    ["receiving.html", "verifying"],
  ];
  for (const [width, height] of VIEWPORTS) {
    const { context, page } = await open({ viewport: { width, height } });
    for (const [path, id] of cases) {
      await page.goto(`${base}${path}#${id}`);
      const target = page.locator(`[id="${id}"]`);
      await target.waitFor({ state: "visible" });
      await page.waitForTimeout(100);
      const box = await target.boundingBox();
      const bar = await page.locator(".topbar").boundingBox();
      check(box.y >= bar.y + bar.height - 1, `at ${width} px, #${id} of ${path} is under the top bar (${box.y} < ${bar.y + bar.height})`);
      check(box.y < height / 2, `at ${width} px, #${id} of ${path} is not near the top (${box.y})`);
    }
    await context.close();
  }
  console.log(`anchors at 1400 and 390 px land below the top bar, nested ones opened`);
}

// 4. The copy buttons put the example, and a field's link, on the clipboard.
async function copying() {
  const { context, page } = await open();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  await page.goto(`${base}events/task_run.completed.html`);
  const button = page.locator("#example-1 button.copy");
  check(await button.isVisible(), "the example has no visible copy button");
  await button.click();
  await page.locator("#example-1 button.copy.is-copied").waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const shown = await page.locator("#example-1-code").textContent();
  check(copied === shown, "the clipboard does not hold the example as shown");
  check(JSON.parse(copied).type === "task_run.completed", "the copied example is not the event");
  const link = page.locator("#field-status button.copy-link");
  await link.click();
  await page.locator("#field-status button.copy-link.is-copied").waitFor();
  const url = await page.evaluate(() => navigator.clipboard.readText());
  check(url === `${base}events/task_run.completed.html#field-status`, `the copied field link is ${url}`);
  console.log("copy: the example and a field's link reach the clipboard");
  await context.close();
}

// 5. axe-core: no serious or critical violation, in both themes and at both widths.
async function accessibility() {
  const pages = ["index.html", "events/task_run.completed.html", "resources/task_run.html", "types/interaction.html", "envelope.html", "receiving.html"];
  let runs = 0;
  for (const [width, height] of VIEWPORTS) {
    for (const colorScheme of ["light", "dark"]) {
      const { context, page } = await open({ viewport: { width, height }, colorScheme });
      for (const path of pages) {
        await page.goto(`${base}${path}`);
        // Nested tables open, so that their contents are checked too.
        await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
        await page.addScriptTag({ path: axePath });
        const violations = await page.evaluate(async () => {
          const result = await window.axe.run(document, { resultTypes: ["violations"] });
          return result.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        });
        check(violations.length === 0, `axe on ${path}, ${colorScheme}, ${width} px:\n${violations.join("\n")}`);
        runs += 1;
      }
      await context.close();
    }
  }
  console.log(`axe-core: no serious or critical violation in ${runs} runs (${pages.length} pages, light and dark, 1400 and 390 px)`);
}

// 6. Search, as typed into the box.
async function searching(events) {
  const { context, page } = await open();
  await page.goto(`${base}index.html`);
  const input = page.locator("#search-input");
  check(await input.isVisible(), "the search box is not shown (search.js did not run)");
  async function results(query) {
    await input.fill("");
    await input.pressSequentially(query, { delay: 5 });
    await page.locator("#search-results:not([hidden])").waitFor();
    return page.$$eval("#search-results a.result", (as) => as.map((a) => ({
      kind: a.querySelector(".result-kind").textContent,
      title: a.querySelector(".result-title").textContent,
      href: a.getAttribute("href"),
    })));
  }
  const titles = (list) => list.map((r) => r.title);
  const show = (list) => titles(list).slice(0, 8).join(", ");

  const object = events[0].split(".")[0];
  const ofObject = events.filter((e) => e.startsWith(`${object}.`));
  let found = await results(object);
  check(ofObject.every((e, i) => found[i] && found[i].title === e), `"${object}" does not list ${ofObject.join(", ")} first: ${show(found)}`);

  found = await results("task_run.completed");
  check(found[0] && found[0].title === "task_run.completed", `the exact event name is not first: ${show(found)}`);
  found = await results("task_run.comp");
  check(found[0] && found[0].title === "task_run.completed", `a prefix of an event name does not rank it first: ${show(found)}`);

  const interaction = events.filter((e) => e.endsWith(".interaction_required"));
  check(interaction.length === 3, `expected three *.interaction_required events, found ${interaction.join(", ")}`);
  found = await results("interaction");
  check(interaction.every((e) => titles(found).slice(0, 3).includes(e)), `"interaction" does not rank ${interaction.join(", ")} first: ${show(found)}`);

  for (const word of ["signature", "verify", "retry"]) {
    found = await results(word);
    check(found.length > 0 && found[0].href.includes("receiving.html"), `"${word}" does not lead to Receiving events first: ${show(found)}`);
  }

  for (const id of ["trun_7Gk2pVw5NcYh8XmT", "trun_", "trun"]) {
    found = await results(id);
    const top = titles(found).slice(0, 2);
    check(top.includes("TaskRunId") && top.includes("TaskRun"), `"${id}" does not find TaskRunId and TaskRun first: ${show(found)}`);
  }

  found = await results("cancelled");
  check(titles(found).includes("task_run.canceled") && titles(found).includes("TaskRunStatus.cancelling"), `"cancelled" misses task_run.canceled or cancelling: ${show(found)}`);
  found = await results("task_run.complted");
  check(found[0] && found[0].title === "task_run.completed", `a typo in an event name does not find it first: ${show(found)}`);

  // The first result of a search is followed with Enter.
  await results("task_run.failed");
  await Promise.all([page.waitForURL("**/events/task_run.failed.html"), input.press("Enter")]);
  console.log("search: names, prefixes, parts, guide words, IDs, spellings and typos rank as expected");
  await context.close();
}

async function screenshots() {
  for (const [width, height] of VIEWPORTS) {
    for (const colorScheme of ["light", "dark"]) {
      const { context, page } = await open({ viewport: { width, height }, colorScheme, deviceScaleFactor: 1 });
      for (const [path, name] of [["index.html", "index"], ["events/task_run.completed.html", "event"]]) {
        await page.goto(`${base}${path}`);
        await page.screenshot({ path: join(shotDir, `${name}-${width}-${colorScheme}.png`) });
      }
      await context.close();
    }
  }
  console.log(`screenshots in ${shotDir}`);
}
