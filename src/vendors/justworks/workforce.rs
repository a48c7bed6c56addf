//! The workforce projected into Justworks members: a hire is a new member, a change updates
//! its department, title, office or manager, a scheduled termination sets
//! `employment_termination_date` while the member stays `active` until that day passes, and a
//! rehire makes the same member active again with a new start date.

use super::model::{Member, Name, Reference};
use super::store::State;
use crate::workforce::model::{Kind, Person, VendorRecord};
use crate::workforce::{Projection, Rostered};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl State {
    /// Applies one workforce event to the members; the member touched (minted for a hire).
    pub fn project(&mut self, projection: &Projection) -> Option<VendorRecord> {
        let person = projection.person;
        let manager = projection.manager.and_then(|(boss, record)| {
            let record = record?;
            let found = self.find(record)?;
            Some(Reference { id: self.members[found].id.clone(), name: boss.full_name() })
        });
        let department = self.department(&person.department, projection.at);
        let office =
            self.company.offices.iter().find(|o| o["name"] == person.location.as_str()).map(|o| Reference {
                id: o["id"].as_str().unwrap_or_default().to_owned(),
                name: person.location.clone(),
            });
        let (slot, minted) = match projection.record.and_then(|record| self.find(record)) {
            Some(slot) => (slot, false),
            None if projection.kind == Kind::Hire || projection.kind == Kind::Rehire => {
                let member = self.new_member(person, projection.at);
                self.members.push(member);
                (self.members.len() - 1, true)
            }
            None => return None,
        };
        let member = &mut self.members[slot];
        member.name.given_name.clone_from(&person.given_name);
        member.name.family_name.clone_from(&person.family_name);
        let shown = member.name.preferred_name.clone().unwrap_or_else(|| person.given_name.clone());
        member.name.full_preferred_name = format!("{shown} {}", person.family_name);
        member.department = department;
        member.office = office;
        member.manager = manager;
        member.job_title.clone_from(&person.title);
        member.employment_location_type = if person.location == "Remote" { "remote" } else { "office" }.into();
        member.employment_start_date = person.start_date.to_string();
        member.employment_termination_date = person.termination_date.map(|d| d.to_string());
        // Divergence: a scheduled termination shows its date while the member stays active
        // until the day after it (Justworks documents the date, not when `status` flips).
        member.active = person.status == crate::workforce::model::Status::Active;
        member.updated_at = stamp(projection.at);
        let record = VendorRecord { id: member.id.clone(), slot };
        self.member_pages.clear();
        self.emit_member(event_type(projection.kind, minted), slot, projection.at);
        Some(record)
    }

    /// The members as people to adopt.
    pub fn roster(&self) -> Vec<Rostered> {
        self.members
            .iter()
            .enumerate()
            .map(|(slot, m)| Rostered {
                record: VendorRecord { id: m.id.clone(), slot },
                given_name: m.name.given_name.clone(),
                family_name: m.name.family_name.clone(),
                email: m.email.clone(),
                start_date: day(&m.employment_start_date),
                department: m.department.name.clone(),
                title: m.job_title.clone(),
                active: m.active,
                termination_date: m.employment_termination_date.as_deref().map(day),
                manager_record: m.manager.as_ref().map(|r| r.id.clone()),
            })
            .collect()
    }

    /// Where `record` is: its slot when it still holds it, else a search.
    fn find(&self, record: &VendorRecord) -> Option<usize> {
        match self.members.get(record.slot) {
            Some(member) if member.id == record.id => Some(record.slot),
            _ => self.members.iter().position(|m| m.id == record.id),
        }
    }

    /// The company's department called `name`, added when it is new (departments appear, and
    /// `department.created` is delivered).
    fn department(&mut self, name: &str, at: DateTime<Utc>) -> Reference {
        if let Some(known) = self.company.departments.iter().find(|d| d.name == name) {
            return known.clone();
        }
        let added = Reference { id: self.new_id("department"), name: name.to_owned() };
        self.company.departments.push(added.clone());
        self.emit_department("department.created", &added, at);
        added
    }

    fn new_member(&mut self, person: &Person, at: DateTime<Utc>) -> Member {
        let n = self.members.len();
        Member {
            id: self.new_id("member"),
            work_id: format!("E-{:04}", 1000 + n),
            name: Name {
                given_name: person.given_name.clone(),
                family_name: person.family_name.clone(),
                preferred_name: None,
                full_preferred_name: person.full_name(),
                additional_names: Vec::new(),
            },
            active: true,
            kind: if person.employment_type == "contractor" { "contractor" } else { "employee" }.into(),
            employment_location_type: "office".into(),
            email: person.work_email.clone(),
            // Divergence: a workforce hire has no home address, phone, birth date or tax id.
            address: json!({}),
            phone: String::new(),
            department: Reference { id: String::new(), name: String::new() },
            office: None,
            manager: None,
            job_title: person.title.clone(),
            date_of_birth: String::new(),
            sex_assigned_at_birth: String::new(),
            date_added_to_justworks: at.date_naive().to_string(),
            employment_start_date: person.start_date.to_string(),
            employment_termination_date: None,
            pay_amount: 7_000_000,
            pay_frequency: "semimonthly".into(),
            ssn: None,
            custom_fields: Vec::new(),
            legacy_id: self.new_uuid(),
            created_at: stamp(at),
            updated_at: stamp(at),
        }
    }
}

/// The webhook event a workforce event is for a member (`minted`: the hire made the member).
fn event_type(kind: Kind, minted: bool) -> &'static str {
    match kind {
        Kind::Hire | Kind::Rehire if minted => "member.profile.created",
        Kind::TerminationScheduled => "member.employment_state.termination_scheduled",
        Kind::TerminationCanceled => "member.employment_state.termination_canceled",
        // A change, a rehire of the same member, and the day a termination takes effect.
        _ => "member.profile.updated",
    }
}

/// A seeded date (`YYYY-MM-DD`).
fn day(text: &str) -> NaiveDate {
    text.parse().unwrap_or_default()
}
