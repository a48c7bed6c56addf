//! The state directory: its lock (one hr-sandbox at a time), its format file, and the names
//! of its snapshot and log files.
//!
//! ```text
//! DIR/LOCK                 flock'ed for the life of the process
//! DIR/FORMAT               "hr-sandbox-state 1": the layout's name and version
//! DIR/snapshot-<gen>.json  every sandbox as it was when log <gen> began
//! DIR/log-<gen>            the state changes since, one framed record each
//! ```

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

/// The first word of `FORMAT`.
pub const LAYOUT: &str = "hr-sandbox-state";
/// The layout version this build reads and writes.
pub const LAYOUT_VERSION: u64 = 1;

/// An open, locked state directory.
pub struct Dir {
    /// Where it is.
    pub path: PathBuf,
    /// Held for the life of the process: the `flock` goes with it.
    _lock: File,
    /// Whether files can be written here (a read-only directory still serves its state).
    pub writable: bool,
}

/// A start-up error that names the file it is about.
pub fn error(file: &Path, why: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("--state-dir: {}: {why}", file.display()))
}

impl Dir {
    /// Creates (if needed), locks and checks the directory: another running hr-sandbox holding
    /// it, or a `FORMAT` of another layout or a newer version, is an error naming the file.
    pub fn open(path: &Path) -> io::Result<Self> {
        if let Err(e) = fs::create_dir_all(path) {
            return Err(error(path, format!("cannot create the directory ({e})")));
        }
        let lock_path = path.join("LOCK");
        let (lock, writable) =
            match OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&lock_path) {
                Ok(file) => (file, true),
                // A read-only directory (or LOCK) with state in it: served, every write refused.
                Err(_) => (
                    File::open(&lock_path)
                        .map_err(|e| error(&lock_path, format!("cannot open the lock file ({e})")))?,
                    false,
                ),
            };
        // SAFETY: flock on a descriptor this function owns; no memory is involved.
        if unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            return Err(error(&lock_path, "another hr-sandbox is using this state directory (its lock is held)"));
        }
        let writable = writable && probe_writable(path);
        let dir = Self { path: path.to_owned(), _lock: lock, writable };
        dir.check_format()?;
        Ok(dir)
    }

    fn check_format(&self) -> io::Result<()> {
        let file = self.path.join("FORMAT");
        match fs::read_to_string(&file) {
            Ok(text) => {
                let mut words = text.split_whitespace();
                if words.next() != Some(LAYOUT) {
                    return Err(error(
                        &file,
                        format!("not an hr-sandbox state directory (expected \"{LAYOUT} {LAYOUT_VERSION}\")"),
                    ));
                }
                match words.next().and_then(|v| v.parse::<u64>().ok()) {
                    Some(LAYOUT_VERSION) => Ok(()),
                    Some(other) => Err(error(
                        &file,
                        format!(
                            "format version {other} is not supported: this hr-sandbox reads and writes version {LAYOUT_VERSION}"
                        ),
                    )),
                    None => Err(error(&file, "no format version")),
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if self.generations()?.is_empty() && self.writable {
                    write_durably(&self.path, "FORMAT", format!("{LAYOUT} {LAYOUT_VERSION}\n").as_bytes())
                } else if self.generations()?.is_empty() {
                    Err(error(&self.path, "the directory is empty and not writable"))
                } else {
                    Err(error(&file, "missing: the directory has state files of an unknown layout"))
                }
            }
            Err(e) => Err(error(&file, e)),
        }
    }

    /// The generations that have a snapshot, oldest first.
    pub fn generations(&self) -> io::Result<Vec<u64>> {
        let mut found: Vec<u64> = fs::read_dir(&self.path)
            .map_err(|e| error(&self.path, e))?
            .filter_map(|entry| {
                let name = entry.ok()?.file_name().into_string().ok()?;
                name.strip_prefix("snapshot-")?.strip_suffix(".json")?.parse().ok()
            })
            .collect();
        found.sort_unstable();
        Ok(found)
    }

    /// The snapshot file of generation `gen`.
    pub fn snapshot(&self, generation: u64) -> PathBuf {
        self.path.join(format!("snapshot-{generation}.json"))
    }

    /// The log file of generation `gen`.
    pub fn log(&self, generation: u64) -> PathBuf {
        self.path.join(format!("log-{generation}"))
    }

    /// Removes what a crash can leave behind, never read as state: a temporary file of a write
    /// that did not finish (`*.tmp`, a compaction cut short), and any log or snapshot of a
    /// generation before `newest` (an orphan of a compaction whose clean-up was cut short).
    /// Returns the names removed (the start-up line reports them).
    pub fn clean(&self, newest: u64) -> Vec<String> {
        let mut removed = Vec::new();
        for entry in fs::read_dir(&self.path).into_iter().flatten().flatten() {
            let Ok(name) = entry.file_name().into_string() else { continue };
            let older = |g: &str| g.parse::<u64>().is_ok_and(|g| g < newest);
            let stale = name.ends_with(".tmp")
                || name.strip_prefix("log-").is_some_and(older)
                || name.strip_prefix("snapshot-").and_then(|rest| rest.strip_suffix(".json")).is_some_and(older);
            if stale && fs::remove_file(entry.path()).is_ok() {
                removed.push(name);
            }
        }
        if !removed.is_empty() {
            removed.sort();
            let _ = sync_dir(&self.path);
        }
        removed
    }

    /// Removes the files of generations before `keep` (after a compaction made them useless).
    pub fn remove_before(&self, keep: u64) {
        for generation in self.generations().unwrap_or_default().into_iter().filter(|g| *g < keep) {
            let _ = fs::remove_file(self.log(generation));
            let _ = fs::remove_file(self.snapshot(generation));
        }
        let _ = sync_dir(&self.path);
    }
}

fn probe_writable(path: &Path) -> bool {
    let probe = path.join(".write-probe");
    let ok = File::create(&probe).is_ok();
    let _ = fs::remove_file(&probe);
    ok
}

/// Writes `name` in `dir` whole or not at all: a temporary file, synced, renamed, the directory synced.
pub fn write_durably(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let tmp = dir.join(format!("{name}.tmp"));
    let mut file = File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&tmp, dir.join(name))?;
    sync_dir(dir)
}

/// Makes the directory's entries (a created or renamed file) survive a power cut.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}
