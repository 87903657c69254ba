//! The event types and their examples, from the crate's `fixtures` module: choosing them by name,
//! changing them with `--set`, and the `list` and `example` commands.

use deck_events::fixtures::{Builder, CATALOG, CatalogEntry, Fixture};
use serde_json::Value;

use crate::style::{self, BOLD, DIM};
use crate::{ExampleArgs, ExampleChoice, Failure, ListArgs, ListFormat};

/// One `--set PATH=VALUE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Set {
    pub path: String,
    pub value: Value,
}

/// Parses `PATH=VALUE`; VALUE is JSON when it parses as JSON, a string otherwise, so
/// `data.status=failed` needs no quotes and `data.runtime_ms=5` is a number.
pub fn parse_set(text: &str) -> Result<Set, String> {
    let Some((path, value)) = text.split_once('=') else {
        return Err("expected PATH=VALUE, such as data.status=failed".into());
    };
    if path.is_empty() {
        return Err("the PATH before `=` is empty; write it like data.status".into());
    }
    let value = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_owned()));
    Ok(Set {
        path: path.to_owned(),
        value,
    })
}

/// The catalog entries named on the command line, in catalog order, each once: `all`, or every
/// name, where `object.*` stands for every type of a group.
pub fn select(names: &[String], all: bool) -> Result<Vec<&'static CatalogEntry>, Failure> {
    if all {
        return Ok(CATALOG.iter().collect());
    }
    let mut chosen = vec![false; CATALOG.len()];
    for name in names {
        let matches: Vec<usize> = match name.strip_suffix(".*") {
            Some(object) => CATALOG
                .iter()
                .enumerate()
                .filter(|(_, entry)| entry.event_type().object() == object)
                .map(|(i, _)| i)
                .collect(),
            None => CATALOG
                .iter()
                .position(|entry| entry.event_type().as_str() == name)
                .into_iter()
                .collect(),
        };
        if matches.is_empty() {
            return Err(unknown_type(name).into());
        }
        for i in matches {
            chosen[i] = true;
        }
    }
    Ok(CATALOG
        .iter()
        .zip(chosen)
        .filter_map(|(entry, chosen)| chosen.then_some(entry))
        .collect())
}

/// The message for a name that is not an event type, with the closest one.
fn unknown_type(name: &str) -> String {
    let candidates = CATALOG.iter().map(|entry| entry.event_type().to_string());
    let groups = CATALOG
        .iter()
        .map(|entry| format!("{}.*", entry.event_type().object()));
    let closest = candidates
        .chain(groups)
        .map(|candidate| (strsim::jaro_winkler(name, &candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate);
    let hint = match closest {
        Some(candidate) => format!("did you mean `{candidate}`? "),
        None => String::new(),
    };
    format!(
        "`{name}` is not an event type of this catalog; {hint}`deck-events list` shows them all"
    )
}

/// The example the user asked for with `--example N` (from 1).
pub fn fixture(entry: &CatalogEntry, choice: &ExampleChoice) -> Result<&'static Fixture, Failure> {
    let examples = entry.examples();
    let index = usize::try_from(choice.number).unwrap_or(usize::MAX) - 1;
    examples.get(index).ok_or_else(|| {
        let count = examples.len();
        let plural = if count == 1 { "example" } else { "examples" };
        Failure(format!(
            "{} has {count} {plural}, so there is no --example {}",
            entry.event_type(),
            choice.number
        ))
    })
}

/// Applies the `--set`s in order.
pub fn apply(mut builder: Builder, sets: &[Set]) -> Result<Builder, Failure> {
    for set in sets {
        builder = builder
            .set(&set.path, set.value.clone())
            .map_err(|err| Failure(format!("--set {}: {err}", set.path)))?;
    }
    Ok(builder)
}

/// The first line of a Markdown description, as plain text on one line.
fn summary(description: &str) -> String {
    let paragraph = description.split("\n\n").next().unwrap_or_default();
    paragraph.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One element of `list --format json`, its keys in this order.
#[derive(serde::Serialize)]
struct ListedType {
    #[serde(rename = "type")]
    event_type: String,
    group: &'static str,
    description: String,
    examples: usize,
}

/// `deck-events list`.
pub fn list(args: ListArgs) -> Result<(), Failure> {
    let text = match args.format {
        ListFormat::Json => {
            let entries: Vec<ListedType> = CATALOG
                .iter()
                .map(|entry| ListedType {
                    event_type: entry.event_type().to_string(),
                    group: entry.group(),
                    description: summary(entry.description()),
                    examples: entry.examples().len(),
                })
                .collect();
            serde_json::to_string_pretty(&entries).expect("strings and numbers serialize")
        }
        ListFormat::Text => {
            let width_type = CATALOG
                .iter()
                .map(|entry| entry.event_type().as_str().len())
                .max()
                .unwrap_or(0)
                .max("TYPE".len());
            let width_group = CATALOG
                .iter()
                .map(|entry| entry.group().len())
                .max()
                .unwrap_or(0)
                .max("GROUP".len());
            let header = format!(
                "{:width_type$}  {:width_group$}  DESCRIPTION",
                "TYPE", "GROUP"
            );
            let mut lines = vec![style::paint(BOLD, header)];
            for entry in CATALOG {
                let examples = match entry.examples().len() {
                    1 => String::new(),
                    n => style::paint(DIM, format!(" ({n} examples)")),
                };
                lines.push(format!(
                    "{:width_type$}  {:width_group$}  {}{examples}",
                    entry.event_type().as_str(),
                    entry.group(),
                    summary(entry.description()),
                ));
            }
            lines.join("\n")
        }
    };
    style::result(&text)
}

/// `deck-events example`.
pub fn example(args: ExampleArgs) -> Result<(), Failure> {
    let entry = select(std::slice::from_ref(&args.event_type), false)?;
    let [entry] = entry[..] else {
        return Err(Failure(format!(
            "`{}` names several event types; name one (`deck-events list` shows them)",
            args.event_type
        )));
    };
    let fixture = fixture(entry, &args.example)?;
    let text = if args.example.sets.is_empty() {
        fixture.json().to_owned()
    } else {
        let builder = apply(fixture.builder(), &args.example.sets)?;
        if let Err(err) = builder.event() {
            style::note(&format!(
                "after --set, this is no longer a valid {} event: {err}",
                entry.event_type()
            ));
        }
        builder.to_string_pretty()
    };
    style::result(&text)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn set_values_are_json_when_they_parse() {
        let set = |text| parse_set(text).unwrap().value;
        assert_eq!(set("data.status=failed"), json!("failed"));
        assert_eq!(set("data.runtime_ms=1200"), json!(1200));
        assert_eq!(set("data.result=null"), json!(null));
        assert_eq!(set("data.status=\"5\""), json!("5"));
        assert_eq!(set("data.input={\"a\":[1]}"), json!({"a": [1]}));
        assert_eq!(set("data.note=a=b"), json!("a=b"));
        assert_eq!(set("data.note="), json!(""));
        assert_eq!(parse_set("data.note=x").unwrap().path, "data.note");
        assert!(parse_set("data.status").is_err());
        assert!(parse_set("=failed").is_err());
    }

    #[test]
    fn selection_keeps_catalog_order_and_expands_groups() {
        let names = |names: &[&str]| -> Vec<String> {
            select(
                &names.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
                false,
            )
            .unwrap()
            .iter()
            .map(|entry| entry.event_type().to_string())
            .collect()
        };
        assert_eq!(
            names(&["task_run.failed", "agent.created", "task_run.failed"]),
            ["agent.created", "task_run.failed"]
        );
        let group = names(&["task_run.*"]);
        assert!(group.len() > 1);
        assert!(group.iter().all(|t| t.starts_with("task_run.")));
        assert_eq!(select(&[], true).unwrap().len(), CATALOG.len());
    }

    #[test]
    fn an_unknown_type_gets_the_closest_name() {
        let err = select(&["task_run.complete".into()], false).unwrap_err().0;
        assert!(err.contains("did you mean `task_run.completed`?"), "{err}");
        let err = select(&["nothing.like.it".into()], false).unwrap_err().0;
        assert!(err.contains("`deck-events list` shows them all"), "{err}");
        assert!(!err.contains("did you mean"), "{err}");
    }

    #[test]
    fn descriptions_become_one_line() {
        assert_eq!(
            summary("Fired when\n  it runs.\n\nMore."),
            "Fired when it runs."
        );
    }
}
