//! A client's own write through a vendor's API joins the workforce (with `shared`): the record
//! it made becomes a person, hired into the other vendors taking part, so they see it too.

use super::draw;
use super::model::{Event, Kind, Origin, Status, Touched};
use super::state::{Projector, Rostered, State};
use crate::common::rng::SandboxRng;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

impl State {
    /// `entry`, a record `vendor` made for a client, joins as a person at `now` and is hired
    /// into the other vendors; the event. Nothing when sharing is off, the vendor takes no
    /// part, a person already has the record, or the workforce is full.
    pub fn join(
        &mut self,
        rng: &mut SandboxRng,
        vendor: &str,
        entry: Rostered,
        now: DateTime<Utc>,
        projector: &mut dyn Projector,
    ) -> Option<Event> {
        let vendors = projector.vendors();
        if !self.settings.shared || !self.started() || !vendors.iter().any(|v| v == vendor) {
            return None;
        }
        if self.people.len() >= super::state::MAX_PEOPLE
            || self.people.iter().any(|p| p.records.get(vendor).is_some_and(|r| r.id == entry.record.id))
        {
            return None;
        }
        // A record without a start date (a Directory employee) starts today.
        let start = Some(entry.start_date).filter(|d| *d != NaiveDate::default()).unwrap_or(now.date_naive());
        let mut person = draw::person(rng, self.people.len() + 1, start, &BTreeMap::new());
        person.given_name = entry.given_name;
        person.family_name = entry.family_name;
        person.work_email = entry.email;
        if !entry.department.is_empty() {
            person.department = entry.department;
        }
        if !entry.title.is_empty() {
            person.title = entry.title;
        }
        person.status = Status::Active;
        person.records.insert(vendor.to_owned(), entry.record.clone());
        let boss = entry.manager_record.and_then(|manager| {
            self.people.iter().position(|p| p.records.get(vendor).is_some_and(|r| r.id == manager))
        });
        let me = self.add(person);
        self.set_manager(me, boss.filter(|&b| self.people[b].status == Status::Active));
        self.counts.hires += 1;
        self.counts.active = self.active.len();
        let others: Vec<String> = vendors.into_iter().filter(|v| v != vendor).collect();
        let touched = self.project(me, Kind::Hire, None, now, &others, projector);
        let mut records = vec![Touched { vendor: vendor.to_owned(), id: entry.record.id }];
        records.extend(Self::touched(&touched));
        self.log(Event {
            seq: 0,
            at: now,
            kind: Kind::Hire,
            origin: Origin::Client,
            person: self.people[me].id.clone(),
            field: None,
            from: None,
            to: None,
            effective_date: Some(start),
            records,
        });
        self.events.back().cloned()
    }
}
