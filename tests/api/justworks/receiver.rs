//! A local webhook receiver for the tests: an actix server on 127.0.0.1 port 0 that records
//! every delivery (path, headers, body) and answers the status the test sets.

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use bytes::Bytes;
use serde_json::Value;
use std::collections::BTreeMap;
use std::net::TcpListener;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

/// One delivery as the receiver got it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The request path.
    pub path: String,
    /// Headers, lowercase names.
    pub headers: BTreeMap<String, String>,
    /// The body bytes as sent.
    pub body: Bytes,
}

impl Received {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// The receiver: its base URL, what it got, the status it answers.
#[derive(Clone)]
pub struct Receiver {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    got: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
}

struct Shared {
    got: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
}

async fn record(req: HttpRequest, body: Bytes, shared: web::Data<Shared>) -> HttpResponse {
    let headers =
        req.headers().iter().map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned())).collect();
    shared.got.lock().expect("lock").push(Received { path: req.path().to_owned(), headers, body });
    let status = actix_web::http::StatusCode::from_u16(shared.status.load(Ordering::SeqCst)).expect("status");
    HttpResponse::build(status).body("{}")
}

impl Receiver {
    /// A receiver answering `status` to every delivery.
    pub fn start(status: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
        let port = listener.local_addr().expect("addr").port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(AtomicU16::new(status));
        let data = web::Data::new(Shared { got: Arc::clone(&got), status: Arc::clone(&status) });
        let server = HttpServer::new(move || App::new().app_data(data.clone()).default_service(web::to(record)))
            .workers(1)
            .listen(listener)
            .expect("listens")
            .run();
        tokio::spawn(server);
        Self { base: format!("http://127.0.0.1:{port}"), got, status }
    }

    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// From now on, answer `status`.
    pub fn answer(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    /// Everything received so far.
    pub fn got(&self) -> Vec<Received> {
        self.got.lock().expect("lock").clone()
    }
}
