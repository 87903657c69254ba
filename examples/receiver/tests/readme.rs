//! The handler shown in the READMEs is this example's code, verbatim: a README cannot show code
//! that does not compile or that this example's tests do not exercise.

/// The lines of the example's handler file that a README shows: all but its own `//!` docs.
fn handler_lines() -> Vec<&'static str> {
    include_str!("../src/handler.rs")
        .lines()
        .filter(|line| !line.starts_with("//!"))
        .skip_while(|line| line.is_empty())
        .collect()
}

/// The generated crate's README shows the handler in its axum section, where it compiles as a
/// doctest of the `axum` feature (codegen copies the file in).
#[test]
fn the_crate_readme_shows_the_handler() {
    let readme = include_str!("../../../generated/README.md");
    let section = readme
        .split("## Receiving with axum")
        .nth(1)
        .expect("the crate README has the section");
    let block = section
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the section has a rust block");
    let shown: Vec<&str> = block.lines().filter(|l| !l.starts_with("# ")).collect();
    assert_eq!(shown, handler_lines());
}

/// The repository README's receiver section shows the handler too.
#[test]
#[ignore = "the repository README is being rewritten; its receiver block is to show src/handler.rs"]
fn the_repository_readme_shows_the_handler() {
    let readme = include_str!("../../../README.md");
    let handler = include_str!("../src/handler.rs");
    let section = readme
        .split("## Receiving webhooks")
        .nth(1)
        .expect("README has the section");
    let block = section
        .split("```rust,ignore\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the section has a rust block");
    assert!(block.contains("pub async fn receive("), "{block}");
    assert!(
        handler.contains(block),
        "the README block is not an excerpt of src/handler.rs:\n{block}"
    );
}
