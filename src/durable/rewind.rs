//! Rewind: a sandbox's state as it was just after a journal number or a sandbox time, built
//! from the state directory (the last snapshot, then the log's records up to that point).
//!
//! A journal number counts since the sandbox's journal was last emptied (a reset, `DELETE
//! /__admin/requests`, a restart). Under concurrent writes one record may hold the changes of
//! several requests (the one that took it, and those that changed the same sandbox meanwhile):
//! the point is then the end of that record.

use super::dir::Dir;
use super::image::{self, Image, Mark};
use super::{log, restore};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::fs::File;
use std::path::PathBuf;

/// Where to rewind to.
#[derive(Debug, Clone)]
pub enum At {
    /// Just after this journal number.
    Seq(u64),
    /// Just after this sandbox time.
    Time(DateTime<Utc>),
}

/// Why a rewind cannot be made.
#[derive(Debug)]
pub enum Refused {
    /// The point is not (or no longer) in the log; the message says which.
    NotInLog(String),
    /// The state directory could not be read.
    Unreadable(String),
}

/// The point as a request gives it (for messages).
impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Seq(seq) => write!(f, "seq {seq}"),
            Self::Time(time) => write!(f, "{}", time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
        }
    }
}

impl At {
    /// `at` as a request gives it: a journal number, or an RFC 3339 sandbox time.
    pub fn parse(at: &Value) -> Result<Self, String> {
        if let Some(seq) = at.as_u64() {
            return Ok(Self::Seq(seq));
        }
        at.as_str()
            .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
            .map(|time| Self::Time(time.with_timezone(&Utc)))
            .ok_or_else(|| "at: give a journal seq (a whole number) or an RFC 3339 sandbox time".to_owned())
    }

    fn reached_by(&self, mark: &Mark) -> bool {
        match self {
            Self::Seq(seq) => mark.seq <= *seq,
            Self::Time(time) => mark.at.is_some_and(|at| at <= *time),
        }
    }
}

/// What a rewind reads: the newest snapshot and its log, opened while the writer could not
/// compact (a compaction that removes them later does not take them away from an open file),
/// and how much of the log was synced then (records past it are not read).
pub struct Source {
    generation: u64,
    snapshot: (File, PathBuf),
    log: Option<(File, PathBuf)>,
    synced: u64,
}

impl Source {
    /// Opens the files of the newest generation; `synced` is its log's synced length.
    pub fn open(dir: &Dir, synced: u64) -> Result<Self, Refused> {
        let unreadable = |e: std::io::Error| Refused::Unreadable(e.to_string());
        let generation = dir.generations().map_err(unreadable)?.last().copied().unwrap_or(0);
        let path = dir.snapshot(generation);
        let snapshot = (File::open(&path).map_err(|e| Refused::Unreadable(format!("{}: {e}", path.display())))?, path);
        let path = dir.log(generation);
        let log = File::open(&path).ok().map(|file| (file, path));
        Ok(Self { generation, snapshot, log, synced })
    }
}

/// The state document of `from` at `at`, from `source`: only `from`'s snapshot entry and
/// records are parsed. `current` is `from`'s journal position now (its numbering's epoch and
/// last number), `run` this process (whose journal numbers started at 0).
pub fn document(source: Source, from: &str, at: &At, current: Option<(u64, u64)>, run: u64) -> Result<Value, Refused> {
    if let (At::Seq(seq), Some((_, current))) = (at, current)
        && *seq > current
    {
        return Err(Refused::NotInLog(format!("seq {seq} is past sandbox '{from}''s journal (its last is {current})")));
    }
    let unreadable = |e: std::io::Error| Refused::Unreadable(e.to_string());
    let Source { generation, snapshot: (mut snapshot, snapshot_path), log, synced } = source;
    let base = restore::read_snapshot_of(&mut snapshot, &snapshot_path, from).map_err(unreadable)?;
    let mine = match log {
        Some((mut file, path)) => log::read_sandbox(&mut file, &path, generation, synced, from).map_err(unreadable)?,
        None => Vec::new(),
    };
    // The states of `from`, oldest first: the snapshot's (index 0), then one per record.
    let mut marks: Vec<(Mark, bool)> = base.as_ref().map(|i| vec![(i.mark.clone(), false)]).unwrap_or_default();
    let offset = usize::from(marks.is_empty());
    for record in &mine {
        let starts = record.get("create").is_some() || record["delete"] == true;
        marks.push((Mark::read(record), starts));
    }
    let now = current.map(|(epoch, _)| (run, epoch));
    let target = pick(&marks, at, now).ok_or_else(|| {
        Refused::NotInLog(format!(
            "sandbox '{from}' at {at} is no longer in the log (compacted, or before its last reset)"
        ))
    })?;
    // Apply the records of `from` up to the target state.
    let upto = target + offset;
    let mut subset = std::collections::BTreeMap::new();
    if let Some(base) = base {
        subset.insert(from.to_owned(), base);
    }
    for record in mine.into_iter().take(upto) {
        image::apply(&mut subset, record).map_err(Refused::Unreadable)?;
    }
    let image: &Image =
        subset.get(from).ok_or_else(|| Refused::NotInLog(format!("sandbox '{from}' is not in the log")))?;
    Ok(image.document())
}

/// The index of the state to rewind to: the last of the current history (since the last
/// creation, restart or journal reset) that `at` reaches; for a journal number that only
/// reads reached since that start, the state just before it. `now` is the journal's current
/// numbering (this run, its epoch).
fn pick(marks: &[(Mark, bool)], at: &At, now: Option<(u64, u64)>) -> Option<usize> {
    let mut start = 0;
    for i in 1..marks.len() {
        let (mark, creates) = &marks[i];
        let previous = &marks[i - 1].0;
        if *creates || mark.numbering() != previous.numbering() || mark.seq < previous.seq {
            start = i;
        }
    }
    if let At::Time(_) = at {
        // Only this sandbox's own life: a sandbox of the same name deleted before it was
        // created is another sandbox, even when its clock was at that time.
        let born = marks.iter().rposition(|(_, creates)| *creates).unwrap_or(0);
        return (born..marks.len()).rev().find(|i| at.reached_by(&marks[*i].0));
    }
    // Nothing kept since the journal's numbering began (this process started, or the journal
    // was emptied): every number of it is after the last state kept, so that state is the one.
    if marks.last().is_some_and(|(mark, _)| Some(mark.numbering()) != now) {
        return marks.len().checked_sub(1);
    }
    match (start..marks.len()).rev().find(|i| at.reached_by(&marks[*i].0)) {
        Some(i) => Some(i),
        // Nothing kept since the start reaches it: the state just before the start, unless
        // the start is the sandbox's creation (or the snapshot, whose past is gone).
        None if start > 0 && !marks[start].1 => Some(start - 1),
        None => None,
    }
}
