// The fixed part of the `fixtures` module, the same for every spec: the generator writes the
// module documentation above it and the `CATALOG` of the spec's event types and examples below.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

/// One example event of the spec.
///
/// [`json`](Self::json) is the example exactly as the spec and the documentation show it.
/// Every example decodes (the crate's own tests decode each one), so [`event`](Self::event)
/// cannot fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fixture {
    event_type: &'static str,
    index: usize,
    json: &'static str,
}

impl Fixture {
    /// The event type the example belongs to.
    pub fn event_type(&self) -> crate::EventType {
        self.event_type.parse().unwrap_or_else(|never| match never {})
    }

    /// The position of the example among its event type's examples, from 0.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The example as pretty-printed JSON, keys in the spec's order.
    pub fn json(&self) -> &'static str {
        self.json
    }

    /// [`json`](Self::json) as bytes, as a webhook body arrives.
    pub fn bytes(&self) -> &'static [u8] {
        self.json.as_bytes()
    }

    /// The example decoded.
    pub fn event(&self) -> crate::Event {
        match crate::Event::from_slice(self.bytes()) {
            Ok(event) => event,
            // The generated tests decode every example, so this is a bug in the generator.
            Err(err) => panic!(
                "example {} of `{}` does not decode: {err}",
                self.index, self.event_type
            ),
        }
    }

    /// The example as a [`Builder`], to change fields before serializing it.
    pub fn builder(&self) -> Builder {
        match Builder::from_slice(self.bytes()) {
            Ok(builder) => builder,
            Err(err) => panic!(
                "example {} of `{}` is not JSON: {err}",
                self.index, self.event_type
            ),
        }
    }
}

/// An event type of the spec: its group, its description and its examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CatalogEntry {
    event_type: &'static str,
    group: &'static str,
    description: &'static str,
    examples: &'static [Fixture],
}

impl CatalogEntry {
    /// The event type.
    pub fn event_type(&self) -> crate::EventType {
        self.event_type.parse().unwrap_or_else(|never| match never {})
    }

    /// The title of the group (the resource) the event type belongs to.
    pub fn group(&self) -> &'static str {
        self.group
    }

    /// When the event is sent, as the spec says it (Markdown).
    pub fn description(&self) -> &'static str {
        self.description
    }

    /// The event type's examples, in spec order; every event type has at least one.
    pub fn examples(&self) -> &'static [Fixture] {
        self.examples
    }
}

/// Every example of every event type, in spec order.
pub fn all() -> impl Iterator<Item = &'static Fixture> {
    CATALOG.iter().flat_map(|entry| entry.examples)
}

impl crate::EventType {
    /// The spec's examples of this event type (feature `fixtures`); empty for a type this
    /// version does not know.
    ///
    /// ```
    /// use deck_events::EventType;
    ///
    /// for event_type in EventType::ALL {
    ///     for fixture in event_type.examples() {
    ///         assert_eq!(&fixture.event().event_type(), event_type);
    ///     }
    /// }
    /// let unknown: EventType = "future_object.created".parse().unwrap();
    /// assert!(unknown.examples().is_empty());
    /// ```
    pub fn examples(&self) -> &'static [Fixture] {
        let name = self.as_str();
        CATALOG
            .iter()
            .find(|entry| entry.event_type == name)
            .map_or(&[], |entry| entry.examples)
    }
}

/// A JSON document to change before serializing it: an example event with fields set or
/// removed, for a test that needs a payload the spec has no example of.
///
/// Objects keep the order of their keys (a new key goes last), so the output reads like the
/// example it came from. Paths name keys separated by dots (`data.status`), and array elements by
/// their index (`data.errors.0.message`); a key that holds a dot cannot be named.
///
/// ```
/// use deck_events::fixtures::Builder;
///
/// let body = br#"{"id":"evt_1","type":"x.y","data":{"status":"queued","errors":[]}}"#;
/// let json = Builder::from_slice(body)?
///     .set("id", "evt_test")?
///     .set("data.status", "failed")?
///     .set("data.errors.0", serde_json::json!({"message": "boom"}))?
///     .set("data.runtime_ms", 1200)?
///     .remove("type")?
///     .to_string();
/// assert_eq!(
///     json,
///     r#"{"id":"evt_test","data":{"status":"failed","errors":[{"message":"boom"}],"runtime_ms":1200}}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Builder {
    root: Node,
}

/// A path deeper than this is refused, as `serde_json` refuses to parse deeper documents.
const MAX_DEPTH: usize = 128;

impl Builder {
    /// Reads any JSON document: an example, or a body captured from a real delivery.
    ///
    /// # Errors
    /// When `json` is not JSON.
    pub fn from_slice(json: &[u8]) -> Result<Builder, serde_json::Error> {
        Ok(Builder {
            root: serde_json::from_slice(json)?,
        })
    }

    /// Sets the value at `path`, replacing what was there.
    ///
    /// Keys missing on the way are added as objects, and so is a key that holds `null`; an index
    /// may point one past the end of an array, to append. `value` is anything that converts into
    /// a `serde_json::Value`: a string, a number, a `bool`, a `json!` value.
    ///
    /// # Errors
    /// When the path is empty or too deep, goes through a string, number or `bool`, or indexes
    /// an array with something other than an index in range.
    ///
    /// ```
    /// use deck_events::fixtures::Builder;
    ///
    /// let builder = Builder::from_slice(br#"{"data":{"status":"queued","interaction":null}}"#)?;
    /// let builder = builder.set("data.interaction.kind", "mfa")?;
    /// assert_eq!(builder.to_string(), r#"{"data":{"status":"queued","interaction":{"kind":"mfa"}}}"#);
    ///
    /// let err = builder.set("data.status.code", 5).unwrap_err();
    /// assert_eq!(err.to_string(), "cannot set `data.status.code`: `data.status` is a string, not an object");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set(mut self, path: &str, value: impl Into<Value>) -> Result<Builder, PathError> {
        let segments = segments(path, "set")?;
        let (last, parents) = segments.split_last().expect("segments() is never empty");
        let parent = descend(&mut self.root, parents, path, "set", true)?;
        let value = Node::from(value.into());
        let at = || parents.join(".");
        match parent {
            Node::Object(entries) => match entries.iter_mut().find(|(key, _)| key == last) {
                Some((_, slot)) => *slot = value,
                None => entries.push(((*last).to_owned(), value)),
            },
            Node::Array(items) => {
                let index = array_index(last, items.len(), true, path, "set", &at())?;
                if index == items.len() {
                    items.push(value);
                } else {
                    items[index] = value;
                }
            }
            Node::Scalar(scalar) => {
                return Err(PathError::not_a_container(path, "set", &at(), scalar));
            }
        }
        Ok(self)
    }

    /// Removes the key or array element at `path`.
    ///
    /// # Errors
    /// When nothing is at `path`, so a mistyped path does not go unnoticed.
    ///
    /// ```
    /// use deck_events::fixtures::Builder;
    ///
    /// let builder = Builder::from_slice(br#"{"data":{"status":"queued","output":null}}"#)?;
    /// assert_eq!(builder.clone().remove("data.output")?.to_string(), r#"{"data":{"status":"queued"}}"#);
    /// assert!(builder.remove("data.outptu").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove(mut self, path: &str) -> Result<Builder, PathError> {
        let segments = segments(path, "remove")?;
        let (last, parents) = segments.split_last().expect("segments() is never empty");
        let parent = descend(&mut self.root, parents, path, "remove", false)?;
        let at = || parents.join(".");
        match parent {
            Node::Object(entries) => match entries.iter().position(|(key, _)| key == last) {
                Some(position) => {
                    entries.remove(position);
                }
                None => return Err(PathError::missing(path, "remove", &at(), last)),
            },
            Node::Array(items) => {
                let index = array_index(last, items.len(), false, path, "remove", &at())?;
                items.remove(index);
            }
            Node::Scalar(scalar) => {
                return Err(PathError::not_a_container(path, "remove", &at(), scalar));
            }
        }
        Ok(self)
    }

    /// The value at `path`, if there is one.
    ///
    /// ```
    /// use deck_events::fixtures::Builder;
    ///
    /// let builder = Builder::from_slice(br#"{"data":{"errors":[{"code":"timeout"}]}}"#)?;
    /// assert_eq!(builder.get("data.errors.0.code"), Some(serde_json::json!("timeout")));
    /// assert_eq!(builder.get("data.errors.1"), None);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn get(&self, path: &str) -> Option<Value> {
        let mut node = &self.root;
        for segment in path.split('.') {
            node = match node {
                Node::Object(entries) => &entries.iter().find(|(key, _)| key == segment)?.1,
                Node::Array(items) => items.get(parse_index(segment)?)?,
                Node::Scalar(_) => return None,
            };
        }
        Some(node.to_value())
    }

    /// The document as compact JSON, as a webhook body is sent.
    pub fn to_vec(&self) -> Vec<u8> {
        serde_json::to_vec(&self.root).expect("a JSON tree always serializes")
    }

    /// The document as pretty-printed JSON, indented like [`Fixture::json`].
    pub fn to_string_pretty(&self) -> String {
        serde_json::to_string_pretty(&self.root).expect("a JSON tree always serializes")
    }

    /// The document decoded as an event, as a receiver would: what [`Event::from_slice`]
    /// returns for [`to_vec`](Self::to_vec).
    ///
    /// # Errors
    /// When the document is no longer a valid event.
    ///
    /// [`Event::from_slice`]: crate::Event::from_slice
    pub fn event(&self) -> Result<crate::Event, crate::ParseError> {
        crate::Event::from_slice(&self.to_vec())
    }
}

/// Compact JSON, as [`Builder::to_vec`].
impl fmt::Display for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_json::to_string(&self.root).map_err(|_| fmt::Error)?)
    }
}

impl Serialize for Builder {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.root.serialize(serializer)
    }
}

/// A path that [`Builder::set`] or [`Builder::remove`] cannot follow; its message says where and
/// why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    path: String,
    message: String,
}

impl PathError {
    /// The path as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    fn new(path: &str, action: &str, reason: fmt::Arguments<'_>) -> PathError {
        PathError {
            path: path.to_owned(),
            message: format!("cannot {action} `{path}`: {reason}"),
        }
    }

    fn not_a_container(path: &str, action: &str, at: &str, scalar: &Value) -> PathError {
        let kind = match scalar {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            _ => "a string",
        };
        if at.is_empty() {
            PathError::new(path, action, format_args!("the document is {kind}, not an object"))
        } else {
            PathError::new(path, action, format_args!("`{at}` is {kind}, not an object"))
        }
    }

    fn missing(path: &str, action: &str, at: &str, key: &str) -> PathError {
        if at.is_empty() {
            PathError::new(path, action, format_args!("there is no `{key}`"))
        } else {
            PathError::new(path, action, format_args!("`{at}` has no `{key}`"))
        }
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PathError {}

fn segments<'p>(path: &'p str, action: &str) -> Result<Vec<&'p str>, PathError> {
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|segment| segment.is_empty()) {
        return Err(PathError::new(
            path,
            action,
            format_args!("a path is keys separated by single dots, such as `data.status`"),
        ));
    }
    if segments.len() > MAX_DEPTH {
        return Err(PathError::new(
            path,
            action,
            format_args!("a path has at most {MAX_DEPTH} parts"),
        ));
    }
    Ok(segments)
}

/// The node at `parents`, adding objects for missing keys (and in place of `null`) when `create`.
fn descend<'n>(
    mut node: &'n mut Node,
    parents: &[&str],
    path: &str,
    action: &str,
    create: bool,
) -> Result<&'n mut Node, PathError> {
    for (depth, segment) in parents.iter().enumerate() {
        let at = || parents[..depth].join(".");
        if create && matches!(node, Node::Scalar(Value::Null)) {
            *node = Node::Object(Vec::new());
        }
        node = match node {
            Node::Object(entries) => {
                let position = match entries.iter().position(|(key, _)| key == segment) {
                    Some(position) => position,
                    None if create => {
                        entries.push(((*segment).to_owned(), Node::Object(Vec::new())));
                        entries.len() - 1
                    }
                    None => return Err(PathError::missing(path, action, &at(), segment)),
                };
                &mut entries[position].1
            }
            Node::Array(items) => {
                let index = array_index(segment, items.len(), false, path, action, &at())?;
                &mut items[index]
            }
            Node::Scalar(scalar) => {
                return Err(PathError::not_a_container(path, action, &at(), scalar));
            }
        };
    }
    if create && matches!(node, Node::Scalar(Value::Null)) {
        *node = Node::Object(Vec::new());
    }
    Ok(node)
}

/// `segment` as an index into an array of `len` items; `len` itself too when `append`.
fn array_index(
    segment: &str,
    len: usize,
    append: bool,
    path: &str,
    action: &str,
    at: &str,
) -> Result<usize, PathError> {
    let array = if at.is_empty() {
        "the document".to_owned()
    } else {
        format!("`{at}`")
    };
    match parse_index(segment) {
        Some(index) if index < len || (append && index == len) => Ok(index),
        Some(index) => Err(PathError::new(
            path,
            action,
            format_args!("{array} has {len} items, so {index} is out of range"),
        )),
        None => Err(PathError::new(
            path,
            action,
            format_args!("{array} is an array: index it with a number, not `{segment}`"),
        )),
    }
}

/// A decimal array index, without sign or leading zeros.
fn parse_index(segment: &str) -> Option<usize> {
    if segment.len() > 1 && segment.starts_with('0') {
        return None;
    }
    if !segment.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    segment.parse().ok()
}

/// A JSON value whose objects keep their keys in order.
///
/// `serde_json::Value` sorts keys unless `serde_json`'s `preserve_order` feature is on, and
/// turning that on here would turn it on for every user of `serde_json` in the dependent's build.
/// This small tree keeps the order without changing anyone's `serde_json`.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    /// `null`, a boolean, a number or a string.
    Scalar(Value),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    fn to_value(&self) -> Value {
        match self {
            Node::Scalar(value) => value.clone(),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(key, node)| (key.clone(), node.to_value()))
                    .collect(),
            ),
        }
    }
}

impl From<Value> for Node {
    fn from(value: Value) -> Node {
        match value {
            Value::Array(items) => Node::Array(items.into_iter().map(Node::from).collect()),
            Value::Object(entries) => Node::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key, Node::from(value)))
                    .collect(),
            ),
            scalar => Node::Scalar(scalar),
        }
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Scalar(value) => value.serialize(serializer),
            Node::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Scalar(Value::Null))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Node, E> {
        Ok(Node::Scalar(Value::Bool(value)))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Node, E> {
        Ok(Node::Scalar(Value::from(value)))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Node, E> {
        Ok(Node::Scalar(Value::from(value)))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Node, E> {
        // JSON text has no NaN or infinity, so the conversion never gives `null`.
        Ok(Node::Scalar(Value::from(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Node, E> {
        Ok(Node::Scalar(Value::from(value)))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Node, E> {
        Ok(Node::Scalar(Value::String(value)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Node>()? {
            // A repeated key keeps its first place and its last value, as `serde_json` reads it.
            match entries.iter_mut().find(|(k, _)| *k == key) {
                Some((_, slot)) => *slot = value,
                None => entries.push((key, value)),
            }
        }
        Ok(Node::Object(entries))
    }
}
