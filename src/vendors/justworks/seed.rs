//! Justworks' start state: the OAuth apps and company of `fixtures/justworks/start.json`, and
//! members generated from the seed (every type, a manager tree without cycles, pay and tax ids).

use super::model::{App, Company, Member, Name, Reference};
use super::paystubs::Paystubs;
use crate::common::rng::{SandboxRng, seed_epoch};
use chrono::{Datelike, Duration};
use rand::{Rng, RngExt};
use serde::Deserialize;
use serde_json::{Map, Value, json};

const START: &str = include_str!("../../../fixtures/justworks/start.json");

#[derive(Deserialize)]
struct Fixture {
    apps: Vec<App>,
    company: CompanyFixture,
    departments: Vec<String>,
    titles: Vec<String>,
    first_names: Vec<String>,
    last_names: Vec<String>,
    states: Vec<(String, String, String)>,
    deduction_types: Vec<Value>,
}

#[derive(Deserialize)]
struct CompanyFixture {
    display_name: String,
    legal_name: String,
    tax_id: String,
    addresses: Vec<Value>,
    offices: Vec<String>,
    phones: Vec<Value>,
    country_data: Map<String, Value>,
    bank_account: Value,
    custom_fields: Vec<Map<String, Value>>,
}

/// The seeded state.
pub struct Seeded {
    /// OAuth apps.
    pub apps: Vec<App>,
    /// The company.
    pub company: Company,
    /// Members, oldest first.
    pub members: Vec<Member>,
    /// Deduction types (bare array on the wire).
    pub deduction_types: Vec<Value>,
}

const CROCKFORD: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// `<prefix>_<26 lower-case ULID characters>`: a valid ULID, whose first character carries only
/// the top 3 of its 128 bits (`0`..`7`).
pub fn prefixed_id(rng: &mut SandboxRng, prefix: &str) -> String {
    let first = CROCKFORD[(rng.next_u32() % 8) as usize] as char;
    let ulid: String =
        std::iter::once(first).chain((1..26).map(|_| CROCKFORD[(rng.next_u32() % 32) as usize] as char)).collect();
    format!("{prefix}_{ulid}")
}

/// A version-4 UUID (paystubs, legacy ids).
pub fn uuid(rng: &mut SandboxRng) -> String {
    let mut b = [0u8; 16];
    rng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// The start state: `count` members.
pub fn seed(rng: &mut SandboxRng, count: usize) -> Seeded {
    // The fixture is compiled in and parsed by the tests.
    let fixture: Fixture = serde_json::from_str(START).unwrap_or_else(|e| panic!("fixtures/justworks/start.json: {e}"));
    let epoch = seed_epoch();
    let stamp = |days: i64| (epoch - Duration::days(days)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let departments: Vec<Reference> = fixture
        .departments
        .iter()
        .map(|name| Reference { id: prefixed_id(rng, "department"), name: name.clone() })
        .collect();
    let offices: Vec<Reference> = fixture
        .company
        .offices
        .iter()
        .map(|name| Reference { id: prefixed_id(rng, "office"), name: name.clone() })
        .collect();
    let custom_fields: Vec<Value> = fixture
        .company
        .custom_fields
        .iter()
        .map(|field| {
            let mut field = field.clone();
            field.insert("id".into(), json!(prefixed_id(rng, "cf")));
            Value::Object(field)
        })
        .collect();
    let company = Company {
        id: prefixed_id(rng, "company"),
        legacy_id: uuid(rng),
        tax_id: fixture.company.tax_id,
        display_name: fixture.company.display_name,
        legal_name: fixture.company.legal_name,
        addresses: fixture.company.addresses,
        departments: departments.clone(),
        offices: offices.iter().map(|o| json!({"id": o.id, "name": o.name})).collect(),
        phones: fixture.company.phones,
        country_data: fixture.company.country_data,
        bank_account: fixture.company.bank_account,
        custom_fields: custom_fields.clone(),
        created_at: stamp(2200),
        updated_at: stamp(30),
    };
    let mut members: Vec<Member> = Vec::with_capacity(count);
    for n in 0..count {
        let pick = |rng: &mut SandboxRng, list: &[String]| list[rng.random_range(0..list.len())].clone();
        let given = pick(rng, &fixture.first_names);
        let family = pick(rng, &fixture.last_names);
        let kind = match n {
            0 => "paid_owner",
            1 => "unpaid_owner",
            _ if n % 29 == 0 => "international_employee",
            _ if n % 31 == 0 => "employee_eor",
            _ if n % 9 == 0 => "contractor",
            _ => "employee",
        };
        let start_days = rng.random_range(60..2000);
        let active = n < 2 || rng.random_range(0..10) != 0;
        let (state, city, zip) = &fixture.states[rng.random_range(0..fixture.states.len())];
        let manager = (n > 0)
            .then(|| &members[(n - 1) / 6])
            .map(|m| Reference { id: m.id.clone(), name: m.name.full_preferred_name.clone() });
        let preferred = (n % 7 == 0).then(|| given.chars().take(3).collect::<String>());
        let shown = preferred.clone().unwrap_or_else(|| given.clone());
        let custom = custom_fields
            .iter()
            .filter_map(|f| {
                let options = f["options"].as_array()?;
                let id = f["id"].as_str()?.to_owned();
                let value = options[rng.random_range(0..options.len())].as_str()?.to_owned();
                Some((id, vec![value]))
            })
            .collect();
        members.push(Member {
            id: prefixed_id(rng, "member"),
            work_id: format!("E-{:04}", 1000 + n),
            name: Name {
                given_name: given.clone(),
                family_name: family.clone(),
                preferred_name: preferred,
                full_preferred_name: format!("{shown} {family}"),
                additional_names: Vec::new(),
            },
            active,
            kind: kind.into(),
            employment_location_type: if rng.random_range(0..3) == 0 { "remote" } else { "office" }.into(),
            email: format!("{}.{}{n}@acme-analytics.test", given.to_lowercase(), family.to_lowercase()),
            address: json!({"type": "home", "line1": format!("{} Main St", rng.random_range(1..999)), "city": city, "state": state, "postal_code": zip, "country": "US"}),
            phone: format!("+1212555{:04}", rng.random_range(0..10_000)),
            department: departments[n % departments.len()].clone(),
            office: (n % 4 != 0).then(|| offices[n % offices.len()].clone()),
            manager,
            job_title: pick(rng, &fixture.titles),
            date_of_birth: format!("{}-{:02}-{:02}", rng.random_range(1962..2003), rng.random_range(1..13), rng.random_range(1..29)),
            sex_assigned_at_birth: ["female", "male", ""][rng.random_range(0..3)].into(),
            date_added_to_justworks: (epoch - Duration::days(start_days + 7)).date_naive().to_string(),
            employment_start_date: (epoch - Duration::days(start_days)).date_naive().to_string(),
            employment_termination_date: (!active).then(|| (epoch - Duration::days(rng.random_range(1..start_days))).date_naive().to_string()),
            pay_amount: rng.random_range(55_000..220_000) * 100,
            pay_frequency: "semimonthly".into(),
            ssn: (!matches!(kind, "international_employee" | "employee_eor")).then(|| {
                format!("{:03}-{:02}-{:04}", rng.random_range(100..899), rng.random_range(10..99), rng.random_range(1000..9999))
            }),
            custom_fields: custom,
            legacy_id: uuid(rng),
            created_at: stamp(start_days + 7),
            updated_at: stamp(rng.random_range(0..start_days)),
        });
    }
    Seeded { apps: fixture.apps, company, members, deduction_types: fixture.deduction_types }
}

/// Semimonthly payrolls for 2025, each paying every paid member; its totals are the sums of
/// its paystubs (derived by [`Paystubs`]), so every total adds up. Overtime differs from payroll
/// to payroll, so no two payrolls have the same totals.
pub fn payrolls(rng: &mut SandboxRng, members: &[Member], stubs: &Paystubs) -> Vec<super::model::Payroll> {
    use super::model::Payroll;
    let mut payrolls = Vec::new();
    for month in 1..=12u32 {
        for half in 0..2 {
            let start =
                chrono::NaiveDate::from_ymd_opt(2025, month, if half == 0 { 1 } else { 16 }).unwrap_or_default();
            let end = if half == 0 {
                chrono::NaiveDate::from_ymd_opt(2025, month, 15).unwrap_or_default()
            } else {
                start
                    .with_day(1)
                    .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
                    .and_then(|d| d.pred_opt())
                    .unwrap_or_default()
            };
            let p = payrolls.len();
            let payroll_id = prefixed_id(rng, "payroll");
            let (mut gross, mut net, mut employee_taxes, mut employer_fica, mut employer_health) = (0, 0, 0, 0, 0);
            for k in 0..stubs.per_payroll() {
                let a = stubs.amounts(p, k, &members[stubs.member_index(k)]);
                gross += a.gross();
                net += a.net();
                employee_taxes += a.federal + a.fica;
                employer_fica += a.fica;
                employer_health += a.employer_health;
            }
            let fee = i64::try_from(stubs.per_payroll()).unwrap_or(0) * 5_900;
            let fees = vec![
                json!({"reference_id": payroll_id, "reference_type": "payroll", "name": "PEO service fee", "type": "service_fee", "amount": fee, "currency": "USD"}),
            ];
            payrolls.push(Payroll {
                id: payroll_id,
                company_debit: gross + employer_fica + employer_health + fee,
                employee_taxes,
                employer_taxes: employer_fica,
                gross_pay: gross,
                net_pay: net,
                currency: "USD".into(),
                debit_date: (end - Duration::days(2)).to_string(),
                pay_date: end.to_string(),
                payment_method: "direct_deposit".into(),
                period_start: start.to_string(),
                fees,
            });
        }
    }
    payrolls
}

/// Time-off policies and a year of requests.
pub fn time_off(
    rng: &mut SandboxRng,
    members: &[Member],
) -> (Vec<super::model::Policy>, Vec<super::model::TimeOffRequest>) {
    use super::model::{Policy, TimeOffRequest};
    let policy = |rng: &mut SandboxRng, name: &str, kind: &str, hours: f64, inactive: Option<&str>| Policy {
        id: prefixed_id(rng, "policy"),
        name: name.into(),
        status: if inactive.is_some() { "inactive" } else { "active" }.into(),
        kind: kind.into(),
        effective_date: "2022-01-01".into(),
        deactivation_date: inactive.map(str::to_owned),
        yearly_hours: hours,
    };
    let policies = vec![
        policy(rng, "Paid time off", "vacation", 120.0, None),
        policy(rng, "Sick leave", "sick", 40.0, None),
        policy(rng, "Floating holidays", "holiday", 16.0, Some("2024-12-31")),
    ];
    let statuses = ["approved", "approved", "approved", "requested", "denied", "canceled"];
    let mut requests = Vec::new();
    for member in members.iter().filter(|m| m.active) {
        for _ in 0..rng.random_range(0..4) {
            let start = chrono::NaiveDate::from_ymd_opt(2025, rng.random_range(1..13), rng.random_range(1..25))
                .unwrap_or_default();
            let days = rng.random_range(1..4);
            let stamp = format!("{}T09:00:00Z", start - Duration::days(14));
            requests.push(TimeOffRequest {
                id: prefixed_id(rng, "request"),
                member_id: member.id.clone(),
                policy_id: policies[rng.random_range(0..2)].id.clone(),
                status: statuses[rng.random_range(0..statuses.len())].into(),
                unit_type: "hours".into(),
                amount: f64::from(days * 8),
                start_date: start.to_string(),
                end_date: (start + Duration::days(i64::from(days) - 1)).to_string(),
                notes: None,
                created_at: stamp.clone(),
                updated_at: stamp,
            });
        }
    }
    requests.sort_by(|a, b| a.start_date.cmp(&b.start_date).then(a.id.cmp(&b.id)));
    (policies, requests)
}
