//! Justworks' records, with the Partner API's snake_case names. Empty scalars are omitted and
//! arrays always present, as the docs' formatting notes say; money is in cents.

use serde::Serialize;
use serde_json::{Map, Value};

/// An OAuth application (created by Justworks staff; here from fixtures or the admin API).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
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

/// A `{id, name}` reference.
#[derive(Debug, Clone, Serialize)]
pub struct Reference {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A member's name.
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone, Serialize)]
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
    #[serde(skip)]
    pub canceled: bool,
}

/// The company.
#[derive(Debug, Clone)]
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
