//! Beside the pipeline: a spec's [`History`], from the recorded releases and the spec, by the
//! diff engine. Each release is compared with the one before it, and the spec with the newest
//! release, so every change is credited to the version that first shipped it.

use std::collections::BTreeMap;

use crate::history::{History, Note, Status};
use crate::model::Model;

/// The history of `current` across `releases` (oldest first). `status` says whether `current`
/// is one of the releases itself, byte for byte: then the releases after it do not count; when
/// it is not, its changes since the newest release are credited to its own version.
pub fn history(releases: &[&Model], current: &Model, status: Status) -> History {
    let version = current.package.version;
    let releases: Vec<&Model> = match status {
        Status::Released => releases
            .iter()
            .copied()
            .filter(|m| m.package.version <= version)
            .collect(),
        Status::Unreleased => releases.to_vec(),
    };
    let mut notes: BTreeMap<_, Vec<Note>> = BTreeMap::new();
    let mut steps: Vec<(&Model, &Model)> = releases.windows(2).map(|w| (w[0], w[1])).collect();
    if let (Some(&newest), Status::Unreleased) = (releases.last(), status) {
        steps.push((newest, current));
    }
    for (old, new) in steps {
        let version = new.package.version;
        for change in super::diff(Some(old), Some(new)).changes {
            notes.entry(change.target).or_default().push(Note {
                step: change.step,
                version,
            });
        }
    }
    History { status, notes }
}
