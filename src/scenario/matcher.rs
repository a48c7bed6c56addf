//! Which requests a rule looks at. Compiled once at load, so matching costs a few comparisons.
//!
//! A matcher's size is bounded (the budget below), the same for scenario `when`s and for the
//! journal's find and verify, since each is matched against every request or journal entry.

use actix_web::http::Method;
use actix_web::http::header::HeaderMap;
use serde::Serialize;
use serde_json::{Value, json};
use std::cell::OnceCell;

/// Query parameters, or headers, one matcher may name (real rules name a handful).
pub const MAX_PAIRS: usize = 64;
/// Characters of a `body_contains` (the journal keeps 8 KiB of a body, so a longer one never
/// matches there). Lengths are counted in characters, as JSON Schema's `maxLength` counts them.
pub const MAX_BODY_CONTAINS_CHARS: usize = 8 * 1024;
/// Characters of a glob: a path glob, a journal `path` filter, an `item_error` field glob.
pub const MAX_GLOB_CHARS: usize = 1024;

/// Refuses a glob past [`MAX_GLOB_CHARS`], naming `what` (the glob itself is not echoed).
pub fn check_glob(what: &str, glob: &str) -> Result<(), String> {
    let length = glob.chars().count();
    if length > MAX_GLOB_CHARS {
        return Err(format!("{what}: {length} characters; a glob has at most {MAX_GLOB_CHARS}"));
    }
    Ok(())
}

/// What the engine knows of a request when it decides.
pub struct RequestFacts<'a> {
    /// Vendor id.
    pub vendor: &'a str,
    /// HTTP method.
    pub method: &'a Method,
    /// Path relative to the vendor prefix, percent-decoded as the router saw it.
    pub path: &'a str,
    /// Raw query string.
    pub query: &'a str,
    /// Request headers.
    pub headers: &'a HeaderMap,
    /// The buffered body.
    pub body: &'a [u8],
    /// The query's pairs, parsed the first time a matcher needs them and then shared by every
    /// rule: nothing is parsed (or allocated) for a request no query matcher looks at.
    pairs: OnceCell<Vec<(String, String)>>,
}

impl<'a> RequestFacts<'a> {
    /// The facts of one request; its query is parsed only if a matcher asks.
    pub fn new(
        vendor: &'a str,
        method: &'a Method,
        path: &'a str,
        query: &'a str,
        headers: &'a HeaderMap,
        body: &'a [u8],
    ) -> Self {
        Self { vendor, method, path, query, headers, body, pairs: OnceCell::new() }
    }

    /// The query's `(name, value)` pairs, decoded, parsed once.
    fn query_pairs(&self) -> &[(String, String)] {
        self.pairs.get_or_init(|| crate::common::query::pairs(self.query))
    }
}

/// A compiled `when`.
#[derive(Debug)]
pub struct Matcher {
    /// `None` for `*`.
    pub vendor: Option<String>,
    /// `None` for any.
    pub method: Option<Method>,
    /// `None` for any.
    pub path: Option<PathGlob>,
    /// Exact query parameters.
    pub query: Vec<(String, String)>,
    /// Exact headers (lower-cased names).
    pub headers: Vec<(String, String)>,
    /// Body substring.
    pub body_contains: Option<String>,
}

/// One way a request differs from a matcher: the field, what was wanted, what the request had.
#[derive(Debug, Clone, Serialize)]
pub struct Mismatch {
    /// `vendor`, `method`, `path`, `query.<name>`, `headers.<name>`, `body_contains`.
    pub field: String,
    /// What the matcher wants.
    pub expected: Value,
    /// What the request had (`null` when it had nothing).
    pub actual: Value,
}

impl Matcher {
    /// Whether the request is one this rule looks at; cheapest checks first.
    pub fn matches(&self, facts: &RequestFacts<'_>) -> bool {
        self.vendor_ok(facts)
            && self.method.as_ref().is_none_or(|m| m == facts.method)
            && self.path.as_ref().is_none_or(|glob| glob.matches(facts.path))
            && self.headers.iter().all(|(name, value)| header(facts, name) == Some(value.as_str()))
            && self.body_ok(facts)
            && (self.query.is_empty() || self.query.iter().all(|wanted| facts.query_pairs().contains(wanted)))
    }

    /// Every way the request differs from this matcher (none when it matches), in the order
    /// `vendor`, `method`, `path`, `query`, `headers`, `body_contains`.
    pub fn mismatches(&self, facts: &RequestFacts<'_>) -> Vec<Mismatch> {
        let mut found = Vec::new();
        let mut differ = |field: String, expected: Value, actual: Value| {
            found.push(Mismatch { field, expected, actual });
        };
        if !self.vendor_ok(facts) {
            differ("vendor".into(), json!(self.vendor), json!(facts.vendor));
        }
        if let Some(method) = self.method.as_ref().filter(|m| *m != facts.method) {
            differ("method".into(), json!(method.as_str()), json!(facts.method.as_str()));
        }
        if let Some(glob) = self.path.as_ref().filter(|glob| !glob.matches(facts.path)) {
            differ("path".into(), json!(glob.text()), json!(facts.path));
        }
        let pairs = if self.query.is_empty() { &[][..] } else { facts.query_pairs() };
        for (name, value) in self.query.iter().filter(|wanted| !pairs.contains(wanted)) {
            let actual = pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
            differ(format!("query.{name}"), json!(value), json!(actual));
        }
        for (name, value) in &self.headers {
            let actual = header(facts, name);
            if actual != Some(value.as_str()) {
                differ(format!("headers.{name}"), json!(value), json!(actual));
            }
        }
        if !self.body_ok(facts) {
            differ("body_contains".into(), json!(self.body_contains), json!(body_excerpt(facts.body)));
        }
        found
    }

    fn vendor_ok(&self, facts: &RequestFacts<'_>) -> bool {
        self.vendor.as_deref().is_none_or(|v| v == facts.vendor)
    }

    fn body_ok(&self, facts: &RequestFacts<'_>) -> bool {
        self.body_contains.as_ref().is_none_or(|needle| contains(facts.body, needle.as_bytes()))
    }
}

fn header<'f>(facts: &RequestFacts<'f>, name: &str) -> Option<&'f str> {
    facts.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The start of a body, for a near miss's `actual` (a whole body would drown the answer).
fn body_excerpt(body: &[u8]) -> Option<String> {
    const SHOWN: usize = 200;
    if body.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(&body[..body.len().min(SHOWN)]).into_owned();
    Some(if body.len() > SHOWN { format!("{text}...") } else { text })
}

/// A substring search in linear time (a 1 MiB body against any needle stays cheap).
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// Segments in one path glob (real vendor paths have fewer than a dozen).
const MAX_GLOB_SEGMENTS: usize = 64;

/// A path glob: `*` matches one segment, `**` any number of segments (also none).
#[derive(Debug, Clone)]
pub struct PathGlob {
    segments: Vec<Part>,
    /// Whether a segment is `**`; without one, a path matches only with as many segments.
    any_depth: bool,
    text: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Literal(String),
    /// A segment with `*` inside (`emp*`): `*` matches within the segment.
    Pattern(String),
    AnyOne,
    AnyDepth,
}

impl PathGlob {
    /// Compiles a glob; `Err` says why it is not one (without echoing a glob past the budget).
    pub fn parse(glob: &str) -> Result<Self, String> {
        check_glob("path", glob)?;
        if !glob.starts_with('/') {
            return Err(format!("path glob '{glob}' must start with '/'"));
        }
        if glob.split('/').count() > MAX_GLOB_SEGMENTS {
            return Err(format!("path glob '{glob}' has more than {MAX_GLOB_SEGMENTS} segments"));
        }
        let segments: Vec<Part> = glob[1..]
            .split('/')
            .map(|s| match s {
                "**" => Ok(Part::AnyDepth),
                "*" => Ok(Part::AnyOne),
                s if s.contains("**") => Err(format!("path glob '{glob}': '**' must be a whole segment")),
                s if s.contains('*') => Ok(Part::Pattern(s.to_owned())),
                s => Ok(Part::Literal(s.to_owned())),
            })
            .collect::<Result<_, _>>()?;
        let any_depth = segments.contains(&Part::AnyDepth);
        Ok(Self { segments, any_depth, text: glob.to_owned() })
    }

    /// The glob as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether a path (relative to the vendor prefix) matches. A glob without `**` compares
    /// segment by segment, allocating nothing; one with `**` keeps the set of path positions
    /// reachable so far in one pass over the glob, so matching costs O(glob x path) whatever
    /// the `**`s: no backtracking, however hostile the rule or the path.
    pub fn matches(&self, path: &str) -> bool {
        let path = path.strip_prefix('/').unwrap_or(path);
        if !self.any_depth {
            let mut parts = path.split('/');
            let all_match =
                self.segments.iter().all(|glob| parts.next().is_some_and(|part| glob.matches_segment(part)));
            return all_match && parts.next().is_none();
        }
        let parts: Vec<&str> = path.split('/').collect();
        // reachable[i]: the globs so far can consume exactly the first i parts.
        let mut reachable = vec![false; parts.len() + 1];
        reachable[0] = true;
        let mut next = vec![false; parts.len() + 1];
        for glob in &self.segments {
            match glob {
                Part::AnyDepth => {
                    let mut seen = false;
                    for (i, slot) in next.iter_mut().enumerate() {
                        seen |= reachable[i];
                        *slot = seen;
                    }
                }
                one => {
                    next[0] = false;
                    for (i, part) in parts.iter().enumerate() {
                        next[i + 1] = reachable[i] && one.matches_segment(part);
                    }
                }
            }
            std::mem::swap(&mut reachable, &mut next);
        }
        reachable[parts.len()]
    }
}

impl Part {
    /// Whether one path segment matches this (non-`**`) glob segment.
    fn matches_segment(&self, part: &str) -> bool {
        match self {
            Part::Literal(text) => text == part,
            Part::AnyOne => true,
            Part::Pattern(pattern) => crate::common::wildcard::wildcard_match(pattern, part),
            Part::AnyDepth => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PathGlob;

    #[test]
    fn path_glob_star_is_one_segment_and_double_star_any() {
        let glob = |g: &str| PathGlob::parse(g).expect("valid");
        assert!(glob("/api/*/").matches("/api/users/"));
        assert!(!glob("/api/*").matches("/api/users/x"));
        assert!(glob("/api/**").matches("/api/users/x/y"));
        assert!(glob("/**").matches("/"));
        assert!(glob("/api/**/check-request/*/").matches("/api/company/employees/check-request/abc/"));
        assert!(glob("/api/emp*/").matches("/api/employees/"));
        assert!(!glob("/api/emp*/").matches("/api/sequences/"));
        assert!(PathGlob::parse("api").is_err());
        assert!(PathGlob::parse("/a**b").is_err());
        assert!(!glob("/api/**/x").matches("/api/a/b/x/y"));
        assert!(glob("/**/x/**").matches("/a/x/b"));
    }

    #[test]
    fn path_glob_past_the_budget_is_refused_without_echoing_it() {
        let error = PathGlob::parse(&format!("/{}", "*a".repeat(600))).expect_err("too long");
        assert!(error.contains("at most 1024") && error.len() < 100, "{error}");
    }

    #[test]
    fn many_double_stars_against_a_long_path_do_not_backtrack() {
        let glob = PathGlob::parse(&format!("{}/x", "/**".repeat(60))).expect("valid");
        let path = "/a".repeat(10_000);
        assert!(!glob.matches(&path));
        assert!(glob.matches(&format!("{path}/x")));
    }
}
