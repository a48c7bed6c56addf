//! Everything the server is started with. Tests build it directly; the CLI fills it from flags.

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Pretty,
    /// One JSON object per line.
    Json,
}

/// Whether vendors enforce their documented request-rate limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum RateLimits {
    /// As the vendor documents them, on the sandbox clock.
    #[default]
    Faithful,
    /// Never throttle (for suites that do not test throttling).
    Off,
}

/// Default `--snapshot-limit`: 256 MiB. The default sandbox's document is 0.7 MB; 100,000
/// records in each of the five vendors is a few hundred MB at most, and a document costs several
/// times its size in memory once read.
pub const DEFAULT_SNAPSHOT_LIMIT: usize = 256 << 20;

/// Default `--body-timeout`: 30 s for a whole request body (a 256 MiB snapshot needs 9 MB/s).
pub const DEFAULT_BODY_TIMEOUT_SECONDS: u64 = 30;

/// Server settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Address to bind.
    pub host: String,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// Seed of the `default` sandbox (and of new sandboxes that name none).
    pub seed: u64,
    /// Vendor ids to serve; empty serves all.
    pub vendors: Vec<String>,
    /// Journal entries kept per sandbox.
    pub journal_limit: usize,
    /// Journal bytes kept per sandbox (the oldest entries go past it).
    pub journal_bytes: usize,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Largest snapshot document accepted (`PUT /__admin/snapshot`, `POST /__admin/sandboxes`), in bytes.
    pub snapshot_limit: usize,
    /// Longest a request body may take to arrive, from its headers to its last byte.
    pub body_timeout: std::time::Duration,
    /// HTTP worker threads; `None` uses one per core.
    pub workers: Option<usize>,
    /// Scenario files or names (looked up in `scenarios_dir`), active from the start.
    pub scenarios: Vec<String>,
    /// Where scenario names are looked up.
    pub scenarios_dir: std::path::PathBuf,
    /// A snapshot document file the default sandbox starts from.
    pub snapshot: Option<std::path::PathBuf>,
    /// Whether rate limits are enforced.
    pub rate_limits: RateLimits,
    /// Most sandboxes alive at once, `default` included.
    pub max_sandboxes: usize,
    /// `Host` names the admin API answers besides loopback ones; `*` for any.
    pub admin_hosts: Vec<String>,
    /// When set, every admin request needs `Authorization: Bearer <token>`.
    pub admin_token: Option<String>,
    /// Whether `Forwarded` / `X-Forwarded-Host` / `X-Forwarded-Proto` are believed (links, docs).
    pub trust_forwarded: bool,
    /// HTTPS on the same port, when set.
    pub tls: Option<crate::tls::TlsSettings>,
    /// One info log line per answered vendor request.
    pub access_log: bool,
    /// Extra CA certificates (PEM) outbound HTTPS calls trust.
    pub outbound_ca: Option<std::path::PathBuf>,
    /// Where every sandbox's state is kept across restarts and crashes (`--state-dir`); `None`
    /// keeps state in memory only.
    pub state_dir: Option<std::path::PathBuf>,
    /// Tests only: called as each sandbox's delivery sweep starts (see
    /// [`crate::sandbox::deliveries::SweepProbe`]); no flag sets it.
    pub sweep_probe: Option<crate::sandbox::deliveries::SweepProbe>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".to_owned(),
            port: 8080,
            seed: 42,
            vendors: Vec::new(),
            journal_limit: 1000,
            journal_bytes: crate::journal::DEFAULT_BYTES,
            body_limit: 1024 * 1024,
            snapshot_limit: DEFAULT_SNAPSHOT_LIMIT,
            body_timeout: std::time::Duration::from_secs(DEFAULT_BODY_TIMEOUT_SECONDS),
            workers: None,
            scenarios: Vec::new(),
            scenarios_dir: "scenarios".into(),
            snapshot: None,
            rate_limits: RateLimits::Faithful,
            max_sandboxes: 256,
            admin_hosts: Vec::new(),
            admin_token: None,
            trust_forwarded: false,
            tls: None,
            access_log: false,
            outbound_ca: None,
            state_dir: None,
            sweep_probe: None,
        }
    }
}
