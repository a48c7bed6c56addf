//! Reading the state directory back: the newest snapshot, then its log's records in order.

use super::dir::{self, Dir};
use super::image::{self, Image};
use super::log;
use chrono::{DateTime, Utc};
use serde_json::value::RawValue;
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
    /// The version of its log (0: none yet): an older one is not appended to.
    pub log_version: u64,
}

/// The snapshot `file` read into images.
pub fn read_snapshot(file: &Path) -> io::Result<(BTreeMap<String, Image>, u64)> {
    let bytes = std::fs::read(file).map_err(|e| dir::error(file, e))?;
    let mut images = BTreeMap::new();
    for (i, entry) in entries(file, &bytes)?.into_iter().enumerate() {
        let entry: Value =
            serde_json::from_str(entry.get()).map_err(|e| dir::error(file, format!("not JSON ({e})")))?;
        let (name, image) = entry_image(file, i, entry)?;
        images.insert(name, image);
    }
    Ok((images, bytes.len() as u64))
}

/// Sandbox `name`'s image in the snapshot read from `file` (opened at `path`), if it has one:
/// the other sandboxes' entries are only scanned for their names, never built.
pub fn read_snapshot_of(file: &mut std::fs::File, path: &Path, name: &str) -> io::Result<Option<Image>> {
    use std::io::Read;
    #[derive(serde::Deserialize)]
    struct Named<'a> {
        #[serde(borrow)]
        name: Option<std::borrow::Cow<'a, str>>,
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(|e| dir::error(path, e))?;
    for (i, entry) in entries(path, &bytes)?.into_iter().enumerate() {
        let named: Named =
            serde_json::from_str(entry.get()).map_err(|e| dir::error(path, format!("not JSON ({e})")))?;
        if named.name.as_deref() == Some(name) {
            let entry: Value =
                serde_json::from_str(entry.get()).map_err(|e| dir::error(path, format!("not JSON ({e})")))?;
            return entry_image(path, i, entry).map(|(_, image)| Some(image));
        }
    }
    Ok(None)
}

/// A snapshot file's sandbox entries, unparsed, after its format and version are checked.
fn entries<'a>(file: &Path, bytes: &'a [u8]) -> io::Result<Vec<&'a RawValue>> {
    #[derive(serde::Deserialize)]
    struct Document<'a> {
        #[serde(default)]
        format: Value,
        #[serde(default)]
        version: Value,
        #[serde(borrow, default)]
        sandboxes: Vec<&'a RawValue>,
    }
    let document: Document = serde_json::from_slice(bytes).map_err(|e| dir::error(file, format!("not JSON ({e})")))?;
    if document.format != SNAPSHOT_FORMAT {
        return Err(dir::error(
            file,
            format!("not an hr-sandbox state snapshot (format is not \"{SNAPSHOT_FORMAT}\")"),
        ));
    }
    match document.version.as_u64() {
        Some(SNAPSHOT_VERSION) => Ok(document.sandboxes),
        other => Err(dir::error(
            file,
            format!(
                "snapshot version {} is not supported: this hr-sandbox reads and writes version {SNAPSHOT_VERSION}",
                other.map_or("(none)".to_owned(), |v| v.to_string())
            ),
        )),
    }
}

/// Entry `i` of a snapshot file as a named image.
fn entry_image(file: &Path, i: usize, mut entry: Value) -> io::Result<(String, Image)> {
    let state = entry.get_mut("state").map(Value::take);
    let (Some(name), Some(Value::Object(state))) = (entry["name"].as_str(), state) else {
        return Err(dir::error(file, format!("sandboxes[{i}] has no name or state")));
    };
    let origin = entry.get("origin").filter(|o| !o.is_null()).map(|o| std::sync::Arc::new(o.clone()));
    let wall: DateTime<Utc> = serde_json::from_value(entry["wall"].clone()).unwrap_or_else(|_| Utc::now());
    Ok((name.to_owned(), Image { origin, state, wall, mark: image::Mark::read(&entry) }))
}

/// A snapshot file's bytes for these images.
pub fn snapshot_bytes(images: &[(String, Image)]) -> Vec<u8> {
    let sandboxes: Vec<Value> = images
        .iter()
        .map(|(name, image)| {
            json!({
                "name": name, "origin": image.origin.as_deref(), "wall": image.wall,
                "run": image.mark.run, "epoch": image.mark.epoch, "seq": image.mark.seq, "at": image.mark.at, "state": image.state,
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
        return Ok(Loaded { images: BTreeMap::new(), generation: 0, log_len: 0, snapshot_len: 0, log_version: 0 });
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
        log::Records { records: Vec::new(), good_len: 0, torn: false, version: 0 }
    };
    for (i, record) in read.records.into_iter().enumerate() {
        image::apply(&mut images, record).map_err(|why| dir::error(&log_file, format!("record {}: {why}", i + 1)))?;
    }
    Ok(Loaded { images, generation, log_len: read.good_len, snapshot_len, log_version: read.version })
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
