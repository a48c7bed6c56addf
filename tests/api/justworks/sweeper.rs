//! The server's delivery sweeper (a thread of its own that attempts, each second, what is due in
//! every sandbox while its clock runs): one sandbox's sweep that panics or hangs holds up
//! neither the other sandboxes' deliveries nor, once it ends, its own later ones.

use super::receiver::Receiver;
use crate::helpers::{TestApp, spawn_with};
use hr_sandbox::settings::{RateLimits, Settings};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A Justworks hire in `sandbox` (created unless `default`), whose `member.profile.created` is
/// for `url`: the clock runs and nothing moves it, so only the sweeper delivers it.
async fn hire_for(app: &TestApp, sandbox: &str, url: &str, given: &str) {
    if sandbox != "default" {
        app.admin_post("/__admin/sandboxes", json!({"name": sandbox, "seed": 42}), 201).await;
    }
    let hook = json!({"url": url, "event_types": ["member.profile.created"]});
    app.admin_post(&format!("/__admin/vendors/justworks/webhooks?sandbox={sandbox}"), hook, 200).await;
    app.admin_patch(&format!("/__admin/workforce?sandbox={sandbox}"), json!({"vendors": ["justworks"]}), 200).await;
    let hire = json!({"type": "hire", "fields": {"given_name": given, "family_name": "Sweep"}});
    app.admin_post(&format!("/__admin/workforce/events?sandbox={sandbox}"), hire, 201).await;
}

/// How long `receiver` waited for its first delivery, if it came within `limit`.
async fn first_delivery(receiver: &Receiver, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if !receiver.got().is_empty() {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

static PANICS: AtomicUsize = AtomicUsize::new(0);

/// The sweep probe of the panic test: `sweep-panics`' first three sweeps panic.
fn panic_three_times(sandbox: &str) {
    if sandbox == "sweep-panics" && PANICS.fetch_add(1, Ordering::SeqCst) < 3 {
        panic!("a delivery sweep panics (the test's sweep probe)");
    }
}

#[tokio::test]
async fn sweep_that_panics_ends_neither_the_sweeper_nor_another_sandboxs_deliveries() {
    let settings =
        Settings { rate_limits: RateLimits::Off, sweep_probe: Some(panic_three_times), ..Settings::default() };
    let (app, panicking, other) = (spawn_with(settings).await, Receiver::start(200), Receiver::start(200));
    hire_for(&app, "sweep-panics", &panicking.url("/p"), "Pan").await;
    hire_for(&app, "default", &other.url("/o"), "Oth").await;
    let limit = Duration::from_secs(15);
    assert!(first_delivery(&other, limit).await.is_some(), "the other sandbox's delivery went out");
    assert!(
        first_delivery(&panicking, limit).await.is_some(),
        "and the panicking one's, once its sweep stopped panicking"
    );
    assert!(PANICS.load(Ordering::SeqCst) >= 4, "after three sweeps that panicked");
}

#[tokio::test]
async fn receiver_that_never_answers_holds_up_only_its_own_sandboxs_deliveries() {
    let app = spawn_with(Settings { rate_limits: RateLimits::Off, ..Settings::default() }).await;
    // Connections queue in the backlog and are never read: each attempt waits its whole 10 s.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let silent_url = format!("http://{}/h", silent.local_addr().expect("addr"));
    hire_for(&app, "sweep-hangs", &silent_url, "Han").await;
    // A sweep or two later the attempt to the silent receiver is under way.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let other = Receiver::start(200);
    hire_for(&app, "default", &other.url("/o"), "Oth").await;
    let waited = first_delivery(&other, Duration::from_secs(15)).await.expect("the other sandbox's delivery went out");
    assert!(waited < Duration::from_secs(5), "it waited {waited:?}, behind the silent receiver's 10 s");
    drop(silent);
}
