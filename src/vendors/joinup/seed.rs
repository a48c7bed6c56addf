//! Joinup's start state: the tenants, companies and users of `fixtures/joinup/start.json`, plus
//! Spanish employees and cost centers generated from the seed (valid DNI and CIF check
//! characters, service reasons `"<ID>: <TEXT>"`, dates spread over the years before the epoch).

use super::model::{ATTRIBUTES, Company, CostCenter, Employee, Mode, Tenant, User};
use crate::common::rng::{SandboxRng, rng_for, seed_epoch};
use bytes::Bytes;
use chrono::Duration;
use rand::RngExt;
use serde::Deserialize;

const START: &str = include_str!("../../../fixtures/joinup/start.json");

/// First ids, like a long-running production database.
pub const FIRST_EMPLOYEE_ID: u64 = 20_001;
/// First cost center id.
pub const FIRST_COST_CENTER_ID: u64 = 116_201;

#[derive(Deserialize)]
struct Fixture {
    tenants: Vec<TenantFixture>,
    first_names: Vec<String>,
    surnames: Vec<String>,
    cost_centers: Vec<String>,
    service_reasons: Vec<String>,
    managements: Vec<String>,
    sections: Vec<String>,
    layers: Vec<String>,
}

#[derive(Deserialize)]
struct TenantFixture {
    identity: String,
    mode: Mode,
    shared_cost_centers: bool,
    companies: Vec<CompanyFixture>,
    users: Vec<UserFixture>,
}

#[derive(Deserialize)]
struct CompanyFixture {
    name: String,
    cif: String,
    domain: String,
}

#[derive(Deserialize)]
struct UserFixture {
    identity: String,
    username: String,
    is_admin: bool,
}

/// How much to generate per tenant.
#[derive(Debug, Clone, Copy)]
pub struct Counts {
    /// Employees per tenant.
    pub employees: usize,
    /// Cost centers per tenant.
    pub cost_centers: usize,
}

/// The seeded data.
pub struct Seeded {
    /// Tenants, in fixture order.
    pub tenants: Vec<Tenant>,
    /// Users of every tenant.
    pub users: Vec<User>,
    /// Email domains per tenant (signup hooks match on them).
    pub domains: Vec<Vec<String>>,
}

/// The start state for `seed`.
pub fn seed(seed: u64, counts: Counts) -> Seeded {
    // The fixture is compiled in and checked by the tests; an empty state is the only fallback.
    let fixture: Fixture = serde_json::from_str(START).unwrap_or_else(|e| panic!("fixtures/joinup/start.json: {e}"));
    let mut rng = rng_for(seed, "joinup");
    let mut next_employee = FIRST_EMPLOYEE_ID;
    let mut next_cost_center = FIRST_COST_CENTER_ID;
    let mut next_company = 1;
    let mut seeded = Seeded { tenants: Vec::new(), users: Vec::new(), domains: Vec::new() };
    for (index, t) in fixture.tenants.iter().enumerate() {
        let companies: Vec<Company> = t
            .companies
            .iter()
            .map(|c| {
                next_company += 1;
                Company { id: next_company - 1, name: c.name.clone(), cif: c.cif.clone() }
            })
            .collect();
        let mut tenant = Tenant {
            identity: t.identity.clone(),
            mode: t.mode,
            shared_cost_centers: t.shared_cost_centers,
            companies,
            employees: Vec::new(),
            cost_centers: Vec::new(),
        };
        for i in 0..counts.cost_centers {
            let base = &fixture.cost_centers[i % fixture.cost_centers.len()];
            let round = i / fixture.cost_centers.len();
            let name = if round == 0 { base.clone() } else { format!("{base}-{}", round + 1) };
            let company = tenant.cost_centers_by_company().then(|| tenant.companies[i % tenant.companies.len()].id);
            tenant.cost_centers.push(CostCenter { id: next_cost_center, name, company, json: Bytes::new() });
            next_cost_center += 1;
        }
        for n in 0..counts.employees {
            let company_index = rng.random_range(0..t.companies.len());
            let employee = employee(&fixture, &mut rng, &tenant, company_index, &t.companies[company_index].domain, n);
            tenant.employees.push(Employee { id: next_employee, ..employee });
            next_employee += 1;
        }
        for i in 0..tenant.employees.len() {
            tenant.refresh_employee(i);
        }
        for i in 0..tenant.cost_centers.len() {
            tenant.refresh_cost_center(i);
        }
        for (n, u) in t.users.iter().enumerate() {
            seeded.users.push(User {
                id: (index as u64 + 1) * 100 + n as u64 + 1,
                identity: u.identity.clone(),
                username: u.username.clone(),
                tenant: index,
                is_admin: u.is_admin,
                is_active: true,
            });
        }
        seeded.domains.push(t.companies.iter().map(|c| c.domain.clone()).collect());
        seeded.tenants.push(tenant);
    }
    seeded
}

fn employee(
    fixture: &Fixture,
    rng: &mut SandboxRng,
    tenant: &Tenant,
    company_index: usize,
    domain: &str,
    n: usize,
) -> Employee {
    let pick = |rng: &mut SandboxRng, list: &[String]| list[rng.random_range(0..list.len())].clone();
    let first = pick(rng, &fixture.first_names);
    let surname = pick(rng, &fixture.surnames);
    let second_surname = pick(rng, &fixture.surnames);
    let mut base_email = format!("{}.{}@{domain}", ascii_lower(&first), ascii_lower(&surname));
    let mut suffix = 2;
    while tenant.employees.iter().any(|e| e.base_email == base_email) {
        base_email = format!("{}.{}{suffix}@{domain}", ascii_lower(&first), ascii_lower(&surname));
        suffix += 1;
    }
    // Enabled some time in the five years before the epoch; one in seven left since.
    let enabled_date = seed_epoch() - Duration::seconds(rng.random_range(86_400..5 * 365 * 86_400))
        + Duration::microseconds(rng.random_range(0..1_000_000));
    let enabled = rng.random_range(0..7) != 0;
    let disabled_date = (!enabled).then(|| {
        let span = (seed_epoch() - enabled_date).num_seconds().max(2);
        enabled_date
            + Duration::seconds(rng.random_range(1..span))
            + Duration::microseconds(rng.random_range(0..1_000_000))
    });
    let company = tenant.companies[company_index].id;
    let cost_centers: Vec<&CostCenter> =
        tenant.cost_centers.iter().filter(|c| c.company.is_none_or(|id| id == company)).collect();
    let mut attributes: [String; 15] = Default::default();
    let mut set = |name: &str, value: String| {
        if let Some(i) = ATTRIBUTES.iter().position(|a| *a == name) {
            attributes[i] = value;
        }
    };
    set("employee_id", format!("E-{:04}", n + 1));
    if !cost_centers.is_empty() {
        set("cost_center", cost_centers[rng.random_range(0..cost_centers.len())].name.clone());
    }
    if rng.random_range(0..10) < 7 {
        set("service_reason", pick(rng, &fixture.service_reasons));
    }
    if rng.random_range(0..10) < 8 {
        set("dni", dni(rng.random_range(10_000_000..100_000_000)));
    }
    if rng.random_range(0..2) == 0 {
        set("management", pick(rng, &fixture.managements));
        set("section", pick(rng, &fixture.sections));
        set("layer", pick(rng, &fixture.layers));
    }
    if let Some(supervisor) = tenant.employees.iter().rev().nth(rng.random_range(0..8)).filter(|_| n.is_multiple_of(3))
    {
        set("supervisor_email", supervisor.base_email.clone());
    }
    Employee {
        id: 0,
        name: format!("{first} {surname} {second_surname}"),
        base_email,
        enabled,
        enabled_date,
        disabled_date,
        company,
        attributes,
        json: Bytes::new(),
    }
}

/// A DNI: eight digits and the check letter of their value modulo 23.
pub fn dni(number: u32) -> String {
    const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    format!("{number:08}{}", LETTERS[(number % 23) as usize] as char)
}

#[cfg(test)]
/// Whether `cif` is a CIF with a valid control digit (the numeric form companies `A`/`B` use).
pub fn valid_cif(cif: &str) -> bool {
    let bytes = cif.as_bytes();
    if bytes.len() != 9 || !bytes[0].is_ascii_uppercase() || !bytes[1..].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = bytes[1..8]
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 { (d * 2) / 10 + (d * 2) % 10 } else { d }
        })
        .sum();
    u32::from(bytes[8] - b'0') == (10 - sum % 10) % 10
}

/// Lower-case ASCII for email local parts: accents dropped, `ñ` as `n`.
fn ascii_lower(text: &str) -> String {
    text.chars()
        .map(|c| match c.to_lowercase().next().unwrap_or(c) {
            'á' | 'à' => 'a',
            'é' | 'è' => 'e',
            'í' | 'ì' => 'i',
            'ó' | 'ò' => 'o',
            'ú' | 'ü' => 'u',
            'ñ' => 'n',
            other => other,
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_dni_and_cif_have_valid_check_characters() {
        assert_eq!(dni(12_345_678), "12345678Z");
        for cif in ["B86543212", "A28119303", "B46371829", "B61928479"] {
            assert!(valid_cif(cif), "{cif}");
        }
        assert!(!valid_cif("B86543213"));
        let seeded = seed(42, Counts { employees: 50, cost_centers: 12 });
        for employee in seeded.tenants.iter().flat_map(|t| &t.employees) {
            let dni_value = &employee.attributes[3];
            if !dni_value.is_empty() {
                let number: u32 = dni_value[..8].parse().expect("eight digits");
                assert_eq!(*dni_value, dni(number));
            }
        }
    }
}
