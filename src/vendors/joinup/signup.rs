//! The signup hook (Joinup -> client): someone signs up in the Joinup app with an email of a
//! registered domain, Joinup POSTs `{"email"}` to the tenant's hook URL with its raw
//! `Authorization`, and on 200 creates or updates the employee from the answer. Simulated by
//! `POST /__admin/vendors/joinup/signups {"email": ...}`.

use super::jobs;
use super::model::{ATTRIBUTES, BulkItem, Job, JobKind, Mode, Operation};
use super::store::State;
use crate::common::email::valid_email;
use crate::common::error::{ApiError, ErrorKind};
use crate::common::seeded::Shared;
use crate::outbound::{OutboundCall, OutboundResult};
use crate::vendor::ActionOutcome;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::time::Duration;

/// Signups the state keeps (the vendor state's `signups`), the newest; older ones are dropped.
pub const SIGNUPS_KEPT: usize = 1000;

/// Starts a simulated signup: the call to make, and how its answer changes the state.
pub fn start(state: &Arc<Shared<State>>, body: &Value) -> Result<ActionOutcome, ApiError> {
    let email = body
        .get("email")
        .and_then(Value::as_str)
        .filter(|e| valid_email(e))
        .ok_or_else(|| ApiError::with_message(ErrorKind::BadRequest, "give \"email\": a valid email address"))?
        .to_owned();
    let domain = email.rsplit('@').next().unwrap_or_default().to_ascii_lowercase();
    let guard = state.read();
    let hook = guard.settings.signup_hooks.iter().find(|(_, hook)| hook.domains.contains(&domain));
    let Some((tenant, hook)) = hook else {
        return Ok(ActionOutcome::Done(json!({
            "email": email,
            "outcome": "no_hook",
            "detail": format!("no tenant has a signup hook for the domain '{domain}'"),
        })));
    };
    let tenant = tenant.clone();
    let call = OutboundCall {
        vendor: "joinup",
        url: hook.url.clone(),
        authorization: hook.authorization.clone(),
        body: serde_json::to_vec(&json!({"email": email})).unwrap_or_default().into(),
        timeout: Duration::from_secs_f64(hook.timeout_seconds),
        ..OutboundCall::default()
    };
    drop(guard);
    let state = Arc::clone(state);
    let url = call.url.clone();
    let finish = Box::new(move |result: &OutboundResult, now: DateTime<Utc>| {
        let mut answer = json!({"email": email, "tenant": tenant, "hook_url": url});
        let outcome = apply(&mut state.write(), &tenant, &email, result, now, &mut answer);
        answer["outcome"] = json!(outcome);
        if let OutboundResult::Answered { status, .. } = result {
            answer["status"] = json!(status);
        }
        if let OutboundResult::Unreachable(reason) | OutboundResult::Refused(reason) = result {
            answer["detail"] = json!(reason);
        }
        let mut state = state.write();
        let mut record = answer.clone();
        record["at"] = json!(now.to_rfc3339());
        // Divergence: the sandbox's own record of signups keeps the newest SIGNUPS_KEPT.
        if state.signups.len() >= SIGNUPS_KEPT {
            state.signups.pop_front();
        }
        state.signups.push_back(record);
        answer
    });
    Ok(ActionOutcome::Call { call, finish })
}

/// What the answer means; on a usable 200 the employee is created or updated.
fn apply(
    state: &mut State,
    tenant: &str,
    email: &str,
    result: &OutboundResult,
    now: DateTime<Utc>,
    answer: &mut Value,
) -> &'static str {
    let body = match result {
        OutboundResult::Answered { status: 200, body } => body,
        OutboundResult::Answered { status: 400 | 401 | 403 | 404, .. } => return "rejected",
        OutboundResult::Answered { .. } => return "unexpected_status",
        OutboundResult::TimedOut => return "timeout",
        OutboundResult::Unreachable(_) => return "connection_failed",
        OutboundResult::Refused(_) => return "loop_refused",
    };
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return "invalid_answer";
    };
    let Some(index) = state.tenant_index(tenant) else { return "invalid_answer" };
    let mut item = employee_item(email, &fields);
    if state.tenants[index].mode == Mode::Group && item.company_name.is_none() && item.company_cif.is_none() {
        answer["detail"] = json!("a company group's answer needs company_name or company_cif");
        return "invalid_answer";
    }
    let existing = state.tenants[index].employees.iter().find(|e| e.base_email.eq_ignore_ascii_case(email));
    let existed = existing.is_some();
    if item.name.is_empty()
        && let Some(employee) = existing
    {
        item.name.clone_from(&employee.name);
    }
    let job = Job {
        id: String::new(),
        kind: JobKind::Employees,
        tenant: index,
        created: now,
        due: now,
        items: vec![item],
        report: None,
    };
    let report = jobs::run(&mut state.tenants[index], &mut state.ids, &job, now);
    state.forget_views();
    let tenant = &state.tenants[index];
    if let Some(employee) = tenant.employees.iter().find(|e| e.base_email.eq_ignore_ascii_case(email)) {
        answer["employee"] = serde_json::from_slice(&employee.json).unwrap_or(Value::Null);
    }
    if !report.company_created.is_empty() {
        answer["company_created"] = json!(report.company_created);
    }
    if existed { "updated" } else { "created" }
}

/// The answer's fields as an upserting onboarding item (a signup enables the employee).
fn employee_item(email: &str, fields: &Map<String, Value>) -> BulkItem {
    let text = |name: &str| match fields.get(name) {
        Some(Value::String(s)) => Some(s.trim().to_owned()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    BulkItem {
        operation: Operation::Onboarding,
        flexible: true,
        key: email.to_owned(),
        name: text("name").unwrap_or_default(),
        company_name: text("company_name").filter(|v| !v.is_empty()),
        company_cif: text("company_cif").filter(|v| !v.is_empty()),
        attributes: ATTRIBUTES.iter().enumerate().filter_map(|(i, name)| Some((i, text(name)?))).collect(),
        forced_error: None,
    }
}
