//! Stage 2, the files of a spec: the root includes every other file exactly once.

use std::collections::HashMap;

use crate::diag::Span;
use crate::spec::RawSpec;

use super::Cx;

/// Rule: the root lists every other file exactly once under `include`, and every listed file
/// exists. A file that is present but not included would be silently ignored, which is never
/// what its author meant. Returns the files in include order, root first.
pub(super) fn check_includes(cx: &mut Cx, raw: &RawSpec, root: u32) -> Vec<usize> {
    let names: HashMap<&str, usize> = raw
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (cx.parsed.files[f.file as usize].name.as_str(), i))
        .collect();
    let root_idx = raw.files.iter().position(|f| f.file == root);
    let mut order: Vec<usize> = root_idx.into_iter().collect();
    let mut seen: HashMap<&str, Span> = HashMap::new();
    // Files offered for a misspelled entry: not reported again as not included.
    let mut suggested: Vec<&str> = Vec::new();
    for inc in &raw.include {
        if let Some(first) = seen.get(inc.value.as_str()) {
            cx.again(
                inc.span,
                cx.parsed.note(*first, "first included here"),
                format!("`{}` is included twice", inc.value),
                "again here",
                "remove one of the entries",
            );
            continue;
        }
        seen.insert(&inc.value, inc.span);
        if inc.value == crate::files::ROOT_FILE {
            cx.error(
                inc.span,
                "the root file includes itself",
                "here",
                Some("list only the other files".into()),
            );
            continue;
        }
        match names.get(inc.value.as_str()) {
            Some(&i) => order.push(i),
            None => {
                // Only a file that is not included yet can be the one meant.
                let candidates = raw
                    .include
                    .iter()
                    .map(|i| i.value.as_str())
                    .chain([crate::files::ROOT_FILE]);
                let candidates: Vec<&str> = names
                    .keys()
                    .copied()
                    .filter(|n| !candidates.clone().any(|c| c == *n))
                    .collect();
                let hint = match crate::spec::closest(&inc.value, candidates) {
                    Some(c) => {
                        suggested.push(c);
                        format!("did you mean `{c}`?")
                    }
                    None => format!(
                        "create `{}` or remove the entry; paths are relative to the spec directory",
                        inc.value
                    ),
                };
                cx.error(
                    inc.span,
                    format!("included file `{}` does not exist", inc.value),
                    "not found",
                    Some(hint),
                );
            }
        }
    }
    for f in &raw.files {
        let name = cx.parsed.files[f.file as usize].name.as_str();
        if f.file != root
            && !seen.contains_key(name)
            && !suggested.contains(&name)
            && !root_is_empty(cx, root)
        {
            cx.error(
                Span {
                    file: f.file,
                    line: 1,
                    col: 1,
                    len: 1,
                },
                format!("`{name}` is not included by `{}`", crate::files::ROOT_FILE),
                "this file is ignored",
                Some(format!(
                    "add `- {name}` under `include` in `{}`, or delete the file",
                    crate::files::ROOT_FILE
                )),
            );
        }
    }
    order
}

/// An empty root file is reported once, as empty, and not again for each missing section.
pub(super) fn root_is_empty(cx: &Cx, root: u32) -> bool {
    cx.parsed.files[root as usize].value.is_null()
}
