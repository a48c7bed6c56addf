//! The safety net: a panic while answering becomes the vendor's own 500, journaled with its
//! message, and the connection stays up. Driven through a throwaway vendor whose one route panics.

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hr_sandbox::common::error::ApiError;
use hr_sandbox::common::problem::Problem;
use hr_sandbox::journal::JournalFilter;
use hr_sandbox::pipeline::front::Front;
use hr_sandbox::pipeline::vendor_scope::{self, Mount};
use hr_sandbox::sandbox::{SandboxRegistry, SandboxSetup};
use hr_sandbox::vendor::{ActionOutcome, Swap, Vendor, VendorStore};
use serde_json::{Value, json};
use std::net::TcpListener;
use std::sync::Arc;

struct Panicky;

struct NoState;

impl VendorStore for NoState {
    fn reset(&self, _: u64) {}
    fn counts(&self) -> Value {
        json!({})
    }
    fn state(&self) -> Value {
        json!({})
    }
    fn credentials(&self) -> Value {
        json!({})
    }
    fn settings(&self) -> Value {
        json!({})
    }
    fn update_settings(&self, _: &Value, _: &hr_sandbox::outbound::ThisServer) -> Result<Value, ApiError> {
        Ok(json!({}))
    }
    fn export(&self) -> Value {
        json!({})
    }
    fn check_part(&self, _: &serde_json::value::RawValue) -> Result<(), Problem> {
        Ok(())
    }
    fn restore(&self, _: &Value, _: u64) -> Result<Swap<'_>, Problem> {
        Ok(Box::new(|| {}))
    }
    fn admin_action(&self, _: &str, _: &Value, _: chrono::DateTime<chrono::Utc>) -> Result<ActionOutcome, ApiError> {
        Ok(ActionOutcome::Done(json!({})))
    }
}

impl Vendor for Panicky {
    fn id(&self) -> &'static str {
        "panicky"
    }
    fn display_name(&self) -> &'static str {
        "Panicky"
    }
    fn build_store(&self, _: u64) -> Arc<dyn VendorStore> {
        Arc::new(NoState)
    }
    fn configure(&self, cfg: &mut web::ServiceConfig) {
        cfg.route("/boom", web::get().to(|| async { panic!("the handler blew up") as HttpResponse }));
        cfg.route("/fine", web::get().to(|| async { HttpResponse::Ok().body("fine") }));
    }
    fn render(&self, err: &ApiError, _: &HttpRequest) -> HttpResponse {
        HttpResponse::build(err.status()).json(json!({"vendor_error": err.message}))
    }
}

/// A server mounting only [`Panicky`]: its base URL and its sandboxes.
fn panicky_server() -> (String, Arc<SandboxRegistry>) {
    let vendor: Arc<dyn Vendor> = Arc::new(Panicky);
    let setup = SandboxSetup {
        vendors: vec![Arc::clone(&vendor)],
        journal_limit: 10,
        journal_bytes: 1 << 20,
        scenarios: vec![],
        rate_limits: true,
        max_sandboxes: 2,
    };
    let registry = Arc::new(SandboxRegistry::new(setup, 1));
    let mount = Mount {
        vendor,
        registry: Arc::clone(&registry),
        body_limit: 1024,
        access_log: false,
        unknown_sandbox: |_| HttpResponse::NotFound().finish(),
        durable: None,
        front: Front {
            trust_forwarded: false,
            body_timeout: std::time::Duration::from_secs(30),
            late_admin_body: |_| HttpResponse::RequestTimeout().finish(),
        },
    };
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let server = HttpServer::new(move || {
        let [default, named] = vendor_scope::scopes(&mount);
        App::new().service(default).service(named)
    })
    .workers(1)
    .listen(listener)
    .expect("listen")
    .run();
    tokio::spawn(server);
    (base, registry)
}

/// A panicking server after `GET /panicky/boom`: its base URL, its sandboxes and that answer.
async fn after_boom() -> (String, Arc<SandboxRegistry>, reqwest::Response) {
    let (base, registry) = panicky_server();
    let boom = reqwest::get(format!("{base}/panicky/boom")).await.expect("answered, not dropped");
    (base, registry, boom)
}

#[tokio::test]
async fn panicking_handler_answers_the_vendors_500() {
    let (_, _, boom) = after_boom().await;
    assert_eq!(boom.status(), 500);
    let body: Value = boom.json().await.expect("the vendor's JSON");
    assert_eq!(body, json!({"vendor_error": "panic: the handler blew up"}));
}

#[tokio::test]
async fn panicking_handler_leaves_the_server_serving() {
    let (base, _, _) = after_boom().await;
    let fine = reqwest::get(format!("{base}/panicky/fine")).await.expect("still serving");
    assert_eq!(fine.status(), 200);
}

#[tokio::test]
async fn panicking_handler_is_counted() {
    let (_, registry, _) = after_boom().await;
    assert_eq!(registry.panics(), 1);
}

#[tokio::test]
async fn panicking_handler_is_journaled_as_a_500_with_its_message() {
    let (_, registry, _) = after_boom().await;
    let journal = registry.get("default").expect("default").journal.entries(&JournalFilter::default());
    let recorded = serde_json::to_value(&journal[0]).expect("json");
    assert_eq!((recorded["status"].clone(), recorded["panic"].clone()), (json!(500), json!("the handler blew up")));
}
