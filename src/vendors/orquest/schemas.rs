//! The JSON Schemas of Orquest's OpenAPI document (openapi.rs): the import elements as the
//! importer reads them, and the reads' answers.

use super::import::{CONTRACT_ENUMERATIONS, CONTRACT_WHOLE_NUMBERS, MAX_ELEMENTS, MAX_LAG, WEEKDAYS};
use super::model::{Person, User};
use crate::openapi::schema::{self, record, seeded};
use serde_json::{Value, json};

pub(super) fn result() -> Value {
    record(
        json!({"employeeId": {"type": "string"}, "status": {"type": "integer"}, "message": {"type": "string"}}),
        &["status", "message"],
    )
}

pub(super) fn results() -> Value {
    json!({"type": "array", "items": result()})
}

pub(super) fn complex_list() -> Value {
    elements(element(true, true))
}

pub(super) fn complex_one() -> Value {
    element(true, false)
}

pub(super) fn simple_list() -> Value {
    elements(element(false, true))
}

pub(super) fn simple_one() -> Value {
    element(false, false)
}

/// A batch of up to 30 elements. Each is checked on its own and gets its own result, so the
/// body takes any element (a bad one is a failed row, not a 400); `element` is what succeeds.
pub(super) fn elements(element: Value) -> Value {
    json!({"type": "array", "maxItems": MAX_ELEMENTS, "items": {},
           "description": "Elements, each answered by its own row; one that succeeds has this shape:",
           "x-element": element})
}

/// An employee element: complex (business, lag and the flags; metadata) or simplified; in a
/// list each names its employee, a single PUT's path does.
pub(super) fn element(complex: bool, listed: bool) -> Value {
    let mut person = json!({"name": text(), "surname": text(), "email": schema::nullable(schema::email()),
        "group": jtext(), "birthday": date(), "seniority": date(), "aptitudes": aptitudes()});
    if listed {
        person["employeeId"] = text();
    }
    let person_required: &[&str] = if listed { &["name", "surname", "employeeId"] } else { &["name", "surname"] };
    let mut properties = json!({"person": record(person, person_required),
        "serviceAssociations": {"type": ["array", "null"], "items": association()},
        "contracts": {"type": ["array", "null"], "items": contract()}});
    if !complex {
        return record(properties, &["person"]);
    }
    properties["business"] = seeded("businesses", json!({"type": "string"}));
    properties["lag"] = json!({"type": "integer", "minimum": 0, "maximum": MAX_LAG});
    for flag in ["partial", "ignoreWithoutOuterId", "ignoreServiceAssociations", "ignoreContracts"] {
        properties[flag] = json!({"type": ["boolean", "null"]});
    }
    properties["person"]["properties"]["virtual"] = json!({"type": ["boolean", "null"]});
    properties["user"] = json!({"type": ["object", "null"], "properties": {
        "username": jtext(), "email": schema::nullable(schema::email()),
        "nodes": {"type": ["array", "null"], "items": {"type": ["string", "number"]}},
        "roles": {"type": ["array", "null"], "items": {"type": "string"}}}});
    record(properties, &["business", "lag", "person"])
}

/// A text the importer trims and requires: a string, or a number (Jackson coerces it).
pub(super) fn text() -> Value {
    let mut text = schema::not_blank();
    text["type"] = json!(["string", "number"]);
    text
}

/// An optional text (a number is coerced to one).
pub(super) fn jtext() -> Value {
    json!({"type": ["string", "number", "null"]})
}

pub(super) fn date() -> Value {
    schema::nullable(schema::date())
}

/// A whole number as Java's `long` reads it.
pub(super) fn long(minimum: i64) -> Value {
    json!({"type": ["integer", "null"], "minimum": minimum, "maximum": i64::MAX})
}

/// Orquest's enumerations (UPPER_SNAKE_CASE names).
pub(super) fn enumeration() -> Value {
    json!({"type": ["string", "null"], "pattern": "^[A-Z0-9_]+$"})
}

pub(super) fn aptitudes() -> Value {
    json!({"type": ["array", "null"], "items": record(
        json!({"productId": {"type": "string"}, "aptitudes": {"type": "array", "items": record(
            json!({"locationId": {"type": ["string", "number"]}, "level": {"type": "integer", "minimum": 0, "maximum": i64::MAX}}),
            &["locationId", "level"],
        )}}),
        &["productId", "aptitudes"],
    )})
}

pub(super) fn association() -> Value {
    let weekday = json!({"type": "string", "enum": WEEKDAYS});
    record(
        json!({"ownerProduct": {"type": ["string", "number"]}, "product": {"type": ["string", "number"]}, "from": schema::date(),
        "to": date(), "splitPresence": {"type": ["boolean", "null"]}, "unplannable": {"type": ["boolean", "null"]},
        "roles": {"type": ["array", "null"], "items": {"type": "string"}},
        "regularCessions": {"type": ["array", "null"], "items": record(
            json!({"product": {"type": "string"}, "minutes": {"type": "integer", "minimum": 0, "maximum": i64::MAX},
                   "days": {"type": "array", "items": weekday}}),
            &["product"],
        )},
        "disponibility": {"type": ["array", "null"], "items": {"type": "object", "properties": {
            "from": date(), "to": date(), "type": enumeration(), "blockedType": enumeration(),
            "ranges": {"type": "array", "items": record(
                json!({"dayType": {"type": "string", "enum": ["ALL", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]},
                       "startMinuteDay": {"type": "integer", "minimum": 0, "maximum": 1439},
                       "duration": {"type": "integer", "minimum": 0, "maximum": 1440}}),
                &["dayType", "startMinuteDay", "duration"],
            )}}}}}),
        &["ownerProduct", "product", "from"],
    )
}

pub(super) fn contract() -> Value {
    let mut properties = json!({"from": schema::date(), "to": date(),
        "regularPeriodStartDate": date(), "additionalPeriodStartDate": date(),
        "costPerHour": {"type": ["number", "null"]}, "personCategory": jtext(),
        "contractTypeId": jtext()});
    for field in CONTRACT_ENUMERATIONS {
        properties[field] = enumeration();
    }
    for field in CONTRACT_WHOLE_NUMBERS {
        properties[field] = long(i64::MIN);
    }
    record(properties, &["from"])
}

pub(super) fn contracts_import() -> Value {
    record(
        json!({"business": seeded("businesses", json!({"type": "string"})),
               "contracts": {"type": "array", "items": contract()}}),
        &["business", "contracts"],
    )
}

pub(super) fn incidences() -> Value {
    let time = json!({"type": ["string", "null"], "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"});
    record(
        json!({"business": seeded("businesses", json!({"type": "string", "minLength": 1})),
        "lag": {"type": "integer", "minimum": 0, "maximum": MAX_LAG},
        "employeeId": {"type": ["string", "number"]},
        "incidences": {"type": "array", "items": record(
            json!({"type": {"type": ["string", "number"]}, "initTime": time, "endTime": time,
                   "workedMinutes": {"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX},
                   "from": schema::date(), "to": schema::date()}),
            &["type", "workedMinutes", "from", "to"],
        )}}),
        &["business", "lag", "employeeId", "incidences"],
    )
}

// The reads' answers: the person and user records as serde writes them (derived with
// schemars); the views assembled per request are written here.

pub(super) fn person() -> Value {
    schema::written::<Person>()
}

pub(super) fn people() -> Value {
    schema::written_list::<Person>()
}

pub(super) fn users() -> Value {
    schema::written_list::<User>()
}

/// Each association as imported (nulls dropped), with its `service` and the `person`.
pub(super) fn associations() -> Value {
    let association = record(
        json!({"ownerProduct": {"type": "string"}, "product": {"type": "string"}, "from": schema::date(),
               "service": {"type": "string"}, "person": person()}),
        &["product", "from", "person"],
    );
    json!({"type": "array", "items": association})
}

pub(super) fn employee_roles() -> Value {
    let role = record(
        json!({"id": {"type": "string"}, "orquestId": {"type": "integer"}, "name": {"type": "string"}, "color": {"type": "string"}}),
        &["orquestId", "name", "color"],
    );
    json!({"type": "array", "items": role})
}

pub(super) fn services() -> Value {
    let service = record(
        json!({"id": {"type": "string"}, "name": {"type": "string"}, "products": {"type": "array", "items": {"type": "object"}}}),
        &["id", "name", "products"],
    );
    json!({"type": "array", "items": service})
}
