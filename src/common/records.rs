//! How many records a vendor's API may make one sandbox hold: every collection a client can add
//! to (users, employees, jobs, ...) holds at most [`MAX_RECORDS`], seeded ones included (the
//! largest seed fits). Past it, a create is refused with 409 in the vendor's own error format.

use crate::common::error::{ApiError, ErrorKind};

/// Records one collection of one vendor holds at most in a sandbox.
pub const MAX_RECORDS: usize = 100_000;

/// Refuses adding `adding` records to a collection of `held` named `what` past [`MAX_RECORDS`].
// Divergence: the real vendors have no documented cap; a sandbox keeps everything in memory.
pub fn room_for(what: &str, held: usize, adding: usize) -> Result<(), ApiError> {
    if held.saturating_add(adding) <= MAX_RECORDS {
        return Ok(());
    }
    Err(ApiError::with_message(ErrorKind::Conflict, full(what)))
}

/// The message of a full collection (also what a bulk item that found no room reports).
pub fn full(what: &str) -> String {
    format!("This sandbox holds at most {MAX_RECORDS} {what}; delete some or reset the sandbox.")
}
