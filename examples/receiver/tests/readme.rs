//! The example's README points at its code rather than copying it: it names the handler and the
//! store, and the answer the handler gives in each case. Those must stay true of `src/`.

const README: &str = include_str!("../README.md");
const MAIN: &str = include_str!("../src/main.rs");

#[test]
fn readme_names_the_handler_and_the_store() {
    assert!(
        README.contains("The handler is `receive` in [`src/main.rs`](src/main.rs)"),
        "the README points at the handler"
    );
    assert!(
        MAIN.contains("async fn receive("),
        "src/main.rs has `receive`"
    );
    assert!(
        README.contains("[`src/dead_letter.rs`](src/dead_letter.rs)"),
        "the README points at the store"
    );
    assert!(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/dead_letter.rs")
            .is_file(),
        "src/dead_letter.rs exists"
    );
}

#[test]
fn readme_answers_are_the_handlers() {
    for (answer, constant) in [
        ("`204 No Content`", "StatusCode::NO_CONTENT"),
        ("`401 Unauthorized`", "StatusCode::UNAUTHORIZED"),
        ("`202 Accepted`", "StatusCode::ACCEPTED"),
        ("`500`", "StatusCode::INTERNAL_SERVER_ERROR"),
    ] {
        assert!(README.contains(answer), "the README names {answer}");
        assert!(MAIN.contains(constant), "src/main.rs answers {constant}");
    }
}
