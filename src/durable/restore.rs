//! Reading the state directory back: the newest snapshot, then its log's records in order.

use super::dir::{self, Dir};
use super::image::{self, Image};
use super::log;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io;
use std::path::Path;

/// The `format` of a compaction snapshot file.
pub const SNAPSHOT_FORMAT: &str = "hr-sandbox-state-snapshot";
/// Its version.
pub const SNAPSHOT_VERSION: u64 = 1;

/// What the directory holds.
pub struct Loaded {
    /// Every sandbox, by name (empty for a new directory).
    pub images: BTreeMap<String, Image>,
    /// The generation of the newest snapshot (0: none yet).
    pub generation: u64,
    /// The good length of its log (a torn tail is cut off when it is opened for appending).
    pub log_len: u64,
    /// The snapshot's size in bytes (compaction compares the log with it).
    pub snapshot_len: u64,
}

/// The snapshot of generation `generation` read into images.
pub fn read_snapshot(file: &Path) -> io::Result<(BTreeMap<String, Image>, u64)> {
    let bytes = std::fs::read(file).map_err(|e| dir::error(file, e))?;
    let document: Value = serde_json::from_slice(&bytes).map_err(|e| dir::error(file, format!("not JSON ({e})")))?;
    if document["format"] != SNAPSHOT_FORMAT {
        return Err(dir::error(
            file,
            format!("not an hr-sandbox state snapshot (format is not \"{SNAPSHOT_FORMAT}\")"),
        ));
    }
    match document["version"].as_u64() {
        Some(SNAPSHOT_VERSION) => {}
        other => {
            return Err(dir::error(
                file,
                format!(
                    "snapshot version {} is not supported: this hr-sandbox reads and writes version {SNAPSHOT_VERSION}",
                    other.map_or("(none)".to_owned(), |v| v.to_string())
                ),
            ));
        }
    }
    let mut images = BTreeMap::new();
    for (i, entry) in document["sandboxes"].as_array().into_iter().flatten().enumerate() {
        let (Some(name), Some(state)) = (entry["name"].as_str(), entry["state"].as_object()) else {
            return Err(dir::error(file, format!("sandboxes[{i}] has no name or state")));
        };
        let origin = entry.get("origin").filter(|o| !o.is_null()).map(|o| std::sync::Arc::new(o.clone()));
        let wall: DateTime<Utc> = serde_json::from_value(entry["wall"].clone()).unwrap_or_else(|_| Utc::now());
        images.insert(name.to_owned(), Image { origin, state: state.clone(), wall, mark: image::Mark::read(entry) });
    }
    Ok((images, bytes.len() as u64))
}

/// A snapshot file's bytes for these images.
pub fn snapshot_bytes(images: &[(String, Image)]) -> Vec<u8> {
    let sandboxes: Vec<Value> = images
        .iter()
        .map(|(name, image)| {
            json!({
                "name": name, "origin": image.origin.as_deref(), "wall": image.wall,
                "run": image.mark.run, "seq": image.mark.seq, "at": image.mark.at, "state": image.state,
            })
        })
        .collect();
    let document = json!({"format": SNAPSHOT_FORMAT, "version": SNAPSHOT_VERSION, "sandboxes": sandboxes});
    serde_json::to_vec(&document).unwrap_or_default()
}

/// The newest snapshot and every record of its log, applied in order. A record that cannot
/// apply is damage: an error naming the log.
pub fn load(dir: &Dir) -> io::Result<Loaded> {
    let Some(&generation) = dir.generations()?.last() else {
        return Ok(Loaded { images: BTreeMap::new(), generation: 0, log_len: 0, snapshot_len: 0 });
    };
    let (mut images, snapshot_len) = read_snapshot(&dir.snapshot(generation))?;
    let log_file = dir.log(generation);
    let read = if log_file.exists() {
        let read = log::read(&log_file, generation)?;
        if read.torn {
            tracing::warn!(file = %log_file.display(), offset = read.good_len, "dropped a torn last record (a crash mid-append); the log is cut there");
        }
        read
    } else {
        log::Records { records: Vec::new(), good_len: 0, torn: false }
    };
    for (i, record) in read.records.iter().enumerate() {
        image::apply(&mut images, record).map_err(|why| dir::error(&log_file, format!("record {}: {why}", i + 1)))?;
    }
    Ok(Loaded { images, generation, log_len: read.good_len, snapshot_len })
}

/// Makes the registry what `images` describe (after a failed write): a sandbox's state restored
/// from its image, one the disk does not know deleted, one only the disk knows made again.
pub fn reconcile(registry: &crate::sandbox::SandboxRegistry, images: &BTreeMap<String, Image>) {
    for sandbox in registry.all() {
        let outcome = match images.get(sandbox.name()) {
            Some(image) => crate::snapshot::restore(&sandbox, &image.document()).map_err(|p| p.to_string()),
            None => registry.delete(sandbox.name()).map_err(|e| format!("{e:?}")),
        };
        if let Err(why) = outcome {
            tracing::error!(sandbox = sandbox.name(), %why, "could not be put back as the state directory has it");
        }
    }
    for (name, image) in images.iter().filter(|(name, _)| registry.get(name).is_none()) {
        if let Err(why) = registry.create_with(name, |name, setup| image.clone().build(name, setup)) {
            tracing::error!(sandbox = %name, why = ?why, "could not be made again from the state directory");
        }
    }
}
