//! The sandbox a recording is replayed against: one started in-process (seed 42, a free port),
//! or `--target`; optionally a fresh named sandbox on it (`--sandbox`), deleted afterwards.
//! Only its admin API and the vendor's prefix are used, over HTTP like any client.

use crate::settings::Settings;
use crate::startup::Application;
use actix_web::http::Method;
use bytes::Bytes;
use serde_json::{Value, json};
use std::time::Duration;

/// How long the target may take to answer one request.
const TIMEOUT: Duration = Duration::from_secs(60);
/// Largest answer body read from the target.
const ANSWER_LIMIT: usize = 64 * 1024 * 1024;

/// A reachable sandbox serving the recording's vendor.
pub struct Target {
    /// `http://HOST:PORT`, no trailing `/`.
    pub root: String,
    admin_token: Option<String>,
    /// The named sandbox replayed in, when `--sandbox` made one.
    pub sandbox: Option<String>,
    client: awc::Client,
}

/// An answer.
pub struct Got {
    /// Status.
    pub status: u16,
    /// Headers, lower-case names.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Bytes,
}

/// Starts a sandbox in this process (default seed, a free port on 127.0.0.1) and returns its
/// root URL; it serves until the process ends.
pub fn start_in_process() -> Result<String, String> {
    let settings = Settings { port: 0, workers: Some(1), ..Settings::default() };
    let app = Application::build(settings).map_err(|e| format!("starting the in-process sandbox: {e}"))?;
    let root = app.base_url();
    actix_web::rt::spawn(app.run_until_stopped());
    Ok(root)
}

impl Target {
    /// Checks the target answers and serves `vendor`, and creates the `sandbox` when named.
    pub async fn prepare(
        root: &str,
        admin_token: Option<String>,
        sandbox: Option<String>,
        vendor: &str,
    ) -> Result<Self, String> {
        let trust = crate::outbound::Trust::new(None)?;
        let connector = awc::Connector::new().rustls_0_23(trust.config());
        let client = awc::Client::builder().connector(connector).timeout(TIMEOUT).disable_redirects().finish();
        let mut target = Self { root: root.trim_end_matches('/').to_owned(), admin_token, sandbox: None, client };
        let health = target.admin(Method::GET, "/__admin/health", None).await?;
        let served: Vec<&str> =
            health["vendors"].as_array().map(|v| v.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        if !served.contains(&vendor) {
            return Err(format!(
                "the recording is of vendor '{vendor}', which {} does not serve (it serves: {})",
                target.root,
                served.join(", ")
            ));
        }
        if let Some(name) = sandbox {
            // Seed 42, the default, whatever the target's --seed: the same data as an in-process replay.
            target.admin(Method::POST, "/__admin/sandboxes", Some(json!({"name": name, "seed": 42}))).await?;
            target.sandbox = Some(name);
        }
        Ok(target)
    }

    /// The vendor's base URL on the target (the named sandbox's when there is one).
    pub fn vendor_base(&self, vendor: &str) -> String {
        match &self.sandbox {
            Some(name) => format!("{}/sandboxes/{name}/{vendor}", self.root),
            None => format!("{}/{vendor}", self.root),
        }
    }

    /// The vendor's identities from `GET /__admin/credentials`, in the order listed.
    pub async fn credentials(&self, vendor: &str) -> Result<Value, String> {
        let query = self.sandbox.as_ref().map(|name| format!("?sandbox={name}")).unwrap_or_default();
        let all = self.admin(Method::GET, &format!("/__admin/credentials{query}"), None).await?;
        Ok(all.get(vendor).cloned().unwrap_or(Value::Null))
    }

    /// The vendor's path templates from its OpenAPI document (empty when it has none).
    pub async fn templates(&self, vendor: &str) -> Vec<String> {
        let document = self.admin(Method::GET, &format!("/__admin/vendors/{vendor}/openapi"), None).await;
        document.ok().and_then(|d| d["paths"].as_object().map(|p| p.keys().cloned().collect())).unwrap_or_default()
    }

    /// Moves the sandbox's clock on by `seconds` (the time that passed at the vendor between two
    /// recorded exchanges).
    pub async fn advance_clock(&self, seconds: u64) -> Result<(), String> {
        let query = self.sandbox.as_ref().map(|name| format!("?sandbox={name}")).unwrap_or_default();
        let body = json!({"advance_seconds": seconds});
        self.admin(Method::POST, &format!("/__admin/clock{query}"), Some(body)).await.map(drop)
    }

    /// Deletes the sandbox `prepare` made.
    pub async fn finish(&self) -> Result<(), String> {
        match &self.sandbox {
            Some(name) => self.admin(Method::DELETE, &format!("/__admin/sandboxes/{name}"), None).await.map(drop),
            None => Ok(()),
        }
    }

    /// One admin call; anything but a 2xx is an error naming the answer.
    async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut headers = Vec::new();
        if let Some(token) = &self.admin_token {
            headers.push(("authorization".to_owned(), format!("Bearer {token}")));
        }
        let bytes = match &body {
            Some(body) => {
                headers.push(("content-type".to_owned(), "application/json".to_owned()));
                Bytes::from(body.to_string())
            }
            None => Bytes::new(),
        };
        let url = format!("{}{path}", self.root);
        let got = self.send(&method, &url, &headers, bytes).await?;
        if !(200..300).contains(&got.status) {
            return Err(format!(
                "{method} {url} answered {}: {}",
                got.status,
                String::from_utf8_lossy(&got.body).chars().take(300).collect::<String>()
            ));
        }
        Ok(serde_json::from_slice(&got.body).unwrap_or(Value::Null))
    }

    /// Sends one request; an unreachable target is an error.
    pub async fn send(
        &self,
        method: &Method,
        url: &str,
        headers: &[(String, String)],
        body: Bytes,
    ) -> Result<Got, String> {
        let mut request = self.client.request(method.clone(), url);
        for (name, value) in headers {
            request = request.append_header((name.as_str(), value.as_str()));
        }
        let unreachable = |e: String| format!("{method} {url}: the target did not answer: {e}");
        let mut answer = request.send_body(body).await.map_err(|e| unreachable(e.to_string()))?;
        let body = answer.body().limit(ANSWER_LIMIT).await.map_err(|e| unreachable(e.to_string()))?;
        let headers = answer
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        Ok(Got { status: answer.status().as_u16(), headers, body })
    }
}
