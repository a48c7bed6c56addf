//! Bounded maps of things that expire on the sandbox clock (OAuth codes and tokens, login
//! sessions): a client that keeps asking for new ones cannot grow a sandbox without end.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// Entries one map keeps before it is pruned.
pub const CAP: usize = 4096;

/// Makes room for one more entry: past [`CAP`], what has expired goes first, then (if the
/// clock is frozen and nothing expires) the half that expires soonest. Amortized O(1) per insert.
pub fn make_room<K: Ord + Clone, V>(
    map: &mut BTreeMap<K, V>,
    now: DateTime<Utc>,
    expires_at: impl Fn(&V) -> DateTime<Utc>,
) {
    if map.len() < CAP {
        return;
    }
    map.retain(|_, v| expires_at(v) > now);
    if map.len() < CAP {
        return;
    }
    let mut expiries: Vec<DateTime<Utc>> = map.values().map(&expires_at).collect();
    let middle = expiries.len() / 2;
    let (_, cutoff, _) = expiries.select_nth_unstable(middle);
    let cutoff = *cutoff;
    map.retain(|_, v| expires_at(v) > cutoff);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn make_room_drops_expired_then_the_soonest_half() {
        let now = DateTime::UNIX_EPOCH + Duration::days(1);
        let mut map: BTreeMap<usize, DateTime<Utc>> =
            (0..CAP).map(|i| (i, now + Duration::seconds(i as i64 - 10))).collect();
        make_room(&mut map, now, |v| *v);
        assert_eq!(map.len(), CAP - 11, "the expired ones (and the one expiring now) went");
        let mut frozen: BTreeMap<usize, DateTime<Utc>> =
            (0..CAP).map(|i| (i, now + Duration::seconds(i as i64 + 1))).collect();
        make_room(&mut frozen, now, |v| *v);
        assert!(frozen.len() < CAP && frozen.len() >= CAP / 2 - 1);
        assert!(frozen.contains_key(&(CAP - 1)), "the longest-lived stay");
    }
}
