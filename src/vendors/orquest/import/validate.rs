//! An element checked whole before anything changes: the person, the user, the associations
//! and the contracts, against the business's configuration.

use super::fields::{date, enumeration, flag, metadata, normalized, period, strings, text, whole};
use super::{Checked, Context, Fail, Flavor, MAX_LAG, bad, conflict, lag_range};
use crate::common::email::valid_email;
use crate::vendors::orquest::model::{Business, Dated, Person};
use serde_json::Value;

/// A validated element.
pub(super) struct Element {
    pub(super) lag: i64,
    pub(super) partial: bool,
    pub(super) ignore_without_outer_id: bool,
    pub(super) person: Person,
    pub(super) user: Option<UserInput>,
    pub(super) associations: Option<Vec<Dated>>,
    pub(super) contracts: Option<Vec<Dated>>,
}

pub(super) struct UserInput {
    pub(super) username: Option<String>,
    pub(super) email: Option<String>,
    pub(super) nodes: Option<Vec<String>>,
    pub(super) roles: Option<Vec<String>>,
}

pub(super) fn validate(business: &Business, raw: &Value, flavor: Flavor, ctx: &Context<'_>) -> Checked<Element> {
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
            Some(n @ Value::Number(_)) => whole(n).filter(|l| (0..=MAX_LAG).contains(l)).ok_or_else(lag_range)?,
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

pub(super) fn person(business: &Business, value: Option<&Value>, complex: bool) -> Checked<Person> {
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

pub(super) fn check_aptitudes(business: &Business, aptitudes: &Value) -> Checked<()> {
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
                && level.get("level").and_then(whole).is_some_and(|l| l >= 0);
            if !ok {
                return Err(bad("each aptitude needs a locationId and a level of 0 or more"));
            }
        }
    }
    Ok(())
}

pub(super) const ASSOCIATION_COMPLEX_ONLY: [&str; 4] = ["card", "roles", "regularCessions", "metadata"];
pub(super) const CONTRACT_COMPLEX_ONLY: [&str; 12] = [
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

pub(super) fn association(business: &Business, value: &Value, complex: bool, ctx: &Context<'_>) -> Checked<Dated> {
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
            if cession.get("minutes").is_some_and(|m| whole(m).is_none_or(|m| m < 0)) {
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

pub(crate) const WEEKDAYS: [&str; 7] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

pub(super) fn check_disponibility(windows: &Value) -> Checked<()> {
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
            let start = range.get("startMinuteDay").and_then(whole);
            let duration = range.get("duration").and_then(whole);
            if !start.is_some_and(|s| (0..1440).contains(&s)) || !duration.is_some_and(|d| (0..=1440).contains(&d)) {
                return Err(bad("ranges need startMinuteDay in 0..1439 and duration in 0..1440"));
            }
        }
    }
    Ok(())
}

/// A contract's enumerations (UPPER_SNAKE_CASE names).
pub(crate) const CONTRACT_ENUMERATIONS: [&str; 6] = [
    "countingDays",
    "regularControlPeriod",
    "additionalControlPeriod",
    "weeklyDaysInvolved",
    "regularCountingDayType",
    "additionalCountingDayType",
];

/// A contract's whole numbers.
pub(crate) const CONTRACT_WHOLE_NUMBERS: [&str; 6] = [
    "regularMinutes",
    "additionalMinutes",
    "regularPeriodMultiplier",
    "additionalPeriodMultiplier",
    "numberOfHolidays",
    "numberOfPublicHolidays",
];

pub(super) fn contract(business: &Business, value: &Value, complex: bool) -> Checked<Dated> {
    let map = value.as_object().ok_or_else(|| bad("each contract must be an object"))?;
    let (from, to) = period(map, "contracts")?;
    for field in CONTRACT_ENUMERATIONS {
        enumeration(map, field)?;
    }
    for field in CONTRACT_WHOLE_NUMBERS {
        if map.get(field).is_some_and(|v| !v.is_null() && whole(v).is_none()) {
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

pub(super) fn user_input(business: &Business, value: &Value, ctx: &Context<'_>) -> Checked<UserInput> {
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
