//! Synthetic specs of any size, shaped like the real one, for measuring codegen at scale.
//!
//! Each resource has a typed ID, an inline status enum, a shared nested object, a list of errors
//! and about twenty fields of every kind, and ten events; the spec is split into one file per
//! resource, as a large real spec would be. Generation is a pure function of the event count, so
//! every run measures the same input.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Actions given to each resource's events, in order.
const ACTIONS: &[&str] = &[
    "created",
    "updated",
    "deleted",
    "queued",
    "running",
    "completed",
    "failed",
    "canceled",
    "archived",
    "restored",
];

/// A spec with `events` event types (rounded up to a multiple of ten), as files for
/// [`codegen::load_files`].
pub fn spec(events: usize) -> BTreeMap<String, String> {
    let resources = events.div_ceil(ACTIONS.len()).max(1);
    let mut files = BTreeMap::new();
    let mut root = String::from(ROOT);
    for r in 0..resources {
        let _ = writeln!(root, "  - r{r:05}.yaml");
        files.insert(format!("r{r:05}.yaml"), resource(r));
    }
    files.insert(codegen::ROOT_FILE.to_string(), root);
    files
}

const ROOT: &str = r#"package:
  name: synthetic-events
  version: 1.0.0
  title: Synthetic events
  description: A generated catalog for benchmarks.
  schema_base_url: https://schemas.example.com/synthetic/
envelope:
  description: An event.
  fields:
    id: { type: EventId, description: Identifier of the event. }
    object: { type: string, const: event, description: Always `event`. }
    type: { type: event_type, description: The event type. }
    data: { type: event_data, description: The resource. }
    created_at: { type: datetime, description: When it happened. }
    request_id: { type: RequestId, optional: true, nullable: true, description: The request. }
types:
  EventId: { id: evt_, description: Identifier of an event. }
  RequestId: { id: req_, description: Identifier of a request. }
  Problem:
    description: Something that went wrong.
    fields:
      code: { type: string, description: Machine-readable code. }
      message: { type: string, description: Human-readable text. }
      field: { type: string, optional: true, nullable: true, description: The input at fault. }
include:
"#;

fn resource(r: usize) -> String {
    let obj = format!("res{r:05}");
    let ty = format!("Res{r:05}");
    let mut s = String::new();
    let _ = write!(
        s,
        r#"types:
  {ty}Id: {{ id: r{r}_, description: Identifier of a {obj}. }}
  {ty}Detail:
    description: Nested detail of a {obj}.
    fields:
      label: {{ type: string, description: A label. }}
      weight: {{ type: number, optional: true, description: A weight. }}
      home: {{ type: url, optional: true, nullable: true, description: A link. }}
  {ty}:
    resource: {obj}
    description: Resource number {r}.
    fields:
      id: {{ type: {ty}Id, description: Identifier. }}
      object: {{ type: string, const: {obj}, description: Always `{obj}`. }}
      status:
        description: Lifecycle state.
        values:
"#
    );
    for a in ACTIONS {
        let _ = writeln!(s, "          {a}: The resource is {a}.");
    }
    s.push_str(
        r#"      name: { type: string, description: Display name. }
      description: { type: string, optional: true, nullable: true, description: Free text. }
      count: { type: integer, optional: true, description: A count. }
      ratio: { type: number, optional: true, description: A ratio. }
      enabled: { type: boolean, optional: true, description: A flag. }
      tags: { type: "array<string>", optional: true, description: Tags. }
      labels: { type: "map<string>", optional: true, description: Labels. }
      metadata: { type: json, optional: true, nullable: true, description: Anything. }
      errors: { type: "array<Problem>", optional: true, description: What went wrong. }
      started_at: { type: datetime, optional: true, nullable: true, description: Start. }
      finished_at: { type: datetime, optional: true, nullable: true, description: End. }
      runtime_ms: { type: integer, optional: true, nullable: true, description: Runtime. }
      url: { type: url, optional: true, description: A link. }
      request_id: { type: RequestId, optional: true, description: The request. }
      created_at: { type: datetime, description: Creation time. }
      updated_at: { type: datetime, description: Update time. }
"#,
    );
    let _ = writeln!(
        s,
        "      detail: {{ type: {ty}Detail, optional: true, description: Nested detail. }}"
    );
    s.push_str("events:\n");
    for (i, a) in ACTIONS.iter().enumerate() {
        let _ = write!(
            s,
            r#"  {obj}.{a}:
    description: A {obj} is {a}.
    examples:
      - id: evt_{r}x{i}
        object: event
        type: {obj}.{a}
        data:
          id: r{r}_{i}
          object: {obj}
          status: {a}
          name: Resource {r}
          tags: [a, b]
          errors: [{{ code: c, message: m }}]
          detail: {{ label: l, weight: 0.5 }}
          created_at: 2025-01-15T09:30:00Z
          updated_at: 2025-01-15T09:30:00Z
        created_at: 2025-01-15T09:30:00Z
        request_id: req_{r}x{i}
"#
        );
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn synthetic_specs_load_with_the_requested_size() {
        for n in [10, 100] {
            let model = codegen::load_files(&super::spec(n)).unwrap_or_else(|d| panic!("{d}"));
            assert_eq!(model.events.len(), n);
            assert_eq!(model.groups.len(), n / 10);
        }
    }

    /// The synthetic catalogs are valid for the editors' schemas of the spec format too, so the
    /// schemas are measured against specs of every shape the benchmarks use.
    #[test]
    fn synthetic_specs_are_valid_for_the_spec_format_schemas() {
        use codegen::emit::spec_format::schema;
        use codegen::format;
        let root = jsonschema::draft7::new(&schema(&format::ROOT_FILE)).unwrap();
        let included = jsonschema::draft7::new(&schema(&format::INCLUDED_FILE)).unwrap();
        for (name, text) in super::spec(30) {
            let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
            let doc = serde_json::to_value(yaml).unwrap();
            let validator = if name == codegen::ROOT_FILE {
                &root
            } else {
                &included
            };
            let errors: Vec<String> = validator
                .iter_errors(&doc)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{name}: {errors:#?}");
        }
    }
}
