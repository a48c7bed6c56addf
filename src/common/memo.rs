//! A small bounded memo for answers that are pure functions of state that has not changed: list
//! pages (keyed by tenant and URL, cleared on every change) and verified tokens (keyed by the
//! token, valid while the signing secret is). Lookups clone refcounted values only.

use parking_lot::Mutex;
// FxHash: keys are long URLs and tokens hashed on every list request; SipHash's DoS resistance
// buys nothing for a local sandbox's own memo.
use rustc_hash::FxHashMap as HashMap;

/// Entries kept before the memo starts over (a sandbox sees few distinct keys).
const CAPACITY: usize = 256;

/// Memoized values by key.
#[derive(Debug)]
pub struct Memo<V> {
    entries: Mutex<HashMap<String, V>>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Self { entries: Mutex::new(HashMap::default()) }
    }
}

impl<V: Clone> Memo<V> {
    /// The value for `key`, computing and keeping it on a miss; errors are not kept.
    pub fn get_or_try<E>(&self, key: &str, compute: impl FnOnce() -> Result<V, E>) -> Result<V, E> {
        if let Some(value) = self.entries.lock().get(key) {
            return Ok(value.clone());
        }
        let value = compute()?;
        let mut entries = self.entries.lock();
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(key.to_owned(), value.clone());
        Ok(value)
    }

    /// Forgets everything (the state it was computed from changed).
    pub fn clear(&self) {
        self.entries.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::Memo;

    #[test]
    fn get_or_try_computes_once_and_forgets_on_clear() {
        let memo = Memo::default();
        let mut calls = 0;
        let mut get = |memo: &Memo<u32>| {
            memo.get_or_try::<()>("k", || {
                calls += 1;
                Ok(7)
            })
        };
        assert_eq!(get(&memo), Ok(7));
        assert_eq!(get(&memo), Ok(7));
        memo.clear();
        assert_eq!(get(&memo), Ok(7));
        assert_eq!(calls, 2);
        assert_eq!(memo.get_or_try::<&str>("e", || Err("no")), Err("no"));
    }
}
