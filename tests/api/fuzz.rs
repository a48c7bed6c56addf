//! Property tests: random JSON values, depths, numbers and strings thrown at every write route
//! of every vendor and at the admin API. No answer may be a 5xx other than the vendor-faithful
//! ones listed in docs/limits.md (Django's 500 page on the two DRF vendors), no connection may drop,
//! and no request may panic (the `TestApp` drop check).

use crate::helpers::{TestApp, spawn_with};
use hr_sandbox::settings::{RateLimits, Settings};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestRunner};
use reqwest::Method;
use serde_json::{Map, Value, json};
use tokio::runtime::Runtime;

/// One write route: its method, path, the identity that calls it and a valid body to mutate.
struct Route {
    method: Method,
    path: &'static str,
    template: Value,
}

fn route(method: Method, path: &'static str, template: Value) -> Route {
    Route { method, path, template }
}

/// Numbers and strings that have broken parsers and arithmetic before.
fn hostile_leaf() -> impl Strategy<Value = Value> {
    let numbers = [
        json!(0),
        json!(-1),
        json!(1.5),
        json!(-0.0),
        json!(1e13),
        json!(1e308),
        json!(-1e308),
        json!(2_147_483_648_i64),
        json!(i64::MIN),
        json!(i64::MAX),
        json!(u64::MAX),
    ];
    let strings = [
        "",
        " ",
        "javascript:alert(1)",
        "../../etc/passwd",
        "\u{0}",
        "%00",
        "9999-12-31",
        "0000-00-00",
        "2026-02-30",
        "24:00",
        "a@b",
        "NaN",
        "null",
        "-1",
        "1e309",
        "é\u{202e}😀",
        "<script>",
        "*",
        "http://127.0.0.1:1/",
        "ACME",
    ];
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter("JSON numbers are finite", |f| f.is_finite()).prop_map(Value::from),
        proptest::sample::select(numbers.to_vec()),
        proptest::sample::select(strings.to_vec()).prop_map(Value::from),
        "\\PC{0,24}".prop_map(Value::from),
        (1usize..20_000).prop_map(|n| Value::from("x".repeat(n))),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    hostile_leaf().prop_recursive(4, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("[a-zA-Z_]{1,12}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// What is sent: the template with one place replaced, a whole random value, or raw bytes.
#[derive(Debug, Clone)]
enum Body {
    Mutated(Index, Value),
    Whole(Value),
    Raw(Vec<u8>),
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        6 => (any::<Index>(), any_json()).prop_map(|(at, value)| Body::Mutated(at, value)),
        2 => any_json().prop_map(Body::Whole),
        1 => (1usize..200_000).prop_map(|depth| Body::Raw("[".repeat(depth).into_bytes())),
        1 => proptest::collection::vec(any::<u8>(), 0..64).prop_map(Body::Raw),
    ]
}

/// Every place in a JSON value (the root included), as paths of keys and indexes.
fn places(value: &Value, here: Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(here.clone());
    let children: Vec<(Value, &Value)> = match value {
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (json!(i), v)).collect(),
        Value::Object(map) => map.iter().map(|(k, v)| (json!(k), v)).collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        let mut path = here.clone();
        path.push(key);
        places(child, path, out);
    }
}

fn replace(target: &mut Value, path: &[Value], new: Value) {
    let Some((first, rest)) = path.split_first() else {
        *target = new;
        return;
    };
    let child = match (target, first) {
        (Value::Array(items), Value::Number(i)) => items.get_mut(i.as_u64().unwrap_or(0) as usize),
        (Value::Object(map), Value::String(key)) => map.get_mut(key),
        _ => None,
    };
    if let Some(child) = child {
        replace(child, rest, new);
    }
}

fn bytes_of(template: &Value, body: &Body) -> Vec<u8> {
    match body {
        Body::Mutated(at, value) => {
            let mut all = Vec::new();
            places(template, Vec::new(), &mut all);
            let mut mutated = template.clone();
            replace(&mut mutated, &all[at.index(all.len())], value.clone());
            serde_json::to_vec(&mutated).unwrap_or_default()
        }
        Body::Whole(value) => serde_json::to_vec(value).unwrap_or_default(),
        Body::Raw(bytes) => bytes.clone(),
    }
}

/// What one fuzzing run sends: its routes and the `Authorization` they carry.
type Plan = (Vec<Route>, Option<String>);

/// Throws `cases` random bodies at the routes `plan` builds (it may read seeded ids), checking
/// first that each unmutated template is accepted, so the mutations reach past validation.
fn fuzz(cases: u32, plan: impl FnOnce(&TestApp, &Runtime) -> Plan, faithful_500: &str) {
    let runtime = Runtime::new().expect("runtime");
    let app = runtime.block_on(spawn_with(Settings { rate_limits: RateLimits::Off, ..Settings::default() }));
    let (routes, auth) = plan(&app, &runtime);
    for route in &routes {
        let answer = runtime.block_on(async {
            let mut request = app.request(route.method.clone(), route.path).json(&route.template);
            if let Some(auth) = &auth {
                request = request.header("Authorization", auth.as_str());
            }
            let response = request.send().await.expect("answered");
            (response.status().as_u16(), response.text().await.unwrap_or_default())
        });
        assert!(answer.0 < 300, "the template of {} {} is refused: {answer:?}", route.method, route.path);
    }
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let strategy = (0..routes.len(), body());
    let result = runner.run(&strategy, |(index, body)| {
        let route = &routes[index];
        let bytes = bytes_of(&route.template, &body);
        let (status, text) = runtime.block_on(async {
            let mut request =
                app.request(route.method.clone(), route.path).header("Content-Type", "application/json").body(bytes);
            if let Some(auth) = &auth {
                request = request.header("Authorization", auth.as_str());
            }
            let response = request.send().await.map_err(|e| TestCaseError::fail(format!("no answer: {e}")))?;
            let status = response.status().as_u16();
            Ok::<_, TestCaseError>((status, response.text().await.unwrap_or_default()))
        })?;
        let faithful = !faithful_500.is_empty() && status == 500 && text == faithful_500;
        prop_assert!(status < 500 || faithful, "{} {} answered {status}: {text:.300}", route.method, route.path);
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    runtime.block_on(async {
        assert_eq!(app.get_json("/__admin/health", None, 200).await["status"], "ok");
    });
}

fn identity(app: &TestApp, runtime: &Runtime, vendor: &str, who: &str) -> Option<String> {
    Some(runtime.block_on(app.auth(vendor, who)))
}

const DJANGO_500: &str = "<h1>Server Error (500)</h1>";

#[test]
fn joinup_write_routes_survive_random_bodies() {
    let employee = json!([{"base_email": "x@acme-iberia.test", "name": "X", "surname": "Y", "operation": "onboarding",
                           "company_name": "Acme Iberia SL", "company_cif": "B12345674", "start_date": "2026-01-01"}]);
    let routes = vec![
        route(Method::POST, "/joinup/api/company/employees/", employee),
        route(
            Method::POST,
            "/joinup/api/company/cost-centers/",
            json!([{"name": "X", "operation": "onboarding", "company_name": "Acme Iberia SL"}]),
        ),
    ];
    fuzz(800, |app, runtime| (routes, identity(app, runtime, "joinup", "group_admin")), DJANGO_500);
}

#[test]
fn chiefonboarding_write_routes_survive_random_bodies() {
    let user = json!({"first_name": "James", "last_name": "Weller", "email": "james@chiefonboarding.com", "phone": "",
                      "position": "Lead", "language": "en", "message": "", "start_day": "2020-12-04", "buddy": 4,
                      "timezone": "UTC", "sequences": [3], "role": 0});
    let routes = vec![
        route(Method::POST, "/chiefonboarding/api/users/", user),
        route(
            Method::POST,
            "/chiefonboarding/api/offboarding/",
            json!({"user": "4", "termination_date": "2030-01-10", "sequences": [4, 7]}),
        ),
    ];
    fuzz(800, |app, runtime| (routes, identity(app, runtime, "chiefonboarding", "admin")), DJANGO_500);
}

#[test]
fn justworks_write_routes_survive_random_bodies() {
    let plan = |app: &TestApp, runtime: &Runtime| {
        let state = runtime.block_on(app.get_json("/__admin/vendors/justworks/state", None, 200));
        let (member, policy) = (state["members"][0]["id"].clone(), state["policies"][0]["id"].clone());
        let balances =
            json!({"member_id": member, "policy_id": policy, "as_of_date": {"year": 2025, "month": 12, "day": 31}});
        (justworks_routes(balances), identity(app, runtime, "justworks", "all_scopes"))
    };
    fuzz(800, plan, "");
}

fn justworks_routes(balances: Value) -> Vec<Route> {
    let deduction = json!({"items": [{"operation_id": "op-1", "member_id": "member_x", "deduction_type_code": "health_insurance",
        "description": "Dental", "amount_type": "fixed", "amount": 2500, "currency": "USD", "frequency": "every_paycheck",
        "start_date": "2026-02-01", "end_date": "2026-12-31"}]});
    vec![
        route(Method::POST, "/justworks/v1/deductions", deduction),
        route(
            Method::PUT,
            "/justworks/v1/deductions",
            json!({"items": [{"operation_id": "op-4", "deduction_id": "d", "amount": 3000}]}),
        ),
        route(Method::PATCH, "/justworks/v1/deductions/cancel", json!({"deduction_ids": ["d"]})),
        route(Method::POST, "/justworks/v1/time-off/balances", balances),
    ]
}

#[test]
fn directory_write_routes_survive_random_bodies() {
    let routes = vec![
        route(
            Method::POST,
            "/directory/api/v1/employee",
            json!({"name": "X", "email": "x@acme.test", "title": "T", "managers": []}),
        ),
        route(Method::POST, "/directory/api/v1/group", json!({"name": "X", "type": "TEAM", "description": "d"})),
        route(Method::POST, "/directory/api/v1/organization/keys", json!({"name": "k", "limitToRole": "ADMIN"})),
        route(Method::PATCH, "/directory/api/v1/organization", json!({"name": "X", "alias": "x"})),
        route(Method::POST, "/directory/api/v1/organization", json!({"name": "Other", "alias": "other"})),
        route(
            Method::PATCH,
            "/directory/api/v1/organization/profile",
            json!({"mission": "More robots", "countryCode": "US"}),
        ),
        route(Method::POST, "/directory/api/v1/account", json!({"email": "x@acme.test", "name": "X"})),
        route(
            Method::POST,
            "/directory/api/v1/organization/by-app-secret/slack/xoxb",
            json!({"secret": "xoxb-acme-0001"}),
        ),
    ];
    fuzz(800, |app, runtime| (routes, identity(app, runtime, "directory", "owner")), "");
}

#[test]
fn orquest_write_routes_survive_random_bodies() {
    let element = crate::orquest::element("900001");
    let mut with_user = element.clone();
    with_user["user"] = json!({"username": "u", "email": "u@acme.test", "nodes": [10], "roles": ["Manager"]});
    let simple = json!({"name": "Ana", "surname": "Test", "employeeId": "900002", "email": "a@acme.test"});
    let incidence = json!({"lag": 0, "business": "ACME", "employeeId": "810001", "incidences": [
        {"type": "TRAINING", "initTime": "09:30", "endTime": "18:00", "workedMinutes": 480, "from": "2026-03-02", "to": "2026-03-02"}]});
    let contracts = json!({"business": "ACME", "ignoreConstraints": false, "contracts": [{"from": "2026-01-01", "regularMinutes": 2400, "personCategory": "DE125"}]});
    let routes = vec![
        route(Method::PUT, "/orquest/api/v2/businesses/ACME/employees", json!([with_user])),
        route(Method::PUT, "/orquest/api/v2/businesses/ACME/employees/900001", element),
        route(Method::PUT, "/orquest/api/v1/businesses/ACME/import/simple/employees", json!([simple])),
        route(Method::PUT, "/orquest/api/v2/businesses/ACME/employees/810001/contracts", contracts),
        route(Method::POST, "/orquest/api/v1/import/incidences", incidence),
    ];
    fuzz(800, |app, runtime| (routes, identity(app, runtime, "orquest", "integration")), "");
}

#[test]
fn admin_write_routes_survive_random_bodies() {
    let hook = json!({"url": "http://127.0.0.1:1/hook", "domains": ["acme.test"], "timeout_seconds": 1});
    let app = json!({"client_id": "fz", "client_secret": "s", "name": "Fuzz", "redirect_uris": ["https://fz.example/cb"],
                     "scopes": ["company.basic:read"], "logo_url": "https://fz.example/l.png"});
    let scenario = json!({"name": "fz", "rules": [{"when": {"vendor": "chiefonboarding", "path": "/api/**"},
                          "fire": {"times": 1, "after": 0}, "then": {"error": "conflict"}}]});
    let routes = vec![
        route(Method::POST, "/__admin/reset", json!({"seed": 7, "vendors": ["chiefonboarding"]})),
        route(
            Method::POST,
            "/__admin/clock",
            json!({"advance_seconds": 60, "frozen": true, "set": "2030-01-01T00:00:00Z"}),
        ),
        route(Method::POST, "/__admin/sandboxes", json!({"name": "fz", "seed": 1})),
        route(
            Method::PATCH,
            "/__admin/vendors/joinup/settings",
            json!({"bulk_processing_seconds": 5, "signup_hooks": {"group_admin": hook}, "docs_token": "group_admin"}),
        ),
        route(
            Method::PATCH,
            "/__admin/vendors/justworks/settings",
            json!({"balance_report_seconds": 3, "auto_approve": true}),
        ),
        route(Method::PATCH, "/__admin/vendors/chiefonboarding/settings", json!({"api_access": true})),
        route(Method::POST, "/__admin/vendors/joinup/tokens", json!({"identity": "group_admin", "expires_in": 60})),
        route(
            Method::POST,
            "/__admin/vendors/directory/tokens",
            json!({"account": "dana.lee@acme.test", "expires_in": 60}),
        ),
        route(Method::POST, "/__admin/vendors/chiefonboarding/tokens", json!({"user_id": 1})),
        route(Method::POST, "/__admin/vendors/justworks/apps", app),
        route(Method::POST, "/__admin/vendors/joinup/signups", json!({"email": "nora@acme.test"})),
        route(Method::POST, "/__admin/scenarios?activate=false", scenario),
        route(Method::PUT, "/__admin/scenarios/active", json!({"names": []})),
    ];
    fuzz(1000, |_, _| (routes, None), "");
}

/// Query parameter names the vendors read, and a few they do not.
const QUERY_NAMES: [&str; 24] = [
    "page",
    "page_size",
    "limit",
    "cursor",
    "ordering",
    "status",
    "start_date",
    "end_date",
    "updated_at_gt",
    "updated_at_lt",
    "from",
    "to",
    "size",
    "sort",
    "name",
    "email",
    "enabled",
    "member_id",
    "type",
    "format",
    "offset",
    "enabled_date__gte",
    "company_cif",
    "deduction_type",
];

fn query_value() -> impl Strategy<Value = String> {
    prop_oneof![
        hostile_leaf().prop_map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)),
        Just("99999999999999999999999".to_owned()),
        Just("-9223372036854775808".to_owned()),
        "\\PC{0,30}",
    ]
}

#[test]
fn list_routes_of_every_vendor_survive_random_query_strings() {
    // (path, vendor, identity)
    let routes = [
        ("/joinup/api/company/employees/", "joinup", "group_admin"),
        ("/joinup/api/company/cost-centers/", "joinup", "group_admin"),
        ("/justworks/v1/members", "justworks", "all_scopes"),
        ("/justworks/v1/payrolls", "justworks", "all_scopes"),
        ("/justworks/v1/deductions", "justworks", "all_scopes"),
        ("/justworks/v1/time-off/requests", "justworks", "all_scopes"),
        ("/justworks/v1/docs", "justworks", "all_scopes"),
        ("/directory/api/v1/employee", "directory", "owner"),
        ("/directory/api/v1/group", "directory", "owner"),
        ("/directory/api/v1/account", "directory", "owner"),
        ("/orquest/api/v1/businesses/ACME/users", "orquest", "integration"),
        ("/orquest/api/v2/businesses/ACME/services/C14/employees/between", "orquest", "integration"),
        ("/chiefonboarding/api/employees/", "chiefonboarding", "admin"),
        ("/chiefonboarding/api/sequences/", "chiefonboarding", "admin"),
    ];
    let runtime = Runtime::new().expect("runtime");
    let app = runtime.block_on(spawn_with(Settings { rate_limits: RateLimits::Off, ..Settings::default() }));
    let creds = runtime.block_on(app.get_json("/__admin/credentials", None, 200));
    let mut runner = TestRunner::new(Config { cases: 1500, failure_persistence: None, ..Config::default() });
    let pairs = proptest::collection::vec((proptest::sample::select(QUERY_NAMES.to_vec()), query_value()), 0..4);
    let result = runner.run(&(0..routes.len(), pairs), |(index, pairs)| {
        let (path, vendor, identity) = routes[index];
        let auth = creds[vendor][identity]["authorization"].as_str().unwrap_or_default().to_owned();
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        let (status, text) = runtime.block_on(async {
            let request = app.request(Method::GET, &format!("{path}?{query}")).header("Authorization", auth);
            let response = request.send().await.map_err(|e| TestCaseError::fail(format!("no answer: {e}")))?;
            let status = response.status().as_u16();
            Ok::<_, TestCaseError>((status, response.text().await.unwrap_or_default()))
        })?;
        prop_assert!(status < 500, "GET {path}?{query} answered {status}: {text:.300}");
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}
