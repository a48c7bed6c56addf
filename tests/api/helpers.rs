//! Spawning a sandbox on port 0 and talking to it like an integrator would.

use hr_sandbox::settings::Settings;
use hr_sandbox::startup::Application;
use reqwest::header::HeaderMap;
use reqwest::{Client, Method, Response, redirect};
use serde_json::{Map, Value, json};

/// A running server and a client for it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// A client that does not follow redirects (tests look at the 301s).
    pub client: Client,
}

/// A server with default settings (seed 42, all vendors) on a free port.
pub async fn spawn_app() -> TestApp {
    spawn_with(Settings::default()).await
}

/// A server with these settings, bound on 127.0.0.1 port 0 with one worker.
pub async fn spawn_with(settings: Settings) -> TestApp {
    let settings = Settings { host: "127.0.0.1".into(), port: 0, workers: Some(1), ..settings };
    let app = Application::build(settings).expect("server builds");
    let base = app.base_url();
    tokio::spawn(app.run_until_stopped());
    let client = Client::builder().redirect(redirect::Policy::none()).build().expect("client builds");
    TestApp { base, client }
}

impl TestApp {
    /// Absolute URL of a path on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request with optional `Authorization`.
    pub async fn send(&self, method: Method, path: &str, auth: Option<&str>, body: Option<Value>) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request is answered")
    }

    /// `GET` as JSON, asserting the status.
    pub async fn get_json(&self, path: &str, auth: Option<&str>, status: u16) -> Value {
        let response = self.send(Method::GET, path, auth, None).await;
        assert_eq!(response.status().as_u16(), status, "GET {path}");
        response.json().await.expect("JSON body")
    }

    /// `POST` JSON to an admin route and return the JSON answer, asserting the status.
    pub async fn admin_post(&self, path: &str, body: Value, status: u16) -> Value {
        let response = self.send(Method::POST, path, None, Some(body)).await;
        assert_eq!(response.status().as_u16(), status, "POST {path}");
        let text = response.text().await.expect("body");
        serde_json::from_str(&text).unwrap_or(Value::Null)
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
