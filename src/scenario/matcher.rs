//! Which requests a rule looks at. Compiled once at load, so matching costs a few comparisons.

use actix_web::http::Method;
use actix_web::http::header::HeaderMap;

/// What the engine knows of a request when it decides.
pub struct RequestFacts<'a> {
    /// Vendor id.
    pub vendor: &'a str,
    /// HTTP method.
    pub method: &'a Method,
    /// Path relative to the vendor prefix.
    pub path: &'a str,
    /// Raw query string.
    pub query: &'a str,
    /// Request headers.
    pub headers: &'a HeaderMap,
    /// The buffered body.
    pub body: &'a [u8],
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

impl Matcher {
    /// Whether the request is one this rule looks at; cheapest checks first.
    pub fn matches(&self, facts: &RequestFacts<'_>) -> bool {
        self.vendor.as_deref().is_none_or(|v| v == facts.vendor)
            && self.method.as_ref().is_none_or(|m| m == facts.method)
            && self.path.as_ref().is_none_or(|glob| glob.matches(facts.path))
            && self.headers.iter().all(|(name, value)| {
                facts.headers.get(name.as_str()).and_then(|v| v.to_str().ok()) == Some(value.as_str())
            })
            && self.body_contains.as_ref().is_none_or(|needle| contains(facts.body, needle.as_bytes()))
            && (self.query.is_empty() || self.query_matches(facts.query))
    }

    fn query_matches(&self, raw: &str) -> bool {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw).unwrap_or_default();
        self.query.iter().all(|wanted| pairs.contains(wanted))
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// A path glob: `*` matches one segment, `**` any number of segments (also none).
#[derive(Debug, Clone)]
pub struct PathGlob {
    segments: Vec<Part>,
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
    /// Compiles a glob; `Err` says why it is not one.
    pub fn parse(glob: &str) -> Result<Self, String> {
        if !glob.starts_with('/') {
            return Err(format!("path glob '{glob}' must start with '/'"));
        }
        let segments = glob[1..]
            .split('/')
            .map(|s| match s {
                "**" => Ok(Part::AnyDepth),
                "*" => Ok(Part::AnyOne),
                s if s.contains("**") => Err(format!("path glob '{glob}': '**' must be a whole segment")),
                s if s.contains('*') => Ok(Part::Pattern(s.to_owned())),
                s => Ok(Part::Literal(s.to_owned())),
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { segments })
    }

    /// Whether a path (relative to the vendor prefix) matches.
    pub fn matches(&self, path: &str) -> bool {
        let parts: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
        match_from(&self.segments, &parts)
    }
}

fn match_from(globs: &[Part], parts: &[&str]) -> bool {
    match (globs.first(), parts.first()) {
        (None, None) => true,
        (Some(Part::AnyDepth), _) => (0..=parts.len()).any(|skip| match_from(&globs[1..], &parts[skip..])),
        (None, Some(_)) | (Some(_), None) => false,
        (Some(glob), Some(part)) => {
            let ok = match glob {
                Part::Literal(text) => text == part,
                Part::AnyOne => true,
                Part::Pattern(pattern) => crate::common::wildcard::wildcard_match(pattern, part),
                Part::AnyDepth => false,
            };
            ok && match_from(&globs[1..], &parts[1..])
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
    }
}
