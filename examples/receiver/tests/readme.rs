//! The handler shown in the crate's README is this example's code, verbatim: a README cannot show
//! code that does not compile or that this example's tests do not exercise. The example's own
//! README points at that file rather than copying it.

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

/// The example's README names the handler's file, and the answers it promises are the handler's.
#[test]
fn the_example_readme_points_at_the_handler() {
    let readme = include_str!("../README.md");
    let handler = include_str!("../src/handler.rs");
    assert!(
        readme.contains("[`src/handler.rs`](src/handler.rs)"),
        "the README points at the handler"
    );
    assert!(handler.contains("pub async fn receive("));
    for (answer, constant) in [
        ("`202 Accepted`", "StatusCode::ACCEPTED"),
        ("`500`", "StatusCode::INTERNAL_SERVER_ERROR"),
    ] {
        assert!(readme.contains(answer), "the README names {answer}");
        assert!(
            handler.contains(constant),
            "src/handler.rs answers {constant}"
        );
    }
}
