//! ChiefOnboarding's OpenAPI document: the four endpoints of its public API.

use crate::openapi::schema::record;
use crate::openapi::{Api, Op};
use serde_json::{Value, json};

/// The document's table.
pub static API: Api = Api {
    title: "ChiefOnboarding API (hr-sandbox emulation)",
    version: "2.2",
    description: "ChiefOnboarding's API (Django REST Framework): employees and sequences to read, a user \
        to create, offboarding to schedule. Authentication: `Authorization: Token <key>` (DRF tokens; \
        GET /__admin/credentials lists them); only admins and managers pass. A 500 is Django's HTML \
        page, as the real server answers a user whose lower-cased email exists already. Divergences: \
        OPTIONS metadata has no `actions` block; error texts are translated only for the languages \
        the sandbox ships.",
    security_schemes: |_| {
        json!({"Token": {"type": "apiKey", "in": "header", "name": "Authorization",
            "description": "`Token <key>`, DRF's TokenAuthentication"}})
    },
    requirement: |_| json!([{"Token": []}]),
    error: crate::families::drf::view::error_schema,
    challenges: true,
    html_errors: &[404, 500],
    operations: &[
        Op::new("get", "/api/employees/", "listEmployees", "List employees")
            .answers(200, employees)
            .errors(&[403, 406]),
        Op::new("get", "/api/sequences/", "listSequences", "List sequences")
            .answers(200, sequences)
            .errors(&[403, 406]),
        Op::new("post", "/api/users/", "createUser", "Create a new hire")
            .body(new_user)
            .answers(201, created_user)
            .errors(&[400, 403, 406, 413, 415, 500]),
        Op::new("post", "/api/offboarding/", "offboardUser", "Schedule offboarding")
            .body(offboarding)
            .answers(200, crate::openapi::schema::none)
            .errors(&[400, 403, 404, 406, 413, 415]),
    ],
};

fn employees() -> Value {
    json!({"type": "array", "items": record(
        json!({"id": {"type": "integer"}, "first_name": {"type": "string"}, "last_name": {"type": "string"}, "email": {"type": "string"}}),
        &["id", "first_name", "last_name", "email"],
    )})
}

fn sequences() -> Value {
    json!({"type": "array", "items": record(json!({"id": {"type": "integer"}, "name": {"type": "string"}}), &["id", "name"])})
}

fn new_user() -> Value {
    record(
        json!({"first_name": {"type": "string", "minLength": 1}, "last_name": {"type": "string", "minLength": 1},
               "email": {"type": "string", "format": "email"}, "role": {"type": "integer", "enum": [0, 1, 2, 3]},
               "start_day": {"type": "string", "format": "date"}, "position": {"type": "string"},
               "phone": {"type": "string"}, "buddy": {"type": ["integer", "null"]}, "manager": {"type": ["integer", "null"]},
               "message": {"type": "string"}, "timezone": {"type": "string"}, "language": {"type": "string"},
               "sequences": {"type": "array", "items": {"type": "integer"}}}),
        &["first_name", "last_name", "email"],
    )
}

fn created_user() -> Value {
    record(
        json!({"first_name": {"type": "string"}, "last_name": {"type": "string"}, "email": {"type": "string"},
               "role": {"type": "integer"}, "start_day": {"type": ["string", "null"]}}),
        &["first_name", "last_name", "email"],
    )
}

fn offboarding() -> Value {
    record(
        json!({"user": {"type": "integer"}, "termination_date": {"type": "string", "format": "date"},
               "sequences": {"type": "array", "items": {"type": "integer"}}}),
        &["user", "termination_date"],
    )
}
