// Browser test of the generated docs site, run by tests/browser.rs (`cargo test`).
//
// Usage: node e2e.mjs <docs dir> [screenshot dir]
//
// Opens <docs dir>/index.html from disk (file://) in headless Chromium, types the first event's
// resource into the search box, expects every event of that resource among the results, follows
// the result for the first event, and expects that event's page with its example payload. With a
// screenshot dir, also saves the index and that event page in the light and dark schemes.
import { chromium } from "playwright-core";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [docsDir, shotDir] = process.argv.slice(2);
const executablePath = process.env.DOCS_E2E_CHROMIUM || "/usr/bin/chromium";

function fail(message) {
  console.error(`docs-e2e: FAIL: ${message}`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) fail(message);
}

check(docsDir, "usage: node e2e.mjs <docs dir> [screenshot dir]");
const indexPath = resolve(docsDir, "index.html");
check(existsSync(indexPath), `${indexPath} does not exist`);
check(existsSync(executablePath), `Chromium not found at ${executablePath}: run .ci/install-browser`);

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

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console error: ${m.text()}`); });
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));

  await page.goto(pathToFileURL(indexPath).href);

  // The groups on the index, as rendered without scripts: the first group's events.
  const groups = await page.$$eval("section.group[id^='group-']", (sections) =>
    sections.map((s) => Array.from(s.querySelectorAll(".event-name code"), (c) => c.textContent)));
  check(groups.length > 0 && groups[0].length > 0, "the index lists no events");
  const events = groups[0];
  const target = events[0];
  const object = target.split(".")[0];
  console.log(`index lists ${groups.flat().length} events in ${groups.length} groups; searching "${object}"`);

  const input = page.locator("#search-input");
  check(await input.isVisible(), "the search box is not shown (search.js did not run)");
  await input.click();
  await input.pressSequentially(object, { delay: 20 });
  const results = page.locator("#search-results a.result");
  await results.first().waitFor({ state: "visible" });
  const titles = await page.$$eval("#search-results a.result .result-title", (t) => t.map((x) => x.textContent));
  for (const name of events) {
    check(titles.includes(name), `searching "${object}" does not list ${name}; results: ${titles.join(", ")}`);
  }
  console.log(`search "${object}" lists ${titles.length} results, including ${events.join(", ")}`);

  // Narrow to the one event by typing the rest of its name.
  await input.pressSequentially(target.slice(object.length), { delay: 20 });
  const link = page.locator("#search-results a.result", { has: page.locator(".result-title", { hasText: target }) }).first();
  await link.waitFor({ state: "visible" });
  if (shotDir) await shoot(page, join(shotDir, "search"));
  await Promise.all([page.waitForURL(`**/events/${target}.html`), link.click()]);

  const h1 = (await page.locator("h1").textContent()).trim();
  check(h1 === target, `the event page's heading is "${h1}", expected "${target}"`);
  const example = page.locator("section.example pre.code").first();
  check(await example.isVisible(), `the page of ${target} shows no example`);
  const text = await example.textContent();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    fail(`the example of ${target} is not JSON: ${e.message}`);
  }
  check(parsed.type === target, `the example's "type" is ${JSON.stringify(parsed.type)}, expected "${target}"`);
  console.log(`followed the result to ${page.url().split("/").slice(-2).join("/")}; its example has "type": "${parsed.type}"`);

  if (shotDir) {
    await shoot(page, join(shotDir, `event-${target}`));
    await page.goto(pathToFileURL(indexPath).href);
    await shoot(page, join(shotDir, "index"));
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const p = await phone.newPage();
    await p.goto(pathToFileURL(resolve(docsDir, "events", `${target}.html`)).href);
    await shoot(p, join(shotDir, `phone-${target}`));
  }

  check(errors.length === 0, `the browser reported errors:\n${errors.join("\n")}`);
  console.log("docs-e2e: ok");
} finally {
  await browser.close();
}

async function shoot(page, stem) {
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${stem}-${scheme}.png` });
  }
}
