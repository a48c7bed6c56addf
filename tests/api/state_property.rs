//! Round trip as an invariant: random sequences of vendor writes, admin actions and clock moves,
//! and whatever state the server reaches, its own export is accepted by its own `PUT`, exports
//! the same again (when the clock stands still) and the server stays healthy. The RNG is seeded
//! (`HR_SANDBOX_PROPERTY_SEED` and `HR_SANDBOX_PROPERTY_CASES` explore further); a failure prints
//! the seed and the shrunk sequence.

use crate::helpers::{TestApp, spawn_with};
use crate::orquest::element;
use hr_sandbox::settings::{RateLimits, Settings};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use reqwest::Method;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use tokio::runtime::Runtime;

/// The last instant the sandbox clock shows.
const LATEST: &str = "9999-12-31T23:59:59Z";
/// Django's page for a 500 (ChiefOnboarding's duplicate e-mail and used-up id sequence).
const DJANGO_500: &str = "<h1>Server Error (500)</h1>";

/// One step of a sequence.
#[derive(Debug, Clone)]
enum Op {
    /// ChiefOnboarding `POST /api/users/` (a few e-mails, so some collide).
    ChiefUser { email: u8, role: u8 },
    /// ChiefOnboarding `POST /api/offboarding/`.
    ChiefOffboard { user: u8 },
    /// Joinup `POST /api/company/employees/`.
    JoinupEmployee { email: u8, operation: u8, flexible: bool, company: u8 },
    /// Joinup `POST /api/company/cost-centers/`.
    JoinupCostCenter { name: u8, operation: u8, company: u8 },
    /// Justworks `POST /v1/deductions`.
    JustworksDeduction { amount: u16 },
    /// Directory `POST /api/v1/employee`.
    DirectoryEmployee { n: u8 },
    /// Directory `POST /api/v1/group`.
    DirectoryGroup { n: u8 },
    /// Orquest `PUT /api/v2/businesses/ACME/employees`.
    OrquestEmployee { n: u8 },
    /// A read of each vendor (runs due jobs, counts scenario rules).
    Reads,
    /// `POST /__admin/reset`, whole or ChiefOnboarding and Joinup only.
    Reset { some_vendors: bool },
    /// `POST /__admin/clock {"advance_seconds"}`.
    Advance { seconds: i64 },
    /// `POST /__admin/clock {"set"}`.
    SetClock { at: &'static str },
    /// `POST /__admin/clock {"frozen"}`.
    Freeze { frozen: bool },
    /// `POST /__admin/scenarios` of a rule on ChiefOnboarding's reads.
    LoadScenario { active: bool },
    /// `POST /__admin/sandboxes`, seeded (the full default data) or from the default sandbox's export.
    CreateSandbox { from_snapshot: bool },
    /// The default sandbox's export put back with every id counter one id from its end.
    NearlyUsedUpCounters,
    /// The invariant, mid-sequence.
    RoundTrip,
}

fn op() -> impl Strategy<Value = Op> {
    let times = ["2026-06-01T00:00:00Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:00Z", LATEST];
    let seconds = [0_i64, 1, 5, 3600, 86_400 * 366, 315_360_000];
    prop_oneof![
        4 => (0..6_u8, 0..4_u8).prop_map(|(email, role)| Op::ChiefUser { email, role }),
        1 => (1..8_u8).prop_map(|user| Op::ChiefOffboard { user }),
        3 => (0..6_u8, 0..3_u8, any::<bool>(), 0..3_u8)
            .prop_map(|(email, operation, flexible, company)| Op::JoinupEmployee { email, operation, flexible, company }),
        2 => (0..4_u8, 0..3_u8, 0..3_u8).prop_map(|(name, operation, company)| Op::JoinupCostCenter { name, operation, company }),
        2 => (1..5000_u16).prop_map(|amount| Op::JustworksDeduction { amount }),
        2 => (0..4_u8).prop_map(|n| Op::DirectoryEmployee { n }),
        1 => (0..4_u8).prop_map(|n| Op::DirectoryGroup { n }),
        2 => (0..4_u8).prop_map(|n| Op::OrquestEmployee { n }),
        2 => Just(Op::Reads),
        1 => any::<bool>().prop_map(|some_vendors| Op::Reset { some_vendors }),
        2 => proptest::sample::select(seconds.to_vec()).prop_map(|seconds| Op::Advance { seconds }),
        2 => proptest::sample::select(times.to_vec()).prop_map(|at| Op::SetClock { at }),
        1 => any::<bool>().prop_map(|frozen| Op::Freeze { frozen }),
        1 => any::<bool>().prop_map(|active| Op::LoadScenario { active }),
        1 => any::<bool>().prop_map(|from_snapshot| Op::CreateSandbox { from_snapshot }),
        1 => Just(Op::NearlyUsedUpCounters),
        1 => Just(Op::RoundTrip),
    ]
}

/// What a step's answers must be: no connection dropped, no 5xx but Django's own 500 page.
fn acceptable(op: &Op, status: u16, body: &str) -> Result<(), TestCaseError> {
    let faithful = status == 500 && body == DJANGO_500 && matches!(op, Op::ChiefUser { .. });
    if status >= 500 && !faithful {
        return Err(TestCaseError::fail(format!("{op:?} answered {status}: {body:.300}")));
    }
    Ok(())
}

async fn send(app: &TestApp, method: Method, path: &str, auth: Option<&str>, body: Value) -> (u16, String) {
    let response = app.send(method, path, auth, Some(body)).await;
    (response.status().as_u16(), response.text().await.unwrap_or_default())
}

async fn vendor_write(app: &TestApp, op: &Op) -> (u16, String) {
    let operations = ["onboarding", "offboarding", "updated"];
    let companies = [
        json!({"company_name": "Acme Iberia SL"}),
        json!({"company_name": "Nueva SL", "company_cif": "B99999990"}),
        json!({}),
    ];
    match *op {
        Op::ChiefUser { email, role } => {
            let auth = app.auth("chiefonboarding", "admin").await;
            let user =
                json!({"first_name": "P", "last_name": "Q", "email": format!("p{email}@example.test"), "role": role});
            send(app, Method::POST, "/chiefonboarding/api/users/", Some(&auth), user).await
        }
        Op::ChiefOffboard { user } => {
            let auth = app.auth("chiefonboarding", "admin").await;
            let body = json!({"user": user, "termination_date": "2030-01-10", "sequences": []});
            send(app, Method::POST, "/chiefonboarding/api/offboarding/", Some(&auth), body).await
        }
        Op::JoinupEmployee { email, operation, flexible, company } => {
            let auth = app.auth("joinup", "group_admin").await;
            let mut item = json!({"base_email": format!("e{email}@acme-iberia.test"), "name": "E",
                                  "operation": operations[usize::from(operation)], "flexible": flexible});
            merge(&mut item, &companies[usize::from(company)]);
            send(app, Method::POST, "/joinup/api/company/employees/", Some(&auth), json!([item])).await
        }
        Op::JoinupCostCenter { name, operation, company } => {
            let auth = app.auth("joinup", "group_admin").await;
            let mut item = json!({"name": format!("CC{name}"), "operation": operations[usize::from(operation)]});
            merge(&mut item, &companies[usize::from(company)]);
            send(app, Method::POST, "/joinup/api/company/cost-centers/", Some(&auth), json!([item])).await
        }
        Op::JustworksDeduction { amount } => {
            let auth = app.auth("justworks", "all_scopes").await;
            // Tokens expire as the clock moves: a 401 here is an answer like any other.
            let members = app.send(Method::GET, "/justworks/v1/members", Some(&auth), None).await;
            let members: Value = members.json().await.unwrap_or_default();
            let deduction = json!({"items": [{"operation_id": format!("op-{amount}"), "member_id": members["items"][0]["id"],
                "deduction_type_code": "health_insurance", "amount_type": "fixed", "amount": amount, "currency": "USD",
                "frequency": "every_paycheck", "start_date": "2026-02-01"}]});
            send(app, Method::POST, "/justworks/v1/deductions", Some(&auth), deduction).await
        }
        Op::DirectoryEmployee { n } => {
            let auth = app.auth("directory", "owner").await;
            let employee = json!({"name": format!("Prop {n}"), "email": format!("prop{n}@acme.test")});
            send(app, Method::POST, "/directory/api/v1/employee", Some(&auth), employee).await
        }
        Op::DirectoryGroup { n } => {
            let auth = app.auth("directory", "owner").await;
            let group = json!({"name": format!("G{n}"), "type": "TEAM", "description": "d"});
            send(app, Method::POST, "/directory/api/v1/group", Some(&auth), group).await
        }
        Op::OrquestEmployee { n } => {
            let auth = app.auth("orquest", "integration").await;
            let body = json!([element(&format!("90000{n}"))]);
            send(app, Method::PUT, "/orquest/api/v2/businesses/ACME/employees", Some(&auth), body).await
        }
        _ => (200, String::new()),
    }
}

fn merge(item: &mut Value, extra: &Value) {
    if let (Some(item), Some(extra)) = (item.as_object_mut(), extra.as_object()) {
        item.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
}

/// Each vendor's main read.
async fn reads(app: &TestApp) -> Vec<(u16, String)> {
    let mut answers = Vec::new();
    for (vendor, identity, path) in [
        ("chiefonboarding", "admin", "/chiefonboarding/api/employees/"),
        ("joinup", "group_admin", "/joinup/api/company/employees/"),
        ("justworks", "all_scopes", "/justworks/v1/deductions"),
        ("directory", "owner", "/directory/api/v1/employee"),
        ("orquest", "integration", "/orquest/api/v2/businesses/ACME/employees/900001"),
    ] {
        let auth = app.auth(vendor, identity).await;
        let response = app.send(Method::GET, path, Some(&auth), None).await;
        answers.push((response.status().as_u16(), response.text().await.unwrap_or_default()));
    }
    answers
}

async fn admin(app: &TestApp, method: Method, path: &str, body: Value) -> (u16, String) {
    send(app, method, path, None, body).await
}

async fn nearly_used_up(app: &TestApp) -> (u16, String) {
    let mut document = app.get_json("/__admin/snapshot", None, 200).await;
    // Raised, never lowered: a counter below an id in use is refused, rightly.
    let raise = |counter: &mut Value, to: u64| *counter = json!(counter.as_u64().unwrap_or_default().max(to));
    raise(&mut document["vendors"]["chiefonboarding"]["state"]["next_user_id"], 2_147_483_647);
    for counter in ["employee", "cost_center", "company"] {
        raise(&mut document["vendors"]["joinup"]["state"]["ids"][counter], 9_007_199_254_740_991);
    }
    let (status, body) = admin(app, Method::PUT, "/__admin/snapshot", document).await;
    if status != 200 {
        return (599, format!("counters one id from their end are refused: {body}"));
    }
    (status, body)
}

/// One step; every answer it got.
async fn step(app: &TestApp, op: &Op, sandboxes: &mut u32) -> Vec<(u16, String)> {
    let scenario = json!({"name": "prop", "rules": [{"when": {"vendor": "chiefonboarding", "method": "GET", "path": "/api/employees/"},
                          "fire": {"every": 2}, "then": {"error": "conflict"}}]});
    let answer = match op {
        Op::Reads => return reads(app).await,
        Op::Reset { some_vendors: true } => {
            admin(app, Method::POST, "/__admin/reset", json!({"vendors": ["chiefonboarding", "joinup"]})).await
        }
        Op::Reset { some_vendors: false } => admin(app, Method::POST, "/__admin/reset", json!({})).await,
        Op::Advance { seconds } => {
            admin(app, Method::POST, "/__admin/clock", json!({"advance_seconds": seconds})).await
        }
        Op::SetClock { at } => admin(app, Method::POST, "/__admin/clock", json!({"set": at})).await,
        Op::Freeze { frozen } => admin(app, Method::POST, "/__admin/clock", json!({"frozen": frozen})).await,
        Op::LoadScenario { active } => {
            admin(app, Method::POST, &format!("/__admin/scenarios?activate={active}"), scenario).await
        }
        Op::CreateSandbox { from_snapshot } => {
            *sandboxes += 1;
            let name = format!("prop-{sandboxes}");
            let body = if *from_snapshot {
                json!({"name": name, "snapshot": app.get_json("/__admin/snapshot", None, 200).await})
            } else {
                json!({"name": name, "seed": sandboxes})
            };
            admin(app, Method::POST, "/__admin/sandboxes", body).await
        }
        Op::NearlyUsedUpCounters => nearly_used_up(app).await,
        Op::RoundTrip => match round_trip(app, "default").await {
            Ok(()) => (200, String::new()),
            Err(problem) => (599, problem),
        },
        write => vendor_write(app, write).await,
    };
    vec![answer]
}

/// The invariant for one sandbox: its export is accepted by its own `PUT`, the next export is
/// the same (unless the clock runs: its `now` moves and due jobs run), and health answers.
async fn round_trip(app: &TestApp, sandbox: &str) -> Result<(), String> {
    let path = format!("/__admin/snapshot?sandbox={sandbox}");
    let export = || async {
        let response = app.execute(app.client.get(format!("{}{path}", app.base))).await;
        (response.status().as_u16(), response.bytes().await.unwrap_or_default())
    };
    let (status, first) = export().await;
    if status != 200 {
        return Err(format!("{sandbox}: export answered {status}"));
    }
    let document: Value = serde_json::from_slice(&first).map_err(|e| format!("{sandbox}: export is not JSON: {e}"))?;
    let put =
        app.client.put(format!("{}{path}", app.base)).header("Content-Type", "application/json").body(first.clone());
    let response = app.execute(put).await;
    let status = response.status().as_u16();
    if status != 200 {
        let body = response.text().await.unwrap_or_default();
        return Err(format!("{sandbox}: its own export is refused with {status}: {body:.500}"));
    }
    let (_, second) = export().await;
    let still = document["clock"]["frozen"] == true || document["clock"]["now"] == LATEST;
    if still && second != first {
        return Err(format!("{sandbox}: the export after the PUT differs from the one put"));
    }
    let health = app.get_json("/__admin/health", None, 200).await;
    if health["status"] != "ok" {
        return Err(format!("health: {health}"));
    }
    Ok(())
}

fn settings(snapshot: Option<PathBuf>) -> Settings {
    Settings { rate_limits: RateLimits::Off, snapshot, ..Settings::default() }
}

/// A start state with the fewest seeded records each vendor allows and a frozen clock, written
/// to a file: every case starts from it (`--snapshot`), so a round trip costs milliseconds.
async fn small_start() -> PathBuf {
    let app = spawn_with(settings(None)).await;
    for (vendor, patch) in [
        ("joinup", json!({"seed_employees": 5, "seed_cost_centers": 2})),
        ("directory", json!({"seed_employees": 13})),
        ("justworks", json!({"seed_members": 3})),
        ("orquest", json!({"seed_employees": 3})),
        ("chiefonboarding", json!({"seed_users": 4})),
    ] {
        app.admin_patch(&format!("/__admin/vendors/{vendor}/settings"), patch, 200).await;
    }
    app.admin_post("/__admin/clock", json!({"set": "2026-03-01T09:00:00Z", "frozen": true}), 200).await;
    let document = app.get_json("/__admin/snapshot", None, 200).await;
    let file = std::env::temp_dir().join(format!("hr-sandbox-property-{}.json", std::process::id()));
    std::fs::write(&file, serde_json::to_vec(&document).expect("json")).expect("written");
    file
}

async fn run_sequence(start: &Path, ops: &[Op]) -> Result<(), TestCaseError> {
    let app = spawn_with(settings(Some(start.to_owned()))).await;
    let mut sandboxes = 0;
    for op in ops {
        for (status, body) in step(&app, op, &mut sandboxes).await {
            acceptable(op, status, &body)?;
        }
    }
    let listed = app.get_json("/__admin/sandboxes", None, 200).await;
    let names: Vec<String> =
        listed.as_array().into_iter().flatten().filter_map(|s| s["name"].as_str().map(str::to_owned)).collect();
    for name in &names {
        round_trip(&app, name).await.map_err(TestCaseError::fail)?;
    }
    Ok(())
}

#[test]
fn any_sequence_of_writes_admin_actions_clock_moves_round_trips() {
    // Seed 1 found the clock running past 9999-12-31 before issue 24's fix.
    let seed = env_number("HR_SANDBOX_PROPERTY_SEED", 1);
    let cases = u32::try_from(env_number("HR_SANDBOX_PROPERTY_CASES", 24)).unwrap_or(24);
    let config = Config { cases, failure_persistence: None, max_shrink_iters: 200, ..Config::default() };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[seed.to_le_bytes(), [0; 8], [0; 8], [0; 8]].concat());
    let mut runner = TestRunner::new_with_rng(config, rng);
    let runtime = Runtime::new().expect("runtime");
    let start = runtime.block_on(small_start());
    let result =
        runner.run(&proptest::collection::vec(op(), 1..16), |ops| runtime.block_on(run_sequence(&start, &ops)));
    let _ = std::fs::remove_file(&start);
    if let Err(failure) = result {
        panic!("seed {seed}: {failure}");
    }
}

/// A number from the environment (to explore further: more cases, another seed), else `default`.
fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}
