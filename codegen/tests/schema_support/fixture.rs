//! A small hand-built model that uses every construct the schema emitter handles: every type
//! expression, nullable and optional fields, constants, a hoisted enum with a value named
//! `unknown`, markers, and two events with examples.

use codegen::model::*;
use serde_json::{Value, json};

fn name(wire: &str, rust: &str) -> Name {
    Name {
        wire: wire.into(),
        rust: rust.into(),
    }
}

fn field(wire: &str, ty: TypeRef) -> Field {
    Field {
        name: name(wire, wire),
        description: format!("The `{wire}` field."),
        ty,
        optional: false,
        nullable: false,
        constant: None,
        boxed: false,
        markers: Markers::default(),
        origin: Origin::default(),
    }
}

fn optional(mut f: Field) -> Field {
    f.optional = true;
    f
}

fn nullable(mut f: Field) -> Field {
    f.nullable = true;
    f
}

fn constant(wire: &str, value: &str) -> Field {
    Field {
        constant: Some(value.into()),
        ..field(wire, TypeRef::String)
    }
}

fn ty(wire: &str, slug: &str, kind: TypeKind) -> TypeDef {
    TypeDef {
        name: name(wire, wire),
        description: format!("The {wire} type."),
        kind,
        markers: Markers::default(),
        slug: slug.into(),
        origin: Origin::default(),
    }
}

fn id(wire: &str, slug: &str, prefix: &str) -> TypeDef {
    ty(
        wire,
        slug,
        TypeKind::Id {
            prefix: prefix.into(),
        },
    )
}

fn value(wire: &str, rust: &str) -> EnumValue {
    EnumValue {
        name: name(wire, rust),
        description: format!("Value `{wire}`."),
        markers: Markers::default(),
    }
}

const EVENT_ID: TypeId = TypeId(0);
const REQUEST_ID: TypeId = TypeId(1);
const TASK_RUN_ID: TypeId = TypeId(2);
const ERROR: TypeId = TypeId(3);
const TASK_RUN: TypeId = TypeId(4);
const TASK_RUN_STATUS: TypeId = TypeId(5);

fn types() -> Vec<TypeDef> {
    let mut old = value("cancelling", "Cancelling");
    old.markers.deprecated = Some("spelled `canceling` since 0.2.0".into());
    let status = TypeKind::Enum {
        values: vec![
            value("queued", "Queued"),
            value("unknown", "UnknownValue"),
            old,
            value("canceling", "Canceling"),
        ],
    };
    let error = TypeKind::Object {
        fields: vec![
            field("code", TypeRef::String),
            optional(nullable(field("message", TypeRef::String))),
        ],
        resource: None,
    };
    let resource = Resource {
        object: "task_run".into(),
        title: "Task run".into(),
        group: 0,
    };
    vec![
        id("EventId", "event_id", "evt_"),
        id("RequestId", "request_id", "req_"),
        id("TaskRunId", "task_run_id", "trun_"),
        ty("Error", "error", error),
        ty(
            "TaskRun",
            "task_run",
            TypeKind::Object {
                fields: task_run_fields(),
                resource: Some(resource),
            },
        ),
        ty("TaskRunStatus", "task_run_status", status),
    ]
}

fn task_run_fields() -> Vec<Field> {
    let mut legacy = optional(field("legacy", TypeRef::Boolean));
    legacy.markers = Markers {
        deprecated: Some(String::new()),
        since: Version::parse("0.1.0"),
    };
    vec![
        field("id", TypeRef::Named(TASK_RUN_ID)),
        constant("object", "task_run"),
        field("status", TypeRef::Named(TASK_RUN_STATUS)),
        nullable(field("started_at", TypeRef::DateTime)),
        optional(field(
            "errors",
            TypeRef::Array(Box::new(TypeRef::Named(ERROR))),
        )),
        optional(nullable(field("output", TypeRef::Json))),
        optional(field("url", TypeRef::Url)),
        field("labels", TypeRef::Map(Box::new(TypeRef::String))),
        optional(nullable(field("runtime_ms", TypeRef::Integer))),
        optional(field("score", TypeRef::Number)),
        optional(nullable(field("last_error", TypeRef::Named(ERROR)))),
        legacy,
    ]
}

fn envelope() -> Envelope {
    Envelope {
        description: "An event.".into(),
        fields: vec![
            field("id", TypeRef::Named(EVENT_ID)),
            constant("object", "event"),
            field("type", TypeRef::EventType),
            field("data", TypeRef::EventData),
            field("created_at", TypeRef::DateTime),
            optional(nullable(field("request_id", TypeRef::Named(REQUEST_ID)))),
        ],
        type_field: 2,
        data_field: 3,
    }
}

/// A full example event of the given type.
pub fn example_event(event_type: &str, status: &str) -> Value {
    json!({
        "id": "evt_01",
        "object": "event",
        "type": event_type,
        "data": {
            "id": "trun_01",
            "object": "task_run",
            "status": status,
            "started_at": "2025-01-15T09:30:00Z",
            "errors": [{ "code": "timeout", "message": null }],
            "output": null,
            "url": "https://deck.co/runs/trun_01",
            "labels": { "team": "ops" },
            "runtime_ms": 1200,
            "score": 0.5,
            "last_error": { "code": "timeout" },
        },
        "created_at": "2025-01-15T09:31:00Z",
        "request_id": null,
    })
}

fn example(json: Value) -> Example {
    let text = serde_json::to_string_pretty(&json).unwrap();
    Example { json, text }
}

fn event(wire: &str, action: &str, status: &str) -> EventDef {
    EventDef {
        name: name(wire, wire),
        object: "task_run".into(),
        action: action.into(),
        description: format!("Fired for `{wire}`."),
        data: TASK_RUN,
        group: 0,
        examples: vec![example(example_event(wire, status))],
        markers: Markers::default(),
        origin: Origin::default(),
    }
}

/// The fixture model.
pub fn model() -> Model {
    let mut failed = event("task_run.failed", "failed", "canceling");
    failed.markers.deprecated = Some("use task_run.completed".into());
    let mut minimal = example_event("task_run.failed", "queued");
    for key in [
        "errors",
        "output",
        "url",
        "runtime_ms",
        "score",
        "last_error",
        "legacy",
    ] {
        minimal["data"].as_object_mut().unwrap().remove(key);
    }
    minimal.as_object_mut().unwrap().remove("request_id");
    failed.examples.push(example(minimal));
    Model {
        package: Package {
            name: "deck-events".into(),
            lib_name: "deck_events".into(),
            version: Version::parse("0.1.0").unwrap(),
            title: "Deck events".into(),
            description: "Webhook events.".into(),
            schema_base_url: "https://schemas.deck.test/events/".into(),
            signing: Signing::StandardWebhooks,
            delivery: String::new(),
        },
        envelope: envelope(),
        types: types(),
        groups: vec![Group {
            title: "Task run".into(),
            object: "task_run".into(),
            resource: TASK_RUN,
            events: vec![0, 1],
            slug: "task_run".into(),
        }],
        events: vec![event("task_run.completed", "completed", "unknown"), failed],
    }
}
