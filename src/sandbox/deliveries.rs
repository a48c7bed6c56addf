//! The sandbox drives its outbound deliveries (`crate::outbound::queue`): every delivery due by
//! the clock is attempted, earliest first, each at its own sandbox time, until none is due, so
//! `POST /__admin/clock` answers after the deliveries of the interval it jumped (retries that
//! fall inside it included), or after [`SWEEP_BUDGET`] of real time, the rest left to the
//! sweep. While the clock runs, the server's sweep does the same each second.
//! One sweep at a time per sandbox: a delivery is never attempted twice for one due time.

use super::{Sandbox, SandboxRegistry};
use crate::outbound::{self, ThisServer, Trust};
use actix_web::http::header::HeaderValue;
use futures_util::FutureExt;
use std::cell::RefCell;
use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

/// Attempts one sweep makes at most: the rest wait for the next (a clock answer is bounded).
pub const MAX_ATTEMPTS_PER_SWEEP: usize = 10_000;
/// Real time one sweep spends at most: past it, the deliveries still due wait for the next
/// sweep (the server's sweeper goes on each second). A receiver that never answers costs each
/// attempt its whole timeout, so without it a clock jump of years over thousands of pending
/// deliveries would hold `POST /__admin/clock` for hours.
pub const SWEEP_BUDGET: Duration = Duration::from_secs(20);
/// Real time between two sweeps of the server's sweeper.
pub const SWEEP_EVERY: Duration = Duration::from_secs(1);

impl Sandbox {
    /// Attempts every delivery due by the clock's now (within [`SWEEP_BUDGET`] of real time);
    /// how many were attempted. A sandbox
    /// whose vendors queue nothing pays one look at each used store.
    pub async fn deliver_due(&self, trust: &Trust, this: &ThisServer) -> usize {
        let _turn = self.deliveries.lock().await;
        let until = self.clock.now();
        let (mut made, started) = (0, Instant::now());
        while made < MAX_ATTEMPTS_PER_SWEEP && started.elapsed() < SWEEP_BUDGET {
            let next = self
                .built_stores()
                .filter_map(|(_, store)| Some((Arc::clone(store), store.next_delivery(until)?)))
                .min_by_key(|(_, due)| due.call.at);
            let Some((store, due)) = next else { break };
            let at = due.call.at.unwrap_or(until);
            let request_id = HeaderValue::from_static("");
            let result = outbound::send(&due.call, (&self.clock, &self.journal), request_id, (trust, this)).await;
            store.settle_delivery(due.seq, &result, at);
            made += 1;
        }
        made
    }
}

/// Called by the sweeper with a sandbox's name as that sandbox's sweep starts, inside the sweep's
/// panic guard: tests set it (`Settings::sweep_probe`) to make one sandbox's sweep panic, since
/// no input is known to make a sweep panic. The command line never sets it.
pub type SweepProbe = fn(&str);

/// Starts the server's sweeper: a thread of its own that starts, each [`SWEEP_EVERY`], a sweep of
/// the deliveries due in every sandbox (events that happened with a running clock, or by hand,
/// without a clock move). Each sandbox's sweep runs as a task of its own: a receiver that hangs
/// holds up its own sandbox's deliveries (that sandbox is skipped until its sweep ends), not the
/// others'. A sweep that panics is logged and ends; the sweeper goes on with the other sandboxes
/// and, the next second, with that one. It stops when the server's registry is gone.
pub fn start_sweeper(
    registry: Weak<SandboxRegistry>,
    trust: Trust,
    this: ThisServer,
    probe: Option<SweepProbe>,
) -> std::io::Result<()> {
    std::thread::Builder::new().name("hr-sandbox-deliveries".into()).spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let trust = Rc::new(trust);
            let sweeping = Rc::new(RefCell::new(HashSet::new()));
            loop {
                actix_web::rt::time::sleep(SWEEP_EVERY).await;
                let Some(registry) = registry.upgrade() else { break };
                let sandboxes = registry.all();
                drop(registry);
                for sandbox in sandboxes {
                    let Some(turn) = Turn::take(&sweeping, &sandbox) else { continue };
                    let trust = Rc::clone(&trust);
                    actix_web::rt::spawn(async move {
                        let _turn = turn;
                        sweep_guarded(&sandbox, &trust, this, probe).await;
                    });
                }
            }
        });
    })?;
    Ok(())
}

/// One sandbox's sweep, its panic caught and logged: it must not end background delivery for
/// the life of the server.
async fn sweep_guarded(sandbox: &Sandbox, trust: &Trust, this: ThisServer, probe: Option<SweepProbe>) {
    let sweep = async {
        if let Some(probe) = probe {
            probe(sandbox.name());
        }
        sandbox.deliver_due(trust, &this).await
    };
    if let Err(payload) = AssertUnwindSafe(sweep).catch_unwind().await {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        let sandbox = sandbox.name();
        tracing::error!(sandbox, panic = %message, "a delivery sweep panicked; its next sweep runs in a second");
    }
}

/// A sandbox's sweep under way (the sandbox's address, alive while the sweep holds it): the
/// sweeper does not start a second one beside it.
struct Turn {
    sweeping: Rc<RefCell<HashSet<usize>>>,
    sandbox: usize,
}

impl Turn {
    fn take(sweeping: &Rc<RefCell<HashSet<usize>>>, sandbox: &Arc<Sandbox>) -> Option<Self> {
        let address = Arc::as_ptr(sandbox) as usize;
        sweeping.borrow_mut().insert(address).then(|| Self { sweeping: Rc::clone(sweeping), sandbox: address })
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.sweeping.borrow_mut().remove(&self.sandbox);
    }
}
