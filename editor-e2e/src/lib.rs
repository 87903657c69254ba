//! End-to-end test of the spec-format schemas (`generated/spec-schema/`) in an editor:
//! `tests/yaml_language_server.rs` runs `lsp.mjs`, which drives the YAML language server over
//! stdio as VS Code, Neovim, Helix and JetBrains do. This library is empty.
