//! The file `hr-sandbox record` writes, and the thread that writes it. The proxy's worker only
//! forwards: each exchange goes, in the order the upstream answered, over a channel to the
//! writer thread, which redacts it and appends it; the worker answers the client once its
//! exchange is in the file (or refused as past the limit), so a client never waits behind
//! another exchange's write to have its own request read.
//!
//! Appending costs what the exchange costs, not what the file holds: the file always ends with
//! the fixed tail that closes `entries`, `log` and the document, and an entry is written over
//! that tail followed by the tail again, so the file is a complete HAR before and after each
//! write (and laid out byte for byte as `serde_json::to_string_pretty` lays out the whole log).
//! The one exception: a secret first learned from this exchange that an earlier entry already
//! holds verbatim (a token echoed in a text body before the call that named it a token). The
//! file is searched for it, read-only, a buffer at a time, and only when it is there is the file
//! rewritten whole (a temporary file renamed over it), as every exchange used to cost.

use super::capture::{self, Exchange};
use super::har::Har;
use super::redact::Redactor;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

/// What closes the file once `entries` holds one: `entries`, `log`, the document, a newline.
const TAIL: &str = "\n    ]\n  }\n}\n";
/// What closes it while `entries` is empty (it follows the `[`).
const EMPTY_TAIL: &str = "]\n  }\n}\n";
/// The layout `serde_json::to_string_pretty` gives a log without entries, after `"entries": `.
const EMPTY_END: &str = "[]\n  }\n}";
/// An entry's indentation inside `entries`.
const INDENT: &str = "      ";
/// Bytes read at a time when searching the file for a secret just learned.
const SEARCH_CHUNK: u64 = 1 << 20;

/// The recording on disk and the redactor whose placeholders it holds.
pub struct RecordingFile {
    out: PathBuf,
    file: File,
    redactor: Redactor,
    limit: usize,
    /// Bytes in the file.
    len: usize,
    /// Entries in the file.
    written: usize,
    /// Entries whose write failed (each with its leading separator): written with the next one.
    unwritten: String,
    unwritten_count: usize,
}

impl RecordingFile {
    /// Writes `har` (a log without entries) to `out`, replacing what is there; a file that may
    /// grow to `limit` bytes.
    pub fn create(out: PathBuf, har: &Har, redactor: Redactor, limit: usize) -> io::Result<Self> {
        let text = serde_json::to_string_pretty(har).map_err(io::Error::other)?;
        let head = text
            .strip_suffix(EMPTY_END)
            .filter(|_| har.log.entries.is_empty())
            .ok_or_else(|| io::Error::other("a new log must end with its empty entries"))?;
        let text = format!("{head}[{EMPTY_TAIL}");
        let file = replace_whole(&out, &text)?;
        Ok(Self {
            out,
            file,
            redactor,
            limit,
            len: text.len(),
            written: 0,
            unwritten: String::new(),
            unwritten_count: 0,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.out
    }

    /// Redacts `exchange` and appends it. `Ok(false)`: it would take the file past the limit,
    /// so it is not written (the file stays as it was). On an error the entry is kept and
    /// written with the next exchange, as a rewrite of the whole log would have done.
    pub fn append(&mut self, exchange: &Exchange) -> io::Result<bool> {
        let known = self.redactor.known();
        let entry = capture::entry(&mut self.redactor, exchange);
        let pretty = serde_json::to_string_pretty(&entry).map_err(io::Error::other)?;
        let pretty = self.redactor.verbatim(&pretty);
        let mut text = String::with_capacity(pretty.len() + pretty.len() / 8 + 8);
        text.push_str(if self.written + self.unwritten_count == 0 { "\n" } else { ",\n" });
        // JSON text has no raw newline inside a string: every line break is layout.
        for (i, line) in pretty.split('\n').enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(INDENT);
            text.push_str(line);
        }
        let at = self.len - self.tail().len();
        if at + self.unwritten.len() + text.len() + TAIL.len() > self.limit {
            return Ok(false);
        }
        let patterns = self.redactor.verbatim_patterns_since(known);
        if !patterns.is_empty() && !self.unwritten.is_empty() {
            self.unwritten = self.redactor.verbatim(&self.unwritten);
        }
        let entry_len = text.len();
        if self.unwritten.is_empty() {
            self.unwritten = text;
        } else {
            self.unwritten.push_str(&text);
        }
        self.unwritten_count += 1;
        let earlier_holds_one = !patterns.is_empty() && self.holds_any(&patterns, at)?;
        let outcome = if earlier_holds_one { self.rewrite(at) } else { self.put(at).map(|()| true) };
        if let Ok(false) = outcome {
            self.unwritten.truncate(self.unwritten.len() - entry_len);
            self.unwritten_count -= 1;
        }
        outcome
    }

    fn tail(&self) -> &'static str {
        if self.written == 0 { EMPTY_TAIL } else { TAIL }
    }

    fn wrote(&mut self, len: usize) {
        self.len = len;
        self.written += self.unwritten_count;
        self.unwritten.clear();
        self.unwritten_count = 0;
    }

    /// Writes the unwritten entries and the tail at `at`, over the old tail. On an error the
    /// old tail is put back, so the file is what it was.
    fn put(&mut self, at: usize) -> io::Result<()> {
        let offset = u64::try_from(at).map_err(io::Error::other)?;
        let written = self
            .file
            .seek(SeekFrom::Start(offset))
            .and_then(|_| self.file.write_all(self.unwritten.as_bytes()))
            .and_then(|()| self.file.write_all(TAIL.as_bytes()))
            .and_then(|()| self.file.sync_data());
        if let Err(err) = written {
            let tail = self.tail();
            let restored = self
                .file
                .seek(SeekFrom::Start(offset))
                .and_then(|_| self.file.write_all(tail.as_bytes()))
                .and_then(|()| self.file.set_len(u64::try_from(self.len).unwrap_or(u64::MAX)));
            if let Err(also) = restored {
                return Err(io::Error::new(err.kind(), format!("{err}; putting the end back: {also}")));
            }
            return Err(err);
        }
        self.wrote(at + self.unwritten.len() + TAIL.len());
        Ok(())
    }

    /// Whether the file's first `upto` bytes hold one of `patterns` (a buffer at a time, each
    /// buffer overlapping the last by the longest pattern, so no match is split).
    fn holds_any(&mut self, patterns: &[String], upto: usize) -> io::Result<bool> {
        let finders: Vec<memchr::memmem::Finder<'_>> =
            patterns.iter().map(|p| memchr::memmem::Finder::new(p.as_bytes())).collect();
        let overlap = patterns.iter().map(String::len).max().unwrap_or(1).saturating_sub(1);
        self.file.seek(SeekFrom::Start(0))?;
        let mut rest = (&self.file).take(u64::try_from(upto).map_err(io::Error::other)?);
        let mut buffer = Vec::new();
        loop {
            let keep = buffer.len().min(overlap);
            buffer.drain(..buffer.len() - keep);
            if (&mut rest).take(SEARCH_CHUNK).read_to_end(&mut buffer)? == 0 {
                return Ok(false);
            }
            if finders.iter().any(|finder| finder.find(&buffer).is_some()) {
                return Ok(true);
            }
        }
    }

    /// Rewrites the whole file with every known secret replaced in what `at` bytes of it
    /// already held. `Ok(false)`: the result would be past the limit; nothing is written.
    fn rewrite(&mut self, at: usize) -> io::Result<bool> {
        let mut earlier = Vec::with_capacity(at);
        self.file.seek(SeekFrom::Start(0))?;
        (&self.file).take(u64::try_from(at).map_err(io::Error::other)?).read_to_end(&mut earlier)?;
        let earlier = String::from_utf8(earlier)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "the recording is no longer UTF-8 text"))?;
        let mut text = self.redactor.verbatim(&earlier);
        text.push_str(&self.unwritten);
        text.push_str(TAIL);
        if text.len() > self.limit {
            return Ok(false);
        }
        self.file = replace_whole(&self.out, &text)?;
        self.wrote(text.len());
        Ok(true)
    }
}

/// Writes `text` to a temporary file next to `out`, renamed over it; the open file.
fn replace_whole(out: &Path, text: &str) -> io::Result<File> {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    let tmp = out.with_file_name(name);
    let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(true).open(&tmp)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, out)?;
    Ok(file)
}

/// What became of one exchange.
pub enum Outcome {
    /// It is in the file.
    Recorded,
    /// The recording is full: it is not in the file.
    Full,
    /// Writing failed (the reason): it is kept and written with the next exchange.
    Failed(String),
    /// The writer panicked on it (the message): it is not recorded.
    Lost(String),
}

struct Job {
    exchange: Exchange,
    reply: tokio::sync::oneshot::Sender<Outcome>,
}

/// The way to the writer thread; `None` on the channel stops it.
#[derive(Clone)]
pub struct Queue {
    jobs: mpsc::Sender<Option<Job>>,
    full: Arc<AtomicBool>,
}

impl Queue {
    /// Whether the recording reached its limit: nothing more is forwarded.
    pub fn is_full(&self) -> bool {
        self.full.load(Ordering::Acquire)
    }

    /// Hands `exchange` to the writer and waits for it to be written; `None` when the writer
    /// is gone.
    pub async fn record(&self, exchange: Exchange) -> Option<Outcome> {
        let (reply, outcome) = tokio::sync::oneshot::channel();
        self.jobs.send(Some(Job { exchange, reply })).ok()?;
        outcome.await.ok()
    }

    /// Lets the writer finish what is queued, then stop.
    pub fn stop(&self) {
        let _ = self.jobs.send(None);
    }
}

/// Starts the writer thread of `file`; join it after [`Queue::stop`] so that every queued
/// exchange is in the file before the process ends.
pub fn start(mut file: RecordingFile) -> io::Result<(Queue, std::thread::JoinHandle<()>)> {
    let (jobs, received) = mpsc::channel::<Option<Job>>();
    let full = Arc::new(AtomicBool::new(false));
    let queue = Queue { jobs, full: Arc::clone(&full) };
    let thread = std::thread::Builder::new().name("record-writer".into()).spawn(move || {
        while let Ok(Some(job)) = received.recv() {
            let outcome = if full.load(Ordering::Acquire) {
                Outcome::Full
            } else {
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| file.append(&job.exchange))) {
                    Ok(Ok(true)) => Outcome::Recorded,
                    Ok(Ok(false)) => {
                        full.store(true, Ordering::Release);
                        Outcome::Full
                    }
                    Ok(Err(err)) => Outcome::Failed(format!("writing {}: {err}", file.path().display())),
                    Err(payload) => Outcome::Lost(
                        payload
                            .downcast_ref::<&str>()
                            .map(|s| (*s).to_owned())
                            .or_else(|| payload.downcast_ref::<String>().cloned())
                            .unwrap_or_default(),
                    ),
                }
            };
            let _ = job.reply.send(outcome);
        }
    })?;
    Ok((queue, thread))
}
