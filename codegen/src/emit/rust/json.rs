//! Stage 3, Rust: the `json` module of the generated crate: `Json`, the type of `json` fields, and
//! the capture of a value's JSON text that the envelope's decoder shares.
//!
//! The module is hand-written runtime code (`verbatim/json.rs`) copied into every crate as is. It
//! is compiled here too, so the tests below hold it to what consumers rely on: every value reads
//! back as the same text through serde_json, and as the same value through any other
//! deserializer or serializer.

/// The module's source, verbatim.
pub(crate) const SOURCE: &str = include_str!("verbatim/json.rs");

/// The Rust type of a `json` field.
pub(crate) const TYPE: &str = "crate::json::Json";

#[cfg(test)]
#[path = "verbatim/json.rs"]
mod runtime;

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::{Value, json};

    use super::runtime::Json;

    /// A struct that holds free-form JSON, as the crate's do.
    #[derive(Debug, PartialEq, Deserialize, serde::Serialize)]
    struct Holder {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        output: Option<Json>,
        schema: Json,
    }

    /// Bodies whose free-form values hold what a `Value` would change: key order, spacing, a
    /// number beyond `f64`'s precision, a repeated key, escapes.
    const BODIES: &[&str] = &[
        r#"{"schema":{"z":1,"a":[true,null,{"b":"c"}]},"output":{"payee":"City Water","amount":115.13}}"#,
        r#"{"schema":12345678901234567890123456789,"output":null}"#,
        r#"{"schema":{"k":1,"k":2}}"#,
        r#"{"schema":"caf\u00e9 \"quoted\"\n"}"#,
        r#"{"output":[],"schema":-0.0}"#,
        r#"{"schema":{ "spaced" : [ 1 , 2 ] }}"#,
    ];

    /// The text each free-form value has in `body`.
    fn texts(holder: &Holder) -> (Option<&str>, &str) {
        (
            holder.output.as_ref().map(Json::as_str),
            holder.schema.as_str(),
        )
    }

    #[test]
    fn serde_json_keeps_the_text_byte_for_byte() {
        for body in BODIES {
            let from_slice: Holder = serde_json::from_slice(body.as_bytes()).unwrap();
            let from_str: Holder = serde_json::from_str(body).unwrap();
            let from_reader: Holder = serde_json::from_reader(body.as_bytes()).unwrap();
            assert_eq!(texts(&from_slice), texts(&from_str), "{body}");
            assert_eq!(texts(&from_slice), texts(&from_reader), "{body}");
            // Written back, each value is the same text.
            let written = serde_json::to_string(&from_slice).unwrap();
            let again: Holder = serde_json::from_str(&written).unwrap();
            assert_eq!(texts(&again), texts(&from_slice), "{body}");
            assert_eq!(
                serde_json::to_string(&from_slice.schema).unwrap(),
                from_slice.schema.as_str()
            );
        }
    }

    #[test]
    fn a_value_reads_as_the_text_the_parser_saw() {
        let holder: Holder = serde_json::from_str(BODIES[0]).unwrap();
        assert_eq!(
            holder.schema.as_str(),
            r#"{"z":1,"a":[true,null,{"b":"c"}]}"#
        );
        let spaced: Holder = serde_json::from_str(BODIES[5]).unwrap();
        assert_eq!(spaced.schema.as_str(), r#"{ "spaced" : [ 1 , 2 ] }"#);
        assert_eq!(spaced.schema.to_string(), spaced.schema.as_str());
    }

    #[test]
    fn other_deserializers_read_the_same_value() {
        for body in BODIES {
            let json: Holder = serde_json::from_str(body).unwrap();
            let value: Value = serde_json::from_str(body).unwrap();
            // From a `Value`, owned and borrowed.
            let owned = Holder::deserialize(value.clone()).unwrap();
            let borrowed = Holder::deserialize(&value).unwrap();
            // From YAML, whose deserializer knows nothing of serde_json's raw values.
            let yaml = serde_yaml::to_string(&value).unwrap();
            let from_yaml: Holder = serde_yaml::from_str(&yaml).unwrap();
            for other in [&owned, &borrowed, &from_yaml] {
                assert_eq!(other, &json, "{body}");
            }
        }
    }

    #[test]
    fn other_serializers_write_the_value() {
        let holder: Holder = serde_json::from_str(BODIES[0]).unwrap();
        let expected = json!({
            "schema": {"a": [true, null, {"b": "c"}], "z": 1},
            "output": {"amount": 115.13, "payee": "City Water"},
        });
        assert_eq!(serde_json::to_value(&holder).unwrap(), expected);
        let yaml = serde_yaml::to_string(&holder).unwrap();
        assert_eq!(serde_yaml::from_str::<Value>(&yaml).unwrap(), expected);
        assert!(!yaml.contains("serde_json"), "{yaml}");
    }

    #[test]
    fn what_a_value_cannot_hold_is_kept_and_reported() {
        // JSON allows any number; `Value` reads numbers as `f64` at most.
        let holder: Holder = serde_json::from_str(r#"{"schema":1e400}"#).unwrap();
        assert_eq!(holder.schema.as_str(), "1e400");
        assert!(holder.schema.to_value().is_err());
        assert_eq!(
            serde_json::to_string(&holder).unwrap(),
            r#"{"schema":1e400}"#
        );
        assert!(serde_yaml::to_string(&holder).is_err());
    }

    #[test]
    fn equality_is_of_values() {
        let a: Json = r#"{"a": 1, "b": [2]}"#.parse().unwrap();
        let b: Json = r#"{"b":[2],"a":1}"#.parse().unwrap();
        let c: Json = r#"{"a":1,"b":[3]}"#.parse().unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, json!({"a": 1, "b": [2]}));
        assert_eq!(Json::from(json!({"a": 1, "b": [2]})), a);
        let huge: Json = "1e400".parse().unwrap();
        assert_eq!(huge, huge.clone());
        assert_ne!(huge, "1e401".parse::<Json>().unwrap());
    }

    #[test]
    fn text_is_checked_and_trimmed() {
        let json: Json = "  [1, 2]\n".parse().unwrap();
        assert_eq!(json.as_str(), "[1, 2]");
        for bad in ["", "[1,", "1 2", "{\"a\"}", "nul"] {
            assert!(bad.parse::<Json>().is_err(), "{bad:?}");
        }
        assert!("null".parse::<Json>().unwrap().is_null());
        assert!(!"0".parse::<Json>().unwrap().is_null());
    }

    #[test]
    fn it_decodes_into_a_type_of_the_consumer() {
        #[derive(Deserialize)]
        struct Payment<'a> {
            payee: &'a str,
            amount: f64,
        }
        let holder: Holder = serde_json::from_str(BODIES[0]).unwrap();
        let payment: Payment<'_> = holder.output.as_ref().unwrap().parse().unwrap();
        assert_eq!((payment.payee, payment.amount), ("City Water", 115.13));
        assert_eq!(Json::from_serialize(&[1, 2]).unwrap().as_str(), "[1,2]");
    }

    #[test]
    fn malformed_input_is_an_error() {
        for body in [
            r#"{"schema":}"#,
            r#"{"schema":[1,}"#,
            r#"{"schema":"unterminated}"#,
            r#"{"schema":{"a" 1}}"#,
        ] {
            assert!(serde_json::from_str::<Holder>(body).is_err(), "{body}");
            assert!(
                serde_json::from_slice::<Holder>(body.as_bytes()).is_err(),
                "{body}"
            );
        }
    }
}
