//! The one wildcard rule of the sandbox's filters: `*` matches any run of characters.

/// `*` matches any run of characters (also `/`); everything else matches itself.
///
/// The text must start with what comes before the first `*` and end with what follows the last;
/// the pieces in between are found leftmost-first, each after the previous one (the leftmost
/// place leaves the most room for the rest, so no other choice can succeed where it fails).
/// Each byte of the text is searched at most once per piece boundary, so the cost is linear in
/// the text and the pattern, and nothing is allocated, however many `*`s there are.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let Some((head, rest)) = pattern.split_once('*') else { return pattern == text };
    let (middle, tail) = rest.rsplit_once('*').unwrap_or(("", rest));
    if text.len() < head.len() + tail.len() || !text.starts_with(head) || !text.ends_with(tail) {
        return false;
    }
    let mut free = &text[head.len()..text.len() - tail.len()];
    for piece in middle.split('*').filter(|piece| !piece.is_empty()) {
        match free.find(piece) {
            Some(at) => free = &free[at + piece.len()..],
            None => return false,
        }
    }
    true
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
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("**", "x"));
        assert!(wildcard_match("a*a", "aa"));
        assert!(!wildcard_match("a*a", "a"));
        assert!(wildcard_match("*x*x", "xx"));
        assert!(!wildcard_match("*x*x*x", "xx"));
        assert!(wildcard_match("*ab*b", "abb"));
        assert!(wildcard_match("*é*", "café"));
    }

    #[test]
    fn wildcard_match_with_many_stars_against_a_long_text_is_linear() {
        // A quadratic or backtracking matcher would not finish this in a test's lifetime.
        let pattern = "*a".repeat(100_000);
        let text = "b".repeat(1_000_000);
        assert!(!wildcard_match(&pattern, &text));
        assert!(wildcard_match(&pattern, &"a".repeat(100_000)));
    }
}
