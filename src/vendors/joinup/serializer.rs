//! The serializer of the two bulk POSTs: DRF's list serializer over the body (413 past 50
//! items, errors aligned with the input), whose items the routes queue as a job. Scenario
//! `item_error` rules mark the items they match.

use super::model::{ATTRIBUTES, BulkItem, COMPANY_REQUIRED, JobKind, Mode, Operation, Tenant};
use crate::common::error::{ApiError, ErrorKind};
use crate::families::drf::fields::{
    Empty, Errors, Got, Input, boolean_field, char_field, choice_field, email_field, py_type,
};
use crate::scenario::ItemError;
use serde_json::{Value, json};

/// Items accepted per request.
pub const MAX_ITEMS: usize = 50;

/// Validates a bulk body for a tenant: the items ready to queue, or DRF's 400 / the 413. The body
/// is taken whole: its items are read in place, never copied (a value may nest as deep as
/// CPython allows, too deep to copy on a worker's stack).
pub fn validate(
    body: Value,
    kind: JobKind,
    tenant: &Tenant,
    hook: Option<&ItemError>,
) -> Result<Vec<BulkItem>, ApiError> {
    let items = match body {
        Value::Array(items) => items,
        other => {
            return Err(non_field(&format!("Expected a list of items but got type \"{}\".", py_type(&other))));
        }
    };
    if items.len() > MAX_ITEMS {
        let noun = match kind {
            JobKind::Employees => "employees",
            JobKind::CostCenters => "cost centers",
        };
        // Divergence: the docs name the limit but not the body; this text is the sandbox's.
        return Err(ApiError::with_message(
            ErrorKind::PayloadTooLarge,
            format!("Too many items: a request may contain at most {MAX_ITEMS} {noun}."),
        ));
    }
    if items.is_empty() {
        return Err(non_field("This list may not be empty."));
    }
    let count = items.len();
    let mut validated = Vec::with_capacity(count);
    let mut reports = Vec::with_capacity(count);
    for raw in items {
        let forced_error = hook.filter(|h| h.applies_to(&raw)).map(|h| h.message.clone());
        match item(raw, kind, tenant) {
            Ok(mut item) => {
                item.forced_error = forced_error;
                validated.push(item);
                reports.push(json!({}));
            }
            Err(errors) => reports.push(errors),
        }
    }
    if validated.len() == count { Ok(validated) } else { Err(ApiError::validation(Value::Array(reports))) }
}

fn non_field(message: &str) -> ApiError {
    ApiError::validation(json!({"non_field_errors": [message]}))
}

/// One item's serializer; `Err` holds its field-keyed errors.
fn item(raw: Value, kind: JobKind, tenant: &Tenant) -> Result<BulkItem, Value> {
    let input = match raw {
        Value::Object(map) => Input::Json(map),
        other => {
            let message = format!("Invalid data. Expected a dictionary, but got {}.", py_type(&other));
            return Err(json!({"non_field_errors": [message]}));
        }
    };
    let mut errors = Errors::default();
    let operation =
        choice_field(&input, &mut errors, "operation", Empty::REQUIRED, |op| Operation::parse(op).is_some());
    let flexible = boolean_field(&input, &mut errors, "flexible", Empty::OPTIONAL);
    let key = match kind {
        JobKind::Employees => email_field(&input, &mut errors, "base_email", 254, |_| None),
        JobKind::CostCenters => char_field(&input, &mut errors, "name", Empty::REQUIRED, None),
    };
    let name = match kind {
        JobKind::Employees => char_field(&input, &mut errors, "name", Empty::REQUIRED, None),
        JobKind::CostCenters => Got::Missing,
    };
    let companies = match kind {
        JobKind::Employees => tenant.mode == Mode::Group,
        JobKind::CostCenters => tenant.cost_centers_by_company(),
    };
    let (company_name, company_cif) = if companies {
        (
            value(char_field(&input, &mut errors, "company_name", Empty::OPTIONAL_BLANK, None))
                .filter(|v| !v.is_empty()),
            value(char_field(&input, &mut errors, "company_cif", Empty::OPTIONAL_BLANK, None))
                .filter(|v| !v.is_empty()),
        )
    } else {
        (None, None)
    };
    let mut attributes = Vec::new();
    if kind == JobKind::Employees {
        for (index, field) in ATTRIBUTES.iter().enumerate() {
            if let Got::Value(v) = char_field(&input, &mut errors, field, Empty::OPTIONAL_BLANK, None) {
                attributes.push((index, v));
            }
        }
    }
    if let Some(errors) = errors.into_value() {
        return Err(errors);
    }
    // The docs require a company on a group's employee items; on cost-center items they mark
    // both fields optional (omitted when the group shares its cost centers), so a missing one is
    // that item's error in the job's report, not a 400 for the request (see `jobs`).
    if kind == JobKind::Employees && companies && company_name.is_none() && company_cif.is_none() {
        return Err(json!({"non_field_errors": [COMPANY_REQUIRED]}));
    }
    Ok(BulkItem {
        operation: value(operation).and_then(|op| Operation::parse(&op)).unwrap_or(Operation::Updated),
        flexible: value(flexible).unwrap_or(false),
        key: value(key).unwrap_or_default(),
        name: value(name).unwrap_or_default(),
        company_name,
        company_cif,
        attributes,
        forced_error: None,
    })
}

fn value<T>(got: Got<T>) -> Option<T> {
    match got {
        Got::Value(v) => Some(v),
        _ => None,
    }
}
