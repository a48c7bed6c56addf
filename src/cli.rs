//! The command line. Every flag can also come from an `HR_SANDBOX_*` environment variable.

use crate::settings::{DEFAULT_BODY_TIMEOUT_SECONDS, DEFAULT_SNAPSHOT_LIMIT, LogFormat, RateLimits, Settings};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// A local, stateful, deterministic sandbox of HR and workforce vendor APIs.
///
/// With no subcommand it serves (same as `hr-sandbox serve`).
#[derive(Debug, Parser)]
#[command(name = "hr-sandbox", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Flags of `serve`, accepted without the subcommand too.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve every vendor API and the admin API (the default).
    Serve(Box<ServeArgs>),
    /// Print one vendor's seeded start state as JSON and exit.
    Dump(DumpArgs),
    /// Exit 0 when a local server answers /__admin/health (for Docker HEALTHCHECK; needs no shell).
    Healthcheck(HealthcheckArgs),
    /// Validate scenario files without serving; non-zero exit and `file:rule N: reason` on error.
    CheckScenarios(CheckScenariosArgs),
    /// Proxy a session to the real vendor and write it, secrets redacted, as a HAR file.
    Record(RecordArgs),
    /// Replay a recorded session against a sandbox and report where the answers differ
    /// (exit 0: none, 1: some, 2: bad input or unreachable target).
    Parity(ParityArgs),
}

/// Flags of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to bind (use 0.0.0.0 in a container).
    #[arg(long, env = "HR_SANDBOX_HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// Port to bind; 0 picks a free port (the real one is printed).
    #[arg(long, env = "HR_SANDBOX_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Seed of all generated data, ids and credentials.
    #[arg(long, env = "HR_SANDBOX_SEED", default_value_t = 42)]
    pub seed: u64,
    /// Serve only these vendors (comma-separated ids); all when omitted.
    #[arg(long, env = "HR_SANDBOX_VENDORS", value_delimiter = ',', value_parser = vendor_id)]
    pub vendors: Vec<String>,
    /// Requests kept in each sandbox's journal.
    #[arg(long, env = "HR_SANDBOX_JOURNAL_LIMIT", default_value_t = 1000, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=1_000_000))]
    pub journal_limit: usize,
    /// Bytes kept in each sandbox's journal (the oldest entries go past it; at least 64 KiB).
    #[arg(long, env = "HR_SANDBOX_JOURNAL_BYTES", default_value_t = crate::journal::DEFAULT_BYTES, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(65_536..=1 << 40))]
    pub journal_bytes: usize,
    /// Largest request body accepted, in bytes (larger ones get the vendor's 413).
    #[arg(long, env = "HR_SANDBOX_BODY_LIMIT", default_value_t = 1024 * 1024, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1 << 30))]
    pub body_limit: usize,
    /// Largest snapshot document accepted by PUT /__admin/snapshot and POST /__admin/sandboxes,
    /// in bytes (larger ones get 413).
    #[arg(long, env = "HR_SANDBOX_SNAPSHOT_LIMIT", default_value_t = DEFAULT_SNAPSHOT_LIMIT as u64,
          value_parser = clap::value_parser!(u64).range(1..=(1 << 32)))]
    pub snapshot_limit: u64,
    /// Seconds a request body may take to arrive, headers to last byte (past it: 408, connection closed).
    #[arg(long, env = "HR_SANDBOX_BODY_TIMEOUT", default_value_t = DEFAULT_BODY_TIMEOUT_SECONDS,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub body_timeout: u64,
    /// HTTP worker threads (1 to 1024); one per core when omitted.
    #[arg(long, env = "HR_SANDBOX_WORKERS", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1024))]
    pub workers: Option<usize>,
    /// Log line format.
    #[arg(long, env = "HR_SANDBOX_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,
    /// Scenario file, or the name of one in --scenarios-dir; repeatable; active from the start.
    #[arg(long = "scenario", env = "HR_SANDBOX_SCENARIO", value_delimiter = ',')]
    pub scenarios: Vec<String>,
    /// Where scenario names are looked up.
    #[arg(long, env = "HR_SANDBOX_SCENARIOS_DIR", default_value = "scenarios")]
    pub scenarios_dir: PathBuf,
    /// A snapshot document (from GET /__admin/snapshot) the default sandbox starts from, and
    /// goes back to on reset; its seed replaces --seed there.
    #[arg(long, env = "HR_SANDBOX_SNAPSHOT")]
    pub snapshot: Option<PathBuf>,
    /// Keep every sandbox's state in this directory (a log appended before each write is
    /// answered, compacted into snapshots) and restore it on the next start; memory only when omitted.
    #[arg(long, env = "HR_SANDBOX_STATE_DIR")]
    pub state_dir: Option<PathBuf>,
    /// Enforce the vendors' documented rate limits (on the sandbox clock), or never throttle.
    #[arg(long, env = "HR_SANDBOX_RATE_LIMITS", value_enum, default_value_t = RateLimits::Faithful)]
    pub rate_limits: RateLimits,
    /// Most sandboxes alive at once, `default` included (past it, creating one is a 409).
    #[arg(long, env = "HR_SANDBOX_MAX_SANDBOXES", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_sandboxes: u32,
    /// Host names the admin API answers besides localhost, 127.0.0.1 and [::1] (comma-separated; `*` for any).
    #[arg(long, env = "HR_SANDBOX_ADMIN_HOSTS", value_delimiter = ',')]
    pub admin_hosts: Vec<String>,
    /// Require `Authorization: Bearer <token>` on every admin route (never empty).
    #[arg(long, env = "HR_SANDBOX_ADMIN_TOKEN", hide_env_values = true, value_parser = admin_token)]
    pub admin_token: Option<String>,
    /// Believe Forwarded / X-Forwarded-Host / X-Forwarded-Proto (behind a proxy you run).
    #[arg(long, env = "HR_SANDBOX_TRUST_FORWARDED")]
    pub trust_forwarded: bool,
    /// Extra CA certificates (PEM) that outbound HTTPS calls (Joinup's signup hook) trust,
    /// besides the system's.
    #[arg(long, env = "HR_SANDBOX_OUTBOUND_CA")]
    pub outbound_ca: Option<PathBuf>,
    /// Log one info line per answered vendor request (sandbox, vendor, method, path, status,
    /// duration, scenario rule); on in the image.
    #[arg(long, env = "HR_SANDBOX_ACCESS_LOG")]
    pub access_log: bool,
    /// Serve HTTPS on the same port (a local CA and certificate are made unless --tls-cert/--tls-key).
    #[arg(long, env = "HR_SANDBOX_TLS")]
    pub tls: bool,
    /// Where the generated CA and certificate are written and reused.
    #[arg(long, env = "HR_SANDBOX_TLS_DIR", default_value = ".hr-sandbox/tls")]
    pub tls_dir: PathBuf,
    /// A certificate chain (PEM) to serve instead of a generated one (implies --tls).
    #[arg(long, env = "HR_SANDBOX_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key (PEM) of --tls-cert.
    #[arg(long, env = "HR_SANDBOX_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// More names for the generated certificate (comma-separated DNS names or IP addresses).
    #[arg(long, env = "HR_SANDBOX_TLS_NAMES", value_delimiter = ',')]
    pub tls_names: Vec<String>,
}

impl ServeArgs {
    /// The server settings these flags describe.
    pub fn settings(&self) -> Settings {
        Settings {
            host: self.host.clone(),
            port: self.port,
            seed: self.seed,
            vendors: self.vendors.clone(),
            journal_limit: self.journal_limit,
            journal_bytes: self.journal_bytes,
            body_limit: self.body_limit,
            snapshot_limit: usize::try_from(self.snapshot_limit).unwrap_or(usize::MAX),
            body_timeout: std::time::Duration::from_secs(self.body_timeout),
            workers: self.workers,
            scenarios: self.scenarios.clone(),
            scenarios_dir: self.scenarios_dir.clone(),
            snapshot: self.snapshot.clone(),
            rate_limits: self.rate_limits,
            max_sandboxes: self.max_sandboxes as usize,
            admin_hosts: self.admin_hosts.iter().map(|h| h.trim().to_ascii_lowercase()).collect(),
            admin_token: self.admin_token.clone(),
            trust_forwarded: self.trust_forwarded,
            access_log: self.access_log,
            outbound_ca: self.outbound_ca.clone(),
            state_dir: self.state_dir.clone(),
            sweep_probe: None,
            tls: (self.tls || self.tls_cert.is_some()).then(|| crate::tls::TlsSettings {
                dir: self.tls_dir.clone(),
                cert: self.tls_cert.clone(),
                key: self.tls_key.clone(),
                names: self.tls_names.iter().map(|n| n.trim().to_owned()).collect(),
            }),
        }
    }
}

/// Flags of `dump`.
#[derive(Debug, Args)]
pub struct DumpArgs {
    /// Vendor id, e.g. `chiefonboarding`.
    #[arg(value_parser = vendor_id)]
    pub vendor: String,
    /// Seed of the data.
    #[arg(long, env = "HR_SANDBOX_SEED", default_value_t = 42)]
    pub seed: u64,
}

/// Flags of `healthcheck`.
#[derive(Debug, Args)]
pub struct HealthcheckArgs {
    /// Port the server listens on (always checked on 127.0.0.1).
    #[arg(long, env = "HR_SANDBOX_PORT", default_value_t = 8080, value_parser = clap::value_parser!(u16).range(1..))]
    pub port: u16,
    /// The server's admin token, when it has one.
    #[arg(long, env = "HR_SANDBOX_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Probe over HTTPS (the server runs with --tls).
    #[arg(long, env = "HR_SANDBOX_TLS")]
    pub tls: bool,
    /// Keep probing for up to this many seconds until the server is healthy (0: one probe).
    #[arg(long, default_value_t = 0.0, value_parser = wait_seconds)]
    pub wait: f64,
}

fn wait_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if (0.0..=86_400.0).contains(&seconds) => Ok(seconds),
        _ => Err("a number of seconds from 0 to 86400".into()),
    }
}

/// Flags of `check-scenarios`.
#[derive(Debug, Args)]
pub struct CheckScenariosArgs {
    /// Scenario files (or names in --scenarios-dir).
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Where scenario names are looked up.
    #[arg(long, env = "HR_SANDBOX_SCENARIOS_DIR", default_value = "scenarios")]
    pub scenarios_dir: PathBuf,
}

/// Flags of `record`.
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The vendor the session talks to (written into the file).
    #[arg(long, value_parser = vendor_id)]
    pub vendor: String,
    /// The real vendor's base URL (requests' paths and queries are appended to it).
    #[arg(long)]
    pub upstream: String,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on; 0 picks a free port (printed).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The HAR file written (rewritten whole after every exchange).
    #[arg(long)]
    pub out: PathBuf,
    /// A JSONPath (`$.a[*].b`, `$..key`) of more body values to redact; repeatable.
    #[arg(long = "redact")]
    pub redact: Vec<String>,
    /// Extra CA certificates (PEM) the upstream's HTTPS is trusted with, besides the system's.
    #[arg(long, env = "HR_SANDBOX_OUTBOUND_CA")]
    pub outbound_ca: Option<PathBuf>,
}

/// Flags of `parity`.
#[derive(Debug, Args)]
pub struct ParityArgs {
    /// The HAR recording to replay.
    pub file: PathBuf,
    /// A running sandbox's root URL; default: one started in-process (seed 42, free port).
    #[arg(long)]
    pub target: Option<String>,
    /// The target's admin token, when it has one.
    #[arg(long, env = "HR_SANDBOX_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Replay in a new sandbox of this name on the target (default seed), deleted afterwards.
    #[arg(long)]
    pub sandbox: Option<String>,
    /// Write the report here: Markdown (`.md`) or JSON (`.json`); stdout gets Markdown without it.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Write a JUnit XML report here (one test case per exchange).
    #[arg(long)]
    pub junit: Option<PathBuf>,
    /// Known differences (JSON list of {operation, path, reason}), reported as accepted.
    #[arg(long)]
    pub accept: Option<PathBuf>,
    /// `'{{secret:N}}=IDENTITY'`: replay that recorded credential as this sandbox identity; repeatable.
    #[arg(long = "identity")]
    pub identities: Vec<String>,
    /// The vendor, for a HAR written by another tool (hr-sandbox's own name it).
    #[arg(long, value_parser = vendor_id)]
    pub vendor: Option<String>,
    /// The recorded base URL, for a HAR written by another tool: entries elsewhere are skipped.
    #[arg(long)]
    pub upstream: Option<String>,
}

/// An empty token would leave the admin API open without saying so (a CI file's
/// `-e HR_SANDBOX_ADMIN_TOKEN=$SECRET` with `$SECRET` unset): it is a start-up error.
fn admin_token(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        return Err("the admin token is empty (--admin-token / HR_SANDBOX_ADMIN_TOKEN): give a token, \
                    or leave both out to run without one"
            .into());
    }
    Ok(value.to_owned())
}

fn vendor_id(value: &str) -> Result<String, String> {
    let known: Vec<&str> = crate::vendors::registry().iter().map(|v| v.id()).collect();
    if known.contains(&value) {
        Ok(value.to_owned())
    } else {
        Err(format!("unknown vendor '{value}' (known: {})", known.join(", ")))
    }
}
