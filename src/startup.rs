//! Builds the server: state first, then one app with the admin scope and every vendor's scopes.

use crate::admin::context::AdminState;
use crate::admin::error::AdminError;
use crate::admin::guard::AdminAccess;
use crate::admin::routes as admin;
use crate::durable::Durable;
use crate::pipeline::front::Front;
use crate::pipeline::vendor_scope::{self, Mount};
use crate::sandbox::{SandboxRegistry, SandboxSetup};
use crate::scenario;
use crate::settings::{RateLimits, Settings};
use crate::vendor::{Vendor, known_to_scenarios};
use crate::vendors;
use actix_web::dev::Server;
use actix_web::{App, HttpServer, ResponseError, web};
use std::io;
use std::net::TcpListener;
use std::sync::Arc;

/// The JSON document of `--snapshot FILE`, read with the bounds of a snapshot `PUT` to the
/// admin API (`--snapshot-limit` and the same work budget).
fn read_snapshot(file: &std::path::Path, limit: usize) -> io::Result<serde_json::Value> {
    let invalid =
        |why: String| io::Error::new(io::ErrorKind::InvalidInput, format!("--snapshot {}: {why}", file.display()));
    let text = crate::common::bounded_file::read(file, limit)
        .map_err(|e| io::Error::new(e.kind(), format!("--snapshot {}: {e}", file.display())))?;
    crate::admin::document::budget(text.len()).check(&text).map_err(|e| invalid(e.to_string()))?;
    serde_json::from_slice(&text).map_err(|e| invalid(format!("invalid JSON: {e}")))
}

/// The registry of a server with no kept state: `default` from `--seed`, or from `--snapshot`.
fn fresh_registry(setup: SandboxSetup, settings: &Settings) -> io::Result<SandboxRegistry> {
    match &settings.snapshot {
        None => Ok(SandboxRegistry::new(setup, settings.seed)),
        Some(file) => {
            let document = read_snapshot(file, settings.snapshot_limit)?;
            SandboxRegistry::with_default(setup, |name, setup| crate::snapshot::sandbox_from(name, document, setup))
                .map_err(|problem| {
                    io::Error::new(io::ErrorKind::InvalidInput, format!("--snapshot {}: {problem}", file.display()))
                })
        }
    }
}

/// A bound, not yet running server.
pub struct Application {
    host: String,
    port: u16,
    /// `https` when serving TLS.
    scheme: &'static str,
    /// The generated CA a client should trust, when the sandbox made its own.
    ca: Option<std::path::PathBuf>,
    server: Server,
    registry: Arc<SandboxRegistry>,
}

impl Application {
    /// Seeds the state, binds the socket and prepares the server.
    pub fn build(settings: Settings) -> io::Result<Self> {
        let vendors = selected_vendors(&settings.vendors)?;
        let known = known_to_scenarios(&vendors);
        let scenarios = settings
            .scenarios
            .iter()
            .map(|file| scenario::files::load_file(file, &settings.scenarios_dir, &known).map(Arc::new))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
        let rate_limits = settings.rate_limits == RateLimits::Faithful;
        let setup = SandboxSetup {
            vendors,
            journal_limit: settings.journal_limit,
            journal_bytes: settings.journal_bytes,
            scenarios,
            rate_limits,
            max_sandboxes: settings.max_sandboxes,
        };
        let tls = settings.tls.as_ref().map(crate::tls::prepare).transpose().map_err(io::Error::other)?;
        let outbound_trust = crate::outbound::Trust::new(settings.outbound_ca.as_deref()).map_err(io::Error::other)?;
        let fresh = |setup| fresh_registry(setup, &settings);
        let (registry, durable) = match &settings.state_dir {
            None => (Arc::new(fresh(setup)?), None),
            Some(dir) => {
                Durable::open(dir, setup, fresh).map(|(registry, durable)| (registry, Some(Arc::new(durable))))?
            }
        };
        let listener = TcpListener::bind((settings.host.as_str(), settings.port))
            .map_err(|e| io::Error::new(e.kind(), format!("--host {} --port {}: {e}", settings.host, settings.port)))?;
        let bound = listener.local_addr()?;
        let port = bound.port();
        // Deliveries due while the clock runs (or events made by hand) go out within a second.
        let sweeper_trust = crate::outbound::Trust::new(settings.outbound_ca.as_deref()).map_err(io::Error::other)?;
        let this_server = crate::outbound::ThisServer::new(bound);
        crate::sandbox::deliveries::start_sweeper(
            Arc::downgrade(&registry),
            sweeper_trust,
            this_server,
            settings.sweep_probe,
        )?;
        let admin_state = web::Data::new(AdminState {
            registry: Arc::clone(&registry),
            scenarios_dir: settings.scenarios_dir.clone(),
            outbound_trust,
            this_server,
            snapshot_limit: settings.snapshot_limit,
            durable: durable.clone(),
        });
        let front =
            Front { trust_forwarded: settings.trust_forwarded, body_timeout: settings.body_timeout, late_admin_body };
        let mounts: Vec<Mount> = registry
            .vendors()
            .iter()
            .map(|vendor| Mount {
                vendor: Arc::clone(vendor),
                registry: Arc::clone(&registry),
                body_limit: settings.body_limit,
                access_log: settings.access_log,
                unknown_sandbox,
                durable: durable.clone(),
                front,
            })
            .collect();
        let body_limit = settings.body_limit;
        let access = AdminAccess { hosts: settings.admin_hosts.clone(), token: settings.admin_token.clone() };
        if access.token.as_deref().is_some_and(|token| token.trim().is_empty()) {
            let message = "the admin token is empty (--admin-token / HR_SANDBOX_ADMIN_TOKEN)";
            return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
        }
        if access.rebinding_can_read() {
            tracing::warn!(
                "--admin-hosts '*' answers any Host: a web page that rebinds its DNS name to this server can read \
                 the admin API (GET /__admin/credentials); set --admin-token (HR_SANDBOX_ADMIN_TOKEN) too"
            );
        }
        let mut server = HttpServer::new(move || {
            let mut app = App::new()
                .app_data(admin_state.clone())
                .app_data(web::PayloadConfig::new(body_limit))
                .app_data(web::JsonConfig::default().limit(body_limit))
                .service(admin::scope(access.clone(), front));
            for mount in &mounts {
                let [default, named] = vendor_scope::scopes(mount);
                app = app.service(default).service(named);
            }
            // Last: it matches every path the admin API and the vendors did not.
            app.service(admin::fallback(front))
        })
        .on_connect(scenario::fault::record_socket)
        // One second for in-flight requests keeps the whole stop (signal to exit) under the
        // 2 s docs/command-line.md promises; with 2 here it measured 2.32 s.
        .shutdown_timeout(1);
        let (scheme, ca) = match tls {
            // Absolute URLs (links, redirects, documents) follow: actix reports `https` itself.
            Some(tls) => {
                server = server.listen_rustls_0_23(listener, tls.config)?;
                ("https", tls.ca)
            }
            None => {
                server = server.listen(listener)?;
                ("http", None)
            }
        };
        if let Some(workers) = settings.workers {
            server = server.workers(workers);
        }
        Ok(Self { host: settings.host, port, scheme, ca, server: server.run(), registry })
    }

    /// The sandboxes this server serves (tests read its panic count).
    pub fn registry(&self) -> Arc<SandboxRegistry> {
        Arc::clone(&self.registry)
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://HOST:PORT` (or `https://`) of the bound socket.
    pub fn base_url(&self) -> String {
        format!("{}://{}:{}", self.scheme, self.host, self.port)
    }

    /// The generated CA's certificate file, when serving TLS with a certificate the sandbox made.
    pub fn ca_file(&self) -> Option<&std::path::Path> {
        self.ca.as_deref()
    }

    /// Serves until SIGINT/SIGTERM (graceful: in-flight requests get 1 s, the whole stop < 2 s).
    pub async fn run_until_stopped(self) -> io::Result<()> {
        self.server.await
    }
}

// The pipeline's answers in the admin API's shape, handed over here so the pipeline does not
// import the admin API.

/// 404 `unknown_sandbox`, for a vendor prefix under a sandbox name that is not registered.
fn unknown_sandbox(name: &str) -> actix_web::HttpResponse {
    AdminError::unknown_sandbox(name).error_response()
}

/// 408 `request_timeout`, for an admin request whose body came later than `--body-timeout`.
fn late_admin_body(message: String) -> actix_web::HttpResponse {
    AdminError::request_timeout(message).error_response()
}

fn selected_vendors(ids: &[String]) -> io::Result<Vec<Arc<dyn Vendor>>> {
    let all = vendors::registry();
    if ids.is_empty() {
        return Ok(all);
    }
    if let Some(unknown) = ids.iter().find(|id| !all.iter().any(|v| v.id() == id.as_str())) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("unknown vendor '{unknown}'")));
    }
    Ok(all.into_iter().filter(|v| ids.iter().any(|id| id == v.id())).collect())
}
