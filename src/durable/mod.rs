//! `--state-dir`: every sandbox kept in a directory, restored on the next start, and safe
//! from a crash once a write is answered.
//!
//! A request that changed a sandbox (any method: the pipeline compares the generations of its
//! parts, see [`image::Generations`]) marks the sandbox changed and waits for the next batch
//! ([`commit`]): one writer thread takes every sandbox marked since its last turn, appends one
//! record per sandbox with what changed in each part (a vendor part as its [`delta`] from the
//! text the log last kept of it: the records added, changed or gone), syncs once, and lets all
//! those answers go. Only that thread exports, so records are in log order and the log's last
//! state of a part holds every change answered before it; a record covers every write of its
//! batch (so rewind's granularity under concurrent writes is a batch). The log is compacted
//! into a snapshot of every sandbox when it outgrows a few times the last one.
//! A record is the state change, not the request: replaying requests is not deterministic here
//! (the signup hook's outbound answers, scenario counters, a running clock).

pub mod commit;
pub mod delta;
pub mod dir;
pub mod image;
pub mod log;
pub mod restore;
pub mod rewind;

use crate::common::error::{ApiError, ErrorKind};
use crate::sandbox::{Sandbox, SandboxRegistry, SandboxSetup};
use image::{Generations, Image};
use parking_lot::{Condvar, Mutex};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::watch;

/// The state directory of a running server.
pub struct Durable {
    core: Arc<Core>,
}

/// What the request side and the writer thread share.
pub struct Core {
    dir: dir::Dir,
    registry: Arc<SandboxRegistry>,
    keep: Mutex<Keep>,
    wake: Condvar,
    progress: watch::Sender<Progress>,
    /// Moves each time a storage failure rolled memory back to the disk.
    rollbacks: AtomicU64,
    /// This process (journal numbers restart with it).
    run: u64,
    /// How many bytes of the current log are synced (rewind reads no further).
    synced: AtomicU64,
}

/// What is kept under the one mutex that orders records.
struct Keep {
    /// Per sandbox: which one (by address), its generations when last exported, and the batch
    /// of that export.
    kept: HashMap<String, Kept>,
    /// The sandboxes marked changed for the open batch.
    dirty: BTreeMap<String, Dirty>,
    /// The number of the open batch (the next the writer takes).
    batch: u64,
    /// Set by a failed write until memory is rolled back: every batch in between fails too.
    poisoned: Option<Arc<str>>,
}

/// A sandbox marked for the next batch.
enum Dirty {
    /// Changed: the sandbox, and the journal position (epoch, number) its state will be just
    /// after.
    Changed(Arc<Sandbox>, (u64, u64)),
    /// Deleted.
    Gone,
}

struct Kept {
    sandbox: usize,
    generations: Generations,
    last: u64,
    /// The JSON text of each vendor part as this log last kept it, and where its members are
    /// (a record holds the delta from it); empty after a start or a compaction, so the next record holds parts whole.
    parts: HashMap<&'static str, (Vec<u8>, delta::Shape)>,
}

/// How far the writer has got: every position up to `done` is synced, or failed when it is
/// in one of `failed`'s ranges.
#[derive(Default)]
pub struct Progress {
    done: u64,
    failed: VecDeque<(u64, u64, Arc<str>)>,
}

/// Failed ranges remembered (a waiter looks its position up right after `done` passes it).
const FAILURES_KEPT: usize = 1024;

impl Durable {
    /// Opens (locks, checks, reads) `path` and builds the registry from it; a new directory
    /// starts from what `fresh` builds (`--seed`, `--snapshot`). Errors name the file.
    pub fn open(
        path: &Path,
        setup: SandboxSetup,
        fresh: impl FnOnce(SandboxSetup) -> io::Result<SandboxRegistry>,
    ) -> io::Result<(Arc<SandboxRegistry>, Self)> {
        let started = std::time::Instant::now();
        let dir = dir::Dir::open(path)?;
        let mut loaded = restore::load(&dir)?;
        let cleaned = if dir.writable { dir.clean(loaded.generation) } else { Vec::new() };
        let registry = Arc::new(if loaded.generation == 0 {
            fresh(setup)?
        } else {
            build(setup, std::mem::take(&mut loaded.images))?
        });
        let run = u64::try_from(chrono::Utc::now().timestamp_micros()).unwrap_or_default();
        let keep = Keep { kept: HashMap::new(), dirty: BTreeMap::new(), batch: 1, poisoned: None };
        let core = Arc::new(Core {
            dir,
            registry: Arc::clone(&registry),
            keep: Mutex::new(keep),
            wake: Condvar::new(),
            progress: watch::Sender::new(Progress::default()),
            rollbacks: AtomicU64::new(0),
            run,
            synced: AtomicU64::new(loaded.log_len),
        });
        {
            let mut keep = core.keep.lock();
            for sandbox in registry.all() {
                keep.kept.insert(sandbox.name().to_owned(), Kept::now(&sandbox, 0));
            }
        }
        commit::start(&core, loaded)?;
        let ms = started.elapsed().as_millis() as u64;
        if cleaned.is_empty() {
            tracing::info!(dir = %path.display(), ms, "state restored");
        } else {
            tracing::info!(dir = %path.display(), ms, cleaned = ?cleaned, "state restored; removed files a crash left behind (never read as state)");
        }
        Ok((registry, Self { core }))
    }

    /// Where state is kept.
    pub fn path(&self) -> &Path {
        &self.core.dir.path
    }

    /// Taken before a request is answered, given back to [`Durable::keep`].
    pub fn ticket(&self) -> u64 {
        self.core.rollbacks.load(Ordering::Acquire)
    }

    /// After a vendor request to `sandbox`: keeps what it changed, and waits until it is
    /// synced (or kept by someone else's record). `Err`: the vendor's 503 to answer instead.
    pub async fn keep(&self, ticket: u64, sandbox: &Arc<Sandbox>) -> Result<(), ApiError> {
        let position = self.core.capture(sandbox, 1);
        self.core.settle(ticket, position).await
    }

    /// After an admin write: keeps every sandbox's changes, creations and deletions.
    pub async fn keep_all(&self, ticket: u64) -> Result<(), ApiError> {
        let position = self.core.capture_all();
        self.core.settle(ticket, position).await
    }

    /// The state of sandbox `from` as it was at `at`, from the log (see [`rewind`]).
    pub fn rewind(&self, from: &str, at: &rewind::At) -> Result<serde_json::Value, rewind::Refused> {
        let current = self.core.registry.get(from).map(|s| s.journal.position());
        // Only the files are opened under the mutex (no compaction replaces them meanwhile);
        // they are read without it, up to what was synced then, while writers go on.
        let source = {
            let _ordered = self.core.keep.lock();
            rewind::Source::open(&self.core.dir, self.core.synced.load(Ordering::Acquire))?
        };
        rewind::document(source, from, at, current, self.core.run)
    }
}

/// The registry the images describe (`default` first; it always exists).
fn build(setup: SandboxSetup, mut images: BTreeMap<String, Image>) -> io::Result<SandboxRegistry> {
    let invalid = |name: &str, why: String| {
        io::Error::new(io::ErrorKind::InvalidData, format!("--state-dir: sandbox '{name}': {why}"))
    };
    let default = crate::sandbox::DEFAULT_SANDBOX;
    let registry = match images.remove(default) {
        Some(image) => SandboxRegistry::with_default(setup, |name, setup| image.build(name, setup))
            .map_err(|p| invalid(default, p.to_string()))?,
        None => return Err(invalid(default, "missing from the state directory".into())),
    };
    for (name, image) in images {
        registry
            .create_with(&name, |name, setup| image.build(name, setup))
            .map_err(|e| invalid(&name, format!("{e:?}")))?;
    }
    Ok(registry)
}

impl Kept {
    fn now(sandbox: &Arc<Sandbox>, last: u64) -> Self {
        let generations = Generations::of(sandbox);
        Self { sandbox: Arc::as_ptr(sandbox) as usize, generations, last, parts: HashMap::new() }
    }
}

impl Core {
    /// Marks `sandbox` for the next batch when a part changed since it was last exported; the
    /// batch to wait for (0: nothing to wait for). `own` is 1 for a request the journal is
    /// about to number.
    fn capture(&self, sandbox: &Arc<Sandbox>, own: u64) -> u64 {
        let mut keep = self.keep.lock();
        // A request that finished in a sandbox deleted meanwhile: the deletion is what is kept.
        if !self.registry.get(sandbox.name()).is_some_and(|current| Arc::ptr_eq(&current, sandbox)) {
            return keep.kept.get(sandbox.name()).map_or(0, |kept| kept.last);
        }
        let address = Arc::as_ptr(sandbox) as usize;
        if let Some(kept) = keep.kept.get(sandbox.name())
            && kept.sandbox == address
            && kept.generations == Generations::of(sandbox)
        {
            return kept.last;
        }
        let (epoch, seq) = sandbox.journal.position();
        let position = (epoch, seq + own);
        match keep.dirty.get_mut(sandbox.name()) {
            Some(Dirty::Changed(_, kept)) => *kept = (*kept).max(position),
            _ => {
                keep.dirty.insert(sandbox.name().to_owned(), Dirty::Changed(Arc::clone(sandbox), position));
            }
        }
        self.wake.notify_one();
        keep.batch
    }

    /// [`Core::capture`] for every sandbox, and the deletion of those gone.
    fn capture_all(&self) -> u64 {
        let all = self.registry.all();
        let mut last = all.iter().map(|sandbox| self.capture(sandbox, 0)).max().unwrap_or(0);
        let mut keep = self.keep.lock();
        let gone: Vec<String> =
            keep.kept.keys().filter(|name| !all.iter().any(|s| s.name() == name.as_str())).cloned().collect();
        for name in gone {
            keep.kept.remove(&name);
            keep.dirty.insert(name, Dirty::Gone);
            last = keep.batch;
            self.wake.notify_one();
        }
        last
    }

    /// Waits for `position` to be synced; on a failure rolls memory back to the disk.
    async fn settle(&self, ticket: u64, position: u64) -> Result<(), ApiError> {
        let failure = if position == 0 { None } else { self.wait(position).await };
        if let Some(why) = failure {
            self.rollback();
            return Err(not_kept(&why));
        }
        if self.rollbacks.load(Ordering::Acquire) != ticket {
            return Err(not_kept("a storage failure undid the changes made while this request ran"));
        }
        Ok(())
    }

    async fn wait(&self, position: u64) -> Option<Arc<str>> {
        let mut progress = self.progress.subscribe();
        let Ok(reached) = progress.wait_for(|p| p.done >= position).await else {
            return Some("the log writer stopped".into());
        };
        reached.failed.iter().find(|(from, to, _)| (*from..=*to).contains(&position)).map(|(_, _, why)| Arc::clone(why))
    }

    /// Puts every sandbox back as the disk has it (the writes that failed were not answered
    /// as done), once per failure; later records are written again.
    fn rollback(&self) {
        let mut keep = self.keep.lock();
        let Some(why) = keep.poisoned.take() else { return };
        self.rollbacks.fetch_add(1, Ordering::AcqRel);
        // Changes marked since are undone below: their batch fails too.
        if !keep.dirty.is_empty() {
            keep.dirty.clear();
            let batch = keep.batch;
            keep.batch += 1;
            self.progress.send_modify(|p| p.fail(batch, batch, Arc::clone(&why)));
        }
        match restore::load(&self.dir) {
            Ok(loaded) => restore::reconcile(&self.registry, &loaded.images),
            Err(e) => tracing::error!(error = %e, "after a failed write, the state directory could not be read back"),
        }
        keep.kept = self.registry.all().iter().map(|s| (s.name().to_owned(), Kept::now(s, 0))).collect();
        tracing::warn!(cause = %why, "a write could not be kept: memory rolled back to the state directory");
    }
}

impl Progress {
    fn fail(&mut self, from: u64, to: u64, why: Arc<str>) {
        if self.failed.len() >= FAILURES_KEPT {
            self.failed.pop_front();
        }
        self.failed.push_back((from, to, why));
        self.done = self.done.max(to);
    }
}

/// The error a write gets when its change could not be kept: 503 in the vendor's own format
/// (or the admin shape).
// Divergence: no vendor has this failure; 503 is what a client retries later.
pub fn not_kept(why: &str) -> ApiError {
    ApiError::with_message(ErrorKind::Unavailable, format!("state could not be kept: {why}"))
}
