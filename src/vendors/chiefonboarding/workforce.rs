//! The workforce projected into ChiefOnboarding users: a hire is a new hire (role 0) with its
//! start day, listed by `GET /api/employees/`; a change updates its name, email, title and
//! manager; a termination is an offboarding as `POST /api/offboarding/` makes it (the user stays,
//! with its `termination_date`: the product lists offboarded people too); a rehire clears it and
//! makes the same user a new hire again from its new start day.

use super::model::{User, role};
use super::store::State;
use crate::workforce::model::{Kind, Status, VendorRecord};
use crate::workforce::{Projection, Rostered};

impl State {
    /// Applies one workforce event to the users; the user touched (minted for a hire).
    pub fn project(&mut self, projection: &Projection) -> Option<VendorRecord> {
        let person = projection.person;
        let manager = projection.manager.and_then(|(_, record)| record?.id.parse::<u64>().ok());
        let id = match projection.record.and_then(|record| record.id.parse::<u64>().ok()) {
            Some(id) if self.users.contains_key(&id) => id,
            _ if matches!(projection.kind, Kind::Hire | Kind::Rehire) => {
                let user = self.new_hire(projection);
                // A taken email (the client's own user) or a full sandbox: not projected.
                self.insert_user_unlisted(user).ok()?
            }
            _ => return None,
        };
        let email = person.work_email.to_lowercase();
        // The email is unique: a change onto another user's email keeps the old one.
        let email_free = !self.users.values().any(|u| u.id != id && u.email == email);
        let user = self.users.get_mut(&id)?;
        if email_free {
            user.email = email;
        }
        user.first_name.clone_from(&person.given_name);
        user.last_name.clone_from(&person.family_name);
        user.position.clone_from(&person.title);
        user.manager = manager.filter(|m| *m != id);
        // Divergence: a scheduled termination shows as the offboarding date at once (as the
        // API's own future-dated offboarding does); the user stays listed and active after it,
        // as ChiefOnboarding keeps offboarded users.
        user.termination_date = person.termination_date;
        if projection.kind == Kind::Rehire && person.status == Status::Active {
            user.role = role::NEW_HIRE;
            user.start_day = Some(person.start_date);
            user.offboarding_sequences.clear();
        }
        // The list body is rebuilt once after the batch (O(users) per event would not scale).
        self.employees_stale = true;
        Some(VendorRecord { id: id.to_string(), slot: 0 })
    }

    /// The users other than administrators, as people to adopt.
    pub fn roster(&self) -> Vec<Rostered> {
        self.users
            .values()
            .filter(|u| u.role != role::ADMIN)
            .map(|u| Rostered {
                record: VendorRecord { id: u.id.to_string(), slot: 0 },
                given_name: u.first_name.clone(),
                family_name: u.last_name.clone(),
                email: u.email.clone(),
                start_date: u.start_day.unwrap_or_default(),
                department: String::new(),
                title: u.position.clone(),
                active: u.is_active,
                termination_date: u.termination_date,
                manager_record: u.manager.map(|m| m.to_string()),
            })
            .collect()
    }

    fn new_hire(&self, projection: &Projection) -> User {
        let person = projection.person;
        let (first, last, email) = (person.given_name.clone(), person.family_name.clone(), person.work_email.clone());
        let (timezone, language) = (self.organization.timezone.clone(), self.organization.language.clone());
        User {
            start_day: Some(person.start_date),
            position: person.title.clone(),
            ..User::blank(first, last, email, role::NEW_HIRE, timezone, language)
        }
    }
}
