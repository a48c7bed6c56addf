//! `GET /__admin/vendors/{id}/openapi` and `GET /__admin/openapi`: the OpenAPI 3.1 documents of
//! each emulated vendor (its `servers` the sandbox's own prefix, from the request's host) and of
//! the admin API itself (table below), JSON or `?format=yaml`.

use super::context::{Admin, AdminResult, sandbox};
use super::error::AdminError;
use super::model::{ActiveScenarios, ClockRequest, CreateSandbox, ResetRequest};
use crate::common::routing;
use crate::openapi::schema::{self, record};
use crate::openapi::{self, Api, Auth, Link, Op, Param};
use crate::sandbox::DEFAULT_SANDBOX;
use crate::scenario::matcher::MAX_GLOB_CHARS;
use crate::scenario::model::{ScenarioFile, WhenSpec};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// `?sandbox=&format=`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentQuery {
    sandbox: Option<String>,
    format: Option<String>,
}

/// `GET /__admin/vendors/{id}/openapi`.
pub async fn vendor(
    admin: Admin,
    id: web::Path<String>,
    query: web::Query<DocumentQuery>,
    req: HttpRequest,
) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let vendor = admin.registry.vendors().iter().find(|v| v.id() == id.as_str());
    let vendor = vendor.ok_or_else(|| AdminError::not_found(format!("no vendor '{id}' is served")))?;
    let api = vendor.api().ok_or_else(|| AdminError::not_found(format!("vendor '{id}' has no OpenAPI document")))?;
    let prefix =
        if sandbox.name() == DEFAULT_SANDBOX { String::new() } else { format!("/sandboxes/{}", sandbox.name()) };
    let base = format!("{}{prefix}/{id}", origin(&req));
    let served = routing::served_by(|cfg| vendor.configure(cfg));
    let examples = super::context::store(&sandbox, vendor.id())
        .map(|store| vendor.examples(Arc::clone(store), sandbox.clock.now()))
        .unwrap_or_default();
    answer(openapi::document(api, &base, &served, &examples), query.format.as_deref())
}

/// `GET /__admin/openapi`: the document of the admin routes `configure` mounts, naming the
/// vendors this server serves (`--vendors`).
pub fn admin(
    admin: &Admin,
    configure: fn(&mut web::ServiceConfig),
    query: &DocumentQuery,
    req: &HttpRequest,
) -> AdminResult {
    let served = routing::served_by(configure);
    let vendors: Value = admin.registry.vendors().iter().map(|v| json!(v.id())).collect();
    let examples =
        serde_json::Map::from_iter([("name".to_owned(), json!(DEFAULT_SANDBOX)), ("enum:vendors".to_owned(), vendors)]);
    answer(openapi::document(&ADMIN, &format!("{}/__admin", origin(req)), &served, &examples), query.format.as_deref())
}

/// `scheme://host` as the client addressed this server (forwarded headers only when trusted: the
/// app strips them otherwise).
fn origin(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

fn answer(document: Value, format: Option<&str>) -> AdminResult {
    match format.unwrap_or("json") {
        "json" => Ok(HttpResponse::Ok().json(document)),
        "yaml" => {
            let text = openapi::yaml(&document).map_err(AdminError::internal)?;
            Ok(HttpResponse::Ok().content_type("application/yaml").body(text))
        }
        other => Err(AdminError::bad_request(format!("format must be json or yaml, not '{other}'"))),
    }
}

const DOCUMENT: &[&str] = &["application/json", "application/yaml"];
const SANDBOX: &[Param] = &[Param::optional("sandbox", schema::string)];
const DOC: &[Param] = &[Param::optional("sandbox", schema::string), Param::optional("format", doc_format)];
const JOURNAL: &[Param] = &[
    Param::optional("sandbox", schema::string),
    Param::optional("vendor", schema::string),
    Param::optional("direction", direction),
    Param::optional("method", schema::string),
    Param::optional("path", path_filter),
    Param::optional("status", status),
    Param::optional("limit", count),
];

const fn read(path: &'static str, id: &'static str, summary: &'static str) -> Op {
    Op::new("get", path, id, summary).auth(Auth::Scope("")).query(SANDBOX).errors(&[400, 404])
}

const fn write(method: &'static str, path: &'static str, id: &'static str, summary: &'static str) -> Op {
    Op::new(method, path, id, summary).query(SANDBOX).body(schema::object).errors(&[400, 404, 413, 415])
}

/// The admin API's table.
pub static ADMIN: Api = Api {
    title: "hr-sandbox admin API",
    version: env!("CARGO_PKG_VERSION"),
    description: "Reset, inspect, isolate and drive the sandbox: credentials, state and settings per \
        vendor, the request journal and verification over it, sandboxes, the clock, scenarios, \
        snapshots, these documents and the QA console. Local by default: loopback hosts only \
        (--admin-hosts), no pages of other sites, JSON writes; with --admin-token every route but the \
        console's pages needs `Authorization: Bearer <token>`.",
    security_schemes: |_| json!({"AdminToken": {"type": "http", "scheme": "bearer", "description": "Only with --admin-token"}}),
    requirement: |_| json!([{}, {"AdminToken": []}]),
    error,
    challenges: true,
    html_errors: &[],
    path_param: crate::openapi::schema::segment,
    operations: &[
        Op::new("get", "/health", "health", "Health, version, seed, vendors").answers(200, health),
        read("/credentials", "credentials", "Credentials per vendor and identity"),
        write("post", "/reset", "reset", "Back to the start state").body(reset),
        read("/vendors", "vendors", "Vendors and their record counts").answers(200, schema::objects),
        read("/vendors/{id}/state", "vendorState", "A vendor's full state"),
        read("/vendors/{id}/settings", "vendorSettings", "A vendor's switches"),
        write("patch", "/vendors/{id}/settings", "patchVendorSettings", "Change a vendor's switches")
            .rules(&["the fields are the switches of the vendor the path names (GET its settings)"]),
        write("post", "/vendors/{id}/{action}", "vendorAction", "A vendor's admin action")
            .errors(&[400, 404, 413, 415, 502]),
        read("/vendors/{id}/openapi", "vendorOpenapi", "A vendor's OpenAPI document").query(DOC).media(DOCUMENT),
        Op::new("get", "/openapi", "adminOpenapi", "This document")
            .query(&[Param::optional("format", doc_format)])
            .media(DOCUMENT)
            .errors(&[400]),
        Op::new("get", "/requests", "journal", "The journal, newest last")
            .query(JOURNAL)
            .answers(200, schema::objects)
            .errors(&[400, 404]),
        Op::new("delete", "/requests", "clearJournal", "Empty the journal")
            .query(SANDBOX)
            .answers(204, schema::none)
            .errors(&[400, 404]),
        write("post", "/requests/find", "findRequests", "Journal entries a matcher accepts")
            .body(find)
            .rules(MATCHER_RULES),
        write("post", "/requests/verify", "verifyRequests", "Assert a count of matching requests")
            .body(verify)
            .rules(MATCHER_RULES)
            .answers(200, verification)
            .also(&[(422, verification)])
            .errors(&[400, 404, 413, 415]),
        read("/requests/unmatched", "unmatchedRequests", "Calls no emulated operation answered"),
        Op::new("get", "/sandboxes", "listSandboxes", "Every sandbox").answers(200, schema::objects),
        Op::new("post", "/sandboxes", "createSandbox", "Create a sandbox (from a seed, a snapshot or another sandbox)")
            .body(create_sandbox)
            .rules(&[
                "snapshot is a document GET /snapshot gave (see putSnapshot)",
                "from names an existing sandbox (404 otherwise); its current state is copied",
                "at (rewind) needs --state-dir: without it, 400",
            ])
            .answers(201, schema::object)
            .links(&[
                Link { operation: "getSandbox", parameter: "name", expression: "$response.body#/name" },
                Link { operation: "deleteSandbox", parameter: "name", expression: "$response.body#/name" },
            ])
            .errors(&[400, 404, 409, 413, 415]),
        Op::new("get", "/sandboxes/{name}", "getSandbox", "One sandbox").errors(&[404]),
        Op::new("delete", "/sandboxes/{name}", "deleteSandbox", "Delete a sandbox")
            .answers(204, schema::none)
            .rules(&["the default sandbox cannot be deleted"])
            .errors(&[400, 404]),
        read("/clock", "clock", "The sandbox clock").answers(200, clock),
        write("post", "/clock", "setClock", "Freeze, set or advance the clock")
            .body(set_clock)
            .rules(&["the clock stays between the years 1970 and 9999"])
            .answers(200, clock),
        read("/workforce", "workforce", "The workforce's settings, counts and pending events"),
        write("patch", "/workforce", "patchWorkforce", "Change the workforce's rates, sharing and vendors")
            .body(workforce_patch)
            .rules(&["rates are 0 to 100 per month per 100 active people", "vendors are served vendors' ids"]),
        read("/workforce/people", "workforcePeople", "The workforce's people, in hiring order").query(&[
            Param::optional("sandbox", schema::string),
            Param::optional("status", person_status),
            Param::optional("offset", count),
            Param::optional("limit", page),
        ]),
        read("/workforce/events", "workforceEvents", "The workforce's event log, oldest first").query(&[
            Param::optional("sandbox", schema::string),
            Param::optional("after", count),
            Param::optional("kind", event_kind),
            Param::optional("limit", page),
        ]),
        write("post", "/workforce/events", "addWorkforceEvent", "Apply a workforce event now or at a date")
            .body(workforce_event)
            .rules(&["person names a person of the workforce", "effective_at is not before the sandbox clock"])
            .answers(201, schema::object)
            // An event dated later waits for the sandbox clock.
            .also(&[(202, schema::object)]),
        read("/snapshot", "getSnapshot", "The sandbox's whole state as a document")
            .query(&[Param::optional("sandbox", schema::string), Param::optional("journal", schema::boolean)]),
        write("put", "/snapshot", "putSnapshot", "Replace the sandbox's state with a document").rules(&[
            "the document is one GET /snapshot gave: format hr-sandbox-snapshot, version 1, each vendor's records \
             whole and referring only to records the document holds",
        ]),
        read("/scenarios", "scenarios", "Loaded scenarios").answers(200, schema::objects),
        Op::new("post", "/scenarios", "loadScenario", "Load a scenario (YAML or JSON text)")
            .query(&[
                Param::optional("sandbox", schema::string),
                Param::optional("activate", schema::boolean),
                Param::optional("name", schema::string),
            ])
            .body(scenario_file)
            .rules(&[
                "when.vendor is a vendor's id or *",
                "then.error's kind is one the vendor renders; then holds one outcome besides delay",
                "durations read as 1500ms, 2s or a number of milliseconds",
                "a name not loaded yet",
            ])
            .answers(201, schema::object)
            .errors(&[400, 404, 409, 413, 415]),
        write("put", "/scenarios/active", "activateScenarios", "The active scenarios, in order")
            .body(active_scenarios)
            .answers(200, schema::objects)
            .rules(&["names are loaded scenarios"]),
        Op::new("delete", "/scenarios/active", "deactivateScenarios", "Deactivate every scenario")
            .query(SANDBOX)
            .answers(204, schema::none)
            .errors(&[400, 404]),
        Op::new("get", "/scenarios/shipped", "shippedScenarios", "Scenario files of --scenarios-dir")
            .answers(200, schema::objects),
        Op::new("get", "/scenarios/schema", "scenarioSchema", "The scenario file format as a JSON Schema")
            .answers(200, schema::object)
            .media(&[super::scenarios::SCHEMA_MEDIA_TYPE]),
        Op::new("delete", "/scenarios/{name}", "unloadScenario", "Unload a scenario")
            .query(SANDBOX)
            .answers(204, schema::none)
            .errors(&[400, 404]),
        Op::new("get", "/ui", "console", "The QA console")
            .auth(Auth::Public)
            .answers(200, schema::string)
            .media(&["text/html"]),
        Op::new("get", "/ui/{page}", "consolePage", "A page of the QA console")
            .auth(Auth::Public)
            .answers(200, schema::string)
            .media(&["text/html"])
            .errors(&[404]),
        Op::new("get", "/ui/assets/{file}", "consoleAsset", "The console's script or style sheet")
            .auth(Auth::Public)
            .answers(200, schema::string)
            .media(&["text/javascript", "text/css"])
            .errors(&[404]),
    ],
};

fn error() -> Value {
    record(
        json!({"error": record(json!({"code": {"type": "string"}, "message": {"type": "string"}}), &["code", "message"])}),
        &["error"],
    )
}

fn doc_format() -> Value {
    json!({"type": "string", "enum": ["json", "yaml"]})
}

fn direction() -> Value {
    json!({"type": "string", "enum": ["inbound", "outbound"]})
}

/// The journal's `path` filter: a glob within the matchers' budget.
fn path_filter() -> Value {
    json!({"type": "string", "maxLength": MAX_GLOB_CHARS})
}

fn status() -> Value {
    json!({"type": "integer", "minimum": 0, "maximum": u16::MAX})
}

/// `limit`: read into a `usize`.
fn count() -> Value {
    json!({"type": "integer", "minimum": 0, "maximum": usize::MAX})
}

fn health() -> Value {
    record(
        json!({"status": {"type": "string"}, "version": {"type": "string"}, "seed": {"type": "integer"}, "vendors": {"type": "array"},
            "state_dir": {"type": "string", "description": "where state is kept (--state-dir); absent: memory only"}}),
        &["status"],
    )
}

fn clock() -> Value {
    record(json!({"now": {"type": "string"}, "frozen": {"type": "boolean"}}), &["now", "frozen"])
}

/// What a matcher of find and verify may not state in its schema.
const MATCHER_RULES: &[&str] = &["when.vendor is a vendor's id or *"];

// The bodies are the serde types the handlers read, their schemas derived (schema::of).

fn reset() -> Value {
    let mut reset = schema::of::<ResetRequest>();
    reset["properties"]["vendors"]["items"] = schema::seeded("vendors", json!({"type": "string"}));
    reset
}

fn create_sandbox() -> Value {
    schema::of::<CreateSandbox>()
}

fn set_clock() -> Value {
    schema::of::<ClockRequest>()
}

fn workforce_patch() -> Value {
    schema::of::<super::workforce::WorkforcePatch>()
}

fn workforce_event() -> Value {
    schema::of::<super::workforce::EventRequest>()
}

fn person_status() -> Value {
    json!({"type": "string", "enum": ["active", "terminated"]})
}

fn event_kind() -> Value {
    json!({"type": "string", "enum": ["hire", "change", "termination_scheduled", "termination_canceled", "termination", "rehire"]})
}

/// A page's `limit`.
fn page() -> Value {
    json!({"type": "integer", "minimum": 1, "maximum": super::workforce::MAX_PAGE})
}

fn active_scenarios() -> Value {
    schema::of::<ActiveScenarios>()
}

fn scenario_file() -> Value {
    schema::of::<ScenarioFile>()
}

/// A matcher (a scenario's `when`) with the entry's `status` and `direction`.
fn find() -> Value {
    let mut matcher = schema::of::<WhenSpec>();
    // `vendor` defaults to `*` here.
    matcher["required"] = json!([]);
    matcher["properties"]["status"] = json!({"type": "integer", "minimum": 100, "maximum": 999});
    matcher["properties"]["direction"] = direction();
    matcher
}

/// A verification's answer: 200 when the count holds, 422 (with the near misses) when not.
fn verification() -> Value {
    record(
        json!({"ok": {"type": "boolean"}, "count": {"type": "integer", "minimum": 0}, "expected": {"type": "object"},
               "near_misses": {"type": "array"}, "evicted": {"type": "integer"}, "evicted_note": {"type": "string"}}),
        &["ok", "count"],
    )
}

/// [`find`]'s matcher and the count wanted: `count`, or `at_least` and/or `at_most`.
fn verify() -> Value {
    let mut matcher = find();
    let count = json!({"type": "integer", "minimum": 0});
    for name in ["count", "at_least", "at_most"] {
        matcher["properties"][name] = count.clone();
    }
    matcher["anyOf"] = json!([{"required": ["count"]}, {"required": ["at_least"]}, {"required": ["at_most"]}]);
    matcher
}
