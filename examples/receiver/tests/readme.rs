//! The handler shown in the repository README is this example's code, verbatim: the README cannot
//! show code that does not compile or that this example's tests do not exercise.

#[test]
fn readme_shows_the_receivers_code() {
    let readme = include_str!("../../../README.md");
    let main = include_str!("../src/main.rs");
    let section = readme
        .split("## Receiving webhooks")
        .nth(1)
        .expect("README has the section");
    let block = section
        .split("```rust,ignore\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the section has a rust block");
    assert!(block.lines().count() > 10, "the block holds the handler");
    assert!(
        main.contains(block),
        "the README block is not an excerpt of src/main.rs:\n{block}"
    );
}
