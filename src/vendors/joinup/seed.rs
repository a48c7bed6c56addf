//! Joinup's start state: the tenants, companies and users of `fixtures/joinup/start.json`, plus
//! Spanish employees and cost centers generated from the seed (valid DNI and CIF check
//! characters, service reasons `"<ID>: <TEXT>"`, dates spread over the years before the epoch).

use super::model::{ATTRIBUTES, Company, CostCenter, Employee, Mode, Tenant, User};
use crate::common::rng::{SandboxRng, rng_for, seed_epoch};
use bytes::Bytes;
use chrono::Duration;
use rand::RngExt;
use rustc_hash::FxHashMap as HashMap;
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
        let mut unique = Unique::new(&tenant, rng.random_range(0..DNI_SPAN));
        for n in 0..counts.employees {
            let company_index = rng.random_range(0..t.companies.len());
            let domain = &t.companies[company_index].domain;
            let employee = employee(&fixture, &mut rng, &tenant, &mut unique, (company_index, domain), n);
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

/// DNI numbers run over eight digits from 10_000_000.
const DNI_SPAN: u32 = 90_000_000;
/// A step coprime with [`DNI_SPAN`] (2^7 * 3^2 * 5^7): `offset + n * step` visits every number
/// of the span once, so DNIs are unique without drawing and retrying.
const DNI_STEP: u64 = 7_654_321;

/// What keeps one tenant's seeded values unique in constant time per employee: how many times
/// each email local part was used, the cost centers each company may use, and the DNI sequence.
struct Unique {
    emails: HashMap<String, u32>,
    cost_centers: Vec<Vec<String>>,
    dni_offset: u32,
}

impl Unique {
    fn new(tenant: &Tenant, dni_offset: u32) -> Self {
        let cost_centers = tenant
            .companies
            .iter()
            .map(|company| {
                let usable = tenant.cost_centers.iter().filter(|c| c.company.is_none_or(|id| id == company.id));
                usable.map(|c| c.name.clone()).collect()
            })
            .collect();
        Self { emails: HashMap::default(), cost_centers, dni_offset }
    }

    /// `first.surname@domain`, then `first.surname2@domain`, ... (names hold no digits, so a
    /// suffixed address never meets an unsuffixed one).
    fn email(&mut self, local: String, domain: &str) -> String {
        let seen = self.emails.entry(format!("{local}@{domain}")).or_insert(0);
        *seen += 1;
        if *seen == 1 { format!("{local}@{domain}") } else { format!("{local}{seen}@{domain}") }
    }

    /// The `n`th employee's DNI number.
    fn dni_number(&self, n: usize) -> u32 {
        let step = (n as u64).wrapping_mul(DNI_STEP) % u64::from(DNI_SPAN);
        let index = (u64::from(self.dni_offset) + step) % u64::from(DNI_SPAN);
        10_000_000 + u32::try_from(index).unwrap_or(0)
    }
}

fn employee(
    fixture: &Fixture,
    rng: &mut SandboxRng,
    tenant: &Tenant,
    unique: &mut Unique,
    (company_index, domain): (usize, &str),
    n: usize,
) -> Employee {
    let pick = |rng: &mut SandboxRng, list: &[String]| list[rng.random_range(0..list.len())].clone();
    let first = pick(rng, &fixture.first_names);
    let surname = pick(rng, &fixture.surnames);
    let second_surname = pick(rng, &fixture.surnames);
    let base_email = unique.email(format!("{}.{}", ascii_lower(&first), ascii_lower(&surname)), domain);
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
    let cost_centers = &unique.cost_centers[company_index];
    let mut attributes: [String; 15] = Default::default();
    let mut set = |name: &str, value: String| {
        if let Some(i) = ATTRIBUTES.iter().position(|a| *a == name) {
            attributes[i] = value;
        }
    };
    set("employee_id", format!("E-{:04}", n + 1));
    if !cost_centers.is_empty() {
        set("cost_center", cost_centers[rng.random_range(0..cost_centers.len())].clone());
    }
    if rng.random_range(0..10) < 7 {
        set("service_reason", pick(rng, &fixture.service_reasons));
    }
    if rng.random_range(0..10) < 8 {
        set("dni", dni(unique.dni_number(n)));
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
        let seeded = seed(42, Counts { employees: 20_000, cost_centers: 12 });
        for tenant in &seeded.tenants {
            let emails: std::collections::HashSet<&str> =
                tenant.employees.iter().map(|e| e.base_email.as_str()).collect();
            let dnis: Vec<&String> =
                tenant.employees.iter().map(|e| &e.attributes[3]).filter(|d| !d.is_empty()).collect();
            let unique_dnis: std::collections::HashSet<&&String> = dnis.iter().collect();
            assert_eq!(
                (emails.len(), unique_dnis.len()),
                (tenant.employees.len(), dnis.len()),
                "unique by construction"
            );
        }
        for employee in seeded.tenants.iter().flat_map(|t| &t.employees) {
            let dni_value = &employee.attributes[3];
            if !dni_value.is_empty() {
                let number: u32 = dni_value[..8].parse().expect("eight digits");
                assert_eq!(*dni_value, dni(number));
            }
        }
    }
}
