//! End-to-end test of the generated documentation site: `tests/browser.rs` drives headless
//! Chromium over `generated/docs/` through `e2e.mjs` (playwright-core). This library is empty.
