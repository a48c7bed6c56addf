//! `GET`/`PATCH /__admin/workforce`, `GET /__admin/workforce/people`, `GET`/`POST
//! /__admin/workforce/events`: the living workforce of a sandbox (see `crate::workforce`).
//! Every input is checked before anything changes.

use super::context::{Admin, AdminResult, required_json, sandbox};
use super::error::AdminError;
use crate::workforce::model::{Action, FieldChange, Kind, Settings, Status};
use crate::workforce::{MAX_EVENTS, State};
use actix_web::{HttpResponse, web};
use bytes::Bytes;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Most people or events one page shows.
pub const MAX_PAGE: usize = 1000;
/// The highest rate accepted, per month per 100 people.
pub const MAX_RATE: f64 = 100.0;

/// `PATCH /__admin/workforce`: any of the settings.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkforcePatch {
    /// Hires per month per 100 active people (0 to 100).
    pub hires_per_month: Option<f64>,
    /// Field changes per month per 100 active people (0 to 100).
    pub changes_per_month: Option<f64>,
    /// Terminations per month per 100 active people (0 to 100).
    pub terminations_per_month: Option<f64>,
    /// Rehires per month per 100 active people (0 to 100).
    pub rehires_per_month: Option<f64>,
    /// Whether a hire appears in every vendor taking part.
    pub shared: Option<bool>,
    /// The vendors taking part (null: every vendor served).
    #[serde(default, deserialize_with = "present")]
    pub vendors: Option<Option<Vec<String>>>,
}

/// A member that may be null: `Some(None)` when it is.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// What `POST /__admin/workforce/events` may ask for.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// A new person (`fields` optional).
    Hire,
    /// One field of `person` (`field`, `value`).
    Change,
    /// `person` leaves after `last_day`.
    ScheduleTermination,
    /// `person`'s scheduled termination is called off.
    CancelTermination,
    /// `person`, who left, comes back.
    Rehire,
}

/// `POST /__admin/workforce/events`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventRequest {
    /// What happens.
    #[serde(rename = "type")]
    pub kind: RequestKind,
    /// The person (`person_000001`), for all but `hire`.
    pub person: Option<String>,
    /// The field a `change` sets.
    pub field: Option<String>,
    /// Its new value (a person id for `manager`, or null for no manager).
    #[serde(default, deserialize_with = "present")]
    pub value: Option<Option<String>>,
    /// The last day of work (`schedule_termination`).
    pub last_day: Option<NaiveDate>,
    /// Fields of a `hire` (the others are drawn from the seed).
    pub fields: Option<BTreeMap<String, String>>,
    /// When it happens (RFC 3339, not before the sandbox clock); now when absent.
    pub effective_at: Option<String>,
}

/// `?sandbox=&status=&offset=&limit=` of the people list.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeopleQuery {
    sandbox: Option<String>,
    status: Option<Status>,
    #[serde(default)]
    offset: usize,
    limit: Option<usize>,
}

/// `?sandbox=&after=&kind=&limit=` of the event log.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    sandbox: Option<String>,
    #[serde(default)]
    after: u64,
    kind: Option<Kind>,
    limit: Option<usize>,
}

/// `?sandbox=`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkforceQuery {
    sandbox: Option<String>,
}

/// `GET /__admin/workforce`.
pub async fn get(admin: Admin, query: web::Query<WorkforceQuery>) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    Ok(HttpResponse::Ok().json(sandbox.with_workforce(|state, _, _, _| view(state))))
}

/// `PATCH /__admin/workforce`: the settings given change, all or none.
pub async fn patch(admin: Admin, query: web::Query<WorkforceQuery>, body: Bytes) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let patch: WorkforcePatch = required_json(&body)?;
    if let Some(Some(list)) = &patch.vendors
        && let Some(unknown) = list.iter().find(|v| !sandbox.vendor_ids().any(|id| id == v.as_str()))
    {
        return Err(AdminError::bad_request(format!("vendors: no vendor '{unknown}' is served")));
    }
    let view = sandbox.with_workforce(|state, _, _, _| {
        let next = patched(&state.settings, patch)?;
        state.settings = next;
        Ok::<_, AdminError>(view(state))
    })?;
    Ok(HttpResponse::Ok().json(view))
}

/// `settings` with `patch` applied, or the first bad member.
fn patched(settings: &Settings, patch: WorkforcePatch) -> Result<Settings, AdminError> {
    let rate = |name: &str, given: Option<f64>, now: f64| match given {
        None => Ok(now),
        Some(r) if r.is_finite() && (0.0..=MAX_RATE).contains(&r) => Ok(r),
        Some(_) => Err(AdminError::bad_request(format!("{name}: must be a number from 0 to {MAX_RATE}"))),
    };
    Ok(Settings {
        hires_per_month: rate("hires_per_month", patch.hires_per_month, settings.hires_per_month)?,
        changes_per_month: rate("changes_per_month", patch.changes_per_month, settings.changes_per_month)?,
        terminations_per_month: rate(
            "terminations_per_month",
            patch.terminations_per_month,
            settings.terminations_per_month,
        )?,
        rehires_per_month: rate("rehires_per_month", patch.rehires_per_month, settings.rehires_per_month)?,
        shared: patch.shared.unwrap_or(settings.shared),
        vendors: patch.vendors.unwrap_or_else(|| settings.vendors.clone()),
    })
}

/// The settings, counts and log position.
fn view(state: &State) -> Value {
    json!({
        "settings": state.settings,
        "cursor": state.cursor.map(|c| c.to_rfc3339_opts(SecondsFormat::Millis, true)),
        "counts": state.counts,
        "people": state.people.len(),
        "pending": state.pending,
        "events": {"last_seq": state.last_seq, "evicted": state.evicted, "kept_at_most": MAX_EVENTS},
    })
}

/// `GET /__admin/workforce/people`.
pub async fn people(admin: Admin, query: web::Query<PeopleQuery>) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let limit = page_limit(query.limit)?;
    let page = sandbox.with_workforce(|state, _, _, _| {
        let matching = state.people.iter().filter(|p| query.status.is_none_or(|s| p.status == s));
        let total = matching.clone().count();
        let people: Vec<_> = matching.skip(query.offset).take(limit).collect();
        json!({"total": total, "offset": query.offset, "people": people})
    });
    Ok(HttpResponse::Ok().json(page))
}

/// `GET /__admin/workforce/events`: the log after seq `after`, oldest first.
pub async fn events(admin: Admin, query: web::Query<EventsQuery>) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let limit = page_limit(query.limit)?;
    let page = sandbox.with_workforce(|state, _, _, _| {
        let start = state.events.partition_point(|e| e.seq <= query.after);
        let events: Vec<_> =
            state.events.range(start..).filter(|e| query.kind.is_none_or(|k| e.kind == k)).take(limit).collect();
        json!({"last_seq": state.last_seq, "evicted": state.evicted, "events": events})
    });
    Ok(HttpResponse::Ok().json(page))
}

fn page_limit(limit: Option<usize>) -> Result<usize, AdminError> {
    match limit.unwrap_or(100) {
        0 => Err(AdminError::bad_request(format!("limit: must be 1 to {MAX_PAGE}"))),
        n if n > MAX_PAGE => Err(AdminError::bad_request(format!("limit: must be 1 to {MAX_PAGE}"))),
        n => Ok(n),
    }
}

/// `POST /__admin/workforce/events`: 201 with the event, or 202 with `pending` when dated later.
pub async fn post_event(admin: Admin, query: web::Query<WorkforceQuery>, body: Bytes) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let request: EventRequest = required_json(&body)?;
    let at = match &request.effective_at {
        Some(text) => Some(
            DateTime::parse_from_rfc3339(text)
                .map_err(|e| AdminError::bad_request(format!("effective_at: not an RFC 3339 time ({e})")))?
                .with_timezone(&Utc),
        ),
        None => None,
    };
    if at.is_some_and(|at| at < sandbox.clock.now()) {
        return Err(AdminError::bad_request("effective_at: must not be before the sandbox clock"));
    }
    let action = action(request)?;
    match sandbox.workforce_submit(action, at).map_err(AdminError::bad_request)? {
        Some(event) => Ok(HttpResponse::Created().json(json!({"event": event}))),
        None => Ok(HttpResponse::Accepted().json(json!({"pending": true, "effective_at": at}))),
    }
}

/// The workforce action a request asks for, or the member it lacks or should not have.
fn action(request: EventRequest) -> Result<Action, AdminError> {
    let person = || request.person.clone().ok_or_else(|| AdminError::bad_request("person: required"));
    let only = |allowed: &[&str]| {
        let given = [
            ("person", request.person.is_some()),
            ("field", request.field.is_some()),
            ("value", request.value.is_some()),
            ("last_day", request.last_day.is_some()),
            ("fields", request.fields.is_some()),
        ];
        match given.iter().find(|(name, on)| *on && !allowed.contains(name)) {
            Some((name, _)) => Err(AdminError::bad_request(format!("{name}: not taken by this type"))),
            None => Ok(()),
        }
    };
    Ok(match request.kind {
        RequestKind::Hire => {
            only(&["fields"])?;
            Action::Hire { fields: request.fields.clone().unwrap_or_default() }
        }
        RequestKind::Change => {
            only(&["person", "field", "value"])?;
            let field = request.field.clone().ok_or_else(|| AdminError::bad_request("field: required"))?;
            let value = request.value.clone().ok_or_else(|| AdminError::bad_request("value: required"))?;
            Action::Change { person: person()?, change: FieldChange { field, value } }
        }
        RequestKind::ScheduleTermination => {
            only(&["person", "last_day"])?;
            let last_day = request.last_day.ok_or_else(|| AdminError::bad_request("last_day: required"))?;
            Action::ScheduleTermination { person: person()?, last_day }
        }
        RequestKind::CancelTermination => {
            only(&["person"])?;
            Action::CancelTermination { person: person()? }
        }
        RequestKind::Rehire => {
            only(&["person"])?;
            Action::Rehire { person: person()? }
        }
    })
}
