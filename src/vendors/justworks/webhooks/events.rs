//! Events as they happen: each is queued, once per webhook subscribed to its type, as the
//! envelope's `{id, event_type, event_created_at, data}` (`event_delivered_at` is added at each
//! attempt). A member's `data` is the member as `GET /v1/members/{id}` shows it to the webhook's
//! app (its scopes pick the fields); a department's is `{id, name}`. With no webhook registered
//! nothing is built (one length check).

use super::super::model::Reference;
use super::super::scopes::Granted;
use super::super::seed::prefixed_id;
use super::super::store::State;
use super::super::views;
use super::{Status, Webhook, Webhooks};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

/// An RFC 3339 time to the second, as the envelope carries it.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl State {
    /// Queues `event_type` about the member at `slot`, happened at `at`.
    pub(in crate::vendors::justworks) fn emit_member(&mut self, event_type: &str, slot: usize, at: DateTime<Utc>) {
        if self.webhooks.list.is_empty() {
            return;
        }
        let State { webhooks, members, apps, company, .. } = self;
        let Some(member) = members.get(slot) else { return };
        emit(webhooks, event_type, at, |hook| {
            let scopes = apps.iter().find(|a| a.client_id == hook.client_id).map(|a| a.scopes.join(" "));
            views::member(member, &company.id, &Granted::from_list(&scopes.unwrap_or_default()))
        });
    }

    /// Queues `event_type` about `department`, happened at `at`.
    pub(in crate::vendors::justworks) fn emit_department(
        &mut self,
        event_type: &str,
        department: &Reference,
        at: DateTime<Utc>,
    ) {
        if self.webhooks.list.is_empty() {
            return;
        }
        emit(&mut self.webhooks, event_type, at, |_| json!({"id": department.id, "name": department.name}));
    }
}

/// Queues one event for every webhook subscribed to it (held for a closed one), all under one id.
fn emit(webhooks: &mut Webhooks, event_type: &str, at: DateTime<Utc>, data: impl Fn(&Webhook) -> Value) {
    let subscribed: Vec<usize> =
        (0..webhooks.list.len()).filter(|i| webhooks.list[*i].event_types.iter().any(|t| t == event_type)).collect();
    if subscribed.is_empty() {
        return;
    }
    let id = prefixed_id(&mut webhooks.rng, "event");
    for i in subscribed {
        let hook = &webhooks.list[i];
        let event = json!({"id": id, "event_type": event_type, "event_created_at": stamp(at), "data": data(hook)});
        let (target, held, faults) = (hook.id.clone(), hook.status == Status::Closed, hook.faults);
        webhooks.queue.push(&target, json!({"event": event}), at, (held, faults), &mut webhooks.rng);
    }
}

/// A sample event for `simulate` (no `payload_override`): the webhook's first event type about
/// the first member or department.
pub fn sample(state: &State, hook: &Webhook, at: DateTime<Utc>, id: &str) -> Value {
    let event_type = hook.event_types.first().map_or("member.profile.updated", String::as_str);
    let data = if event_type.starts_with("member.") {
        let scopes = state.app(&hook.client_id).map(|a| a.scopes.join(" ")).unwrap_or_default();
        let member = state.members.first();
        member.map_or(json!({}), |m| views::member(m, &state.company.id, &Granted::from_list(&scopes)))
    } else {
        state.company.departments.first().map_or(json!({}), |d| json!({"id": d.id, "name": d.name}))
    };
    json!({"id": id, "event_type": event_type, "event_created_at": stamp(at), "data": data})
}
