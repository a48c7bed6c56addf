//! DRF's `OrderingFilter`, kept ready: an ordering is sorted once per change of the state and
//! kept as record indexes, so a page of an ordered list is a slice. Each field
//! becomes a column of integer keys first (dates as microseconds, text as its rank), so sorting
//! 100,000 records compares integers, not strings or dates.

use crate::common::memo::Memo;
use crate::common::query::last;
use std::sync::Arc;

/// `ordering` terms: a field and whether it is descending.
pub type Terms<'f> = Vec<(&'f str, bool)>;

/// `OrderingFilter`: comma-separated fields, `-` for descending; unknown fields are dropped, and
/// the view's default (`id`) applies when none is left.
pub fn terms<'f>(pairs: &[(String, String)], fields: &[&'f str]) -> Terms<'f> {
    let terms: Terms<'f> = last(pairs, "ordering")
        .into_iter()
        .flat_map(|param| param.split(','))
        .filter_map(|term| {
            let term = term.trim();
            let (name, descending) = term.strip_prefix('-').map_or((term, false), |rest| (rest, true));
            fields.iter().find(|f| **f == name).map(|f| (*f, descending))
        })
        .collect();
    // Divergence: ties in the database's order are unspecified; the sandbox breaks them by id.
    if terms.is_empty() { vec![("id", false)] } else { terms }
}

/// Whether the terms are the stored order (ascending id).
pub fn by_id(terms: &[(&str, bool)]) -> bool {
    matches!(terms, [("id", false)])
}

/// One list's kept orderings.
pub struct Orders<'s> {
    /// The state's memo of orderings.
    pub memo: &'s Memo<Arc<[u32]>>,
    /// Which tenant and list.
    pub list: String,
}

impl Orders<'_> {
    /// The record indexes in the terms' order, `None` for the stored (id) order. `column(field)`
    /// gives every record's ascending key for a field. Ties keep the stored order (by id).
    pub fn of(&self, terms: &[(&str, bool)], len: usize, column: impl Fn(&str) -> Vec<i64>) -> Option<Arc<[u32]>> {
        if by_id(terms) {
            return None;
        }
        let spelled: Vec<String> = terms.iter().map(|(f, d)| format!("{}{f}", if *d { "-" } else { "" })).collect();
        let key = format!("{} {}", self.list, spelled.join(","));
        let sorted = self.memo.get_or_try::<()>(&key, || {
            let columns: Vec<Vec<i64>> = terms
                .iter()
                .map(|(field, descending)| {
                    let keys = column(field);
                    // `!k` reverses the order without overflow (NULLs first when descending).
                    if *descending { keys.into_iter().map(|k| !k).collect() } else { keys }
                })
                .collect();
            let mut order: Vec<u32> = (0..u32::try_from(len).unwrap_or(u32::MAX)).collect();
            order.sort_unstable_by(|a, b| {
                let (a, b) = (*a as usize, *b as usize);
                columns.iter().map(|c| c[a].cmp(&c[b])).find(|o| o.is_ne()).unwrap_or_else(|| a.cmp(&b))
            });
            Ok(order.into())
        });
        sorted.ok()
    }
}

/// Each item's rank among `items` by `key` (equal keys, equal ranks): text and other orderable
/// values as integers.
pub fn ranks<T, K: Ord>(items: &[T], key: impl Fn(&T) -> K) -> Vec<i64> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|i| key(&items[*i]));
    let mut ranks = vec![0; items.len()];
    for (position, pair) in order.windows(2).enumerate() {
        let same = key(&items[pair[0]]) == key(&items[pair[1]]);
        ranks[pair[1]] = if same { ranks[pair[0]] } else { position as i64 + 1 };
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::ranks;

    #[test]
    fn equal_keys_share_a_rank() {
        assert_eq!(ranks(&["b", "a", "b", "c"], |s| *s), vec![1, 0, 1, 3]);
        assert_eq!(ranks::<&str, &str>(&[], |s| *s), Vec::<i64>::new());
    }
}
