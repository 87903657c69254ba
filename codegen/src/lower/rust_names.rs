//! Stage 2, Rust names: spec names of one scope that must stay distinct once the naming policy
//! (`names`) turns them into Rust identifiers (`in-progress` and `in_progress` are both
//! `InProgress`). The checker reports a collision as a spec error naming both places, so the Rust
//! emitter can derive every identifier without a second check.

use std::collections::HashMap;

use crate::diag::Span;
use crate::spec::Spanned;

use super::Cx;

/// What a scope names.
#[derive(Clone, Copy)]
pub(super) enum Scope {
    /// The named types of the spec.
    Types,
    /// The fields of one object (or of the envelope).
    Fields,
    /// The values of one enum.
    Values,
    /// The event types of the spec.
    Events,
}

impl Scope {
    /// The spec's items, plural, and the Rust item each becomes.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Scope::Types => ("types", "type"),
            Scope::Fields => ("fields", "field"),
            Scope::Values => ("enum values", "variant"),
            Scope::Events => ("events", "variant"),
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Scope::Types => "rename one of them",
            Scope::Fields => "rename one of the fields",
            Scope::Values => {
                "remove the duplicate, or spell the values so they differ in letters or digits"
            }
            Scope::Events => "rename one of the events",
        }
    }
}

/// The Rust names claimed so far in one scope.
pub(super) struct RustNames {
    scope: Scope,
    /// Rust name → the spec name that claimed it first, and where.
    claimed: HashMap<String, (String, Span)>,
}

impl RustNames {
    pub(super) fn new(scope: Scope) -> RustNames {
        RustNames {
            scope,
            claimed: HashMap::new(),
        }
    }

    /// Claims `rust`, the Rust name the naming policy gives `name`: `false`, with the mistake
    /// reported, when the name has nothing to make an identifier of (`rust` is `None`) or another
    /// name of the scope has the same Rust name.
    pub(super) fn name(
        &mut self,
        cx: &mut Cx,
        name: &Spanned<String>,
        rust: Option<String>,
    ) -> bool {
        let Some(rust) = rust else {
            // What the name is, the Rust item it would name, and what the hint says to respell.
            let (what, item, respell) = match self.scope {
                Scope::Values => ("enum value", "variant", "value"),
                Scope::Fields => ("field name", "field", "field name"),
                Scope::Types | Scope::Events => unreachable!("named before they are claimed"),
            };
            cx.error(
                name.span,
                format!(
                    "{what} `{}` has no letter or digit to name a Rust {item}",
                    name.value
                ),
                "cannot be named",
                Some(format!(
                    "spell the {respell} with at least one ASCII letter or digit"
                )),
            );
            return false;
        };
        self.claim(cx, &name.value, name.span, &rust)
    }

    /// Claims `rust` for the spec name `name` written at `span`. When another name of the scope
    /// has it already, reports both and returns `false`.
    pub(super) fn claim(&mut self, cx: &mut Cx, name: &str, span: Span, rust: &str) -> bool {
        if let Some((first, first_span)) = self.claimed.get(rust) {
            let (items, item) = self.scope.words();
            cx.again(
                span,
                cx.parsed
                    .note(*first_span, format!("`{first}` defined here")),
                format!("{items} `{first}` and `{name}` both become the Rust {item} `{rust}`"),
                "collides after case conversion",
                self.scope.hint(),
            );
            return false;
        }
        self.claimed
            .insert(rust.to_owned(), (name.to_owned(), span));
        true
    }
}
