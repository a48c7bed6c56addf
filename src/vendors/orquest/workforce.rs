//! The workforce projected into Orquest employees (of the first business), in Orquest's
//! effective-dated model: a hire is an employee keyed by the person id (the workforce is the HR
//! system, and `employeeId` is the HR system's key) with a service association to its
//! department's product and a contract, both from its start date; a department change is a
//! transfer (the open association ends the day before, a new one starts); a scheduled
//! termination ends the current association and contract on the last day at once (as an import
//! with a `to` date does); a rehire opens a new association and contract from the new start.
//! So the employee, service, product and `between` reads see each event.

use super::model::{Business, Dated, Employee, Person as OqPerson};
use super::store::State;
use crate::workforce::model::{Kind, Status, VendorRecord};
use crate::workforce::{Projection, Rostered};
use chrono::{Days, NaiveDate};
use serde_json::{Map, Value, json};

impl State {
    /// Applies one workforce event to the employees; the employee touched (minted for a hire).
    pub fn project(&mut self, projection: &Projection) -> Option<VendorRecord> {
        let person = projection.person;
        let (slot, id) = match projection.record.and_then(|record| self.find(record)) {
            Some(found) => found,
            None if matches!(projection.kind, Kind::Hire | Kind::Rehire) => {
                let business = self.businesses.first_mut()?;
                // A client's own employee already holds the key: not projected.
                if business.employees.contains_key(&person.id) {
                    return None;
                }
                crate::common::records::room_for("employees", business.employees.len(), 1).ok()?;
                let employee = Employee {
                    person: OqPerson { employee_id: person.id.clone(), is_virtual: Some(false), ..OqPerson::default() },
                    service_associations: Vec::new(),
                    contracts: Vec::new(),
                    incidences: Vec::new(),
                };
                business.employees.insert(person.id.clone(), employee);
                (0, person.id.clone())
            }
            None => return None,
        };
        let business = self.businesses.get_mut(slot)?;
        let product = product_for(business, &person.department)?;
        let category = business.person_categories.first().cloned().unwrap_or_default();
        let contract_type = business.contract_types.first().map(|c| c.id.clone()).unwrap_or_default();
        let employee = business.employees.get_mut(&id)?;
        employee.person.name.clone_from(&person.given_name);
        employee.person.surname.clone_from(&person.family_name);
        employee.person.email = Some(person.work_email.clone());
        employee.person.seniority = Some(person.start_date);
        let rehired = projection.kind == Kind::Rehire && person.status == Status::Active;
        if employee.service_associations.is_empty() || rehired {
            let number = employee.service_associations.len() + 1;
            employee.service_associations.push(association(&id, number, &product, person.start_date));
            let minutes = if person.employment_type == "part_time" { 1200 } else { 2400 };
            let number = employee.contracts.len() + 1;
            employee.contracts.push(contract(&id, number, minutes, &category, &contract_type, person.start_date));
        } else if employee.service_associations.last().and_then(|a| a.text("product")) != Some(product.as_str()) {
            transfer(employee, &id, &product, projection.at.date_naive());
        }
        // The current association and contract end on the last day (or are open again when a
        // scheduled termination is called off).
        let ends = person.termination_date;
        for dated in [employee.service_associations.last_mut(), employee.contracts.last_mut()].into_iter().flatten() {
            set_to(dated, ends);
        }
        Some(VendorRecord { id, slot })
    }

    /// The employees of every business as people to adopt.
    pub fn roster(&self) -> Vec<Rostered> {
        let mut roster = Vec::new();
        for (slot, business) in self.businesses.iter().enumerate() {
            for (id, employee) in &business.employees {
                let current = employee.service_associations.last();
                let product = current.and_then(|a| a.text("product"));
                let department = product.and_then(|p| business.service_of(p)?.products.iter().find(|x| x.id == p));
                roster.push(Rostered {
                    record: VendorRecord { id: id.clone(), slot },
                    given_name: employee.person.name.clone(),
                    family_name: employee.person.surname.clone(),
                    email: employee.person.email.clone().unwrap_or_default(),
                    start_date: employee.person.seniority.or(current.map(|a| a.from)).unwrap_or_default(),
                    department: department.map(|p| p.name.clone()).unwrap_or_default(),
                    title: String::new(),
                    // Employed until the current association ends: the workforce compares
                    // its end with the clock.
                    active: true,
                    termination_date: current.and_then(|a| a.to),
                    manager_record: None,
                });
            }
        }
        roster
    }

    /// The business and key of `record` (employee ids are unique within a business).
    fn find(&self, record: &VendorRecord) -> Option<(usize, String)> {
        let holds = |b: &Business| b.employees.contains_key(&record.id);
        match self.businesses.get(record.slot) {
            Some(business) if holds(business) => Some((record.slot, record.id.clone())),
            _ => self.businesses.iter().position(holds).map(|slot| (slot, record.id.clone())),
        }
    }
}

/// The product (section) a department works in.
// Divergence: Orquest has no departments; a department is the business's product of that name,
// or else one of its products chosen by the name (the same name, the same product).
fn product_for(business: &Business, department: &str) -> Option<String> {
    let products: Vec<_> = business.services.iter().flat_map(|s| &s.products).collect();
    if let Some(named) = products.iter().find(|p| p.name.eq_ignore_ascii_case(department)) {
        return Some(named.id.clone());
    }
    let sum = department.bytes().fold(0usize, |acc, b| acc.wrapping_mul(31).wrapping_add(usize::from(b)));
    products.get(sum % products.len().max(1)).map(|p| p.id.clone())
}

/// The open association ends the day before `day`; a new one in `product` starts on `day`.
fn transfer(employee: &mut Employee, id: &str, product: &str, day: NaiveDate) {
    let Some(current) = employee.service_associations.last_mut() else { return };
    if current.from >= day {
        // Started today: it simply is in the new product.
        current.fields.insert("ownerProduct".into(), json!(product));
        current.fields.insert("product".into(), json!(product));
        return;
    }
    set_to(current, day.checked_sub_days(Days::new(1)));
    let number = employee.service_associations.len() + 1;
    employee.service_associations.push(association(id, number, product, day));
}

fn set_to(dated: &mut Dated, to: Option<NaiveDate>) {
    dated.to = to;
    // Reads omit fields without a value.
    match to {
        Some(day) => dated.fields.insert("to".into(), json!(day.to_string())),
        None => dated.fields.remove("to"),
    };
}

fn association(id: &str, number: usize, product: &str, from: NaiveDate) -> Dated {
    dated(
        from,
        json!({
            "ownerProduct": product, "product": product, "from": from.to_string(),
            "splitPresence": true, "unplannable": false, "id": format!("SA-{id}-{number}"),
        }),
    )
}

fn contract(id: &str, number: usize, minutes: u32, category: &str, kind: &str, from: NaiveDate) -> Dated {
    dated(
        from,
        json!({
            "from": from.to_string(), "regularMinutes": minutes, "weeklyContract": true,
            "personCategory": category, "contractTypeId": kind, "id": format!("CT-{id}-{number}"),
        }),
    )
}

fn dated(from: NaiveDate, value: Value) -> Dated {
    let fields = match value {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    Dated { from, to: None, fields }
}
