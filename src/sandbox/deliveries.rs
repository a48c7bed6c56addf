//! The sandbox drives its outbound deliveries (`crate::outbound::queue`): every delivery due by
//! the clock is attempted, earliest first, each at its own sandbox time, until none is due, so
//! `POST /__admin/clock` answers after the deliveries of the interval it jumped (retries that
//! fall inside it included), or after [`SWEEP_BUDGET`] of real time, the rest left to the
//! sweep. While the clock runs, the server's sweep does the same each second.
//! One sweep at a time per sandbox: a delivery is never attempted twice for one due time.

use super::{Sandbox, SandboxRegistry};
use crate::outbound::{self, ThisServer, Trust};
use actix_web::http::header::HeaderValue;
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

/// Starts the server's sweeper: a thread of its own that attempts, each [`SWEEP_EVERY`], the
/// deliveries due in every sandbox (events that happened with a running clock, or by hand,
/// without a clock move). It stops when the server's registry is gone.
pub fn start_sweeper(registry: Weak<SandboxRegistry>, trust: Trust, this: ThisServer) -> std::io::Result<()> {
    std::thread::Builder::new().name("hr-sandbox-deliveries".into()).spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            loop {
                actix_web::rt::time::sleep(SWEEP_EVERY).await;
                let Some(registry) = registry.upgrade() else { break };
                let sandboxes = registry.all();
                drop(registry);
                for sandbox in sandboxes {
                    sandbox.deliver_due(&trust, &this).await;
                }
            }
        });
    })?;
    Ok(())
}
