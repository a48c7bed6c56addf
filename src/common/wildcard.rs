//! The one wildcard rule of the sandbox's filters: `*` matches any run of characters.

/// `*` matches any run of characters (also `/`); everything else matches itself.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else { return rest.is_empty() };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_match_handles_stars() {
        assert!(wildcard_match("/api/employees/", "/api/employees/"));
        assert!(!wildcard_match("/api/employees/", "/api/employees/x"));
        assert!(wildcard_match("/api/*", "/api/users/"));
        assert!(wildcard_match("*/users/", "/api/users/"));
        assert!(wildcard_match("/a*b*c", "/a-x-b-y-c"));
        assert!(!wildcard_match("/a*b*c", "/a-x-c"));
        assert!(!wildcard_match("/ab*ba", "/aba"));
    }
}
