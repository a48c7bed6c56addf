//! Group commit and compaction, on one writer thread. The thread takes every sandbox marked
//! changed since its last turn, exports what changed into one record each, writes them with one
//! `write` and one `fsync` (`sync_data`), then lets all their answers go; concurrent writers
//! share that export and that sync. When the log outgrows
//! [`COMPACT_FACTOR`] times the last snapshot (and at least [`COMPACT_MIN_BYTES`]), it writes a
//! snapshot of every sandbox (a temporary file, synced, renamed, the directory synced), starts
//! a new log and removes the old pair.

use super::dir;
use super::image;
use super::log::{self, Appender};
use super::restore::{self, Loaded};
use super::{Core, Dirty, Kept};
use std::io;
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// The log is compacted past this many times the size of the last snapshot...
pub const COMPACT_FACTOR: u64 = 4;
/// ...and at least this many bytes (4 MiB), so a small state is not compacted every few writes.
pub const COMPACT_MIN_BYTES: u64 = 4 << 20;

/// Where the writer is: the open log, its generation, the last snapshot's size.
struct Files {
    log: Option<Appender>,
    generation: u64,
    snapshot_len: u64,
}

/// Opens the log to append to (a new directory gets its first snapshot now) and starts the
/// writer thread. A read-only directory gets no log: every write is refused.
pub fn start(core: &Arc<Core>, loaded: Loaded) -> io::Result<()> {
    let mut files = Files { log: None, generation: loaded.generation, snapshot_len: loaded.snapshot_len };
    if !core.dir.writable {
        tracing::warn!(dir = %core.dir.path.display(), "the state directory is not writable: state is served, every write is refused");
    } else if loaded.generation == 0 {
        compact(core, &mut files)
            .map_err(|e| dir::error(&core.dir.path, format!("cannot write the first snapshot ({e})")))?;
    } else if loaded.log_version != 0 && loaded.log_version < log::VERSION {
        // A log of an older version is not appended to (a build that reads only that version
        // would misread the new records): a new generation starts from the state restored.
        compact(core, &mut files).map_err(|e| dir::error(&core.dir.path, format!("cannot compact ({e})")))?;
    } else {
        let file = core.dir.log(loaded.generation);
        let log = Appender::open(&file, loaded.generation, loaded.log_len).map_err(|e| dir::error(&file, e))?;
        core.synced.store(log.len, Ordering::Release);
        files.log = Some(log);
        core.dir.remove_before(loaded.generation);
    }
    let core = Arc::clone(core);
    std::thread::Builder::new().name("state-log".into()).spawn(move || write_forever(&core, files))?;
    Ok(())
}

fn write_forever(core: &Core, mut files: Files) {
    loop {
        let (batch, dirty, poisoned) = {
            let mut keep = core.keep.lock();
            while keep.dirty.is_empty() {
                core.wake.wait(&mut keep);
            }
            let batch = keep.batch;
            keep.batch += 1;
            (batch, std::mem::take(&mut keep.dirty), keep.poisoned.clone())
        };
        let written: Result<(), Arc<str>> = match (poisoned, files.log.as_mut()) {
            (Some(why), _) => Err(why),
            (None, None) => Err("the state directory is not writable".into()),
            (None, Some(log)) => match log.append(&records(core, batch, dirty)) {
                Ok(()) => {
                    core.synced.store(log.len, Ordering::Release);
                    Ok(())
                }
                Err(e) => Err(e.to_string().into()),
            },
        };
        match written {
            Ok(()) => core.progress.send_modify(|p| p.done = p.done.max(batch)),
            Err(why) => {
                core.keep.lock().poisoned.get_or_insert_with(|| Arc::clone(&why));
                core.progress.send_modify(|p| p.fail(batch, batch, why));
            }
        }
        let threshold = (files.snapshot_len.saturating_mul(COMPACT_FACTOR)).max(COMPACT_MIN_BYTES);
        if files.log.as_ref().is_some_and(|log| log.len > threshold)
            && let Err(e) = compact(core, &mut files)
        {
            tracing::warn!(error = %e, "compaction failed; the log goes on growing until the next try");
        }
    }
}

/// The framed records of one batch: per sandbox marked, what changed in each part since its
/// last record (taken now, so it holds every change marked for this batch).
fn records(core: &Core, batch: u64, dirty: std::collections::BTreeMap<String, Dirty>) -> Vec<u8> {
    let mut framed = Vec::new();
    let mut put = |payload: &[u8]| log::frame(payload, &mut framed);
    for (name, dirty) in dirty {
        let Dirty::Changed(sandbox, position) = dirty else {
            put(&image::deletion(&name, core.run));
            continue;
        };
        // Deleted since it was marked: its deletion is (or will be) the record.
        if !core.registry.get(&name).is_some_and(|current| Arc::ptr_eq(&current, &sandbox)) {
            continue;
        }
        let address = Arc::as_ptr(&sandbox) as usize;
        let now = image::Generations::of(&sandbox);
        let (old, replaced, mut parts) = {
            let mut keep = core.keep.lock();
            let kept = keep.kept.get_mut(&name);
            let replaced = kept.as_ref().is_some_and(|k| k.sandbox != address);
            match kept.filter(|k| k.sandbox == address) {
                Some(k) => (Some(k.generations.clone()), replaced, std::mem::take(&mut k.parts)),
                None => (None, replaced, Default::default()),
            }
        };
        if replaced {
            put(&image::deletion(&name, core.run));
        }
        if let Some(record) = image::record(&sandbox, old.as_ref(), &now, position, core.run, &mut parts) {
            put(&record);
        }
        core.keep.lock().kept.insert(name, Kept { sandbox: address, generations: now, last: batch, parts });
    }
    framed
}

/// Writes a snapshot of every sandbox and starts a new log after it. Under the records' mutex:
/// nothing is marked meanwhile, and what was marked already is in the snapshot (its answers go).
fn compact(core: &Core, files: &mut Files) -> io::Result<()> {
    let mut keep = core.keep.lock();
    if keep.poisoned.is_some() {
        return Ok(());
    }
    let sandboxes = core.registry.all();
    let mut images = Vec::with_capacity(sandboxes.len());
    keep.kept.clear();
    for sandbox in &sandboxes {
        keep.kept.insert(sandbox.name().to_owned(), Kept::now(sandbox, 0));
        images.push((sandbox.name().to_owned(), image::export(sandbox, core.run)));
    }
    let bytes = restore::snapshot_bytes(&images);
    let next = files.generation + 1;
    dir::write_durably(&core.dir.path, &format!("snapshot-{next}.json"), &bytes)?;
    let log = Appender::open(&core.dir.log(next), next, 0)?;
    core.synced.store(log.len, Ordering::Release);
    files.log = Some(log);
    files.generation = next;
    files.snapshot_len = bytes.len() as u64;
    // The changes marked for the open batch are in the snapshot: that batch is done.
    let covered = keep.batch;
    keep.batch += 1;
    keep.dirty.clear();
    drop(keep);
    core.progress.send_modify(|p| p.done = p.done.max(covered));
    core.dir.remove_before(next);
    tracing::info!(generation = next, bytes = bytes.len(), "state compacted");
    Ok(())
}
