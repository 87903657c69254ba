//! Stage 2, `since` markers: nothing is newer than the spec itself.

use crate::model::{EventDef, Markers, Origin, Package, TypeDef, TypeKind};
use crate::spec::RawEvent;

use super::Cx;

/// Rule: nothing claims to be introduced in a version later than the spec's own.
pub(super) fn check_since(
    cx: &mut Cx,
    package: &Option<Package>,
    types: &[TypeDef],
    events: &[(EventDef, &RawEvent)],
) {
    let Some(p) = package else { return };
    let check = |cx: &mut Cx, m: &Markers, o: &Origin, what: &str| {
        if let Some(s) = m.since {
            if s > p.version {
                let span = cx.span_of(o);
                cx.error(
                    span,
                    format!(
                        "{what} is marked `since: {s}`, later than the spec version {}",
                        p.version
                    ),
                    "from the future",
                    Some(format!(
                        "bump `package.version` to at least {s}, or fix `since`"
                    )),
                );
            }
        }
    };
    for t in types {
        check(cx, &t.markers, &t.origin, &format!("type `{}`", t.name));
        if let TypeKind::Object { fields, .. } = &t.kind {
            for f in fields {
                check(cx, &f.markers, &f.origin, &format!("field `{}`", f.name));
            }
        }
    }
    for (e, _) in events {
        check(cx, &e.markers, &e.origin, &format!("event `{}`", e.name));
    }
}
