//! The JSON Schemas of the Directory's OpenAPI document (openapi.rs): the bodies as the
//! handlers read them, and the answers, derived from the records serde writes.

use super::model::{
    Account, EMPLOYEE_PROFILE, Employee, GROUP_PROFILE, Group, ManagerRelation, Membership, ORGANIZATION_PROFILE,
    Organization, OrganizationKey,
};
use crate::openapi::schema::{self, record};
use serde_json::{Map, Value, json};

// The bodies, as the handlers read them: a required text must not be blank, enumerations are
// UPPER_CASE names, ids are UUIDs.

pub(super) fn text() -> Value {
    schema::not_blank()
}

pub(super) fn optional_text() -> Value {
    json!({"type": ["string", "null"]})
}

pub(super) fn email() -> Value {
    schema::email()
}

pub(super) fn upper() -> Value {
    json!({"type": "string", "pattern": "^[A-Z0-9_]+$"})
}

pub(super) fn uuid() -> Value {
    schema::uuid()
}

/// Record ids are UUIDs (Spring converts them: anything else is a 400 or, for a lookup, a 404);
/// names, aliases, app types, keys and values of the lookups are text.
pub(super) fn path_param(path: &str, name: &str) -> Value {
    let record = matches!(name, "organization" | "employee" | "manager" | "account" | "group" | "id" | "entity");
    if record || (name == "key" && path.contains("/keys/")) { schema::uuid() } else { schema::segment(path, name) }
}

pub(super) fn organization() -> Value {
    record(json!({"name": text(), "alias": optional_text(), "ownerEmail": email()}), &["name"])
}

pub(super) fn key() -> Value {
    record(json!({"name": text(), "limitToRole": upper()}), &["name"])
}

pub(super) fn app_secret() -> Value {
    record(json!({"secret": text()}), &["secret"])
}

pub(super) fn account() -> Value {
    record(json!({"email": email(), "name": optional_text()}), &["email"])
}

pub(super) fn grant() -> Value {
    record(json!({"role": upper(), "orgId": uuid(), "employeeId": uuid()}), &["role"])
}

pub(super) fn employee() -> Value {
    record(json!({"name": text(), "email": email(), "account": uuid(), "role": upper()}), &["name", "email"])
}

pub(super) fn manager() -> Value {
    record(json!({"managerId": uuid(), "type": upper()}), &["managerId", "type"])
}

pub(super) fn group() -> Value {
    record(json!({"name": text(), "type": upper()}), &["name", "type"])
}

/// `[{groupId, type}]`, both optional (`null` reads as absent): `type` defaults to `MEMBER`, an
/// item without `groupId` is skipped.
pub(super) fn memberships() -> Value {
    let properties = json!({"groupId": schema::nullable(uuid()), "type": schema::nullable(upper())});
    json!({"type": "array", "items": record(properties, &[])})
}

/// A profile: string fields (`null` clears one), `dates` as `YYYY-MM-DD`.
pub(super) fn profile(fields: &[&str], dates: &[&str]) -> Value {
    let properties: Map<String, Value> = fields
        .iter()
        .map(|f| {
            let schema = if dates.contains(f) { schema::nullable(schema::date()) } else { optional_text() };
            ((*f).to_owned(), schema)
        })
        .collect();
    json!({"type": "object", "properties": properties})
}

pub(super) fn organization_profile() -> Value {
    profile(&ORGANIZATION_PROFILE, &[])
}

pub(super) fn employee_profile() -> Value {
    profile(&EMPLOYEE_PROFILE, &["birthDate", "joinDate"])
}

pub(super) fn group_profile() -> Value {
    profile(&GROUP_PROFILE, &[])
}

// What the operations answer: the records as serde writes them (schemas derived with schemars).

pub(super) fn organization_record() -> Value {
    schema::written::<Organization>()
}

pub(super) fn organizations() -> Value {
    schema::written_list::<Organization>()
}

pub(super) fn key_record() -> Value {
    schema::written::<OrganizationKey>()
}

pub(super) fn account_record() -> Value {
    schema::written::<Account>()
}

pub(super) fn accounts() -> Value {
    schema::written_list::<Account>()
}

pub(super) fn employee_record() -> Value {
    schema::written::<Employee>()
}

pub(super) fn employees() -> Value {
    schema::written_list::<Employee>()
}

pub(super) fn manager_relations() -> Value {
    schema::written_list::<ManagerRelation>()
}

pub(super) fn group_record() -> Value {
    schema::written::<Group>()
}

pub(super) fn groups() -> Value {
    schema::written_list::<Group>()
}

pub(super) fn memberships_list() -> Value {
    schema::written_list::<Membership>()
}

/// A profile as stored: its string fields.
pub(super) fn profile_map() -> Value {
    json!({"type": "object", "additionalProperties": {"type": "string"}})
}
