//! People and field values drawn from the seed: names, emails, departments, titles, places.

use super::model::{Person, Status};
use crate::common::rng::SandboxRng;
use chrono::NaiveDate;
use rand::RngExt;
use std::collections::BTreeMap;

const GIVEN: &[&str] = &[
    "Ada", "Bruno", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Luca", "Maya",
    "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe",
];
const FAMILY: &[&str] = &[
    "Alvarez", "Becker", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen", "Kowalski",
    "Larsen", "Moreau", "Nakamura", "Okafor", "Patel", "Quiroga", "Rossi", "Silva", "Tanaka", "Ueda", "Varga", "Weber",
    "Xu", "Yilmaz", "Zimmer",
];
/// Departments a draw picks from.
pub const DEPARTMENTS: &[&str] = &["Engineering", "Sales", "Marketing", "Finance", "People", "Support", "Operations"];
/// Titles a draw picks from.
pub const TITLES: &[&str] =
    &["Associate", "Specialist", "Senior Specialist", "Team Lead", "Manager", "Analyst", "Engineer", "Director"];
/// Locations a draw picks from.
pub const LOCATIONS: &[&str] = &["New York", "Madrid", "Berlin", "London", "Remote"];
/// Employment types a draw picks from (and the only ones a request may give).
pub const EMPLOYMENT_TYPES: &[&str] = &["full_time", "part_time", "contractor"];
/// The company's email domain.
pub const WORK_DOMAIN: &str = "people.hr-sandbox.test";

/// One of `list`.
pub fn pick(rng: &mut SandboxRng, list: &[&str]) -> String {
    list[rng.random_range(0..list.len())].to_owned()
}

/// A new person number `number` (from 1) starting on `start`, with any `given` fields.
pub fn person(rng: &mut SandboxRng, number: usize, start: NaiveDate, given: &BTreeMap<String, String>) -> Person {
    let field = |name: &str| given.get(name).cloned();
    let given_name = field("given_name").unwrap_or_else(|| pick(rng, GIVEN));
    let family_name = field("family_name").unwrap_or_else(|| pick(rng, FAMILY));
    let local = format!("{}.{}{number}", ascii_lower(&given_name), ascii_lower(&family_name));
    let kind = if rng.random_range(0..10) == 0 { 2 } else { usize::from(rng.random_range(0..8) == 0) };
    Person {
        id: format!("person_{number:06}"),
        personal_email: field("personal_email").unwrap_or_else(|| format!("{local}@mail.example.net")),
        work_email: field("work_email").unwrap_or_else(|| format!("{local}@{WORK_DOMAIN}")),
        given_name,
        family_name,
        start_date: start,
        department: field("department").unwrap_or_else(|| pick(rng, DEPARTMENTS)),
        title: field("title").unwrap_or_else(|| pick(rng, TITLES)),
        manager: None,
        location: field("location").unwrap_or_else(|| pick(rng, LOCATIONS)),
        employment_type: field("employment_type").unwrap_or_else(|| EMPLOYMENT_TYPES[kind].to_owned()),
        status: Status::Active,
        termination_date: None,
        records: BTreeMap::new(),
    }
}

/// `name` as an email's local part: ASCII letters and digits, lower case.
fn ascii_lower(name: &str) -> String {
    let kept: String = name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    if kept.is_empty() { "person".to_owned() } else { kept }
}
