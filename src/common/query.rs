//! Query strings (and form bodies) as the vendors read them: the pairs in order, blank values
//! kept, and the last value of a repeated key winning (Django's `QueryDict.get`, Rails' and
//! Spring's single-value reads alike).

/// `text` (a query string or a form body) decoded into pairs (`parse_qs` with
/// `keep_blank_values`); undecodable text is no pairs.
pub fn pairs(text: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(text).unwrap_or_default()
}

/// The last value of `key`, as Django's `QueryDict.get` returns it.
pub fn last<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}
