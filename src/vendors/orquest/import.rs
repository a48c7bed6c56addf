//! The importer's element rules: one element of `PUT .../employees` (complex or simplified)
//! validated whole, then applied, with its own status. An element that fails changes nothing;
//! the other elements of the request go on.

use super::model::{Business, Dated, Employee, IntegrationUser, Person, User};
use crate::common::email::valid_email;
use crate::scenario::ItemError;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use serde_json::{Map, Value};

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

type Checked<T> = Result<T, Fail>;

/// `lag` is a Java `int` on Orquest's side: past `Integer.MAX_VALUE` Jackson refuses it.
// Divergence: Jackson would refuse the whole body; the sandbox refuses the element, like its
// other per-element checks.
const MAX_LAG: i64 = i32::MAX as i64;

fn lag_range() -> Fail {
    bad(format!("lag must be a whole number of days from 0 to {MAX_LAG}"))
}

fn bad(message: impl Into<String>) -> Fail {
    Fail(400, message.into())
}

fn conflict(message: impl Into<String>) -> Fail {
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

/// A validated element.
struct Element {
    lag: i64,
    partial: bool,
    ignore_without_outer_id: bool,
    person: Person,
    user: Option<UserInput>,
    associations: Option<Vec<Dated>>,
    contracts: Option<Vec<Dated>>,
}

struct UserInput {
    username: Option<String>,
    email: Option<String>,
    nodes: Option<Vec<String>>,
    roles: Option<Vec<String>>,
}

fn validate(business: &Business, raw: &Value, flavor: Flavor, ctx: &Context<'_>) -> Checked<Element> {
    let map = raw.as_object().ok_or_else(|| bad("Each element must be a JSON object"))?;
    let complex = flavor == Flavor::Complex;
    let (lag, partial, ignore_without_outer_id, ignore_associations, ignore_contracts) = if complex {
        let business_field = text(map, "business")?.ok_or_else(|| bad("business is mandatory"))?;
        if business_field != ctx.business_id {
            return Err(bad(format!(
                "business {business_field} does not match the path's business {}",
                ctx.business_id
            )));
        }
        let lag = match map.get("lag") {
            Some(Value::Number(n)) => n.as_i64().filter(|l| (0..=MAX_LAG).contains(l)).ok_or_else(lag_range)?,
            None | Some(Value::Null) => return Err(bad("lag is mandatory")),
            Some(_) => return Err(lag_range()),
        };
        (
            lag,
            flag(map, "partial")?,
            flag(map, "ignoreWithoutOuterId")?,
            flag(map, "ignoreServiceAssociations")?,
            flag(map, "ignoreContracts")?,
        )
    } else {
        (0, true, false, false, false)
    };
    let person = person(business, map.get("person"), complex)?;
    let associations = match map.get("serviceAssociations") {
        _ if ignore_associations => None,
        None | Some(Value::Null) => None,
        Some(Value::Array(list)) => {
            Some(list.iter().map(|a| association(business, a, complex, ctx)).collect::<Checked<Vec<_>>>()?)
        }
        Some(_) => return Err(bad("serviceAssociations must be a list")),
    };
    let contracts = match map.get("contracts") {
        _ if ignore_contracts => None,
        None | Some(Value::Null) => None,
        Some(Value::Array(list)) => {
            Some(list.iter().map(|c| contract(business, c, complex)).collect::<Checked<Vec<_>>>()?)
        }
        Some(_) => return Err(bad("contracts must be a list")),
    };
    let user = match map.get("user") {
        Some(user) if complex && !user.is_null() => Some(user_input(business, user, ctx)?),
        _ => None,
    };
    Ok(Element { lag, partial, ignore_without_outer_id, person, user, associations, contracts })
}

fn person(business: &Business, value: Option<&Value>, complex: bool) -> Checked<Person> {
    let map = value.and_then(Value::as_object).ok_or_else(|| bad("person is mandatory"))?;
    let required = |field: &str| -> Checked<String> {
        text(map, field)?.filter(|v| !v.trim().is_empty()).ok_or_else(|| bad(format!("person.{field} is mandatory")))
    };
    let (name, surname, employee_id) = (required("name")?, required("surname")?, required("employeeId")?);
    let email = text(map, "email")?;
    if email.as_deref().is_some_and(|e| !valid_email(e)) {
        return Err(bad("person.email is not valid"));
    }
    let group = text(map, "group")?;
    if let Some(group) = &group
        && !business.groups.contains(group)
    {
        return Err(conflict(format!("group {group} not exists")));
    }
    if let Some(aptitudes) = map.get("aptitudes").filter(|v| !v.is_null()) {
        check_aptitudes(business, aptitudes)?;
    }
    let metadata = if complex { metadata(map, &business.metadata_keys.person, "person")? } else { None };
    Ok(Person {
        name,
        surname,
        group,
        email,
        birthday: date(map, "birthday")?,
        employee_id,
        seniority: date(map, "seniority")?,
        aptitudes: map.get("aptitudes").filter(|v| !v.is_null()).cloned(),
        metadata,
        is_virtual: if complex { Some(flag(map, "virtual")?) } else { None },
    })
}

fn check_aptitudes(business: &Business, aptitudes: &Value) -> Checked<()> {
    let list = aptitudes.as_array().ok_or_else(|| bad("person.aptitudes must be a list"))?;
    for entry in list {
        let product =
            entry.get("productId").and_then(Value::as_str).ok_or_else(|| bad("aptitudes.productId is mandatory"))?;
        if business.service_of(product).is_none() {
            return Err(conflict(format!("product {product} not exists")));
        }
        let levels =
            entry.get("aptitudes").and_then(Value::as_array).ok_or_else(|| bad("aptitudes.aptitudes is mandatory"))?;
        for level in levels {
            let ok = level.get("locationId").is_some_and(|l| l.is_string() || l.is_number())
                && level.get("level").and_then(Value::as_i64).is_some_and(|l| l >= 0);
            if !ok {
                return Err(bad("each aptitude needs a locationId and a level of 0 or more"));
            }
        }
    }
    Ok(())
}

const ASSOCIATION_COMPLEX_ONLY: [&str; 4] = ["card", "roles", "regularCessions", "metadata"];
const CONTRACT_COMPLEX_ONLY: [&str; 12] = [
    "weeklyContract",
    "dailyContract",
    "regularPeriodMultiplier",
    "additionalPeriodMultiplier",
    "regularPeriodStartDate",
    "additionalPeriodStartDate",
    "completed",
    "additionalDailyContract",
    "additionalWeeklyContract",
    "regularCountingDayType",
    "additionalCountingDayType",
    "metadata",
];

fn association(business: &Business, value: &Value, complex: bool, ctx: &Context<'_>) -> Checked<Dated> {
    let map = value.as_object().ok_or_else(|| bad("each service association must be an object"))?;
    for field in ["ownerProduct", "product"] {
        let product = text(map, field)?.ok_or_else(|| bad(format!("serviceAssociations.{field} is mandatory")))?;
        let service = business.service_of(&product).ok_or_else(|| conflict(format!("product {product} not exists")))?;
        if !business.is_under(&service.node, &ctx.caller.node) {
            return Err(Fail(403, format!("product {product} is not visible to the integration user")));
        }
    }
    let (from, to) = period(map, "serviceAssociations")?;
    for field in ["splitPresence", "unplannable"] {
        flag(map, field)?;
    }
    if let Some(windows) = map.get("disponibility").filter(|v| !v.is_null()) {
        check_disponibility(windows)?;
    }
    if complex {
        if let Some(roles) = map.get("roles").filter(|v| !v.is_null()) {
            let names = strings(roles, "serviceAssociations.roles")?;
            // The employee roles of the service the employee works in.
            let service = text(map, "product")?.and_then(|p| business.service_of(&p));
            if names.iter().any(|r| !service.is_some_and(|s| s.employee_roles.contains(r))) {
                return Err(conflict("some role is not valid"));
            }
        }
        for cession in map.get("regularCessions").and_then(Value::as_array).into_iter().flatten() {
            let product = cession
                .get("product")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("regularCessions.product is mandatory"))?;
            if business.service_of(product).is_none() {
                return Err(conflict(format!("product {product} not exists")));
            }
            if cession.get("minutes").is_some_and(|m| m.as_i64().is_none_or(|m| m < 0)) {
                return Err(bad("regularCessions.minutes must be a whole number of minutes"));
            }
            for day in cession.get("days").and_then(Value::as_array).into_iter().flatten() {
                if !day.as_str().is_some_and(|d| WEEKDAYS.contains(&d)) {
                    return Err(bad(format!("regularCessions.days: {day} is not a day of the week")));
                }
            }
        }
        metadata(map, &business.metadata_keys.service_association, "serviceAssociations")?;
    }
    Ok(Dated { from, to, fields: normalized(map, if complex { &[] } else { &ASSOCIATION_COMPLEX_ONLY }) })
}

const WEEKDAYS: [&str; 7] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

fn check_disponibility(windows: &Value) -> Checked<()> {
    let list = windows.as_array().ok_or_else(|| bad("disponibility must be a list"))?;
    for window in list {
        let map = window.as_object().ok_or_else(|| bad("each disponibility must be an object"))?;
        date(map, "from")?;
        date(map, "to")?;
        enumeration(map, "type")?;
        enumeration(map, "blockedType")?;
        for range in map.get("ranges").and_then(Value::as_array).into_iter().flatten() {
            let day_type = range.get("dayType").and_then(Value::as_str).unwrap_or("");
            if day_type != "ALL" && !WEEKDAYS.contains(&day_type) {
                return Err(bad(format!("dayType {day_type:?} is not ALL or a day of the week")));
            }
            let start = range.get("startMinuteDay").and_then(Value::as_i64);
            let duration = range.get("duration").and_then(Value::as_i64);
            if !start.is_some_and(|s| (0..1440).contains(&s)) || !duration.is_some_and(|d| (0..=1440).contains(&d)) {
                return Err(bad("ranges need startMinuteDay in 0..1439 and duration in 0..1440"));
            }
        }
    }
    Ok(())
}

fn contract(business: &Business, value: &Value, complex: bool) -> Checked<Dated> {
    let map = value.as_object().ok_or_else(|| bad("each contract must be an object"))?;
    let (from, to) = period(map, "contracts")?;
    for field in [
        "countingDays",
        "regularControlPeriod",
        "additionalControlPeriod",
        "weeklyDaysInvolved",
        "regularCountingDayType",
        "additionalCountingDayType",
    ] {
        enumeration(map, field)?;
    }
    for field in [
        "regularMinutes",
        "additionalMinutes",
        "regularPeriodMultiplier",
        "additionalPeriodMultiplier",
        "numberOfHolidays",
        "numberOfPublicHolidays",
    ] {
        if map.get(field).is_some_and(|v| !v.is_null() && v.as_i64().is_none()) {
            return Err(bad(format!("contracts.{field} must be a whole number")));
        }
    }
    for field in ["regularPeriodStartDate", "additionalPeriodStartDate"] {
        date(map, field)?;
    }
    if map.get("costPerHour").is_some_and(|v| !v.is_null() && !v.is_number()) {
        return Err(bad("contracts.costPerHour must be a number"));
    }
    if let Some(category) = text(map, "personCategory")?
        && !business.person_categories.contains(&category)
    {
        return Err(conflict(format!("person category {category} not exists")));
    }
    if let Some(kind) = text(map, "contractTypeId")?
        && !business.contract_types.iter().any(|t| t.id == kind)
    {
        return Err(conflict(format!("contract type {kind} not exists")));
    }
    if complex {
        metadata(map, &business.metadata_keys.contract, "contracts")?;
    }
    Ok(Dated { from, to, fields: normalized(map, if complex { &[] } else { &CONTRACT_COMPLEX_ONLY }) })
}

fn user_input(business: &Business, value: &Value, ctx: &Context<'_>) -> Checked<UserInput> {
    let map = value.as_object().ok_or_else(|| bad("user must be an object"))?;
    let email = text(map, "email")?;
    if email.as_deref().is_some_and(|e| !valid_email(e)) {
        return Err(Fail(406, "User email is not valid".into()));
    }
    let roles = match map.get("roles").filter(|v| !v.is_null()) {
        Some(roles) => Some(strings(roles, "user.roles")?),
        None => None,
    };
    if roles.iter().flatten().any(|r| !business.roles.contains(r)) {
        return Err(conflict("some role is not valid"));
    }
    let nodes = match map.get("nodes").filter(|v| !v.is_null()) {
        Some(Value::Array(list)) => Some(
            list.iter()
                .map(|n| match n {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(n) => Ok(n.to_string()),
                    _ => Err(bad("user.nodes must be node ids")),
                })
                .collect::<Checked<Vec<_>>>()?,
        ),
        Some(_) => return Err(bad("user.nodes must be a list")),
        None => None,
    };
    for node in nodes.iter().flatten() {
        if !business.nodes.iter().any(|n| n.id == *node) {
            return Err(conflict(format!("node {node} not exists")));
        }
        if !business.is_under(node, &ctx.caller.node) {
            return Err(Fail(403, format!("node {node} is not visible to the integration user")));
        }
    }
    Ok(UserInput { username: text(map, "username")?, email, nodes, roles })
}

fn apply(business: &mut Business, element: Element, ctx: &Context<'_>) -> Checked<()> {
    // `lag`: what ended before `today - lag` is history and stays as it is. A lag reaching past
    // the calendar's start keeps everything.
    let cutoff = ctx.today.checked_sub_signed(Duration::days(element.lag)).unwrap_or(NaiveDate::MIN);
    let employee_id = element.person.employee_id.clone();
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
        employee.service_associations.retain(|d| d.ended_before(cutoff));
        employee.service_associations.extend(associations);
    }
    if let Some(contracts) = contracts {
        employee.contracts.retain(|d| d.ended_before(cutoff));
        employee.contracts.extend(contracts);
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

/// The user rules: create and link, or update the one linked to this employee; a user linked to
/// another employee is a 409 and nothing changes.
fn link_user(business: &mut Business, input: &UserInput, employee_id: &str) -> Checked<usize> {
    let linked = business.users.iter().position(|u| u.employee_id.as_deref() == Some(employee_id));
    let named = input.username.as_deref().and_then(|name| business.users.iter().position(|u| u.username == name));
    match (named, linked) {
        (Some(index), _) => match business.users[index].employee_id.as_deref() {
            Some(other) if other != employee_id => {
                Err(conflict(format!("User {} is linked to another employee", business.users[index].username)))
            }
            _ => Ok(index),
        },
        // No username: the user already linked to this employee is the one meant.
        (None, Some(index)) if input.username.is_none() => Ok(index),
        (None, _) => {
            let username = input.username.clone().ok_or_else(|| bad("user.username is mandatory to create a user"))?;
            business.users.push(User::new(username, "integration"));
            Ok(business.users.len() - 1)
        }
    }
}

/// Contract types pre-fill contracts: with `partial: false` their values replace the sent ones
/// (the type's information is reset), with `partial: true` they only fill what is missing.
fn with_contract_types(business: &Business, contracts: Vec<Dated>, partial: bool) -> Vec<Dated> {
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

/// `PUT .../employees/{employeeId}/contracts`: contracts upserted by `id` (others appended);
/// `ignoreConstraints` keeps a matched contract's constraints.
pub fn contracts_only(business: &mut Business, employee_id: &str, raw: &Value, ctx: &Context<'_>) -> Checked<()> {
    let map = raw.as_object().ok_or_else(|| bad("The body must be a JSON object"))?;
    let business_field = text(map, "business")?.ok_or_else(|| bad("business is mandatory"))?;
    if business_field != ctx.business_id {
        return Err(bad(format!("business {business_field} does not match the path's business {}", ctx.business_id)));
    }
    let ignore_constraints = flag(map, "ignoreConstraints")?;
    let ignore_without_outer_id = flag(map, "ignoreWithoutOuterId")?;
    let list = map.get("contracts").and_then(Value::as_array).ok_or_else(|| bad("contracts is mandatory"))?;
    let mut incoming = Vec::with_capacity(list.len());
    for value in list {
        let constraints = value.get("constraints").filter(|c| !c.is_null()).cloned();
        if constraints.as_ref().is_some_and(|c| !c.is_array()) {
            return Err(bad("contracts.constraints must be a list"));
        }
        let mut contract = contract(business, value, true)?;
        if let Some(constraints) = constraints {
            contract.fields.insert("constraints".into(), constraints);
        }
        if !ignore_without_outer_id || contract.fields.contains_key("id") {
            incoming.push(contract);
        }
    }
    let incoming = with_contract_types(business, incoming, true);
    let employee = business.employees.get_mut(employee_id).ok_or_else(|| Fail(404, "Employee not found".into()))?;
    for mut contract in incoming {
        let existing =
            contract.text("id").and_then(|id| employee.contracts.iter().position(|c| c.text("id") == Some(id)));
        match existing {
            Some(index) => {
                if ignore_constraints {
                    match employee.contracts[index].fields.get("constraints").cloned() {
                        Some(kept) => contract.fields.insert("constraints".into(), kept),
                        None => contract.fields.remove("constraints"),
                    };
                }
                employee.contracts[index] = contract;
            }
            None => {
                if ignore_constraints {
                    contract.fields.remove("constraints");
                }
                employee.contracts.push(contract);
            }
        }
    }
    Ok(())
}

/// `POST /api/v1/import/incidences`: checks and records one employee's incidences.
pub fn incidences(business: &mut Business, raw: &Value) -> Checked<String> {
    let map = raw.as_object().ok_or_else(|| bad("The body must be a JSON object"))?;
    if map.get("lag").is_none_or(|l| l.as_i64().is_none_or(|l| !(0..=MAX_LAG).contains(&l))) {
        return Err(bad(format!("lag is mandatory and must be from 0 to {MAX_LAG}")));
    }
    let employee_id = text(map, "employeeId")?.ok_or_else(|| bad("employeeId is mandatory"))?;
    let list = map.get("incidences").and_then(Value::as_array).ok_or_else(|| bad("incidences is mandatory"))?;
    let mut accepted = Vec::with_capacity(list.len());
    for incidence in list {
        let item = incidence.as_object().ok_or_else(|| bad("each incidence must be an object"))?;
        let kind = text(item, "type")?.ok_or_else(|| bad("incidences.type is mandatory"))?;
        if !business.incidence_types.contains(&kind) {
            return Err(conflict(format!("incidence type {kind} not exists")));
        }
        for field in ["initTime", "endTime"] {
            if let Some(time) = text(item, field)?
                && !valid_time(&time)
            {
                return Err(bad(format!("incidences.{field} must be HH:mm")));
            }
        }
        if item.get("workedMinutes").is_none_or(|m| m.as_i64().is_none()) {
            return Err(bad("incidences.workedMinutes is mandatory"));
        }
        for field in ["from", "to"] {
            date(item, field)?.ok_or_else(|| bad(format!("incidences.{field} is mandatory")))?;
        }
        accepted.push(Value::Object(normalized(item, &[])));
    }
    let employee = business.employees.get_mut(&employee_id).ok_or_else(|| Fail(404, "Employee not found".into()))?;
    employee.incidences.extend(accepted);
    Ok(employee_id)
}

/// `^([01]\d|2[0-3]):[0-5]\d$`.
fn valid_time(time: &str) -> bool {
    let b = time.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && b.iter().enumerate().all(|(i, c)| i == 2 || c.is_ascii_digit())
        && ((b[0] == b'0' || b[0] == b'1') || (b[0] == b'2' && b[1] <= b'3'))
        && b[3] <= b'5'
}

fn text(map: &Map<String, Value>, field: &str) -> Checked<Option<String>> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(bad(format!("{field} must be a string"))),
    }
}

fn flag(map: &Map<String, Value>, field: &str) -> Checked<bool> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(bad(format!("{field} must be true or false"))),
    }
}

fn date(map: &Map<String, Value>, field: &str) -> Checked<Option<NaiveDate>> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.len() == 10 => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| bad(format!("{field} must be a date yyyy-MM-dd, got {s:?}"))),
        Some(other) => Err(bad(format!("{field} must be a date yyyy-MM-dd, got {other}"))),
    }
}

fn period(map: &Map<String, Value>, what: &str) -> Checked<(NaiveDate, Option<NaiveDate>)> {
    let from = date(map, "from")?.ok_or_else(|| bad(format!("{what}.from is mandatory")))?;
    let to = date(map, "to")?;
    if to.is_some_and(|to| to < from) {
        return Err(bad(format!("{what}: to is before from")));
    }
    Ok((from, to))
}

/// Enumerations: Orquest's lists are not all public; any UPPER_SNAKE_CASE value is accepted.
fn enumeration(map: &Map<String, Value>, field: &str) -> Checked<()> {
    match text(map, field)? {
        Some(v) if v.is_empty() || !v.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') => {
            Err(bad(format!("{field}: {v:?} is not a valid value")))
        }
        _ => Ok(()),
    }
}

fn strings(value: &Value, what: &str) -> Checked<Vec<String>> {
    value
        .as_array()
        .and_then(|list| list.iter().map(|v| v.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>())
        .ok_or_else(|| bad(format!("{what} must be a list of strings")))
}

/// A `metadata` object whose keys are all configured for the business.
fn metadata(map: &Map<String, Value>, keys: &[String], what: &str) -> Checked<Option<Map<String, Value>>> {
    match map.get("metadata") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(metadata)) => {
            if let Some(unknown) = metadata.keys().find(|k| !keys.contains(k)) {
                return Err(conflict(format!("{what}.metadata key {unknown} not exists")));
            }
            Ok(Some(metadata.clone()))
        }
        Some(_) => Err(bad(format!("{what}.metadata must be an object"))),
    }
}

/// The record as stored and read back: nulls dropped (reads omit fields without value), and the
/// fields the simplified endpoints do not have.
fn normalized(map: &Map<String, Value>, dropped: &[&str]) -> Map<String, Value> {
    map.iter()
        .filter(|(k, v)| !v.is_null() && !dropped.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), without_nulls(v)))
        .collect()
}

fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(normalized(map, &[])),
        Value::Array(list) => Value::Array(list.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}
