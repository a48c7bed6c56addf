//! `POST /api/v1/import/incidences`: one employee's incidences, checked and recorded (upserted
//! by `id`).

use super::fields::{date, normalized, text, whole};
use super::{Checked, Fail, MAX_LAG, bad, conflict};
use crate::vendors::orquest::model::Business;
use serde_json::Value;

/// `POST /api/v1/import/incidences`: checks and records one employee's incidences.
pub fn incidences(business: &mut Business, raw: &Value) -> Checked<String> {
    let map = raw.as_object().ok_or_else(|| bad("The body must be a JSON object"))?;
    if map.get("lag").is_none_or(|l| whole(l).is_none_or(|l| !(0..=MAX_LAG).contains(&l))) {
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
        if item.get("workedMinutes").is_none_or(|m| whole(m).is_none()) {
            return Err(bad("incidences.workedMinutes is mandatory"));
        }
        for field in ["from", "to"] {
            date(item, field)?.ok_or_else(|| bad(format!("incidences.{field} is mandatory")))?;
        }
        accepted.push(Value::Object(normalized(item, &[])));
    }
    let employee = business.employees.get_mut(&employee_id).ok_or_else(|| Fail(404, "Employee not found".into()))?;
    for incidence in accepted {
        // An `id` identifies an incidence: sending it again replaces the stored one.
        let same = incidence.get("id").and_then(|id| employee.incidences.iter().position(|i| i.get("id") == Some(id)));
        match same {
            Some(index) => employee.incidences[index] = incidence,
            None => employee.incidences.push(incidence),
        }
    }
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
