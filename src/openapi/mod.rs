//! OpenAPI 3.1 documents of what the sandbox serves (`GET /__admin/vendors/{id}/openapi`,
//! `GET /__admin/openapi`, Justworks' own `GET /v1/docs`).
//!
//! The paths of a document are the routes the API actually mounts, noted while its
//! configuration runs (`common::routing::served_by`); each is described by the API's table of
//! [`Op`]s. A mounted route without an `Op`, or an `Op` naming no mounted route, fails
//! `tests/api/openapi.rs`, so the document cannot drift from what is served.

pub mod schema;

use actix_web::http::Method;
use serde_json::{Map, Value, json};

/// A schema, built when a document is.
pub type Schema = fn() -> Value;

/// One API: its metadata, security, error shape and operations.
pub struct Api {
    /// `info.title`.
    pub title: &'static str,
    /// `info.version`: the vendor API version emulated.
    pub version: &'static str,
    /// `info.description`: what is emulated, and each documented divergence.
    pub description: &'static str,
    /// `components.securitySchemes`, given the server URL (OAuth URLs are absolute).
    pub security_schemes: fn(&str) -> Value,
    /// The security requirement of an operation needing `scope` (empty: any valid credential).
    pub requirement: fn(&str) -> Value,
    /// The vendor's one error body.
    pub error: Schema,
    /// Whether a 401 carries `WWW-Authenticate`.
    pub challenges: bool,
    /// Statuses the vendor answers with an HTML page, not its JSON error (Django's 404 and 500).
    pub html_errors: &'static [u16],
    /// The schema of the path parameter `name` of `path` (a UUID where the vendor parses one).
    pub path_param: fn(path: &str, name: &str) -> Value,
    /// Every operation.
    pub operations: &'static [Op],
}

/// Who may call an operation.
#[derive(Debug, Clone, Copy)]
pub enum Auth {
    /// Anyone.
    Public,
    /// A valid credential holding this scope (`""`: any valid credential).
    Scope(&'static str),
}

/// One operation: method and path as mounted, and what it takes and answers.
pub struct Op {
    /// `get`, `post`, ...
    pub method: &'static str,
    /// The mounted path, relative to the API's base (`{name}` segments are path parameters).
    pub path: &'static str,
    /// `operationId`.
    pub id: &'static str,
    /// `summary`, in the vendor's words where it has them.
    pub summary: &'static str,
    /// Who may call it.
    pub auth: Auth,
    /// Query parameters.
    pub query: &'static [Param],
    /// The request body, when it takes one (`required`).
    pub body: Option<Schema>,
    /// The body's media type: JSON, or a form (`application/x-www-form-urlencoded`).
    pub body_media: &'static str,
    /// The success status.
    pub ok: u16,
    /// The success body (`Value::Null`: no body).
    pub answer: Schema,
    /// The success body's media types.
    pub media: &'static [&'static str],
    /// Every other status it may answer (besides 405, which every path may).
    pub errors: &'static [u16],
    /// Whether its errors are HTML pages for a person (a consent page's), not the error body.
    pub page_errors: bool,
    /// What a client can call next with what this answered (OpenAPI links: create, then read).
    pub links: &'static [Link],
    /// Other answers that are not errors, with their own bodies (a failed verification's 422).
    pub also: &'static [(u16, Schema)],
    /// The vendor's rules across fields or records that a schema cannot state ("contracts: to is
    /// not before from"): a body the schema admits may still get the vendor's 400 naming one.
    /// Written to the document as `x-hr-sandbox-rules`; the contract test reads it there.
    pub rules: &'static [&'static str],
}

/// An OpenAPI link from an operation's success: `operation` called with `parameter` taken from
/// `expression` (`$response.body#/id`, `$request.path.business`).
pub struct Link {
    /// The operation called next.
    pub operation: &'static str,
    /// Its parameter.
    pub parameter: &'static str,
    /// Where the value comes from.
    pub expression: &'static str,
}

/// A query parameter.
pub struct Param {
    /// Its name.
    pub name: &'static str,
    /// Its schema.
    pub schema: Schema,
    /// Whether it must be sent.
    pub required: bool,
}

impl Param {
    /// An optional parameter.
    pub const fn optional(name: &'static str, schema: Schema) -> Self {
        Self { name, schema, required: false }
    }

    /// A required parameter.
    pub const fn required(name: &'static str, schema: Schema) -> Self {
        Self { name, schema, required: true }
    }
}

impl Op {
    /// An operation answering `ok` with `answer`, no parameters or body, no errors yet.
    pub const fn new(method: &'static str, path: &'static str, id: &'static str, summary: &'static str) -> Self {
        Self {
            method,
            path,
            id,
            summary,
            auth: Auth::Scope(""),
            query: &[],
            body: None,
            body_media: "application/json",
            ok: 200,
            answer: schema::object,
            media: &["application/json"],
            errors: &[],
            page_errors: false,
            links: &[],
            also: &[],
            rules: &[],
        }
    }

    /// Other answers with their own bodies (see [`Op::also`]).
    pub const fn also(self, also: &'static [(u16, Schema)]) -> Self {
        Self { also, ..self }
    }

    /// Its rules beyond the schema (see [`Op::rules`]).
    pub const fn rules(self, rules: &'static [&'static str]) -> Self {
        Self { rules, ..self }
    }

    /// Who may call it.
    pub const fn auth(self, auth: Auth) -> Self {
        Self { auth, ..self }
    }

    /// Its query parameters.
    pub const fn query(self, query: &'static [Param]) -> Self {
        Self { query, ..self }
    }

    /// Its JSON body.
    pub const fn body(self, body: Schema) -> Self {
        Self { body: Some(body), ..self }
    }

    /// Its form body (`application/x-www-form-urlencoded`, as OAuth's endpoints take).
    pub const fn form(self, body: Schema) -> Self {
        Self { body: Some(body), body_media: "application/x-www-form-urlencoded", ..self }
    }

    /// Its success status and body.
    pub const fn answers(self, ok: u16, answer: Schema) -> Self {
        Self { ok, answer, ..self }
    }

    /// Its success body, at the status it has.
    pub const fn returns(self, answer: Schema) -> Self {
        Self { answer, ..self }
    }

    /// The success body's media types, when not JSON (a page, a YAML document).
    pub const fn media(self, media: &'static [&'static str]) -> Self {
        Self { media, ..self }
    }

    /// What a client can call next with its answer.
    pub const fn links(self, links: &'static [Link]) -> Self {
        Self { links, ..self }
    }

    /// Its errors are HTML pages for a person.
    pub const fn pages(self) -> Self {
        Self { page_errors: true, ..self }
    }

    /// The other statuses it may answer.
    pub const fn errors(self, errors: &'static [u16]) -> Self {
        Self { errors, ..self }
    }
}

/// The document of `api` at `server` (the absolute base URL) for the `served` routes, from the
/// sandbox's data in `examples`: path parameter examples (by name), [`schema::seeded`] values
/// (`enum:<kind>`, `schema:<kind>`), and the request and success bodies of an operation
/// (`body:<operationId>`, `answer:<operationId>`).
pub fn document(api: &Api, server: &str, served: &[(Method, String)], examples: &Map<String, Value>) -> Value {
    let mut paths = Map::new();
    for (method, path) in served {
        let lower = method.as_str().to_ascii_lowercase();
        let Some(op) = api.operations.iter().find(|op| op.method == lower && op.path == path) else { continue };
        let item = paths.entry(path.clone()).or_insert_with(|| json!({}));
        item[lower.as_str()] = operation(api, op, examples);
    }
    let mut document = json!({
        "openapi": "3.1.0",
        "info": {"title": api.title, "version": api.version, "description": api.description},
        "servers": [{"url": server}],
        "paths": paths,
        "components": {
            "securitySchemes": (api.security_schemes)(server),
            "schemas": {"Error": (api.error)()},
        },
    });
    fill_seeded(&mut document, examples);
    document
}

/// Fills each [`schema::SEEDED`] mark from `examples`: `enum:<kind>` (the ids the sandbox
/// holds) becomes the schema's `enum`, `schema:<kind>` (bounds from its clock) is merged in.
fn fill_seeded(value: &mut Value, examples: &Map<String, Value>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(kind)) = map.remove(schema::SEEDED) {
                if let Some(Value::Array(ids)) = examples.get(&format!("enum:{kind}"))
                    && !ids.is_empty()
                {
                    map.insert("enum".into(), Value::Array(ids.clone()));
                    map.insert(
                        "description".into(),
                        json!(format!("One of this sandbox's {kind} (when the document was served)")),
                    );
                }
                if let Some(Value::Object(bounds)) = examples.get(&format!("schema:{kind}")) {
                    map.extend(bounds.clone());
                }
            }
            map.values_mut().for_each(|v| fill_seeded(v, examples));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| fill_seeded(v, examples)),
        _ => {}
    }
}

/// The operations of `api` no served route answers, and the served routes `api` does not
/// describe: both empty when the document and the mounted routes agree.
pub fn differences(api: &Api, served: &[(Method, String)]) -> (Vec<String>, Vec<String>) {
    let key = |method: &str, path: &str| format!("{} {path}", method.to_ascii_uppercase());
    let served_keys: Vec<String> = served.iter().map(|(m, p)| key(m.as_str(), p)).collect();
    let described: Vec<String> = api.operations.iter().map(|op| key(op.method, op.path)).collect();
    let unserved = described.iter().filter(|d| !served_keys.contains(d)).cloned().collect();
    let undescribed = served_keys.iter().filter(|s| !described.contains(s)).cloned().collect();
    (unserved, undescribed)
}

fn operation(api: &Api, op: &Op, examples: &Map<String, Value>) -> Value {
    let mut parameters: Vec<Value> = op
        .path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| {
            let mut parameter =
                json!({"name": name, "in": "path", "required": true, "schema": (api.path_param)(op.path, name)});
            if let Some(example) = examples.get(name) {
                parameter["examples"] = json!({"seeded": {"summary": "from this sandbox's data", "value": example}});
            }
            parameter
        })
        .collect();
    parameters.extend(
        op.query.iter().map(|p| json!({"name": p.name, "in": "query", "required": p.required, "schema": (p.schema)()})),
    );
    let mut responses = Map::new();
    let answer = (op.answer)();
    let mut success = json!({"description": reason(op.ok)});
    if answer.is_null() {
        // Without `content` a 2xx reads as "undocumented"; say that the answer really is empty.
        success["description"] = Value::from(format!("{}: the answer has no body", reason(op.ok)));
    } else {
        let content: Map<String, Value> =
            op.media.iter().map(|m| ((*m).to_owned(), json!({"schema": answer}))).collect();
        success["content"] = Value::Object(content);
    }
    if !op.links.is_empty() {
        let links: Map<String, Value> = op
            .links
            .iter()
            .map(|l| {
                (l.operation.to_owned(), json!({"operationId": l.operation, "parameters": {l.parameter: l.expression}}))
            })
            .collect();
        success["links"] = Value::Object(links);
    }
    if let (Some(example), Some(Value::Object(content))) =
        (examples.get(&format!("answer:{}", op.id)), success.get_mut("content"))
    {
        content.values_mut().for_each(|media| media["example"] = example.clone());
    }
    responses.insert(op.ok.to_string(), success);
    let mut errors: Vec<u16> = op.errors.to_vec();
    if let Auth::Scope(_) = op.auth {
        errors.push(401);
    }
    errors.push(405);
    errors.sort_unstable();
    errors.dedup();
    for status in errors {
        responses.insert(status.to_string(), error_response(api, status, op.page_errors));
    }
    for (status, body) in op.also {
        responses.insert(
            status.to_string(),
            json!({"description": reason(*status), "content": {"application/json": {"schema": body()}}}),
        );
    }
    let mut operation = json!({
        "operationId": op.id,
        "summary": op.summary,
        "parameters": parameters,
        "responses": responses,
    });
    match op.auth {
        Auth::Public => operation["security"] = json!([]),
        Auth::Scope(scope) => operation["security"] = (api.requirement)(scope),
    }
    if !op.rules.is_empty() {
        operation["x-hr-sandbox-rules"] = json!(op.rules);
    }
    if let Some(body) = op.body {
        let mut media = json!({"schema": body()});
        if let Some(example) = examples.get(&format!("body:{}", op.id)) {
            media["example"] = example.clone();
        }
        operation["requestBody"] = json!({"required": true, "content": {op.body_media: media}});
    }
    operation
}

fn error_response(api: &Api, status: u16, page: bool) -> Value {
    if (300..400).contains(&status) {
        return json!({"description": reason(status),
            "headers": {"Location": {"description": "Where to go", "schema": {"type": "string"}}}});
    }
    let content = if page || api.html_errors.contains(&status) {
        json!({"text/html": {"schema": {"type": "string"}}})
    } else {
        json!({"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}})
    };
    let mut response = json!({"description": reason(status), "content": content});
    let header = |description: &str, schema: Value| json!({"description": description, "schema": schema});
    match status {
        429 => response["headers"] = json!({"Retry-After": header("Seconds to wait", json!({"type": "string"}))}),
        405 => {
            response["headers"] = json!({"Allow": header("The methods the path answers", json!({"type": "string"}))})
        }
        401 if api.challenges => {
            response["headers"] =
                json!({"WWW-Authenticate": header("The scheme to authenticate with", json!({"type": "string"}))});
        }
        _ => {}
    }
    response
}

fn reason(status: u16) -> &'static str {
    actix_web::http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Answer")
}

/// `value` as YAML (`?format=yaml`).
pub fn yaml(value: &Value) -> Result<String, String> {
    serde_saphyr::to_string(value).map_err(|e| e.to_string())
}
