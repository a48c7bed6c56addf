//! How time moves the workforce: each midnight the clock passes draws the day's events from the
//! seed (so the same seed and clock moves give the same events, however the moves are cut), and
//! pending events happen at their time; every event is projected into the vendors.

use super::draw;
use super::model::{Action, Event, FieldChange, Kind, Origin, Pending, Status, VendorRecord};
use super::state::{Projection, Projector, State};
use crate::common::rng::{SandboxRng, rng_for};
use chrono::{DateTime, Days, NaiveDate, Utc};
use rand::RngExt;
use std::collections::{BTreeMap, HashMap};

/// Events one catch-up applies at most; the rest happen at the next one (a clock moved from
/// 1970 to 9999 with churn on must not hold the server).
pub const MAX_EVENTS_PER_MOVE: usize = 5_000_000;

/// Average days per month, for rates given per month.
const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

/// Fields a change may touch.
pub const FIELDS: &[&str] =
    &["department", "title", "location", "manager", "employment_type", "given_name", "family_name"];

/// Midnight (UTC) after `at`.
fn next_midnight(at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    Some(at.date_naive().checked_add_days(Days::new(1))?.and_hms_opt(0, 0, 0)?.and_utc())
}

impl State {
    /// Starts the workforce at `now`: the people the vendors taking part hold are adopted
    /// (each linked to its record), so rates apply to the default data's headcount.
    pub fn start(&mut self, seed: u64, now: DateTime<Utc>, projector: &mut dyn Projector) {
        if self.started() {
            return;
        }
        let mut rng = rng_for(seed, "workforce/start");
        let mut by_record: HashMap<(String, String), usize> = HashMap::new();
        let mut managers = Vec::new();
        for vendor in projector.vendors() {
            for entry in projector.roster(&vendor) {
                let number = self.people.len() + 1;
                let mut person = draw::person(&mut rng, number, entry.start_date, &BTreeMap::new());
                person.given_name = entry.given_name;
                person.family_name = entry.family_name;
                person.work_email = entry.email;
                person.department = entry.department;
                person.title = entry.title;
                person.termination_date = entry.termination_date;
                // A record whose last day passed is a leaver, whatever its vendor's flag says
                // (ChiefOnboarding keeps offboarded users active); one still to come is pending.
                let passed = entry.termination_date.is_some_and(|day| day < now.date_naive());
                let active = entry.active && !passed;
                person.status = if active { Status::Active } else { Status::Terminated };
                person.records.insert(vendor.clone(), entry.record.clone());
                let leaves =
                    entry.termination_date.filter(|_| active).and_then(|day| day.checked_add_days(Days::new(1)));
                let index = self.add(person);
                if let Some(day) = leaves.and_then(|day| day.and_hms_opt(0, 0, 0)) {
                    let person = self.people[index].id.clone();
                    let action = Action::Terminate { person };
                    self.queue(Pending { at: day.and_utc(), seq: 0, action, origin: Origin::Generated });
                }
                by_record.insert((vendor.clone(), entry.record.id), index);
                if let Some(manager) = entry.manager_record {
                    managers.push((index, (vendor.clone(), manager)));
                }
            }
        }
        for (index, key) in managers {
            if let Some(&boss) = by_record.get(&key)
                && boss != index
                && !self.manager_chain_reaches(boss, index)
            {
                self.set_manager(index, Some(boss));
            }
        }
        self.counts.start = self.active.len();
        self.counts.active = self.active.len();
        self.cursor = Some(now);
    }

    /// Everything due in (cursor, `now`] happens, in time order; the cursor moves to `now`.
    pub fn catch_up(&mut self, seed: u64, now: DateTime<Utc>, projector: &mut dyn Projector) {
        let Some(mut cursor) = self.cursor else { return };
        let first = self.last_seq;
        while cursor < now && self.last_seq - first < MAX_EVENTS_PER_MOVE as u64 {
            let day = if self.settings.churns() { next_midnight(cursor).filter(|m| *m <= now) } else { None };
            let due = self.pending.first().map(|p| p.at).filter(|at| *at <= now);
            match (due, day) {
                (Some(at), day) if day.is_none_or(|day| at <= day) => {
                    let pending = self.pending.remove(0);
                    let mut rng = rng_for(seed, &format!("workforce/pending/{}", pending.seq));
                    // A pending event that no longer applies (the person left first) is dropped.
                    let _ = self.apply(&mut rng, pending.action, pending.origin, at, projector);
                    // Just before `at`: a day whose midnight is `at` still draws its events next.
                    cursor = cursor.max(at - chrono::Duration::nanoseconds(1));
                }
                (_, Some(midnight)) => {
                    self.tick(seed, midnight, projector);
                    cursor = midnight;
                }
                _ => cursor = now,
            }
        }
        self.cursor = Some(cursor);
    }

    /// The day starting at `midnight`: its terminations, changes, hires and rehires.
    fn tick(&mut self, seed: u64, midnight: DateTime<Utc>, projector: &mut dyn Projector) {
        let mut rng = rng_for(seed, &format!("workforce/day/{}", midnight.timestamp().div_euclid(86_400)));
        let headcount = self.active.len() as f64;
        let settings = self.settings.clone();
        let count = |rate: f64, rng: &mut SandboxRng| {
            let expected = rate / 100.0 * headcount / DAYS_PER_MONTH;
            let whole = expected.floor();
            whole as usize + usize::from(rng.random::<f64>() < expected - whole)
        };
        let (terminations, changes) =
            (count(settings.terminations_per_month, &mut rng), count(settings.changes_per_month, &mut rng));
        let (hires, rehires) = (count(settings.hires_per_month, &mut rng), count(settings.rehires_per_month, &mut rng));
        let today = midnight.date_naive();
        for _ in 0..terminations {
            let Some(person) = self.pick_active(&mut rng, |p| p.termination_date.is_none()) else { break };
            let notice = rng.random_range(0..=30u64);
            let last_day = today.checked_add_days(Days::new(notice)).unwrap_or(today);
            let action = Action::ScheduleTermination { person, last_day };
            let _ = self.apply(&mut rng, action, Origin::Generated, midnight, projector);
        }
        for _ in 0..changes {
            let Some(person) = self.pick_active(&mut rng, |_| true) else { break };
            let Some(change) = self.draw_change(&mut rng, &person) else { continue };
            let _ = self.apply(&mut rng, Action::Change { person, change }, Origin::Generated, midnight, projector);
        }
        for _ in 0..hires {
            let hire = Action::Hire { fields: BTreeMap::new() };
            let _ = self.apply(&mut rng, hire, Origin::Generated, midnight, projector);
        }
        for _ in 0..rehires {
            let Some(index) = self.gone.pick(&mut rng) else { break };
            let person = self.people[index].id.clone();
            let _ = self.apply(&mut rng, Action::Rehire { person }, Origin::Generated, midnight, projector);
        }
    }

    /// An active person (a few tries for one that `fits`).
    fn pick_active(&self, rng: &mut SandboxRng, fits: impl Fn(&super::model::Person) -> bool) -> Option<String> {
        (0..8).filter_map(|_| self.active.pick(rng)).find(|&i| fits(&self.people[i])).map(|i| self.people[i].id.clone())
    }

    /// A random change of one of `person`'s fields (a manager that makes no cycle).
    fn draw_change(&self, rng: &mut SandboxRng, person: &str) -> Option<FieldChange> {
        let value = match rng.random_range(0..4) {
            0 => ("department", draw::pick(rng, draw::DEPARTMENTS)),
            1 => ("title", draw::pick(rng, draw::TITLES)),
            2 => ("location", draw::pick(rng, draw::LOCATIONS)),
            _ => {
                let me = self.index(person)?;
                let boss = (0..4)
                    .filter_map(|_| self.active.pick(rng))
                    .find(|&c| c != me && !self.manager_chain_reaches(c, me))?;
                ("manager", self.people[boss].id.clone())
            }
        };
        Some(FieldChange { field: value.0.to_owned(), value: Some(value.1) })
    }

    /// Asks for `action` at sandbox time `now` (or at `at`, when later): checked first, so a
    /// refused one changes nothing. The event it made, when it happened now.
    pub fn submit(
        &mut self,
        seed: u64,
        action: Action,
        at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        projector: &mut dyn Projector,
    ) -> Result<Option<Event>, String> {
        self.check(&action, at.unwrap_or(now).max(now).date_naive())?;
        if let Some(at) = at.filter(|at| *at > now) {
            self.queue(Pending { at, seq: 0, action, origin: Origin::Manual });
            return Ok(None);
        }
        let mut rng = rng_for(seed, &format!("workforce/manual/{}", self.last_seq + 1));
        let before = self.last_seq;
        self.apply(&mut rng, action, Origin::Manual, now, projector)?;
        Ok(self.events.iter().find(|e| e.seq == before + 1).cloned())
    }

    /// Whether `action` may happen on `day` as the workforce is now.
    pub fn check(&self, action: &Action, day: NaiveDate) -> Result<(), String> {
        let active = |id: &str| match self.index(id) {
            Some(i) if self.people[i].status == Status::Active => Ok(i),
            Some(_) => Err(format!("{id} is not active")),
            None => Err(format!("no person {id}")),
        };
        match action {
            Action::Hire { fields } => {
                if self.people.len() >= super::state::MAX_PEOPLE {
                    return Err(format!("the workforce holds at most {} people", super::state::MAX_PEOPLE));
                }
                for (field, value) in fields {
                    let allowed =
                        ["personal_email", "work_email"].contains(&field.as_str()) || FIELDS.contains(&field.as_str());
                    if !allowed {
                        return Err(format!("fields.{field}: not a field of a person"));
                    }
                    self.check_value(field, Some(value), None)?;
                }
                Ok(())
            }
            Action::Change { person, change } => {
                let me = active(person)?;
                if !FIELDS.contains(&change.field.as_str()) {
                    return Err(format!("field: must be one of {}", FIELDS.join(", ")));
                }
                self.check_value(&change.field, change.value.as_deref(), Some(me))
            }
            Action::ScheduleTermination { person, last_day } => {
                active(person)?;
                if *last_day < day {
                    return Err(format!("last_day: {last_day} is before the sandbox's today ({day})"));
                }
                Ok(())
            }
            Action::CancelTermination { person } | Action::Terminate { person } => {
                let me = active(person)?;
                if self.people[me].termination_date.is_none() {
                    return Err(format!("{person} has no termination scheduled"));
                }
                Ok(())
            }
            Action::Rehire { person } => match self.index(person) {
                Some(i) if self.people[i].status == Status::Terminated => Ok(()),
                Some(_) => Err(format!("{person} is active: only someone who left is rehired")),
                None => Err(format!("no person {person}")),
            },
        }
    }

    /// Whether `value` may be `field`'s (of person `me`, for a manager: no cycle).
    fn check_value(&self, field: &str, value: Option<&str>, me: Option<usize>) -> Result<(), String> {
        match (field, value) {
            ("manager", None) => Ok(()),
            ("manager", Some(id)) => match self.index(id) {
                Some(boss) if self.people[boss].status != Status::Active => Err(format!("manager: {id} is not active")),
                Some(boss) if me.is_some_and(|me| boss == me || self.manager_chain_reaches(boss, me)) => {
                    Err(format!("manager: {id} reports to this person (a cycle)"))
                }
                Some(_) => Ok(()),
                None => Err(format!("manager: no person {id}")),
            },
            ("employment_type", Some(kind)) if !draw::EMPLOYMENT_TYPES.contains(&kind) => {
                Err(format!("employment_type: must be one of {}", draw::EMPLOYMENT_TYPES.join(", ")))
            }
            (_, Some(text)) if text.trim().is_empty() || text.chars().count() > 200 => {
                Err(format!("{field}: must be 1 to 200 characters"))
            }
            (_, Some(_)) => Ok(()),
            (_, None) => Err(format!("{field}: must not be null")),
        }
    }

    /// The records `person` has in vendors still taking part.
    pub(super) fn taking_part(&self, person: usize, projector: &dyn Projector) -> Vec<String> {
        let vendors = projector.vendors();
        self.people[person].records.keys().filter(|v| vendors.contains(v)).cloned().collect()
    }

    /// Tells each of `vendors` about `person`'s event; the records touched, kept on the person.
    pub(super) fn project(
        &mut self,
        person: usize,
        kind: Kind,
        field: Option<&str>,
        at: DateTime<Utc>,
        vendors: &[String],
        projector: &mut dyn Projector,
    ) -> Vec<(String, VendorRecord)> {
        let mut touched = Vec::new();
        for vendor in vendors {
            let me = &self.people[person];
            let manager = me.manager.as_deref().and_then(|m| self.index(m)).map(|boss| {
                let boss = &self.people[boss];
                (boss, boss.records.get(vendor))
            });
            let projection = Projection { kind, field, person: me, record: me.records.get(vendor), manager, at };
            if let Some(record) = projector.project(vendor, &projection) {
                touched.push((vendor.clone(), record));
            }
        }
        for (vendor, record) in &touched {
            self.people[person].records.insert(vendor.clone(), record.clone());
        }
        touched
    }
}
