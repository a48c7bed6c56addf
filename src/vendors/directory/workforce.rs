//! The workforce projected into Directory employees (of the first organization): a hire is a
//! new employee (`ACTIVE`, profile `firstName`/`lastName`/`companyRole`/`joinDate`/`location`,
//! a `DIRECT` manager relation, a `MEMBER` membership of its department's `DEPARTMENT` group);
//! a change updates those; a termination makes it `INACTIVE` (`status.changedAt` the moment)
//! without manager relations; a rehire makes the same employee `ACTIVE` again with a new
//! `joinDate`. So `GET /employee?status=`, `/employee/{id}`, `/by-manager/{id}`, `/{id}/managers`
//! and `/group/{id}/members` all see each event.

use super::model::{CreationInfo, Employee, Group, ManagerRelation, Membership, Preferences, StatusInfo};
use super::seed::{active, timestamp};
use super::store::State;
use crate::workforce::model::{Kind, Person, Status, VendorRecord};
use crate::workforce::{Projection, Rostered};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// The manager relation type the workforce writes (the reference's suggestion for a line manager).
const DIRECT: &str = "DIRECT";
/// The group type a department is.
const DEPARTMENT: &str = "DEPARTMENT";

impl State {
    /// Applies one workforce event to the employees; the employee touched (minted for a hire).
    pub fn project(&mut self, projection: &Projection) -> Option<VendorRecord> {
        let person = projection.person;
        let slot = match projection.record.and_then(|record| self.find(record)) {
            Some(slot) => slot,
            None if matches!(projection.kind, Kind::Hire | Kind::Rehire) => self.hire(projection)?,
            None => return None,
        };
        let organization = self.employees[slot].organization.clone();
        // A manager is one of the same organization (an adopted manager may be another's).
        let manager = projection.manager.and_then(|(_, record)| self.find(record?)).map(|m| &self.employees[m]);
        let manager = manager.filter(|m| m.organization == organization).map(|m| m.id.clone());
        // Memberships are a list of every organization's: walked only when the department may
        // have changed (a hire has none yet), so an event costs O(1) at any size.
        let moves = projection.kind == Kind::Rehire || projection.field == Some("department");
        let joins = projection.kind == Kind::Hire;
        let department =
            if moves || joins { self.department(&organization, &person.department, projection) } else { None };
        let stamp = timestamp(projection.at);
        let employee = &mut self.employees[slot];
        let id = employee.id.clone();
        employee.name = person.full_name();
        employee.email.clone_from(&person.work_email);
        employee.kind = if person.employment_type == "contractor" { "CONTRACTOR" } else { "EMPLOYEE" }.into();
        fill_profile(&mut employee.profile, person);
        // Only the workforce's own relation type is rewritten: a client's other relations stay.
        employee.managers.retain(|m| m.kind != DIRECT);
        let leaving = person.status == Status::Terminated;
        match manager {
            Some(boss) if boss != id && !leaving => {
                employee.managers.push(ManagerRelation { manager_id: boss, kind: DIRECT.into() })
            }
            // Divergence: a leaver keeps no manager relation (the docs say nothing of leavers),
            // so `by-manager` lists the people a manager has now.
            _ if leaving => employee.managers.clear(),
            _ => {}
        }
        // Divergence: the Directory has no termination date, so a scheduled termination is not
        // visible before its date; when it happens the employee turns `INACTIVE` (the seeded
        // leavers' status) with `changedAt` the moment, and a rehire turns it `ACTIVE` again.
        let now_active = !leaving;
        if employee.active != now_active {
            employee.active = now_active;
            let current = if now_active { "ACTIVE" } else { "INACTIVE" };
            employee.status = StatusInfo { current: current.into(), changed_at: Some(stamp), changed_by: None };
        }
        match department {
            Some(group_id) if joins => self.join_department(&id, group_id),
            department if moves => self.move_to(&id, department),
            _ => {}
        }
        Some(VendorRecord { id, slot })
    }

    /// A new employee of the first organization for a hire; its slot.
    fn hire(&mut self, projection: &Projection) -> Option<usize> {
        let organization = self.organizations.first()?.id.clone();
        crate::common::records::room_for("employees", self.employees.len(), 1).ok()?;
        let person = projection.person;
        let id = self.new_id();
        self.employees.push(Employee {
            id,
            organization,
            name: person.full_name(),
            email: person.work_email.clone(),
            account: None,
            role: Some("EMPLOYEE".into()),
            kind: "EMPLOYEE".into(),
            active: true,
            status: active(),
            created: CreationInfo { created_at: timestamp(projection.at), created_by: None },
            profile: Map::new(),
            mappings: Vec::new(),
            preferences: Preferences::default(),
            managers: Vec::new(),
        });
        Some(self.employees.len() - 1)
    }

    /// The id of `organization`'s `DEPARTMENT` group called `name`, added when it is new
    /// (departments appear; an emptied one stays, as a group outlives its members).
    fn department(&mut self, organization: &str, name: &str, projection: &Projection) -> Option<String> {
        if name.is_empty() {
            return None;
        }
        let known =
            self.groups.iter().find(|g| g.organization == organization && g.kind == DEPARTMENT && g.name == name);
        if let Some(group) = known {
            return Some(group.id.clone());
        }
        crate::common::records::room_for("groups", self.groups.len(), 1).ok()?;
        let id = self.new_id();
        self.groups.push(Group {
            id: id.clone(),
            organization: organization.to_owned(),
            name: name.to_owned(),
            kind: DEPARTMENT.into(),
            active: true,
            status: active(),
            created: CreationInfo { created_at: timestamp(projection.at), created_by: None },
            profile: Map::new(),
        });
        Some(id)
    }

    /// Makes `employee` a member of `department` in place of its department membership (kept
    /// as `LEAD` or `MEMBER`), or a new `MEMBER` when it has none. O(1) through
    /// `department_slots`, rebuilt in one pass when a client's group edit moved a membership.
    fn move_to(&mut self, employee: &str, department: Option<String>) {
        let Some(department) = department else { return };
        let slot = match self.department_slot(employee) {
            Some(slot) => Some(slot),
            None => {
                self.index_departments();
                self.department_slot(employee)
            }
        };
        match slot {
            Some(slot) => self.memberships[slot].group_id = department,
            None => self.join_department(employee, department),
        }
    }

    /// `employee`'s department membership, if the index still points at it.
    fn department_slot(&self, employee: &str) -> Option<usize> {
        let slot = *self.department_slots.get(employee)?;
        let membership = self.memberships.get(slot)?;
        let department = self.groups.iter().any(|g| g.id == membership.group_id && g.kind == DEPARTMENT);
        (membership.entity == employee && department).then_some(slot)
    }

    /// Indexes every entity's first department membership (one pass).
    fn index_departments(&mut self) {
        let departments: std::collections::HashSet<&str> =
            self.groups.iter().filter(|g| g.kind == DEPARTMENT).map(|g| g.id.as_str()).collect();
        self.department_slots.clear();
        for (slot, membership) in self.memberships.iter().enumerate() {
            if departments.contains(membership.group_id.as_str()) {
                self.department_slots.entry(membership.entity.clone()).or_insert(slot);
            }
        }
    }

    /// A new `MEMBER` membership of `department`, indexed.
    fn join_department(&mut self, employee: &str, department: String) {
        self.department_slots.insert(employee.to_owned(), self.memberships.len());
        self.memberships.push(Membership { entity: employee.to_owned(), group_id: department, kind: "MEMBER".into() });
    }

    /// The employees of every organization as people to adopt.
    pub fn roster(&self) -> Vec<Rostered> {
        let departments: HashMap<&str, &str> =
            self.groups.iter().filter(|g| g.kind == DEPARTMENT).map(|g| (g.id.as_str(), g.name.as_str())).collect();
        let mut department_of: HashMap<&str, &str> = HashMap::new();
        for membership in &self.memberships {
            if let Some(name) = departments.get(membership.group_id.as_str()) {
                department_of.entry(membership.entity.as_str()).or_insert(name);
            }
        }
        let text = |e: &Employee, field: &str| e.profile.get(field).and_then(Value::as_str).map(str::to_owned);
        self.employees
            .iter()
            .enumerate()
            .map(|(slot, e)| {
                let (given, family) = e.name.split_once(' ').unwrap_or((e.name.as_str(), ""));
                Rostered {
                    record: VendorRecord { id: e.id.clone(), slot },
                    given_name: text(e, "firstName").unwrap_or_else(|| given.to_owned()),
                    family_name: text(e, "lastName").unwrap_or_else(|| family.to_owned()),
                    email: e.email.clone(),
                    start_date: text(e, "joinDate").and_then(|d| d.parse().ok()).unwrap_or_default(),
                    department: department_of.get(e.id.as_str()).map(|d| (*d).to_owned()).unwrap_or_default(),
                    title: text(e, "companyRole").unwrap_or_default(),
                    active: e.active,
                    termination_date: None,
                    manager_record: e.managers.iter().find(|m| m.kind == DIRECT).map(|m| m.manager_id.clone()),
                }
            })
            .collect()
    }

    /// Where `record` is: its slot when it still holds it, else a search.
    fn find(&self, record: &VendorRecord) -> Option<usize> {
        match self.employees.get(record.slot) {
            Some(employee) if employee.id == record.id => Some(record.slot),
            _ => self.employees.iter().position(|e| e.id == record.id),
        }
    }
}

/// The profile fields the workforce owns (the others, a client's, stay).
fn fill_profile(profile: &mut Map<String, Value>, person: &Person) {
    profile.insert("firstName".into(), json!(person.given_name));
    profile.insert("lastName".into(), json!(person.family_name));
    profile.insert("companyRole".into(), json!(person.title));
    profile.insert("location".into(), json!(person.location));
    profile.insert("joinDate".into(), json!(person.start_date.to_string()));
}
