//! Joinup's records as its API shows them: the views each record's kept JSON is serialized
//! from (and the OpenAPI document derives its schemas from), a job's report, and the two
//! date-time formats they use.

use super::model::{Company, CostCenter, Employee, Job, Mode};
use bytes::Bytes;
use chrono::{DateTime, Datelike, Timelike, Utc};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// An employee as the list shows it (serialized straight from the fields, without an
/// intermediate `Value`): the fields, the [`ATTRIBUTES`] in order, the company in group mode.
/// The OpenAPI document's schema is derived from this type.
#[derive(Serialize, JsonSchema)]
pub struct EmployeeJson<'a> {
    /// Joinup id.
    id: u64,
    /// Full name.
    name: &'a str,
    /// The business key.
    base_email: &'a str,
    /// Whether the employee may ride.
    enabled: bool,
    /// When the employee was (last) enabled (DRF's date-time).
    enabled_date: String,
    /// When the employee was disabled, if disabled.
    disabled_date: Option<String>,
    employee_id: &'a str,
    cost_center: &'a str,
    service_reason: &'a str,
    dni: &'a str,
    supervisor_email: &'a str,
    extra_text_1: &'a str,
    extra_text_2: &'a str,
    extra_text_3: &'a str,
    management: &'a str,
    section: &'a str,
    pep_code: &'a str,
    layer: &'a str,
    extra_field_1: &'a str,
    extra_field_2: &'a str,
    extra_field_3: &'a str,
    /// The company's CIF (group mode only).
    #[serde(skip_serializing_if = "Option::is_none")]
    company_cif: Option<&'a str>,
    /// The company's name (group mode only).
    #[serde(skip_serializing_if = "Option::is_none")]
    company_name: Option<&'a str>,
}

impl<'a> EmployeeJson<'a> {
    fn new(e: &'a Employee, company: Option<&'a Company>) -> Self {
        // Destructured, so a 16th attribute cannot be added without a field here.
        let [
            employee_id,
            cost_center,
            service_reason,
            dni,
            supervisor_email,
            extra_text_1,
            extra_text_2,
            extra_text_3,
            management,
            section,
            pep_code,
            layer,
            extra_field_1,
            extra_field_2,
            extra_field_3,
        ] = &e.attributes;
        Self {
            id: e.id,
            name: &e.name,
            base_email: &e.base_email,
            enabled: e.enabled,
            enabled_date: drf_datetime(e.enabled_date),
            disabled_date: e.disabled_date.map(drf_datetime),
            employee_id,
            cost_center,
            service_reason,
            dni,
            supervisor_email,
            extra_text_1,
            extra_text_2,
            extra_text_3,
            management,
            section,
            pep_code,
            layer,
            extra_field_1,
            extra_field_2,
            extra_field_3,
            company_cif: company.map(|c| c.cif.as_str()),
            company_name: company.map(|c| c.name.as_str()),
        }
    }
}

/// A cost center as the list shows it; the document's schema is derived from this type.
#[derive(Serialize, JsonSchema)]
pub struct CostCenterJson<'a> {
    /// Joinup id.
    id: u64,
    /// The name.
    name: &'a str,
    /// The company's CIF, when cost centers are per company.
    #[serde(skip_serializing_if = "Option::is_none")]
    company_cif: Option<&'a str>,
    /// The company's name, when cost centers are per company.
    #[serde(skip_serializing_if = "Option::is_none")]
    company_name: Option<&'a str>,
}

impl Employee {
    /// Rebuilds the kept JSON; `company` is `Some` in group mode.
    pub fn refresh(&mut self, company: Option<&Company>) {
        // Written straight from the fields: seeding 100,000 employees renders 100,000 of these.
        let mut json = Vec::with_capacity(self.json.len().max(768));
        if serde_json::to_writer(&mut json, &EmployeeJson::new(self, company)).is_ok() {
            // `Bytes` keeps the whole allocation: exact size, or each record carries the slack.
            json.shrink_to_fit();
            self.json = Bytes::from(json);
        }
    }
}

impl CostCenter {
    /// Rebuilds the kept JSON; `company` is `Some` when company fields are shown.
    pub fn refresh(&mut self, company: Option<&Company>) {
        let view = CostCenterJson {
            id: self.id,
            name: &self.name,
            company_cif: company.map(|c| c.cif.as_str()),
            company_name: company.map(|c| c.name.as_str()),
        };
        self.json = Bytes::from(serde_json::to_vec(&view).unwrap_or_default());
    }
}

impl Job {
    /// `check-request`'s body; company group admins also get `company_created`.
    pub fn view(&self, mode: Mode) -> Value {
        let created = report_datetime(self.created);
        let Some(report) = &self.report else {
            return json!({"status": "pending", "created": created, "id": self.id});
        };
        let mut map = Map::new();
        map.insert("status".into(), json!("finished"));
        map.insert("created".into(), json!(created));
        if mode == Mode::Group {
            map.insert("company_created".into(), json!(report.company_created));
        }
        map.insert("offboarding".into(), json!(report.offboarding));
        map.insert("onboarding".into(), json!(report.onboarding));
        map.insert("updated".into(), json!(report.updated));
        map.insert("id".into(), json!(self.id));
        Value::Object(map)
    }
}

/// DRF's `DateTimeField` output: ISO 8601 in UTC with `Z`, microseconds only when non-zero.
pub fn drf_datetime(at: DateTime<Utc>) -> String {
    // Field by field rather than through a strftime pattern, which is parsed on every call.
    let (date, time) = (at.date_naive(), at.time());
    let seconds = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        date.year(),
        date.month(),
        date.day(),
        time.hour(),
        time.minute(),
        time.second()
    );
    match at.timestamp_subsec_micros() {
        0 => format!("{seconds}Z"),
        micros => format!("{seconds}.{micros:06}Z"),
    }
}

/// The report's `created`: no zone, milliseconds padded to six digits (`.627000`), as the docs show.
pub fn report_datetime(at: DateTime<Utc>) -> String {
    format!("{}.{:03}000", at.format("%Y-%m-%dT%H:%M:%S"), at.timestamp_subsec_millis())
}
