//! `hr-sandbox record`: a recording proxy. Each request is forwarded to `--upstream` (path and
//! query appended to its base URL; method, headers minus hop-by-hop ones, body), answered to the
//! client unchanged, and appended, redacted, to a HAR file by a writer thread of its own
//! ([`super::recording`]), so the file is a valid recording at every moment and appending one
//! exchange costs that exchange, not the file.
use super::capture::Exchange;
use super::har::Timings;
use super::jsonpath::JsonPath;
use super::recording::{Outcome, Queue, RecordingFile};
use super::redact::Redactor;
use crate::outbound::Trust;
use actix_web::http::StatusCode;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Largest request or answer body the proxy carries, in bytes.
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;
/// How long the upstream may take to answer one request.
pub const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest recording written: what `parity` reads. Only the exchange being written is held in
/// memory (a whole rewrite, when a secret learned late is found in an earlier entry, holds the
/// file: a few times this at most).
pub const RECORDING_LIMIT: usize = super::load::FILE_LIMIT;

/// Headers that concern one connection, not the exchange (RFC 9110 7.6.1), plus those the
/// client library sets itself (`host`, `content-length`) and `accept-encoding` (the recording
/// keeps bodies readable: the upstream then answers uncompressed).
const NOT_FORWARDED: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
    "accept-encoding",
];

/// What `record` was asked to do.
pub struct RecordOptions {
    /// Vendor id, written into the file.
    pub vendor: String,
    /// The real vendor's base URL.
    pub upstream: String,
    /// Address to listen on.
    pub host: String,
    /// Port (0: a free one, printed).
    pub port: u16,
    /// The HAR file.
    pub out: PathBuf,
    /// `--redact` paths.
    pub redact: Vec<JsonPath>,
    /// `--outbound-ca`.
    pub outbound_ca: Option<PathBuf>,
}

struct Proxy {
    upstream: String,
    tls: Arc<rustls::ClientConfig>,
    recording: Queue,
}

/// Runs the proxy until SIGINT or SIGTERM; the file is complete after every exchange.
pub fn run(options: RecordOptions) -> io::Result<()> {
    let upstream_uri: actix_web::http::Uri =
        options.upstream.parse().map_err(|e| invalid(format!("--upstream {}: {e}", options.upstream)))?;
    if !matches!(upstream_uri.scheme_str(), Some("http" | "https")) || upstream_uri.host().is_none() {
        return Err(invalid(format!("--upstream {}: an http:// or https:// URL is needed", options.upstream)));
    }
    let trust = Trust::new(options.outbound_ca.as_deref()).map_err(invalid)?;
    let upstream = options.upstream.trim_end_matches('/').to_owned();
    let har = super::har::new_log(&options.vendor, &upstream);
    let file = RecordingFile::create(options.out.clone(), &har, Redactor::new(options.redact), RECORDING_LIMIT)
        .map_err(|e| io::Error::new(e.kind(), format!("--out {}: {e}", options.out.display())))?;
    let (recording, writer) = super::recording::start(file)?;
    let proxy = web::Data::new(Proxy { upstream, tls: trust.config(), recording: recording.clone() });
    let served = actix_web::rt::System::new().block_on(async move {
        let listener = std::net::TcpListener::bind((options.host.as_str(), options.port))
            .map_err(|e| io::Error::new(e.kind(), format!("--host {} --port {}: {e}", options.host, options.port)))?;
        let port = listener.local_addr()?.port();
        // A recorder forwarding to itself would loop, each hop a new connection.
        crate::outbound::ThisServer::new(listener.local_addr()?)
            .check_url(&options.upstream)
            .map_err(|why| invalid(format!("--upstream {}: {why}", options.upstream)))?;
        // One worker, one writer thread: exchanges are recorded in the order they are answered.
        let server = HttpServer::new(move || {
            App::new()
                .app_data(proxy.clone())
                .app_data(web::PayloadConfig::new(BODY_LIMIT))
                .default_service(web::to(forward))
        })
        .workers(1)
        .shutdown_timeout(1)
        .listen(listener)?
        .run();
        let server = actix_web::rt::spawn(server);
        actix_web::rt::task::yield_now().await;
        println!("hr-sandbox recording on http://{}:{port}", options.host);
        std::io::stdout().flush()?;
        server.await.map_err(io::Error::other)?
    });
    // Every exchange handed to the writer is in the file before the process ends.
    recording.stop();
    if writer.join().is_err() {
        eprintln!("hr-sandbox record: the writer thread panicked");
    }
    served
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// Forwards one request, answers with the upstream's answer, records the exchange.
async fn forward(req: HttpRequest, body: web::Bytes, proxy: web::Data<Proxy>) -> HttpResponse {
    let started = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let clock = Instant::now();
    let target = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
    let url = format!("{}{target}", proxy.upstream);
    if proxy.recording.is_full() {
        return full(&url, false);
    }
    let connector = awc::Connector::new().rustls_0_23(Arc::clone(&proxy.tls));
    let client =
        awc::Client::builder().connector(connector).timeout(UPSTREAM_TIMEOUT).disable_redirects().no_default_headers();
    let mut request = client.finish().request(req.method().clone(), &url);
    let request_headers = pairs(req.headers());
    let per_connection = connection_headers(req.headers());
    for (name, value) in req.headers() {
        if !NOT_FORWARDED.contains(&name.as_str()) && !per_connection.contains(&name.as_str().to_owned()) {
            request = request.append_header((name.clone(), value.clone()));
        }
    }
    let sent = Instant::now();
    let mut answer = match request.send_body(body.clone()).await {
        Ok(answer) => answer,
        Err(err) => return unreachable(&url, &err.to_string()),
    };
    let waited = Instant::now();
    let answer_body = match answer.body().limit(BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(err) => return unreachable(&url, &err.to_string()),
    };
    let done = Instant::now();
    let status = answer.status();
    let response_headers = pairs(answer.headers());
    let exchange = Exchange {
        started,
        timings: Timings { send: ms(sent - clock), wait: ms(waited - sent), receive: ms(done - waited) },
        method: req.method().as_str().to_owned(),
        url: url.clone(),
        request_headers,
        request_body: body,
        status: status.as_u16(),
        response_headers,
        response_body: answer_body.clone(),
    };
    match proxy.recording.record(exchange).await {
        Some(Outcome::Recorded) => {}
        // The file keeps every exchange before this one and stays readable by parity.
        Some(Outcome::Full) => return full(&url, true),
        Some(Outcome::Failed(err)) => eprintln!("hr-sandbox record: {err}"),
        Some(Outcome::Lost(why)) => return not_recorded(&url, &format!("the recorder failed on it: {why}")),
        None => return not_recorded(&url, "the recorder's writer has stopped"),
    }
    let mut response = HttpResponse::build(status);
    for (name, value) in answer.headers() {
        if !NOT_FORWARDED.contains(&name.as_str()) {
            response.append_header((name.clone(), value.clone()));
        }
    }
    response.body(answer_body)
}

/// The headers a `Connection` header names: they concern this connection only (RFC 9110 7.6.1).
fn connection_headers(headers: &actix_web::http::header::HeaderMap) -> Vec<String> {
    headers
        .get_all(actix_web::http::header::CONNECTION)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(',').map(|name| name.trim().to_ascii_lowercase()))
        .collect()
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn pairs(headers: &actix_web::http::header::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect()
}

/// 507 to the client once the recording is full: the exchange is not in the file (`forwarded`:
/// the upstream answered it, the answer is withheld so the client knows it is not recorded);
/// nothing is forwarded after it.
// Divergence (from a transparent proxy): a session that would outgrow what parity reads is cut
// where the file stops, visibly, rather than recorded past a file no one could replay.
fn full(url: &str, forwarded: bool) -> HttpResponse {
    eprintln!("hr-sandbox record: the recording is full ({RECORDING_LIMIT} bytes); {url} not recorded");
    let what = if forwarded { "was forwarded but is not recorded" } else { "was not forwarded" };
    HttpResponse::build(StatusCode::INSUFFICIENT_STORAGE).content_type("text/plain; charset=utf-8").body(format!(
        "hr-sandbox record: the recording reached {RECORDING_LIMIT} bytes (what parity reads); {url} {what}. \
         Stop this recorder and start another file.\n"
    ))
}

/// 500 to the client when its exchange, answered by the upstream, could not be recorded.
fn not_recorded(url: &str, why: &str) -> HttpResponse {
    eprintln!("hr-sandbox record: {url}: {why}");
    HttpResponse::build(StatusCode::INTERNAL_SERVER_ERROR)
        .content_type("text/plain; charset=utf-8")
        .body(format!("hr-sandbox record: {url} was forwarded but is not recorded: {why}\n"))
}

/// 502 to the client when the upstream did not answer; nothing is recorded (there was no
/// answer to compare with).
fn unreachable(url: &str, why: &str) -> HttpResponse {
    eprintln!("hr-sandbox record: {url}: {why}");
    HttpResponse::build(StatusCode::BAD_GATEWAY)
        .content_type("text/plain; charset=utf-8")
        .body(format!("hr-sandbox record: the upstream did not answer {url}: {why}\n"))
}
