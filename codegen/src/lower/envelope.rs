//! Stage 2, the envelope: the event object's fields, with one discriminator and one payload.

use crate::diag::Note;
use crate::model::{Envelope, TypeDef, TypeRef};
use crate::spec::RawSpec;

use super::Cx;
use super::fields::{Owner, lower_fields};
use super::table::TypeTable;

/// Rule: the envelope has exactly one `event_type` field (the discriminator) and one
/// `event_data` field (the payload), and documents itself.
pub(super) fn lower_envelope(
    cx: &mut Cx,
    table: &TypeTable,
    types: &mut [Option<TypeDef>],
    raw: &RawSpec,
    root: u32,
) -> Option<Envelope> {
    let hint = "add `envelope:` with the event object's fields, one of `type: event_type` and one \
                of `type: event_data`";
    let env = cx.section(raw.envelope.as_ref(), root, "envelope", hint)?;
    let description = cx.require_description(&env.description, env.span, "the envelope");
    let fields = lower_fields(cx, table, types, Owner::Envelope, &env.fields);
    // `usual`: the name such a field usually has, for the hint.
    let find = |cx: &mut Cx, want: TypeRef, usual: &str| -> Option<usize> {
        let name = want.keyword().expect("the envelope's types are keywords");
        let hits: Vec<usize> = fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.ty == want)
            .map(|(i, _)| i)
            .collect();
        match hits.as_slice() {
            [one] => Some(*one),
            [] => {
                cx.error(env.span, format!("the envelope has no field of type `{name}`"), format!("missing `{name}` field"), Some(format!("add the field that carries it, e.g. `{usual}: {{ type: {name}, description: ... }}`")));
                None
            }
            [first, rest @ ..] => {
                let first = &fields[*first].origin;
                for &i in rest {
                    let note = Note::at(
                        &first.file,
                        first.line,
                        first.col,
                        format!("the first field of type `{name}`"),
                    );
                    let span = cx.span_of(&fields[i].origin);
                    cx.again(
                        span,
                        note,
                        format!("the envelope has more than one field of type `{name}`"),
                        "second one",
                        "an event has exactly one: remove this field or change its type",
                    );
                }
                None
            }
        }
    };
    let type_field = find(cx, TypeRef::EventType, "type");
    let data_field = find(cx, TypeRef::EventData, "data");
    for (i, f) in fields.iter().enumerate() {
        if (Some(i) == type_field || Some(i) == data_field) && (f.optional || f.nullable) {
            let span = cx.span_of(&f.origin);
            cx.error(
                span,
                format!("envelope field `{}` cannot be optional or nullable", f.name),
                "always present",
                Some("every event has a type and a payload".into()),
            );
        }
    }
    Some(Envelope {
        description,
        fields,
        type_field: type_field?,
        data_field: data_field?,
    })
}
