//! Spawning a sandbox on port 0 and talking to it like an integrator would.

use hr_sandbox::sandbox::SandboxRegistry;
use hr_sandbox::settings::Settings;
use hr_sandbox::startup::Application;
use reqwest::header::HeaderMap;
use reqwest::{Client, Method, RequestBuilder, Response, redirect};
use serde_json::{Map, Value, json};
use std::sync::{Arc, LazyLock};

/// Set (by `named_sandbox::every_vendor_test_passes_in_a_named_sandbox`) to run the suite
/// against a named sandbox instead of `default`.
pub const NAMED_SANDBOX_ENV: &str = "HR_SANDBOX_TEST_SANDBOX";

/// The id of every vendor the binary can serve, read from the one registry
/// (`hr_sandbox::vendors::registry`), so a new vendor needs no test list: its paths move into
/// the named sandbox and its test module runs there (`named_sandbox.rs`).
pub static VENDOR_IDS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| hr_sandbox::vendors::registry().iter().map(|vendor| vendor.id()).collect());

/// Whether `path` starts with a vendor's prefix (`/<id>`).
fn is_vendor_path(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else { return false };
    VENDOR_IDS.iter().any(|id| rest.starts_with(id))
}

/// A running server and a client for it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// A client that does not follow redirects (tests look at the 301s).
    pub client: Client,
    /// The named sandbox every vendor and admin path is sent to, when the suite runs in one.
    sandbox: Option<String>,
    /// The server's sandboxes: dropping the app fails the test if any request panicked.
    registry: Arc<SandboxRegistry>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let panics = self.registry.panics();
        if panics > 0 && !std::thread::panicking() {
            panic!("{panics} request(s) panicked on the server (answered with the vendor's 500); see the log");
        }
    }
}

/// A server with default settings (seed 42, all vendors) on a free port.
pub async fn spawn_app() -> TestApp {
    spawn_with(Settings::default()).await
}

/// A server with these settings, bound on 127.0.0.1 port 0 with one worker.
pub async fn spawn_with(settings: Settings) -> TestApp {
    let settings = Settings { host: "127.0.0.1".into(), port: 0, workers: Some(1), ..settings };
    let seed = settings.seed;
    let app = Application::build(settings).expect("server builds");
    let base = app.base_url();
    let registry = app.registry();
    tokio::spawn(app.run_until_stopped());
    let client = Client::builder().redirect(redirect::Policy::none()).build().expect("client builds");
    let sandbox = std::env::var(NAMED_SANDBOX_ENV).ok().filter(|name| !name.is_empty());
    if let Some(name) = &sandbox {
        let created = client
            .post(format!("{base}/__admin/sandboxes"))
            .json(&json!({"name": name, "seed": seed}))
            .send()
            .await
            .expect("sandbox created");
        assert_eq!(created.status(), 201, "POST /__admin/sandboxes");
    }
    TestApp { base, client, sandbox, registry }
}

impl TestApp {
    /// Absolute URL of a path on this server. When the suite runs in a named sandbox, vendor
    /// paths move under `/sandboxes/<name>` and admin paths get `?sandbox=<name>`.
    pub fn url(&self, path: &str) -> String {
        let Some(name) = &self.sandbox else { return format!("{}{path}", self.base) };
        if is_vendor_path(path) {
            return format!("{}/sandboxes/{name}{path}", self.base);
        }
        let scoped = path.starts_with("/__admin/") && !path.starts_with("/__admin/sandboxes");
        if scoped && !path.contains("sandbox=") {
            let joiner = if path.contains('?') { '&' } else { '?' };
            return format!("{}{path}{joiner}sandbox={name}", self.base);
        }
        format!("{}{path}", self.base)
    }

    /// A request to a path of this server (mapped as [`TestApp::url`] maps it).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// Sends a request. In a named sandbox the answer is mapped back: the sandbox's prefix is
    /// taken out of the body and headers, so tests assert what the bare prefix answers.
    pub async fn execute(&self, request: RequestBuilder) -> Response {
        let response = request.send().await.expect("request is answered");
        let Some(name) = &self.sandbox else { return response };
        let prefix = format!("/sandboxes/{name}/");
        let mut mapped = http::Response::builder().status(response.status());
        for (header, value) in response.headers() {
            let text = value.to_str().map(|v| v.replace(&prefix, "/"));
            let value = text.ok().and_then(|v| http::HeaderValue::from_str(&v).ok()).unwrap_or_else(|| value.clone());
            mapped = mapped.header(header, value);
        }
        let body = response.bytes().await.expect("body");
        let body = match std::str::from_utf8(&body) {
            Ok(text) => text.replace(&prefix, "/").into_bytes(),
            Err(_) => body.to_vec(),
        };
        Response::from(mapped.body(body).expect("mapped response"))
    }

    /// A request with optional `Authorization`.
    pub async fn send(&self, method: Method, path: &str, auth: Option<&str>, body: Option<Value>) -> Response {
        let mut request = self.request(method, path);
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.execute(request).await
    }

    /// `GET` as JSON, asserting the status.
    pub async fn get_json(&self, path: &str, auth: Option<&str>, status: u16) -> Value {
        let response = self.send(Method::GET, path, auth, None).await;
        assert_eq!(response.status().as_u16(), status, "GET {path}");
        response.json().await.expect("JSON body")
    }

    /// `POST` JSON to an admin route and return the JSON answer, asserting the status.
    pub async fn admin_post(&self, path: &str, body: Value, status: u16) -> Value {
        self.admin_json(Method::POST, path, body, status).await
    }

    /// `PATCH` JSON to an admin route (settings) and return the JSON answer, asserting the status.
    pub async fn admin_patch(&self, path: &str, body: Value, status: u16) -> Value {
        self.admin_json(Method::PATCH, path, body, status).await
    }

    async fn admin_json(&self, method: Method, path: &str, body: Value, status: u16) -> Value {
        let response = self.send(method.clone(), path, None, Some(body)).await;
        assert_eq!(response.status().as_u16(), status, "{method} {path}");
        let text = response.text().await.expect("body");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// Uploads a YAML scenario to `path` (`/__admin/scenarios`, maybe with a query); the answer.
    pub async fn post_scenario(&self, path: &str, yaml: impl Into<String>) -> Response {
        let request = self.request(Method::POST, path).header("Content-Type", "application/yaml").body(yaml.into());
        self.execute(request).await
    }

    /// Loads a shipped scenario (`scenarios/<name>.yaml`), asserting the 201.
    pub async fn load_shipped_scenario(&self, name: &str) {
        let file = std::fs::read_to_string(format!("scenarios/{name}.yaml")).expect("shipped file");
        assert_eq!(self.post_scenario("/__admin/scenarios", file).await.status(), 201, "{name}");
    }

    /// The ready `Authorization` value of a vendor identity, from `/__admin/credentials`.
    pub async fn auth(&self, vendor: &str, identity: &str) -> String {
        self.auth_in(vendor, identity, None).await
    }

    /// Same as [`TestApp::auth`], in a named sandbox.
    pub async fn auth_in(&self, vendor: &str, identity: &str, sandbox: Option<&str>) -> String {
        let path = match sandbox {
            Some(name) => format!("/__admin/credentials?sandbox={name}"),
            None => "/__admin/credentials".to_owned(),
        };
        let creds = self.get_json(&path, None, 200).await;
        creds[vendor][identity]["authorization"].as_str().expect("identity has an authorization").to_owned()
    }
}

/// One vendor as a test talks to it: paths relative to the vendor's prefix, callers named by
/// their `/__admin/credentials` identity or by a raw `Authorization` value. Every vendor folder
/// uses this one client.
pub struct VendorClient<'a> {
    app: &'a TestApp,
    vendor: &'static str,
}

impl TestApp {
    /// The client of one vendor, by its registry id (`joinup`, `chiefonboarding`, ...); an id the
    /// registry does not hold fails the test instead of sending to a prefix nobody serves.
    pub fn vendor(&self, vendor: &'static str) -> VendorClient<'_> {
        assert!(VENDOR_IDS.contains(&vendor), "{vendor:?} is not a registered vendor: {:?}", *VENDOR_IDS);
        VendorClient { app: self, vendor }
    }
}

impl VendorClient<'_> {
    /// `/<vendor>` + a vendor path.
    pub fn path(&self, path: &str) -> String {
        format!("/{}{path}", self.vendor)
    }

    /// The ready `Authorization` value of one of the vendor's identities.
    pub async fn auth(&self, identity: &str) -> String {
        self.app.auth(self.vendor, identity).await
    }

    /// A request with a raw `Authorization` value (or none); the whole response.
    pub async fn send(&self, method: Method, path: &str, auth: Option<&str>, body: Option<Value>) -> Response {
        self.app.send(method, &self.path(path), auth, body).await
    }

    /// A request as an identity; the whole response.
    pub async fn send_as(&self, method: Method, path: &str, identity: &str, body: Option<Value>) -> Response {
        let auth = self.auth(identity).await;
        self.send(method, path, Some(&auth), body).await
    }

    /// A request with a raw `Authorization` value; the status and the JSON body (`null` when
    /// there is none).
    pub async fn call_with(&self, method: Method, path: &str, auth: &str, body: Option<Value>) -> (u16, Value) {
        status_and_json(self.send(method, path, Some(auth), body).await).await
    }

    /// A request as an identity; the status and the JSON body (`null` when there is none).
    pub async fn call(&self, method: Method, path: &str, identity: &str, body: Option<Value>) -> (u16, Value) {
        status_and_json(self.send_as(method, path, identity, body).await).await
    }

    /// A form POST (`application/x-www-form-urlencoded`) without credentials.
    pub async fn form(&self, path: &str, pairs: &[(&str, &str)]) -> Response {
        let body = serde_urlencoded::to_string(pairs).expect("form");
        let request = self
            .app
            .request(Method::POST, &self.path(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body);
        self.app.execute(request).await
    }

    /// A raw body with an optional `Content-Type`, as an identity.
    pub async fn send_raw(
        &self,
        path: &str,
        identity: &str,
        content_type: Option<&str>,
        body: impl Into<reqwest::Body>,
    ) -> Response {
        let auth = self.auth(identity).await;
        let mut request = self.app.request(Method::POST, &self.path(path)).header("Authorization", auth).body(body);
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        self.app.execute(request).await
    }
}

async fn status_and_json(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Status, the named headers and the body (JSON when it parses, else text) of a response, for
/// snapshots.
pub async fn exchange(response: Response, headers: &[&str]) -> Value {
    let status = response.status().as_u16();
    let picked = pick_headers(response.headers(), headers);
    let text = response.text().await.expect("body");
    let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    json!({"status": status, "headers": picked, "body": body})
}

fn pick_headers(all: &HeaderMap, names: &[&str]) -> Value {
    let map: Map<String, Value> = names
        .iter()
        .map(|name| {
            let value = all.get(*name).and_then(|v| v.to_str().ok()).map_or(Value::Null, |v| json!(v));
            ((*name).to_owned(), value)
        })
        .collect();
    Value::Object(map)
}

/// Waits for a started binary that must exit by itself: its status once it has, or the test
/// fails naming `what` (the child is killed) after `limit`.
pub fn exit_within(
    child: &mut std::process::Child,
    limit: std::time::Duration,
    what: &str,
) -> std::process::ExitStatus {
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("waits") {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
