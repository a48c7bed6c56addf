//! What each event does to the people, the vendors' records and the log.

use super::draw;
use super::model::{Action, Event, FieldChange, Kind, Origin, Pending, Status};
use super::state::{Projector, State};
use crate::common::rng::SandboxRng;
use chrono::{DateTime, Days, Utc};
use rand::RngExt;

impl State {
    /// Applies `action` at `at`: checked first, so a refused one changes nothing.
    pub(super) fn apply(
        &mut self,
        rng: &mut SandboxRng,
        action: Action,
        origin: Origin,
        at: DateTime<Utc>,
        projector: &mut dyn Projector,
    ) -> Result<(), String> {
        self.check(&action, at.date_naive())?;
        match action {
            Action::Hire { fields } => self.hire(rng, &fields, origin, at, projector),
            Action::Change { person, change } => {
                let me = self.index(&person).ok_or("no person")?;
                self.change(me, &change, origin, at, projector);
            }
            Action::ScheduleTermination { person, last_day } => {
                let me = self.index(&person).ok_or("no person")?;
                self.unqueue_termination(&person);
                self.people[me].termination_date = Some(last_day);
                let leaves = last_day.checked_add_days(Days::new(1)).and_then(|d| d.and_hms_opt(0, 0, 0));
                let leaves = leaves.map_or(at, |d| d.and_utc());
                self.queue(Pending { at: leaves, seq: 0, action: Action::Terminate { person }, origin });
                self.record(me, Kind::TerminationScheduled, origin, at, Some(last_day), None, projector);
            }
            Action::CancelTermination { person } => {
                let me = self.index(&person).ok_or("no person")?;
                self.unqueue_termination(&person);
                self.people[me].termination_date = None;
                self.record(me, Kind::TerminationCanceled, origin, at, None, None, projector);
            }
            Action::Terminate { person } => {
                self.terminate(self.index(&person).ok_or("no person")?, origin, at, projector)
            }
            Action::Rehire { person } => {
                let me = self.index(&person).ok_or("no person")?;
                self.gone.remove(me);
                self.active.insert(me);
                self.counts.rehires += 1;
                self.counts.active = self.active.len();
                let person = &mut self.people[me];
                person.status = Status::Active;
                person.start_date = at.date_naive();
                person.termination_date = None;
                let boss = (0..4).filter_map(|_| self.active.pick(rng)).find(|&c| c != me);
                self.set_manager(me, boss);
                self.record(me, Kind::Rehire, origin, at, Some(at.date_naive()), None, projector);
            }
        }
        Ok(())
    }

    fn hire(
        &mut self,
        rng: &mut SandboxRng,
        fields: &std::collections::BTreeMap<String, String>,
        origin: Origin,
        at: DateTime<Utc>,
        projector: &mut dyn Projector,
    ) {
        let person = draw::person(rng, self.people.len() + 1, at.date_naive(), fields);
        let boss = match fields.get("manager") {
            Some(id) => self.index(id),
            None => self.active.pick(rng),
        };
        let me = self.add(person);
        self.set_manager(me, boss);
        self.counts.hires += 1;
        self.counts.active = self.active.len();
        let vendors = projector.vendors();
        let into = match (self.settings.shared, vendors.is_empty()) {
            (true, _) => vendors,
            (false, true) => Vec::new(),
            // Divergence: without `shared` a hire joins one taking-part vendor, drawn from the seed.
            (false, false) => vec![vendors[rng.random_range(0..vendors.len())].clone()],
        };
        let touched = self.project(me, Kind::Hire, None, at, &into, projector);
        self.log(Event {
            seq: 0,
            at,
            kind: Kind::Hire,
            origin,
            person: self.people[me].id.clone(),
            field: None,
            from: None,
            to: None,
            effective_date: Some(at.date_naive()),
            records: Self::touched(&touched),
        });
    }

    fn change(
        &mut self,
        me: usize,
        change: &FieldChange,
        origin: Origin,
        at: DateTime<Utc>,
        projector: &mut dyn Projector,
    ) {
        let person = &mut self.people[me];
        let value = change.value.clone();
        let from = match change.field.as_str() {
            "department" => Some(std::mem::replace(&mut person.department, value.clone().unwrap_or_default())),
            "title" => Some(std::mem::replace(&mut person.title, value.clone().unwrap_or_default())),
            "location" => Some(std::mem::replace(&mut person.location, value.clone().unwrap_or_default())),
            "employment_type" => {
                Some(std::mem::replace(&mut person.employment_type, value.clone().unwrap_or_default()))
            }
            "given_name" => Some(std::mem::replace(&mut person.given_name, value.clone().unwrap_or_default())),
            "family_name" => Some(std::mem::replace(&mut person.family_name, value.clone().unwrap_or_default())),
            _ => {
                let old = person.manager.clone();
                let boss = value.as_deref().and_then(|id| self.index(id));
                self.set_manager(me, boss);
                old
            }
        };
        self.record(me, Kind::Change, origin, at, None, Some((change.field.clone(), from, value)), projector);
    }

    /// The scheduled day came: the person leaves; its reports move to its manager.
    fn terminate(&mut self, me: usize, origin: Origin, at: DateTime<Utc>, projector: &mut dyn Projector) {
        self.people[me].status = Status::Terminated;
        self.active.remove(me);
        self.gone.insert(me);
        self.counts.terminations += 1;
        self.counts.active = self.active.len();
        let boss = self.people[me].manager.as_deref().and_then(|m| self.index(m));
        let last_day = self.people[me].termination_date;
        self.record(me, Kind::Termination, origin, at, last_day, None, projector);
        // In person order: the same whatever order the reports index was built in.
        let mut reports = std::mem::take(&mut self.reports[me]);
        reports.sort_unstable();
        for report in reports {
            let change = FieldChange { field: "manager".into(), value: boss.map(|b| self.people[b].id.clone()) };
            // The report's manager is still `me` in the people list: `change` moves it.
            self.reports[me].push(report);
            self.change(report, &change, origin, at, projector);
        }
        self.set_manager(me, None);
    }

    fn unqueue_termination(&mut self, person: &str) {
        self.pending.retain(|p| !matches!(&p.action, Action::Terminate { person: who } if who == person));
    }

    /// Projects an event into the person's vendors and logs it.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        me: usize,
        kind: Kind,
        origin: Origin,
        at: DateTime<Utc>,
        effective_date: Option<chrono::NaiveDate>,
        change: Option<(String, Option<String>, Option<String>)>,
        projector: &mut dyn Projector,
    ) {
        let vendors = self.taking_part(me, projector);
        let field = change.as_ref().map(|(field, _, _)| field.as_str());
        let touched = self.project(me, kind, field, at, &vendors, projector);
        let (field, from, to) = change.map_or((None, None, None), |(f, a, b)| (Some(f), a, b));
        self.log(Event {
            seq: 0,
            at,
            kind,
            origin,
            person: self.people[me].id.clone(),
            field,
            from,
            to,
            effective_date,
            records: Self::touched(&touched),
        });
    }
}
