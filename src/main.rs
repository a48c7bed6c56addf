//! The `hr-sandbox` binary: parse the command line, start logging, run the subcommand.

use clap::Parser;
use hr_sandbox::cli::{CheckScenariosArgs, Cli, Command, DumpArgs, HealthcheckArgs, ParityArgs, RecordArgs, ServeArgs};
use hr_sandbox::probe::Probe;
use hr_sandbox::scenario::files::load_file;
use hr_sandbox::settings::LogFormat;
use hr_sandbox::startup::Application;
use hr_sandbox::vendor::known_to_scenarios;
use hr_sandbox::vendors;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => serve(&cli.serve),
        Some(Command::Serve(args)) => serve(&args),
        Some(Command::Dump(args)) => dump(&args),
        Some(Command::Healthcheck(args)) => healthcheck(&args),
        Some(Command::CheckScenarios(args)) => check_scenarios(&args),
        Some(Command::Record(args)) => record(args),
        Some(Command::Parity(args)) => parity(args),
    }
}

/// glibc grows a worker thread's arena a few pages at a time, one `mprotect` each: seeding
/// 100,000 records spent a third of its time there. A 64 MiB top pad makes each growth a large
/// step; untouched pages cost no memory, and `malloc_trim` still gives freed ones back.
fn grow_heaps_in_large_steps() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator tunable; it is called before any server thread runs.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}

fn serve(args: &ServeArgs) -> ExitCode {
    init_logging(args.log_format);
    grow_heaps_in_large_steps();
    let settings = args.settings();
    let seed = settings.seed;
    let result = actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings)?;
        let base_url = app.base_url();
        let ca = app.ca_file().map(|path| path.display().to_string());
        let server = actix_web::rt::spawn(app.run_until_stopped());
        // The server installs its SIGTERM/SIGINT handlers on its first poll: let that happen
        // before announcing it, so a supervisor that stops us right away gets a graceful stop.
        actix_web::rt::task::yield_now().await;
        println!("hr-sandbox listening on {base_url}");
        println!("seed: {seed}");
        if let Some(ca) = ca {
            println!("TLS: clients should trust the CA at {ca}");
        }
        std::io::stdout().flush()?;
        server.await.map_err(std::io::Error::other)?
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("hr-sandbox: {err}");
            ExitCode::FAILURE
        }
    }
}

fn dump(args: &DumpArgs) -> ExitCode {
    let Some(vendor) = vendors::registry().into_iter().find(|v| v.id() == args.vendor) else {
        eprintln!("hr-sandbox: unknown vendor '{}'", args.vendor);
        return ExitCode::FAILURE;
    };
    let state = vendor.build_store(args.seed).state();
    match serde_json::to_string_pretty(&state) {
        Ok(text) => {
            // A reader that stops early (`dump ... | head`) is not an error.
            let _ = writeln!(std::io::stdout().lock(), "{text}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("hr-sandbox: {err}");
            ExitCode::FAILURE
        }
    }
}

fn check_scenarios(args: &CheckScenariosArgs) -> ExitCode {
    let vendors = known_to_scenarios(&vendors::registry());
    let mut failed = false;
    for file in &args.files {
        match load_file(file, &args.scenarios_dir, &vendors) {
            Ok(scenario) => println!("{file}: ok ({} with {} rules)", scenario.name, scenario.rules.len()),
            Err(err) => {
                eprintln!("{err}");
                failed = true;
            }
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// Proxies and records until SIGINT/SIGTERM; exit 1 on a start-up error.
fn record(args: RecordArgs) -> ExitCode {
    let redact = match args.redact.iter().map(|path| path.parse()).collect::<Result<Vec<_>, String>>() {
        Ok(paths) => paths,
        Err(err) => {
            eprintln!("hr-sandbox record: {err}");
            return ExitCode::from(2);
        }
    };
    let options = hr_sandbox::parity::record::RecordOptions {
        vendor: args.vendor,
        upstream: args.upstream,
        host: args.host,
        port: args.port,
        out: args.out,
        redact,
        outbound_ca: args.outbound_ca,
    };
    match hr_sandbox::parity::record::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("hr-sandbox record: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Replays a recording: exit 0 (no difference), 1 (differences), 2 (bad input, unreachable target).
fn parity(args: ParityArgs) -> ExitCode {
    ExitCode::from(hr_sandbox::parity::run(args))
}

/// Exit 0 once `/__admin/health` answers 200 (within `--wait` seconds), 1 otherwise.
fn healthcheck(args: &HealthcheckArgs) -> ExitCode {
    let probe = Probe { port: args.port, tls: args.tls, admin_token: args.admin_token.clone() };
    match probe.healthy(Duration::from_secs_f64(args.wait)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("hr-sandbox healthcheck: {err}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,actix_server=warn"));
    // Colours only for a person at a terminal: CI logs would be full of escape codes.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    match format {
        LogFormat::Pretty => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}
