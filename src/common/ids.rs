//! Id counters: the next id a vendor hands out, bounded by the largest id its database could
//! hold. Allocation is checked (a used-up counter is an error the vendor renders, never a wrap
//! that would hand out an id a record already has), and a snapshot's counter is checked against
//! the same bound before anything is restored.

use crate::common::problem::Problem;

/// The largest value of PostgreSQL's `integer` (Django's `AutoField`): 2,147,483,647.
pub const POSTGRES_INTEGER: u64 = i32::MAX as u64;

/// The largest integer every JSON client reads exactly (JavaScript's `Number.MAX_SAFE_INTEGER`,
/// 2^53 - 1): the bound where the vendor's own column is wider or unknown.
pub const JSON_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// A counter whose ids are all handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exhausted {
    /// The largest id the counter hands out.
    pub largest: u64,
}

/// The id at `next`, and `next` moved past it; [`Exhausted`] once `next` is past `largest`.
/// A counter at `largest + 1` is used up and stays there.
pub fn allocate(next: &mut u64, largest: u64) -> Result<u64, Exhausted> {
    if *next > largest {
        return Err(Exhausted { largest });
    }
    let id = *next;
    *next = id.checked_add(1).ok_or(Exhausted { largest })?;
    Ok(id)
}

/// A snapshot's counter at `path`: at most `largest + 1` (used up), the most a server reaches.
pub fn check_counter(next: u64, largest: u64, path: impl FnOnce() -> String) -> Result<(), Problem> {
    match largest.checked_add(1) {
        Some(limit) if next > limit => {
            Err(Problem::at(path(), format!("must be at most {limit} (ids stop at {largest})")))
        }
        _ => Ok(()),
    }
}

/// `count + 1`, stopping at [`JSON_SAFE_INTEGER`]: a tally (a rule's matches) never wraps to
/// zero, and a reader (a snapshot's check included) reads it back exactly.
pub fn tally(count: &mut u64) {
    *count = count.saturating_add(1).min(JSON_SAFE_INTEGER);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocate_hands_out_the_largest_id_then_refuses() {
        let mut next = 9;
        assert_eq!(allocate(&mut next, 10), Ok(9));
        assert_eq!(allocate(&mut next, 10), Ok(10));
        assert_eq!(allocate(&mut next, 10), Err(Exhausted { largest: 10 }));
        assert_eq!(next, 11, "a used-up counter stays where it is");
        let mut top = u64::MAX;
        assert_eq!(allocate(&mut top, u64::MAX), Err(Exhausted { largest: u64::MAX }));
        assert_eq!(top, u64::MAX);
    }

    #[test]
    fn check_counter_allows_a_used_up_counter_and_nothing_past_it() {
        assert!(check_counter(11, 10, String::new).is_ok());
        let problem = check_counter(12, 10, || "ids.employee".into()).err();
        assert_eq!(problem.map(|p| p.path), Some("ids.employee".to_owned()));
        assert!(check_counter(u64::MAX, u64::MAX, String::new).is_ok());
    }

    #[test]
    fn tally_stops_at_the_json_safe_integer() {
        let mut count = JSON_SAFE_INTEGER - 1;
        tally(&mut count);
        tally(&mut count);
        assert_eq!(count, JSON_SAFE_INTEGER);
    }
}
