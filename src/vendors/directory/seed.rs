//! The Directory's start state: the organizations, apps and accounts of
//! `fixtures/directory/start.json`, employees generated from the seed with profiles and a
//! manager tree (every manager comes earlier, so there is no cycle), departments and teams with
//! memberships, and one API key per organization.

use super::model::{
    Account, App, CreationInfo, Employee, Grant, Group, ManagerRelation, Membership, Organization, OrganizationKey,
    Preferences, StatusInfo,
};
use crate::common::rng::{SandboxRng, seed_epoch};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use rand::{Rng, RngExt};
use serde::Deserialize;
use serde_json::{Map, Value, json};

const START: &str = include_str!("../../../fixtures/directory/start.json");

#[derive(Deserialize)]
struct Fixture {
    organizations: Vec<OrgFixture>,
    first_names: Vec<String>,
    last_names: Vec<String>,
    titles: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrgFixture {
    name: String,
    alias: String,
    profile: Map<String, Value>,
    apps: Vec<AppFixture>,
    accounts: Vec<AccountFixture>,
    departments: Vec<String>,
    teams: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AppFixture {
    external_id: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    app_data: Map<String, Value>,
    secret_data: Map<String, Value>,
}

#[derive(Deserialize)]
struct AccountFixture {
    identity: String,
    email: String,
    name: String,
    role: String,
    employee: usize,
}

/// The seeded state.
pub struct Seeded {
    /// Organizations.
    pub organizations: Vec<Organization>,
    /// Accounts.
    pub accounts: Vec<Account>,
    /// Employees of every organization.
    pub employees: Vec<Employee>,
    /// Groups of every organization.
    pub groups: Vec<Group>,
    /// Memberships.
    pub memberships: Vec<Membership>,
    /// API keys: (secret, organization id, key id); the first is the first organization's.
    pub key_secrets: Vec<(String, String, String)>,
    /// Credentials identity -> account id.
    pub identities: Vec<(String, String)>,
}

/// A version-4 UUID from the sandbox's RNG.
pub fn uuid(rng: &mut SandboxRng) -> String {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// An API key's secret: 32 random bytes, base64 (the key's `secretBase64`, used as the bearer token).
pub fn key_secret(rng: &mut SandboxRng) -> String {
    let mut bytes = [0u8; 32];
    rng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// ISO-8601 with milliseconds and `Z`, as the API prints timestamps.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Status `ACTIVE`.
pub fn active() -> StatusInfo {
    StatusInfo { current: "ACTIVE".into(), changed_at: None, changed_by: None }
}

/// The start state for `seed`: `employees` in the first organization, a tenth of that in others.
pub fn seed(rng: &mut SandboxRng, employees: usize) -> Seeded {
    // The fixture is compiled in and parsed by the tests.
    let fixture: Fixture = serde_json::from_str(START).unwrap_or_else(|e| panic!("fixtures/directory/start.json: {e}"));
    let mut seeded = Seeded {
        organizations: Vec::new(),
        accounts: Vec::new(),
        employees: Vec::new(),
        groups: Vec::new(),
        memberships: Vec::new(),
        key_secrets: Vec::new(),
        identities: Vec::new(),
    };
    for (index, org) in fixture.organizations.iter().enumerate() {
        let org_id = uuid(rng);
        let founded = seed_epoch() - Duration::days(900 - 200 * index as i64);
        let created = CreationInfo { created_at: timestamp(founded), created_by: None };
        let count = if index == 0 { employees } else { employees / 10 }
            .max(org.accounts.iter().map(|a| a.employee + 1).max().unwrap_or(1));
        let first = seeded.employees.len();
        for n in 0..count {
            let named = org.accounts.iter().find(|a| a.employee == n);
            let (name, email) = match named {
                Some(account) => (account.name.clone(), account.email.clone()),
                None => {
                    let given = &fixture.first_names[rng.random_range(0..fixture.first_names.len())];
                    let family = &fixture.last_names[rng.random_range(0..fixture.last_names.len())];
                    (
                        format!("{given} {family}"),
                        format!("{}.{}{n}@{}.test", given.to_lowercase(), family.to_lowercase(), org.alias),
                    )
                }
            };
            let (given, family) = name.split_once(' ').unwrap_or((&name, ""));
            let joined = founded + Duration::days(rng.random_range(0..800));
            let mut profile = Map::new();
            profile.insert("employeeNumber".into(), json!(format!("E{:04}", n + 1)));
            profile.insert("firstName".into(), json!(given));
            profile.insert("lastName".into(), json!(family));
            profile.insert("companyRole".into(), json!(fixture.titles[rng.random_range(0..fixture.titles.len())]));
            profile.insert("joinDate".into(), json!(joined.date_naive().to_string()));
            // A tree: every manager comes earlier than its reports.
            let managers = if n == 0 {
                Vec::new()
            } else {
                vec![ManagerRelation {
                    manager_id: seeded.employees[first + (n - 1) / 5].id.clone(),
                    kind: "DIRECT".into(),
                }]
            };
            seeded.employees.push(Employee {
                id: uuid(rng),
                organization: org_id.clone(),
                name,
                email,
                account: None,
                role: Some(named.map_or("EMPLOYEE", |a| a.role.as_str()).to_owned()),
                kind: if rng.random_range(0..10) == 0 { "CONTRACTOR" } else { "EMPLOYEE" }.into(),
                active: true,
                status: active(),
                created: CreationInfo { created_at: timestamp(joined), created_by: None },
                profile,
                mappings: Vec::new(),
                preferences: Preferences::default(),
                managers,
            });
        }
        for (n, employee) in seeded.employees[first..].iter_mut().enumerate() {
            if rng.random_range(0..12) == 0 && n > 0 {
                employee.active = false;
                employee.status = StatusInfo { current: "INACTIVE".into(), changed_at: None, changed_by: None };
            }
        }
        let mut owners = Vec::new();
        for account in &org.accounts {
            let id = uuid(rng);
            let employee = &mut seeded.employees[first + account.employee];
            employee.account = Some(id.clone());
            if account.role == "OWNER" {
                owners.push(id.clone());
            }
            seeded.accounts.push(Account {
                id: id.clone(),
                email: account.email.clone(),
                name: Some(account.name.clone()),
                active: true,
                status: active(),
                created: created.clone(),
                mappings: Vec::new(),
                preferences: Preferences::default(),
                grants: vec![Grant {
                    org_id: org_id.clone(),
                    role: account.role.clone(),
                    employee_id: Some(employee.id.clone()),
                }],
            });
            seeded.identities.push((account.identity.clone(), id));
        }
        let groups_start = seeded.groups.len();
        for (names, kind) in [(&org.departments, "DEPARTMENT"), (&org.teams, "TEAM")] {
            for name in names {
                seeded.groups.push(Group {
                    id: uuid(rng),
                    organization: org_id.clone(),
                    name: name.clone(),
                    kind: kind.into(),
                    active: true,
                    status: active(),
                    created: created.clone(),
                    profile: Map::from_iter([("description".to_owned(), json!(format!("{name} at {}", org.name)))]),
                });
            }
        }
        let departments = &seeded.groups[groups_start..groups_start + org.departments.len()];
        let teams = &seeded.groups[groups_start + org.departments.len()..];
        for (n, employee) in seeded.employees[first..].iter().enumerate() {
            let department = &departments[n % departments.len()];
            let kind = if n < departments.len() { "LEAD" } else { "MEMBER" };
            seeded.memberships.push(Membership {
                entity: employee.id.clone(),
                group_id: department.id.clone(),
                kind: kind.into(),
            });
            if !teams.is_empty() && n % 3 == 0 {
                let team = &teams[n / 3 % teams.len()];
                seeded.memberships.push(Membership {
                    entity: employee.id.clone(),
                    group_id: team.id.clone(),
                    kind: "MEMBER".into(),
                });
            }
        }
        let key_id = uuid(rng);
        seeded.key_secrets.push((key_secret(rng), org_id.clone(), key_id.clone()));
        seeded.organizations.push(Organization {
            id: org_id.clone(),
            name: org.name.clone(),
            active: true,
            status: active(),
            created: created.clone(),
            alias: org.alias.clone(),
            owners,
            profile: org.profile.clone(),
            apps: org
                .apps
                .iter()
                .map(|app| App {
                    id: uuid(rng),
                    external_id: app.external_id.clone(),
                    internal: false,
                    name: app.name.clone(),
                    kind: app.kind.clone(),
                    active: true,
                    status: active(),
                    created: created.clone(),
                    organization: org_id.clone(),
                    secret_data: app.secret_data.clone(),
                    app_data: app.app_data.clone(),
                })
                .collect(),
            keys: vec![OrganizationKey {
                id: key_id,
                name: "administration".into(),
                secret_base64: None,
                limit_to_role: None,
            }],
            preferences: Preferences::default(),
            mappings: Vec::new(),
        });
    }
    seeded
}
