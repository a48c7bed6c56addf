//! The importer's element rules: one element of `PUT .../employees` (complex or simplified)
//! validated whole, then applied, with its own status. An element that fails changes nothing;
//! the other elements of the request go on.

mod contracts;
mod fields;
mod incidences;
mod validate;

pub use contracts::contracts_only;
pub use incidences::incidences;
pub(super) use validate::{CONTRACT_ENUMERATIONS, CONTRACT_WHOLE_NUMBERS, WEEKDAYS};

use super::model::{Business, Dated, Employee, IntegrationUser, Person, User};
use crate::scenario::ItemError;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use serde_json::Value;
use validate::{Element, UserInput, validate};

/// Elements accepted per list request.
pub const MAX_ELEMENTS: usize = 30;

/// Which endpoint's element schema applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `/api/v2/.../employees`: flags, `user`, complex-only fields.
    Complex,
    /// `/api/v1/.../import/simple/employees`: `person`, `serviceAssociations`, `contracts` only.
    Simple,
}

/// One element's result, in request order.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// The element's `person.employeeId`, when it had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<String>,
    /// HTTP-style status of this element.
    pub status: u16,
    /// `OK`, or why it failed.
    pub message: String,
}

/// Why an element failed: a status and Orquest's message.
#[derive(Debug)]
pub struct Fail(pub u16, pub String);

pub(super) type Checked<T> = Result<T, Fail>;

/// `lag` is a Java `int` on Orquest's side: past `Integer.MAX_VALUE` Jackson refuses it.
// Divergence: Jackson would refuse the whole body; the sandbox refuses the element, like its
// other per-element checks.
pub(super) const MAX_LAG: i64 = i32::MAX as i64;

pub(super) fn lag_range() -> Fail {
    bad(format!("lag must be a whole number of days from 0 to {MAX_LAG}"))
}

pub(super) fn bad(message: impl Into<String>) -> Fail {
    Fail(400, message.into())
}

pub(super) fn conflict(message: impl Into<String>) -> Fail {
    Fail(409, message.into())
}

// Divergence: Orquest documents only `User email is not valid`, `some role is not valid`,
// `Employee not found` and `not exits`; the other texts below are the sandbox's own.

/// What the caller may touch and when "today" is.
pub struct Context<'a> {
    /// The integration user.
    pub caller: &'a IntegrationUser,
    /// The `{businessId}` of the path.
    pub business_id: &'a str,
    /// Today in the business's time zone, on the sandbox clock.
    pub today: NaiveDate,
    /// A scenario `item_error` rule, if one fired for this request.
    pub hook: Option<&'a ItemError>,
}

/// Validates and applies one element; its outcome.
pub fn element(business: &mut Business, raw: &Value, flavor: Flavor, ctx: &Context<'_>) -> Outcome {
    let employee_id = raw.get("person").and_then(|p| p.get("employeeId")).and_then(Value::as_str).map(str::to_owned);
    let result =
        match ctx.hook.filter(|hook| hook.applies_to(raw) || raw.get("person").is_some_and(|p| hook.applies_to(p))) {
            Some(hook) => Err(Fail(hook.status.unwrap_or(409), hook.message.clone())),
            None => validate(business, raw, flavor, ctx).and_then(|element| apply(business, element, ctx)),
        };
    match result {
        Ok(()) => Outcome { employee_id, status: 200, message: "OK".into() },
        Err(Fail(status, message)) => Outcome { employee_id, status, message },
    }
}

fn apply(business: &mut Business, element: Element, ctx: &Context<'_>) -> Checked<()> {
    // `lag`: what ended before `today - lag` is history and stays as it is. A lag reaching past
    // the calendar's start keeps everything.
    let cutoff = ctx.today.checked_sub_signed(Duration::days(element.lag)).unwrap_or(NaiveDate::MIN);
    let employee_id = element.person.employee_id.clone();
    if !business.employees.contains_key(&employee_id)
        && crate::common::records::room_for("employees", business.employees.len(), 1).is_err()
    {
        return Err(conflict(crate::common::records::full("employees")));
    }
    let user_index = match &element.user {
        Some(input) => Some(link_user(business, input, &employee_id)?),
        None => None,
    };
    let keep = |incoming: Vec<Dated>| -> Vec<Dated> {
        incoming
            .into_iter()
            .filter(|d| !d.ended_before(cutoff))
            .filter(|d| !element.ignore_without_outer_id || d.fields.contains_key("id"))
            .collect()
    };
    let associations = element.associations.map(&keep);
    let contracts = element.contracts.map(&keep).map(|list| with_contract_types(business, list, element.partial));
    let employee = business.employees.entry(employee_id.clone()).or_insert_with(|| Employee {
        person: Person::default(),
        service_associations: Vec::new(),
        contracts: Vec::new(),
        incidences: Vec::new(),
    });
    employee.person = element.person;
    if let Some(associations) = associations {
        replace(&mut employee.service_associations, associations, cutoff, element.ignore_without_outer_id);
    }
    if let Some(contracts) = contracts {
        replace(&mut employee.contracts, contracts, cutoff, element.ignore_without_outer_id);
    }
    if let (Some(index), Some(input)) = (user_index, element.user) {
        let user = &mut business.users[index];
        user.employee_id = Some(employee_id);
        if let Some(email) = input.email {
            user.email = Some(email);
        }
        if let Some(nodes) = input.nodes {
            user.nodes = nodes;
        }
        if let Some(roles) = input.roles {
            user.roles = roles;
        }
        user.creation.get_or_insert(ctx.today);
    }
    Ok(())
}

/// Stores what was sent: what ended before `cutoff` is history and stays; the rest is replaced.
/// With `ignoreWithoutOuterId` only records with an outer `id` are taken into account, so the
/// incoming ones are upserted by `id` and no stored record is dropped.
// Divergence: the docs define the flag in one sentence; an upsert by `id` is the sandbox's
// reading of "entities without an outer id are not taken into account".
fn replace(stored: &mut Vec<Dated>, incoming: Vec<Dated>, cutoff: NaiveDate, by_outer_id: bool) {
    if !by_outer_id {
        stored.retain(|d| d.ended_before(cutoff));
        stored.extend(incoming);
        return;
    }
    for record in incoming {
        match stored.iter().position(|d| d.text("id") == record.text("id")) {
            Some(index) if stored[index].ended_before(cutoff) => {}
            Some(index) => stored[index] = record,
            None => stored.push(record),
        }
    }
}

/// The user rules: create and link, or update the one linked to this employee; a user linked to
/// another employee is a 409 and nothing changes. An employee is never linked to two users.
fn link_user(business: &mut Business, input: &UserInput, employee_id: &str) -> Checked<usize> {
    let linked = business.users.iter().position(|u| u.employee_id.as_deref() == Some(employee_id));
    let named = input.username.as_deref().and_then(|name| business.users.iter().position(|u| u.username == name));
    match (named, linked) {
        (Some(index), _) if business.users[index].employee_id.as_deref().is_some_and(|e| e != employee_id) => {
            Err(conflict(format!("User {} is linked to another employee", business.users[index].username)))
        }
        (Some(index), Some(other)) if index != other => Err(conflict(format!(
            "Employee {employee_id} is already linked to user {}",
            business.users[other].username
        ))),
        (Some(index), _) => Ok(index),
        // Divergence: the docs say a username is never updated once the user exists; a new
        // username for an employee that has a user updates that user and keeps its username.
        (None, Some(index)) => Ok(index),
        (None, None) => {
            let username = input.username.clone().ok_or_else(|| bad("user.username is mandatory to create a user"))?;
            business.users.push(User::new(username, "integration"));
            Ok(business.users.len() - 1)
        }
    }
}

/// Contract types pre-fill contracts: with `partial: false` their values replace the sent ones
/// (the type's information is reset), with `partial: true` they only fill what is missing.
pub(super) fn with_contract_types(business: &Business, contracts: Vec<Dated>, partial: bool) -> Vec<Dated> {
    contracts
        .into_iter()
        .map(|mut contract| {
            let kind =
                contract.text("contractTypeId").and_then(|id| business.contract_types.iter().find(|t| t.id == id));
            for (field, value) in kind.map(|t| &t.defaults).into_iter().flatten() {
                if !partial || !contract.fields.contains_key(field) {
                    contract.fields.insert(field.clone(), value.clone());
                }
            }
            contract
        })
        .collect()
}
