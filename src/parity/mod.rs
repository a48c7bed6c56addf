//! Parity with the real vendor: `hr-sandbox record` proxies a session to the real vendor and
//! writes it, secrets redacted, as HAR 1.2; `hr-sandbox parity` replays a recording against a
//! sandbox and reports where the answers differ. A top-level command like `startup`: it may use
//! the rooms below it, nothing below imports it.

pub mod capture;
pub mod har;
pub mod jsonpath;
pub mod record;
pub mod recording;
pub mod redact;

/// Deepest JSON nesting any walk of a recorded or replayed body follows.
pub const MAX_DEPTH: usize = 128;

/// A body's JSON, read only within the work budget a snapshot document gets (nesting and
/// values per byte, [`crate::admin::document::budget`]): a recorded or answered body such as
/// `[0,0,...]` would otherwise cost 40 times its size once parsed, and one nested past
/// serde_json's own limit would not parse at all. `None`: not JSON, or past the budget.
pub fn json_body(text: &str) -> Option<serde_json::Value> {
    crate::admin::document::budget(text.len()).check(text.as_bytes()).ok()?;
    serde_json::from_str(text).ok()
}

pub mod accept;
pub mod bind;
pub mod compare;
pub mod load;
pub mod replay;
pub mod report;
pub mod target;

use crate::cli::ParityArgs;
use std::collections::HashMap;

/// Runs `hr-sandbox parity`: the exit code, 0 (the same), 1 (differences), 2 (bad input or an
/// unreachable target; the reason on stderr).
pub fn run(args: ParityArgs) -> u8 {
    match actix_web::rt::System::new().block_on(parity(args)) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(err) => {
            eprintln!("hr-sandbox parity: {err}");
            2
        }
    }
}

/// `--report`'s format, from its extension.
enum Format {
    Markdown,
    Json,
}

async fn parity(args: ParityArgs) -> Result<bool, String> {
    let format = match &args.report {
        None => None,
        Some(path) => Some(match path.extension().and_then(|e| e.to_str()) {
            Some("md") => Format::Markdown,
            Some("json") => Format::Json,
            _ => return Err(format!("--report {}: the name must end in .md or .json", path.display())),
        }),
    };
    let recording = load::read(&args.file, args.vendor.as_deref(), args.upstream.as_deref())?;
    let overrides = identities(&args.identities)?;
    let accepted = args.accept.as_deref().map(accept::read).transpose()?.unwrap_or_default();
    let root = match &args.target {
        Some(url) => url.clone(),
        None => target::start_in_process()?,
    };
    let target =
        target::Target::prepare(&root, args.admin_token.clone(), args.sandbox.clone(), &recording.vendor).await?;
    let result = replay_on(&target, &recording, overrides, accepted).await;
    let finished = target.finish().await;
    let exchanges = result?;
    finished?;
    let mut report = report::Report {
        file: args.file.display().to_string(),
        vendor: recording.vendor.clone(),
        target: target.vendor_base(&recording.vendor),
        replayed: exchanges.len(),
        matched: 0,
        skipped: recording.skipped,
        operations: Vec::new(),
        exchanges,
    };
    report.tally();
    let write = |path: &std::path::Path, text: String| {
        std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
    };
    match (&args.report, format) {
        (Some(path), Some(Format::Json)) => write(path, report.json())?,
        (Some(path), _) => write(path, report.markdown())?,
        (None, _) => print!("{}", report.markdown()),
    }
    if args.report.is_some() {
        println!(
            "hr-sandbox parity: {} exchanges, {} match, {} differ",
            report.replayed,
            report.matched,
            report.replayed - report.matched
        );
    }
    if let Some(path) = &args.junit {
        write(path, report.junit())?;
    }
    Ok(report.clean())
}

async fn replay_on(
    target: &target::Target,
    recording: &load::Recording,
    overrides: HashMap<String, String>,
    accepted: Vec<accept::Accepted>,
) -> Result<Vec<report::Exchange>, String> {
    let identities = target.credentials(&recording.vendor).await?;
    for (placeholder, name) in &overrides {
        if identities.get(name).is_none() {
            let known: Vec<&String> = identities.as_object().map(|m| m.keys().collect()).unwrap_or_default();
            return Err(format!(
                "--identity {placeholder}={name}: {} has no identity '{name}' (it has: {})",
                recording.vendor,
                known.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    let base = target.vendor_base(&recording.vendor);
    let replay = replay::Replay {
        target,
        base_path: replay::path_of(&base),
        base,
        templates: target.templates(&recording.vendor).await,
        accepted,
    };
    let mut bindings = bind::Bindings::new(identities, overrides);
    replay.run(recording, &mut bindings).await
}

/// `--identity '{{secret:2}}=manager'` pairs.
fn identities(pairs: &[String]) -> Result<HashMap<String, String>, String> {
    pairs
        .iter()
        .map(|pair| match pair.split_once('=') {
            Some((placeholder, name)) if redact::is_placeholder(placeholder.trim()) && !name.trim().is_empty() => {
                Ok((placeholder.trim().to_owned(), name.trim().to_owned()))
            }
            _ => {
                Err(format!("--identity {pair}: expected '{{{{secret:N}}}}=IDENTITY', e.g. '{{{{secret:2}}}}=manager'"))
            }
        })
        .collect()
}
