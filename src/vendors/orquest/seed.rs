//! Orquest's start state: the businesses of `fixtures/orquest/start.json` with their
//! configuration, plus employees generated from the seed whose associations, contracts and users
//! are consistent with that configuration.

use super::model::{
    Business, ContractType, Dated, Employee, EmployeeRole, IntegrationUser, MetadataKeys, Node, Person, Service, User,
};
use crate::common::rng::{SandboxRng, hex_string, rng_for, seed_epoch};
use chrono::{Duration, NaiveDate};
use rand::RngExt;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

const START: &str = include_str!("../../../fixtures/orquest/start.json");

#[derive(Deserialize)]
struct Fixture {
    businesses: Vec<BusinessFixture>,
    first_names: Vec<String>,
    surnames: Vec<String>,
}

#[derive(Deserialize)]
struct BusinessFixture {
    id: String,
    name: String,
    timezone: String,
    nodes: Vec<Node>,
    services: Vec<Service>,
    roles: Vec<String>,
    employee_roles: Vec<EmployeeRole>,
    person_categories: Vec<String>,
    contract_types: Vec<ContractType>,
    groups: Vec<String>,
    metadata_keys: MetadataKeys,
    incidence_types: Vec<String>,
    integration_users: Vec<IntegrationUser>,
}

/// The seeded businesses and the API key of each integration user.
pub struct Seeded {
    /// Businesses, in fixture order.
    pub businesses: Vec<Business>,
    /// API key -> (business index, integration user index).
    pub keys: BTreeMap<String, (usize, usize)>,
    /// Password of each integration user's form login, by identity.
    pub passwords: BTreeMap<String, String>,
}

/// The start state for `seed`, with `employees` employees in the first business (a quarter of
/// that in the others).
pub fn seed(seed: u64, employees: usize) -> Seeded {
    // The fixture is compiled in and parsed by the tests.
    let fixture: Fixture = serde_json::from_str(START).unwrap_or_else(|e| panic!("fixtures/orquest/start.json: {e}"));
    let mut rng = rng_for(seed, "orquest");
    let mut keys_rng = rng_for(seed, "orquest/keys");
    let mut seeded = Seeded { businesses: Vec::new(), keys: BTreeMap::new(), passwords: BTreeMap::new() };
    for (index, b) in fixture.businesses.into_iter().enumerate() {
        for (user_index, user) in b.integration_users.iter().enumerate() {
            seeded.keys.insert(hex_string(&mut keys_rng, 40), (index, user_index));
            seeded.passwords.insert(user.identity.clone(), hex_string(&mut keys_rng, 16));
        }
        let mut business = Business {
            id: b.id,
            name: b.name,
            timezone: b.timezone,
            nodes: b.nodes,
            services: b.services,
            roles: b.roles,
            employee_roles: b.employee_roles,
            person_categories: b.person_categories,
            contract_types: b.contract_types,
            groups: b.groups,
            metadata_keys: b.metadata_keys,
            incidence_types: b.incidence_types,
            integration_users: b.integration_users,
            employees: BTreeMap::new(),
            users: Vec::new(),
        };
        let count = if index == 0 { employees } else { employees / 4 };
        for n in 0..count {
            let (employee, user) = employee(&fixture.first_names, &fixture.surnames, &mut rng, &business, index, n);
            if let Some(user) = user {
                business.users.push(user);
            }
            business.employees.insert(employee.person.employee_id.clone(), employee);
        }
        business.users.push(User::new(format!("viewer.{}", business.id.to_lowercase()), "SYSTEM"));
        seeded.businesses.push(business);
    }
    seeded
}

fn employee(
    first_names: &[String],
    surnames: &[String],
    rng: &mut SandboxRng,
    business: &Business,
    business_index: usize,
    n: usize,
) -> (Employee, Option<User>) {
    let pick = |rng: &mut SandboxRng, list: &[String]| list[rng.random_range(0..list.len())].clone();
    let name = pick(rng, first_names);
    let surname = format!("{} {}", pick(rng, surnames), pick(rng, surnames));
    let employee_id = format!("{}{:05}", business_index + 8, 10_000 + n);
    let epoch = seed_epoch().date_naive();
    let seniority = epoch - Duration::days(rng.random_range(30..3000));
    let service = &business.services[rng.random_range(0..business.services.len())];
    let product = &service.products[rng.random_range(0..service.products.len())];
    let domain = format!("{}.test", business.id.to_lowercase());
    let login = format!("{}.{}{n}", ascii(&name), ascii(surname.split(' ').next().unwrap_or("x")));
    let person = Person {
        name,
        surname,
        group: (!business.groups.is_empty()).then(|| pick(rng, &business.groups)),
        email: Some(format!("{login}@{domain}")),
        birthday: NaiveDate::from_ymd_opt(
            rng.random_range(1965..2004),
            rng.random_range(1..13),
            rng.random_range(1..29),
        ),
        employee_id: employee_id.clone(),
        seniority: Some(seniority),
        aptitudes: None,
        metadata: None,
        is_virtual: Some(false),
    };
    // One in four lends a weekly hour to another section of the same service.
    let cessions: Vec<Value> = service
        .products
        .iter()
        .filter(|p| p.id != product.id)
        .take(1)
        .filter(|_| n.is_multiple_of(4))
        .map(|p| json!({"product": p.id, "minutes": 60, "days": ["MONDAY"]}))
        .collect();
    let mut association = dated(
        seniority,
        json!({
            "ownerProduct": product.id, "product": product.id, "from": seniority.to_string(),
            "splitPresence": true, "unplannable": false,
            "disponibility": [{"from": seniority.to_string(), "ranges": [{"dayType": "ALL", "startMinuteDay": 480, "duration": 480}]}],
            "id": format!("SA-{employee_id}"),
        }),
    );
    let minutes = [2400, 1200, 1800][rng.random_range(0..3)];
    if !cessions.is_empty() {
        association.fields.insert("regularCessions".into(), Value::Array(cessions));
    }
    let contract = dated(
        seniority,
        json!({
            "from": seniority.to_string(), "regularMinutes": minutes, "weeklyContract": true,
            "countingDays": "MONDAY_SUNDAY", "regularControlPeriod": "WEEKLY", "numberOfHolidays": 30,
            "personCategory": pick(rng, &business.person_categories),
            "contractTypeId": business.contract_types[rng.random_range(0..business.contract_types.len())].id,
            "id": format!("CT-{employee_id}"),
        }),
    );
    let user = n.is_multiple_of(3).then(|| User {
        username: login.clone(),
        email: Some(format!("{login}@{domain}")),
        employee_id: Some(employee_id),
        roles: vec![business.roles.last().cloned().unwrap_or_default()],
        nodes: vec![service.node.clone()],
        last_login: None,
        creation: Some(seniority),
        created_by: "integration".into(),
    });
    (
        Employee { person, service_associations: vec![association], contracts: vec![contract], incidences: Vec::new() },
        user,
    )
}

fn dated(from: NaiveDate, value: Value) -> Dated {
    let fields = match value {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    Dated { from, to: None, fields }
}

fn ascii(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' | 'ü' => 'u',
            'ñ' => 'n',
            other => other,
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}
