//! ChiefOnboarding's OpenAPI document: the four endpoints of its public API.

use super::model::{Category, role};
use super::serializer::{LANGUAGES, common_timezones};
use super::store::State;
use super::views::{CreatedUserView, EmployeeView, SequenceView};
use crate::families::drf::schema as drf;
use crate::openapi::schema::{self, date_after, record, seeded};
use crate::openapi::{Api, Op};
use chrono::{DateTime, Datelike, Utc};
use serde_json::{Map, Value, json};

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
    error: crate::families::drf::error_schema,
    challenges: true,
    html_errors: &[404, 500],
    path_param: crate::openapi::schema::segment,
    operations: &[
        Op::new("get", "/api/employees/", "listEmployees", "List employees")
            .answers(200, employees)
            .errors(&[403, 406]),
        Op::new("get", "/api/sequences/", "listSequences", "List sequences")
            .answers(200, sequences)
            .errors(&[403, 406]),
        Op::new("post", "/api/users/", "createUser", "Create a new hire")
            .body(new_user)
            .rules(&["email is not already a user's (a user whose email differs only in case is the real 500)"])
            .answers(201, created_user)
            .errors(&[400, 403, 406, 413, 415, 500]),
        Op::new("post", "/api/offboarding/", "offboardUser", "Schedule offboarding")
            .body(offboarding)
            .answers(200, crate::openapi::schema::none)
            .errors(&[400, 403, 404, 406, 413, 415]),
    ],
};

// The answers: the views serde writes, their schemas derived (the two lists are kept as
// pre-rendered bytes; tests/api/openapi.rs checks those bytes against these schemas).

fn employees() -> Value {
    schema::written_list::<EmployeeView>()
}

fn sequences() -> Value {
    schema::written_list::<SequenceView>()
}

fn created_user() -> Value {
    schema::written::<CreatedUserView>()
}

fn new_user() -> Value {
    let text = |max: usize| drf::char_field(true, Some(max));
    record(
        json!({"first_name": name(), "last_name": name(),
               "email": drf::email_field(200), "role": {"type": "integer", "enum": [0, 1, 2, 3]},
               "start_day": drf::date_field(true), "position": text(300),
               "phone": text(300), "buddy": seeded("users", json!({"type": ["integer", "null"]})),
               "manager": seeded("users", json!({"type": ["integer", "null"]})), "message": drf::char_field(true, None),
               "linkedin": text(100), "facebook": text(100), "twitter": text(100),
               "timezone": {"type": "string", "enum": common_timezones()}, "language": {"type": "string", "enum": LANGUAGES},
               "sequences": sequence_ids("sequences")}),
        &["first_name", "last_name", "email"],
    )
}

fn name() -> Value {
    drf::char_field(false, Some(200))
}

/// Sequence ids, each once (a repeated id fails the view's count check).
fn sequence_ids(kind: &str) -> Value {
    json!({"type": "array", "uniqueItems": true, "items": seeded(kind, json!({"type": "integer"}))})
}

fn offboarding() -> Value {
    record(
        json!({"user": seeded("users who are not admins", json!({"type": "integer"})),
               "termination_date": seeded("dates from today", drf::date_field(false)),
               "sequences": sequence_ids("offboarding sequences")}),
        &["user", "termination_date"],
    )
}

/// The ids the bodies may name, and the offboarding dates open at `now` (UTC, as the view
/// compares), for the document.
pub fn examples(state: &State, now: DateTime<Utc>) -> Map<String, Value> {
    let users = |admit: fn(u8) -> bool| -> Value {
        state.users.values().filter(|u| admit(u.role)).map(|u| json!(u.id)).collect()
    };
    let sequences = |offboarding: bool| -> Value {
        state
            .sequences
            .values()
            .filter(|s| !offboarding || s.category == Category::Offboarding)
            .map(|s| json!(s.id))
            .collect()
    };
    let today = now.date_naive();
    let first_user = state.users.values().next();
    let leaver = state.users.values().find(|u| u.role != role::ADMIN);
    let employees: Vec<EmployeeView> = state
        .users
        .values()
        .take(2)
        .map(|u| EmployeeView { id: u.id, first_name: &u.first_name, last_name: &u.last_name, email: &u.email })
        .collect();
    let sequences_shown: Vec<SequenceView> =
        state.sequences.values().take(2).map(|s| SequenceView { id: s.id, name: &s.name }).collect();
    let first_sequence = |offboarding: bool| sequences(offboarding).as_array().and_then(|ids| ids.first().cloned());
    let new_hire = json!({
        "first_name": "Grace", "last_name": "Hopper", "email": "grace.hopper@example.com", "role": role::NEW_HIRE,
        "start_day": (today + chrono::Days::new(14)).to_string(), "buddy": first_user.map(|u| u.id),
        "timezone": state.organization.timezone, "language": state.organization.language,
        "sequences": first_sequence(false).into_iter().collect::<Vec<_>>(),
    });
    let offboarding = json!({
        // In the years `date_after` admits.
        "user": leaver.map(|u| u.id), "termination_date": format!("{}-01-15", today.year() + 1),
        "sequences": first_sequence(true).into_iter().collect::<Vec<_>>(),
    });
    Map::from_iter([
        ("enum:users".to_owned(), users(|_| true)),
        ("enum:users who are not admins".to_owned(), users(|r| r != role::ADMIN)),
        ("enum:sequences".to_owned(), sequences(false)),
        ("enum:offboarding sequences".to_owned(), sequences(true)),
        ("schema:dates from today".to_owned(), date_after(today)),
        ("answer:listEmployees".to_owned(), json!(employees)),
        ("answer:listSequences".to_owned(), json!(sequences_shown)),
        ("body:createUser".to_owned(), new_hire),
        ("body:offboardUser".to_owned(), offboarding),
    ])
}
