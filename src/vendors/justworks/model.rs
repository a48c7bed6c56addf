//! Justworks' records, with the Partner API's snake_case names. Empty scalars are omitted and
//! arrays always present, as the docs' formatting notes say; money is in cents.

use crate::common::snapshot;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An OAuth application (created by Justworks staff; here from fixtures or the admin API).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct App {
    /// Client id.
    pub client_id: String,
    /// Client secret.
    pub client_secret: String,
    /// Display name on the consent page.
    pub name: String,
    /// Registered redirect URIs (exact match).
    pub redirect_uris: Vec<String>,
    /// Scopes the app may ask for.
    pub scopes: Vec<String>,
    /// Logo URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// Terms of service URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_url: Option<String>,
    /// Privacy policy URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_url: Option<String>,
    /// Redirect at once, without the consent page.
    #[serde(default)]
    pub auto_approve: bool,
}

impl App {
    /// `client_id:client_secret` in base64, for HTTP Basic client authentication (the credentials).
    pub fn basic_pair(&self) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", self.client_id, self.client_secret))
    }
}

/// A `{id, name}` reference.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Reference {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A member's name.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Name {
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Preferred name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_name: Option<String>,
    /// Preferred full name.
    pub full_preferred_name: String,
    /// Other names.
    pub additional_names: Vec<String>,
}

/// A member: employee, contractor, owner or international staff.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Member {
    /// `member_<ulid>`.
    pub id: String,
    /// The employer's id.
    pub work_id: String,
    /// Name.
    pub name: Name,
    /// Active or terminated.
    pub active: bool,
    /// `employee`, `contractor`, `paid_owner`, `unpaid_owner`, `international_employee`, `employee_eor`.
    pub kind: String,
    /// `remote` or `office`.
    pub employment_location_type: String,
    /// Work email.
    pub email: String,
    /// Home address.
    pub address: Value,
    /// Phone.
    pub phone: String,
    /// Department.
    pub department: Reference,
    /// Office.
    pub office: Option<Reference>,
    /// Manager.
    pub manager: Option<Reference>,
    /// Job title.
    pub job_title: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// Sex assigned at birth.
    pub sex_assigned_at_birth: String,
    /// Added to Justworks.
    pub date_added_to_justworks: String,
    /// Start date.
    pub employment_start_date: String,
    /// Termination date.
    pub employment_termination_date: Option<String>,
    /// Annual pay in cents.
    pub pay_amount: i64,
    /// `semimonthly`, ...
    pub pay_frequency: String,
    /// SSN (US) for tax-id reads.
    pub ssn: Option<String>,
    /// Custom field values by field id.
    pub custom_fields: Vec<(String, Vec<String>)>,
    /// Legacy UUID.
    pub legacy_id: String,
    /// Timestamps (RFC 3339).
    pub created_at: String,
    /// Last update (RFC 3339); the `updated_at*` filters compare its date.
    pub updated_at: String,
}

impl Member {
    /// Whether the member is international staff (only a subset of fields is shown).
    pub fn international(&self) -> bool {
        matches!(self.kind.as_str(), "international_employee" | "employee_eor")
    }
}

/// A payroll deduction.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Deduction {
    /// `deduction_<ulid>`.
    pub id: String,
    /// Member.
    pub member_id: String,
    /// Deduction type code.
    pub deduction_type_code: String,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `fixed` (cents) or `percentage` (4 implied decimals).
    pub amount_type: String,
    /// Amount.
    pub amount: i64,
    /// ISO 4217.
    pub currency: String,
    /// `one_time` or `every_paycheck`.
    pub frequency: String,
    /// First date.
    pub start_date: String,
    /// Last date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// Canceled deductions are no longer listed.
    #[serde(default, skip_serializing_if = "snapshot::on_the_wire")]
    #[schemars(skip)]
    pub canceled: bool,
}

/// The company.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Company {
    /// `company_<ulid>`.
    pub id: String,
    /// Legacy UUID.
    pub legacy_id: String,
    /// EIN.
    pub tax_id: String,
    /// Display name.
    pub display_name: String,
    /// Legal name.
    pub legal_name: String,
    /// Addresses.
    pub addresses: Vec<Value>,
    /// Departments.
    pub departments: Vec<Reference>,
    /// Offices.
    pub offices: Vec<Value>,
    /// Phones.
    pub phones: Vec<Value>,
    /// Country-keyed data.
    pub country_data: Map<String, Value>,
    /// Bank account.
    pub bank_account: Value,
    /// Custom field definitions.
    pub custom_fields: Vec<Value>,
    /// Created.
    pub created_at: String,
    /// Updated.
    pub updated_at: String,
}

/// A paystub line (earning, deduction, contribution).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Line {
    /// Name.
    pub name: String,
    /// Type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Category.
    pub category: String,
    /// Amount in cents.
    pub amount: i64,
    /// ISO 4217.
    pub currency: &'static str,
}

/// A paystub as a payroll's list shows it: without the three line arrays.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PaystubSummary {
    /// UUID.
    pub paystub_id: String,
    /// Member.
    pub member_id: String,
    /// Gross pay (the sum of the earnings).
    pub gross_pay: i64,
    /// Net pay (gross minus employee deductions).
    pub net_pay: i64,
    /// ISO 4217.
    pub currency: &'static str,
    /// Pay date.
    pub pay_date: String,
    /// Period start.
    pub pay_period_start: String,
    /// Period end.
    pub pay_period_end: String,
    /// Pay group.
    pub pay_group: String,
}

/// A member's paystub for one payroll: its summary and its lines.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Paystub {
    /// What the payroll's list shows of it.
    #[serde(flatten)]
    pub summary: PaystubSummary,
    /// Earnings.
    pub earnings: Vec<Line>,
    /// Employee deductions (taxes included).
    pub employee_deductions: Vec<Line>,
    /// Employer contributions (employer taxes included).
    pub employer_contributions: Vec<Line>,
}

/// A payroll: its totals are the sums of its paystubs, plus fees in the company debit.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Payroll {
    /// `payroll_<ulid>`.
    pub id: String,
    /// Gross + employer taxes and contributions + fees.
    pub company_debit: i64,
    /// Employee taxes.
    pub employee_taxes: i64,
    /// Employer taxes.
    pub employer_taxes: i64,
    /// Gross pay.
    pub gross_pay: i64,
    /// Net pay.
    pub net_pay: i64,
    /// ISO 4217.
    pub currency: String,
    /// When the company is debited.
    pub debit_date: String,
    /// Pay date.
    pub pay_date: String,
    /// `direct_deposit`.
    pub payment_method: String,
    /// First day of the pay period (on its paystubs, not on the payroll).
    #[serde(default, skip_serializing_if = "snapshot::on_the_wire")]
    #[schemars(skip)]
    pub period_start: String,
    /// Fees (`GET .../fees`).
    #[serde(default, skip_serializing_if = "snapshot::on_the_wire")]
    #[schemars(skip)]
    pub fees: Vec<Value>,
}

/// A time-off policy.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Policy {
    /// `policy_<ulid>`.
    pub id: String,
    /// Name.
    pub name: String,
    /// `active` or `inactive`.
    pub status: String,
    /// `vacation`, `sick`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// Effective date.
    pub effective_date: String,
    /// Deactivation date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deactivation_date: Option<String>,
    /// Hours accrued per year (for balances; not on the wire).
    #[serde(default, skip_serializing_if = "snapshot::on_the_wire")]
    #[schemars(skip)]
    pub yearly_hours: f64,
}

/// A time-off request.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TimeOffRequest {
    /// `request_<ulid>`.
    pub id: String,
    /// Member.
    pub member_id: String,
    /// Policy.
    pub policy_id: String,
    /// `requested`, `approved`, `denied`, `canceled`.
    pub status: String,
    /// `hours`.
    pub unit_type: String,
    /// Amount in units.
    pub amount: f64,
    /// First day.
    pub start_date: String,
    /// Last day.
    pub end_date: String,
    /// Notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Created.
    pub created_at: String,
    /// Updated.
    pub updated_at: String,
}

/// An asynchronous balances report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BalanceReport {
    /// Upper-case ULID.
    pub report_id: String,
    /// Sandbox time it completes.
    pub ready_at: chrono::DateTime<chrono::Utc>,
    /// Filters.
    pub member_id: Option<String>,
    /// Filters.
    pub policy_id: Option<String>,
    /// Balances as of this date.
    pub as_of_date: chrono::NaiveDate,
}
