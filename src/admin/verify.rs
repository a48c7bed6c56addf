//! Assertions over a sandbox's journal, for test authors: `POST /__admin/requests/find`,
//! `POST /__admin/requests/verify` (with the closest near misses when it fails) and
//! `GET /__admin/requests/unmatched`. A matcher is the scenario files' `when` (parsed by the
//! same code) plus `status` and `direction`.

use super::context::{Admin, AdminResult, required_json, sandbox};
use super::error::AdminError;
use super::model::SandboxQuery;
use crate::journal::JournalEntry;
use crate::scenario::loader::compile_when;
use crate::scenario::matcher::{Matcher, Mismatch, RequestFacts};
use crate::scenario::model::WhenSpec;
use crate::vendor::known_to_scenarios;
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::{HttpResponse, web};
use bytes::Bytes;
use serde_json::{Map, Value, json};

/// Near misses shown when a verification fails.
const NEAR_MISSES: usize = 3;

/// What a find or a verification looks for.
struct Wanted {
    when: Matcher,
    status: Option<u16>,
    direction: Option<String>,
}

impl Wanted {
    /// Takes `status` and `direction` out of the body and compiles the rest as a `when` (the
    /// vendor defaults to `*`); unknown keys are refused by the `when` schema.
    fn parse(mut body: Map<String, Value>, admin: &Admin) -> Result<Self, AdminError> {
        let status = match body.remove("status") {
            None | Some(Value::Null) => None,
            Some(value) => Some(
                value
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .filter(|s| (100..=599).contains(s))
                    .ok_or_else(|| AdminError::bad_request("status must be an HTTP status code (100 to 599)"))?,
            ),
        };
        let direction = match body.remove("direction") {
            None | Some(Value::Null) => None,
            Some(Value::String(d)) if d == "inbound" || d == "outbound" => Some(d),
            Some(_) => return Err(AdminError::bad_request("direction must be inbound or outbound")),
        };
        body.entry("vendor").or_insert_with(|| json!("*"));
        let spec: WhenSpec = serde_json::from_value(Value::Object(body))
            .map_err(|e| AdminError::bad_request(format!("matcher: {e}")))?;
        let when = compile_when(spec, &known_to_scenarios(admin.registry.vendors()))
            .map_err(|e| AdminError::bad_request(format!("matcher: {e}")))?;
        Ok(Self { when, status, direction })
    }

    /// Whether `entry` is one that is wanted.
    fn matches(&self, entry: &JournalEntry) -> bool {
        self.status.is_none_or(|s| s == entry.status)
            && self.direction.as_deref().is_none_or(|d| d == entry.direction)
            && self.when.matches(&facts(entry, &entry_headers(entry)))
    }

    /// Every way `entry` differs from what is wanted (at most one per field of the matcher,
    /// which the budget bounds).
    fn mismatches(&self, entry: &JournalEntry) -> Vec<Mismatch> {
        let mut found = self.when.mismatches(&facts(entry, &entry_headers(entry)));
        if let Some(status) = self.status.filter(|s| *s != entry.status) {
            found.push(Mismatch { field: "status".into(), expected: json!(status), actual: json!(entry.status) });
        }
        if let Some(direction) = self.direction.as_deref().filter(|d| *d != entry.direction) {
            found.push(Mismatch {
                field: "direction".into(),
                expected: json!(direction),
                actual: json!(entry.direction),
            });
        }
        found
    }
}

fn entry_headers(entry: &JournalEntry) -> HeaderMap {
    entry.headers.to_header_map()
}

fn facts<'e>(entry: &'e JournalEntry, headers: &'e HeaderMap) -> RequestFacts<'e> {
    let query = entry.uri.query().unwrap_or("");
    RequestFacts::new(entry.vendor, &entry.method, entry.path(), query, headers, &entry.body)
}

/// How close a near miss is; smaller is closer: fewest failed fields, then the closest path,
/// then the newest.
type Closeness = (usize, usize, std::cmp::Reverse<u64>);

/// The [`NEAR_MISSES`] closest entries that do not match, kept while the journal is scanned, so
/// a verification holds at most that many entries' mismatches whatever the journal's size.
#[derive(Default)]
struct NearMisses<'e> {
    closest: Vec<(Closeness, &'e JournalEntry, Vec<Mismatch>)>,
}

impl<'e> NearMisses<'e> {
    fn offer(&mut self, entry: &'e JournalEntry, mismatches: Vec<Mismatch>) {
        // More failed fields than the farthest kept: not closer, whatever its path.
        if self.closest.len() == NEAR_MISSES && self.closest.last().is_some_and(|(far, _, _)| mismatches.len() > far.0)
        {
            return;
        }
        let closeness = (mismatches.len(), path_distance(&mismatches), std::cmp::Reverse(entry.seq));
        let at = self.closest.partition_point(|(kept, _, _)| *kept <= closeness);
        if at < NEAR_MISSES {
            self.closest.insert(at, (closeness, entry, mismatches));
            self.closest.truncate(NEAR_MISSES);
        }
    }

    fn into_json(self) -> Vec<Value> {
        let shown = self.closest.into_iter();
        shown.map(|(_, entry, mismatches)| json!({"request": entry, "mismatches": mismatches})).collect()
    }
}

/// How far the path a near miss had is from the glob wanted (0 when the path matched).
fn path_distance(mismatches: &[Mismatch]) -> usize {
    mismatches.iter().find(|m| m.field == "path").map_or(0, |m| {
        let (expected, actual) = (m.expected.as_str().unwrap_or(""), m.actual.as_str().unwrap_or(""));
        edit_distance(expected, actual)
    })
}

fn object(body: &Bytes) -> Result<Map<String, Value>, AdminError> {
    match required_json::<Value>(body)? {
        Value::Object(map) => Ok(map),
        _ => Err(AdminError::bad_request("the matcher must be a JSON object")),
    }
}

fn count_field(body: &mut Map<String, Value>, name: &str) -> Result<Option<u64>, AdminError> {
    match body.remove(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_u64()
            .map(Some)
            .ok_or_else(|| AdminError::bad_request(format!("{name} must be a whole number >= 0"))),
    }
}

fn with_evicted(mut answer: Value, evicted: u64) -> Value {
    if evicted > 0 {
        answer["evicted"] = json!(evicted);
        answer["evicted_note"] =
            json!(format!("{evicted} older requests were evicted from the journal and not looked at"));
    }
    answer
}

/// `POST /__admin/requests/find`: `{"count", "requests"}`, the newest `limit` last.
pub async fn find(admin: Admin, query: web::Query<SandboxQuery>, body: Bytes) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let mut body = object(&body)?;
    let limit = count_field(&mut body, "limit")?.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    let wanted = Wanted::parse(body, &admin)?;
    let (entries, evicted) = sandbox.journal.all();
    let matching: Vec<&JournalEntry> = entries.iter().filter(|entry| wanted.matches(entry)).collect();
    let shown = &matching[matching.len().saturating_sub(limit)..];
    Ok(HttpResponse::Ok().json(with_evicted(json!({"count": matching.len(), "requests": shown}), evicted)))
}

/// `POST /__admin/requests/verify`: a matcher and `count`, or `at_least` and/or `at_most`. 200
/// `{"ok": true, "count"}` when it holds; 422 with the closest near misses when not.
pub async fn verify(admin: Admin, query: web::Query<SandboxQuery>, body: Bytes) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let mut body = object(&body)?;
    let (exact, at_least, at_most) =
        (count_field(&mut body, "count")?, count_field(&mut body, "at_least")?, count_field(&mut body, "at_most")?);
    let mut expected = Map::new();
    match (exact, at_least, at_most) {
        (None, None, None) => return Err(AdminError::bad_request("give count, or at_least and/or at_most")),
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return Err(AdminError::bad_request("count cannot be combined with at_least or at_most"));
        }
        _ => {}
    }
    for (name, value) in [("count", exact), ("at_least", at_least), ("at_most", at_most)] {
        if let Some(value) = value {
            expected.insert(name.into(), json!(value));
        }
    }
    let wanted = Wanted::parse(body, &admin)?;
    let (entries, evicted) = sandbox.journal.all();
    let (mut count, mut near_misses) = (0_u64, NearMisses::default());
    for entry in &entries {
        let mismatches = wanted.mismatches(entry);
        if mismatches.is_empty() { count += 1 } else { near_misses.offer(entry, mismatches) }
    }
    let holds =
        exact.is_none_or(|n| count == n) && at_least.is_none_or(|n| count >= n) && at_most.is_none_or(|n| count <= n);
    if holds {
        return Ok(HttpResponse::Ok().json(with_evicted(json!({"ok": true, "count": count}), evicted)));
    }
    let answer = json!({
        "ok": false, "count": count, "expected": expected, "near_misses": near_misses.into_json(),
    });
    Ok(HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY).json(with_evicted(answer, evicted)))
}

/// Levenshtein distance over bytes, on at most the first 256 of each (paths are short).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (&a.as_bytes()[..a.len().min(256)], &b.as_bytes()[..b.len().min(256)]);
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            current[j + 1] = (previous[j] + usize::from(x != y)).min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// `GET /__admin/requests/unmatched`: inbound calls that reached no emulated operation.
pub async fn unmatched(admin: Admin, query: web::Query<SandboxQuery>) -> AdminResult {
    Ok(HttpResponse::Ok().json(sandbox(&admin, query.sandbox.as_deref())?.journal.unmatched()))
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn edit_distance_counts_single_byte_edits() {
        assert_eq!(edit_distance("/api/users/", "/api/user/"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
