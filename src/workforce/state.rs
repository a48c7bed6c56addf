//! The workforce of one sandbox: its people, settings, event log and pending events, with the
//! indexes that keep every event O(1) (who is active, who left, who reports to whom).

use super::model::{Event, Kind, Pending, Person, Settings, Status, Touched, VendorRecord};
use super::pool::Pool;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Events the log keeps; older ones are dropped (counted in `evicted`).
pub const MAX_EVENTS: usize = 100_000;
/// People a workforce may hold (hires stop there).
pub const MAX_PEOPLE: usize = 250_000;

/// What a vendor is told about one person's event.
pub struct Projection<'a> {
    /// What happened.
    pub kind: Kind,
    /// The field a `change` set (`None` for other kinds): a vendor skips the work of the others.
    pub field: Option<&'a str>,
    /// The person as it is after the event.
    pub person: &'a Person,
    /// Its record in this vendor (`None`: a hire into this vendor, which mints one).
    pub record: Option<&'a VendorRecord>,
    /// Its manager, and the manager's record in this vendor when it has one.
    pub manager: Option<(&'a Person, Option<&'a VendorRecord>)>,
    /// Sandbox time of the event.
    pub at: DateTime<Utc>,
}

/// A person a vendor already holds (its seeded or client-written records), as the workforce adopts it.
#[derive(Debug, Clone)]
pub struct Rostered {
    /// The vendor's record.
    pub record: VendorRecord,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Email.
    pub email: String,
    /// Start date.
    pub start_date: NaiveDate,
    /// Department.
    pub department: String,
    /// Title.
    pub title: String,
    /// Whether employed now.
    pub active: bool,
    /// Last day, if any.
    pub termination_date: Option<NaiveDate>,
    /// The manager's record id in the same vendor.
    pub manager_record: Option<String>,
}

/// Where events land: the vendor stores of the sandbox.
pub trait Projector {
    /// The vendors taking part, in registry order.
    fn vendors(&self) -> Vec<String>;
    /// Applies one event to `vendor`'s records; the record touched (minted for a hire).
    fn project(&mut self, vendor: &str, projection: &Projection) -> Option<VendorRecord>;
    /// The people `vendor` holds now.
    fn roster(&mut self, vendor: &str) -> Vec<Rostered>;
}

/// Headcount bookkeeping: `active = start + hires + rehires - terminations`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Active people when the workforce started.
    pub start: usize,
    /// Hires since.
    pub hires: usize,
    /// Rehires since.
    pub rehires: usize,
    /// Terminations that happened since.
    pub terminations: usize,
    /// Active now.
    pub active: usize,
}

/// One sandbox's workforce, as a snapshot carries it (the indexes are rebuilt on restore).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// The settings.
    pub settings: Settings,
    /// Sandbox time up to which every due event has happened; `None`: not started.
    pub cursor: Option<DateTime<Utc>>,
    /// Everyone, in hiring order (`person_000001` first).
    pub people: Vec<Person>,
    /// Headcount bookkeeping.
    pub counts: Counts,
    /// The newest events, oldest first.
    pub events: VecDeque<Event>,
    /// Events dropped from the log's front.
    pub evicted: u64,
    /// The last event's seq.
    pub last_seq: u64,
    /// Events waiting for their time, by (`at`, `seq`).
    pub pending: Vec<Pending>,
    /// The last pending seq.
    pub pending_seq: u64,
    /// Who is active, in draw order.
    pub(super) active: Pool,
    /// Who left, in draw order.
    pub(super) gone: Pool,
    /// Direct reports of each person, by person index.
    #[serde(skip)]
    pub(super) reports: Vec<Vec<usize>>,
}

impl State {
    /// Whether the workforce has started (adopted the vendors' people).
    pub fn started(&self) -> bool {
        self.cursor.is_some()
    }

    /// The index of person `id`, if there is one.
    pub fn index(&self, id: &str) -> Option<usize> {
        let number: usize = id.strip_prefix("person_")?.parse().ok()?;
        let index = number.checked_sub(1)?;
        (self.people.get(index)?.id == id).then_some(index)
    }

    /// The people active now.
    pub fn active_count(&self) -> usize {
        self.active.len()
    }

    /// Rebuilds the indexes from the people (after a restore); `Err` names a broken reference.
    pub fn rebuild(&mut self) -> Result<(), String> {
        self.reports = vec![Vec::new(); self.people.len()];
        if self.active.len() + self.gone.len() != self.people.len() {
            return Err("active and gone: must list every person once".into());
        }
        for (index, person) in self.people.iter().enumerate() {
            if self.index(&person.id) != Some(index) {
                return Err(format!("people[{index}].id must be person_{:06}", index + 1));
            }
            let listed = match person.status {
                Status::Active => self.active.contains(index),
                Status::Terminated => self.gone.contains(index),
            };
            if !listed {
                return Err(format!("people[{index}]: not listed in active or gone as its status says"));
            }
        }
        for index in 0..self.people.len() {
            if let Some(manager) = self.people[index].manager.clone() {
                let boss = self.index(&manager).ok_or(format!("people[{index}].manager: no person {manager}"))?;
                self.reports[boss].push(index);
            }
        }
        if self.has_cycle() {
            return Err("people: the managers form a cycle".into());
        }
        if !self.pending.is_sorted_by_key(|p| (p.at, p.seq)) {
            return Err("pending: must be ordered by at, then seq".into());
        }
        Ok(())
    }

    /// A restored state checked (bounds, settings, references) and its indexes rebuilt.
    pub fn check_restored(&mut self) -> Result<(), String> {
        if self.people.len() > MAX_PEOPLE || self.events.len() > MAX_EVENTS {
            return Err(format!("at most {MAX_PEOPLE} people and {MAX_EVENTS} events"));
        }
        let rates = [
            self.settings.hires_per_month,
            self.settings.changes_per_month,
            self.settings.terminations_per_month,
            self.settings.rehires_per_month,
        ];
        if rates.iter().any(|r| !r.is_finite() || !(0.0..=100.0).contains(r)) {
            return Err("settings: rates are 0 to 100".into());
        }
        if self.cursor.is_none() && !self.people.is_empty() {
            return Err("cursor: a workforce with people has started".into());
        }
        self.rebuild()
    }

    /// Whether following managers ever comes back to a person (each person walked once: O(n)).
    fn has_cycle(&self) -> bool {
        // 0: not seen, 1: on the current walk, 2: known to end.
        let mut seen = vec![0u8; self.people.len()];
        for start in 0..self.people.len() {
            let mut walk = Vec::new();
            let mut at = Some(start);
            while let Some(here) = at {
                match seen[here] {
                    1 => return true,
                    2 => break,
                    _ => {}
                }
                seen[here] = 1;
                walk.push(here);
                at = self.people[here].manager.as_deref().and_then(|m| self.index(m));
            }
            for done in walk {
                seen[done] = 2;
            }
        }
        false
    }

    /// Whether walking up from `from`'s manager reaches `target` (bounded by the headcount).
    pub fn manager_chain_reaches(&self, from: usize, target: usize) -> bool {
        let mut at = self.people[from].manager.as_deref().and_then(|m| self.index(m));
        for _ in 0..=self.people.len() {
            match at {
                None => return false,
                Some(here) if here == target => return true,
                Some(here) => at = self.people[here].manager.as_deref().and_then(|m| self.index(m)),
            }
        }
        true
    }

    /// Sets `person`'s manager to `manager`, keeping the reports index.
    pub(super) fn set_manager(&mut self, person: usize, manager: Option<usize>) {
        if let Some(old) = self.people[person].manager.as_deref().and_then(|m| self.index(m)) {
            self.reports[old].retain(|&r| r != person);
        }
        self.people[person].manager = manager.map(|m| self.people[m].id.clone());
        if let Some(boss) = manager {
            self.reports[boss].push(person);
        }
    }

    /// Adds a person, indexed; its index.
    pub(super) fn add(&mut self, person: Person) -> usize {
        let index = self.people.len();
        match person.status {
            Status::Active => self.active.insert(index),
            Status::Terminated => self.gone.insert(index),
        }
        self.people.push(person);
        self.reports.push(Vec::new());
        index
    }

    /// Appends an event to the log (dropping the oldest past [`MAX_EVENTS`]).
    pub(super) fn log(&mut self, mut event: Event) {
        self.last_seq += 1;
        event.seq = self.last_seq;
        if self.events.len() >= MAX_EVENTS {
            self.events.pop_front();
            self.evicted += 1;
        }
        self.events.push_back(event);
    }

    /// Queues `pending` in time order.
    pub(super) fn queue(&mut self, mut pending: Pending) {
        self.pending_seq += 1;
        pending.seq = self.pending_seq;
        let place = self.pending.partition_point(|p| (p.at, p.seq) <= (pending.at, pending.seq));
        self.pending.insert(place, pending);
    }

    /// The records an event touched, for the log.
    pub(super) fn touched(records: &[(String, VendorRecord)]) -> Vec<Touched> {
        records.iter().map(|(vendor, record)| Touched { vendor: vendor.clone(), id: record.id.clone() }).collect()
    }
}
