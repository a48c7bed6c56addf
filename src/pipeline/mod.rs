//! The request pipeline: what every request walks through around the handler that answers it.
//! Steps 1 to 3 are `front`: the admin API and the fallback wear them as one middleware, and a
//! vendor's pipeline (step 5) runs them inline around itself, one layer fewer per request;
//! vendors never see any of it.
//!
//! A request walks, outermost first:
//! 1. `request_id`: names it (`x-sandbox-request-id`, on the response too).
//! 2. `body_deadline`: its body must arrive whole within `--body-timeout`, or the answer is 408.
//! 3. `forwarded`: `Forwarded` / `X-Forwarded-*` are dropped unless `--trust-forwarded`.
//! 4. Routing (before steps 1 to 3 run, since they run inside each scope; routing reads only
//!    the path): `/__admin` leaves the pipeline for the admin API, a vendor prefix
//!    (`/<vendor>` or `/sandboxes/<name>/<vendor>`) enters `vendor_scope`, and any other path
//!    gets the admin API's 404 naming the prefixes.
//! 5. `vendor_scope`: resolves the sandbox, starts the journal entry, buffers and bounds the
//!    body (`body`: read once, handed to handlers as `sandbox::Body`), lets a firing scenario rule or the vendor answer (under `panic_net`, so a panic
//!    becomes the vendor's 500), renders every error in the vendor's format, stamps the
//!    scenario and `Date` headers and journals the exchange.
//!
//! The pipeline imports only rooms below it (vendors, sandbox, scenario, journal, common), never
//! the admin API: where it answers in the admin API's shape (an unknown sandbox, a late admin
//! body) startup hands it that answer.

pub mod body;
pub mod body_deadline;
pub mod forwarded;
pub mod front;
pub mod panic_net;
pub mod request_id;
pub mod vendor_scope;
