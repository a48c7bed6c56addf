//! `GET /__admin/scenarios/schema`: the scenario file format as a JSON Schema. Every file the
//! loader accepts (the shipped ones, the docs' scenarios page's, a corpus of every form) passes it, and the
//! refusals it can say (unknown kinds, two outcomes, unknown keys) fail it as they fail the load.

use crate::helpers::{TestApp, VENDOR_IDS, spawn_app};
use hr_sandbox::scenario::fault::KINDS;
use serde_json::Value;
use std::path::PathBuf;

/// The schema as the server serves it.
async fn served_schema(app: &TestApp) -> Value {
    app.get_json("/__admin/scenarios/schema", None, 200).await
}

/// A YAML or JSON scenario text as the JSON value the schema is checked against.
fn as_json(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("YAML: {e}\n{text}"))
}

/// The schema's errors for a file, as `message at path` lines.
fn schema_errors(schema: &Value, text: &str) -> Vec<String> {
    let validator = jsonschema::draft202012::new(schema).expect("a valid JSON Schema");
    validator.iter_errors(&as_json(text)).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

/// Every `enum` list in the schema, wherever it sits.
fn enums(schema: &Value, out: &mut Vec<Vec<String>>) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::Array(list)) = map.get("enum") {
                out.push(list.iter().filter_map(Value::as_str).map(str::to_owned).collect());
            }
            map.values().for_each(|v| enums(v, out));
        }
        Value::Array(list) => list.iter().for_each(|v| enums(v, out)),
        _ => {}
    }
}

fn has_enum(schema: &Value, wanted: &[&str]) -> bool {
    let mut found = Vec::new();
    enums(schema, &mut found);
    found.iter().any(|list| list == wanted)
}

/// Files the loader accepts, one form of each field at least.
const ACCEPTED: &[&str] = &[
    "name: faults\nrules:\n  - when: {vendor: chiefonboarding}\n    then: {fault: connection_reset}\n  - when: {vendor: '*'}\n    then: {fault: empty_reply}\n  - when: {vendor: joinup}\n    then: {fault: truncated_body}\n  - when: {vendor: orquest}\n    then: {fault: timeout}\n",
    "name: holds\nrules:\n  - when: {vendor: '*'}\n    then: {fault: {kind: timeout, hold: 2s}}\n  - when: {vendor: '*'}\n    then: {fault: {kind: timeout, hold: 1500}}\n  - when: {vendor: '*'}\n    then: {fault: {kind: connection_reset, hold: ' 1.5 s '}}\n  - when: {vendor: '*'}\n    then: {fault: {kind: empty_reply}}\n",
    "name: errors\nrules:\n  - when: {vendor: '*', method: post, path: /api/users/, query: {page: '2'}, headers: {X-Test: boom}, body_contains: '@fail.test'}\n    fire: {after: 1, every: 2, times: 10, probability: 0.5, window: {start_after_s: 0, duration_s: 60}}\n    then: {error: {kind: conflict, message: busy, status: 409, headers: {Retry-After: '5'}}, delay: 1500ms}\n  - when: {vendor: '*', path: '/api/**/x*'}\n    then: {error: gateway_timeout, delay: {min: 100ms, max: 2s}}\n  - when: {vendor: '*'}\n    then: {delay: {median: 200ms, p99: 1h}}\n  - when: {vendor: '*'}\n    then: {error: {kind: conflict, extra: ignored}}\n",
    "name: responses\ndescription: raw answers\nrules:\n  - when: {vendor: '*'}\n    then: {response: {status: 200, headers: {X-A: b}, body: {a: [1, 2]}}}\n  - when: {vendor: '*'}\n    then: {response: {status: 503, body_text: down}}\n  - when: {vendor: '*'}\n    then: {response: {status: 204}}\n  - when: {vendor: '*'}\n    then: {response: {status: 200, body: null, body_text: x}, fault: null}\n  - when: {vendor: '*'}\n    then: {delay: 3600000}\n",
    "name: items\nrules:\n  - when: {vendor: orquest, method: POST}\n    then: {item_error: {where: {id: '9*'}, message: locked, status: 409}}\n",
    "{\"name\": \"as-json\", \"rules\": [{\"when\": {\"vendor\": \"directory\"}, \"then\": {\"fault\": {\"kind\": \"timeout\", \"hold\": \"30s\"}}}]}",
];

/// Files the loader refuses for what the schema also says.
const REFUSED: &[&str] = &[
    "name: x\nrules:\n  - when: {vendor: '*'}\n    then: {fault: lightning}\n",
    "name: x\nrules:\n  - when: {vendor: '*'}\n    then: {fault: {kind: timeout, wait: 2s}}\n",
    "name: x\nrules:\n  - when: {vendor: '*'}\n    then: {error: teapot}\n",
    "name: x\nrules:\n  - when: {vendor: workday}\n    then: {error: conflict}\n",
    "name: x\nrules:\n  - when: {vendor: '*'}\n    then: {error: conflict, fault: empty_reply}\n",
    "name: x\nrules:\n  - when: {vendor: '*'}\n    then: {}\n",
    "name: x\nrulez: []\n",
    "name: x\nrules: []\n",
    "name: schema\nrules:\n  - when: {vendor: '*'}\n    then: {error: conflict}\n",
    "name: x\nrules:\n  - when: {vendor: '*', path: 'api/**'}\n    then: {error: conflict}\n",
    "name: x\nrules:\n  - when: {vendor: '*', path: '/a**'}\n    then: {error: conflict}\n",
    "name: x\nrules:\n  - when: {vendor: '*'}\n    fire: {every: 0}\n    then: {error: conflict}\n",
    "name: x\nrules:\n  - when: {vendor: '*'}\n    then: {response: {status: 101}}\n",
    "name: x\nrules:\n  - when: {vendor: '*'}\n    then: {error: {kind: conflict, status: 204}}\n",
    "name: x\nrules:\n  - when: {vendor: '*'}\n    then: {delay: soon}\n",
];

#[tokio::test]
async fn scenario_schema_is_json_schema_media_type() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/__admin/scenarios/schema")).send().await.expect("answer");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/schema+json");
    let schema: Value = response.json().await.expect("JSON");
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
}

#[tokio::test]
async fn scenario_schema_lists_the_fault_kinds() {
    let schema = served_schema(&spawn_app().await).await;
    let kinds: Vec<&str> = KINDS.iter().map(|(name, _)| *name).collect();
    assert!(kinds.contains(&"connection_reset") && kinds.contains(&"timeout"), "{kinds:?}");
    assert!(has_enum(&schema, &kinds), "{schema}");
}

#[tokio::test]
async fn scenario_schema_lists_the_error_kinds() {
    let schema = served_schema(&spawn_app().await).await;
    let kinds = [
        "bad_request",
        "unauthorized",
        "forbidden",
        "not_found",
        "conflict",
        "not_acceptable",
        "payload_too_large",
        "unprocessable",
        "rate_limited",
        "internal",
        "unavailable",
        "gateway_timeout",
    ];
    assert!(has_enum(&schema, &kinds), "{schema}");
}

#[tokio::test]
async fn scenario_schema_lists_the_served_vendors() {
    let schema = served_schema(&spawn_app().await).await;
    let wanted: Vec<&str> = VENDOR_IDS.iter().copied().chain(["*"]).collect();
    assert!(has_enum(&schema, &wanted), "{schema}");
}

#[tokio::test]
async fn scenario_schema_admits_every_shipped_scenario() {
    let schema = served_schema(&spawn_app().await).await;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("scenarios/") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("readable");
        let errors = schema_errors(&schema, &text);
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        checked += 1;
    }
    assert!(checked >= 8, "the shipped files were found");
}

/// The first line of every shipped file: the YAML language server (VS Code, Neovim, Helix)
/// completes and checks the file with the schema a server on the default port serves.
const SCHEMA_MODELINE: &str = "# yaml-language-server: $schema=http://127.0.0.1:8080/__admin/scenarios/schema";

#[tokio::test]
async fn shipped_scenarios_name_the_served_schema_for_editors() {
    let app = spawn_app().await;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for entry in std::fs::read_dir(&dir).expect("scenarios/") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("readable");
        assert_eq!(text.lines().next(), Some(SCHEMA_MODELINE), "{}", path.display());
    }
    // The modeline's path is the route that serves the schema, not a stale copy of it.
    let route = SCHEMA_MODELINE.split("127.0.0.1:8080").nth(1).expect("a path after the port");
    assert_eq!(served_schema(&app).await, app.get_json(route, None, 200).await);
}

#[tokio::test]
async fn scenario_schema_admits_the_documented_examples() {
    let schema = served_schema(&spawn_app().await).await;
    // Every page of the docs site, so a scenario shown on any page is held to the schema.
    let mut pages = Vec::new();
    let mut dirs = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).expect("docs/") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                pages.push((path.display().to_string(), std::fs::read_to_string(&path).expect("readable")));
            }
        }
    }
    let mut shown = 0;
    for (name, page) in &pages {
        let examples = page.split("```yaml\n").skip(1).filter_map(|block| block.split("```").next());
        for example in examples.filter(|block| block.contains("rules:")) {
            let errors = schema_errors(&schema, example);
            assert!(errors.is_empty(), "{name}: {errors:?}\n{example}");
            shown += 1;
        }
    }
    assert!(shown > 0, "docs/scenarios.md shows a scenario");
}

#[tokio::test]
async fn scenario_schema_admits_every_form_the_loader_accepts() {
    let app = spawn_app().await;
    let schema = served_schema(&app).await;
    for text in ACCEPTED {
        let loaded = app.post_scenario("/__admin/scenarios", *text).await;
        assert_eq!(loaded.status(), 201, "the loader accepts it: {}\n{text}", loaded.text().await.unwrap_or_default());
        let errors = schema_errors(&schema, text);
        assert!(errors.is_empty(), "{errors:?}\n{text}");
    }
}

/// The scenario texts the test sources write as plain literals (`"name: ...rules:..."`, no
/// format placeholders), unescaped.
fn scenarios_in_tests() -> Vec<String> {
    let mut files = Vec::new();
    let mut dirs = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/api")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).expect("tests/api") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(std::fs::read_to_string(path).expect("readable"));
            }
        }
    }
    let mut found = Vec::new();
    for source in files {
        for start in source.match_indices("\"name: ").map(|(i, _)| i + 1) {
            let mut text = String::new();
            let mut chars = source[start..].chars();
            while let Some(c) = chars.next() {
                match (c, c == '\\') {
                    ('"', _) => break,
                    (_, true) => match chars.next() {
                        Some('n') => text.push('\n'),
                        Some(other) => text.push(other),
                        None => break,
                    },
                    _ => text.push(c),
                }
            }
            if text.contains("rules:") && !text.contains("{{") && !text.contains("{}") {
                found.push(text);
            }
        }
    }
    found
}

#[tokio::test]
async fn scenario_schema_admits_every_scenario_the_tests_load() {
    let app = spawn_app().await;
    let schema = served_schema(&app).await;
    let mut admitted = 0;
    for text in scenarios_in_tests() {
        let loaded = app.post_scenario("/__admin/scenarios?activate=false", text.clone()).await;
        if loaded.status() != 201 {
            continue;
        }
        let errors = schema_errors(&schema, &text);
        assert!(errors.is_empty(), "{errors:?}\n{text}");
        admitted += 1;
        // Names repeat across tests, and a sandbox holds 64 scenarios.
        let name = loaded.json::<Value>().await.expect("JSON")["name"].as_str().unwrap_or_default().to_owned();
        let _ = app.request(reqwest::Method::DELETE, &format!("/__admin/scenarios/{name}")).send().await;
    }
    assert!(admitted >= 20, "the tests' scenarios were found ({admitted})");
}

#[tokio::test]
async fn scenario_schema_refuses_what_the_loader_refuses() {
    let app = spawn_app().await;
    let schema = served_schema(&app).await;
    for text in REFUSED {
        assert_eq!(app.post_scenario("/__admin/scenarios", *text).await.status(), 400, "the loader refuses it: {text}");
        assert!(!schema_errors(&schema, text).is_empty(), "the schema admits it:\n{text}");
    }
}

#[tokio::test]
async fn scenario_schema_is_in_the_admin_openapi_document() {
    let app = spawn_app().await;
    let document = app.get_json("/__admin/openapi", None, 200).await;
    let operation = &document["paths"]["/scenarios/schema"]["get"];
    assert_eq!(operation["operationId"], "scenarioSchema", "{document}");
    assert!(operation["responses"]["200"]["content"]["application/schema+json"].is_object(), "{operation}");
}
