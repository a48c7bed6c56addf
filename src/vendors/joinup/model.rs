//! Joinup's records. Each record keeps its JSON bytes ready (rebuilt when it changes, from the
//! views in `views.rs`), so list pages are assembled, not serialized, per request.

use crate::common::jwt;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The optional employee attributes, in the order Joinup returns them.
pub const ATTRIBUTES: [&str; 15] = [
    "employee_id",
    "cost_center",
    "service_reason",
    "dni",
    "supervisor_email",
    "extra_text_1",
    "extra_text_2",
    "extra_text_3",
    "management",
    "section",
    "pep_code",
    "layer",
    "extra_field_1",
    "extra_field_2",
    "extra_field_3",
];

/// The two tenant configurations of the docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// A company group: company fields everywhere, companies created by bulk items.
    Group,
    /// One company: no company fields anywhere.
    Single,
}

/// A company of a tenant.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Company {
    /// Internal id.
    pub id: u64,
    /// Company name.
    pub name: String,
    /// Spanish tax id (may be empty for a company created by name only).
    pub cif: String,
}

/// An employee (`/api/company/employees/`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Employee {
    /// Joinup id.
    pub id: u64,
    /// Full name.
    pub name: String,
    /// The business key; never changed through the API.
    pub base_email: String,
    /// Whether the employee may ride.
    pub enabled: bool,
    /// When the employee was (last) enabled.
    pub enabled_date: DateTime<Utc>,
    /// When the employee was disabled, if disabled.
    pub disabled_date: Option<DateTime<Utc>>,
    /// The company's id.
    pub company: u64,
    /// [`ATTRIBUTES`] values, `""` when unset.
    pub attributes: [String; 15],
    /// The record as the list returns it, kept ready.
    #[serde(skip)]
    pub json: Bytes,
}

/// A cost center (`/api/company/cost-centers/`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CostCenter {
    /// Joinup id.
    pub id: u64,
    /// The name; the business key, never renamed through the API.
    pub name: String,
    /// The company, unless the group shares its cost centers.
    pub company: Option<u64>,
    /// The record as the list returns it, kept ready.
    #[serde(skip)]
    pub json: Bytes,
}

/// What a bulk item asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Create (or re-enable).
    Onboarding,
    /// Disable an employee / delete a cost center.
    Offboarding,
    /// Update.
    Updated,
}

impl Operation {
    /// The wire name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "onboarding" => Some(Self::Onboarding),
            "offboarding" => Some(Self::Offboarding),
            "updated" => Some(Self::Updated),
            _ => None,
        }
    }
}

/// Which bulk endpoint a job came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JobKind {
    /// `POST /api/company/employees/`.
    Employees,
    /// `POST /api/company/cost-centers/`.
    CostCenters,
}

/// The text for a group item that names no company (a 400 for employees, the item's report
/// error for cost centers).
// Divergence: the docs require one of the two in group mode but do not give the message.
pub const COMPANY_REQUIRED: &str = "company_name or company_cif is required.";

/// One validated bulk item.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BulkItem {
    /// What to do.
    pub operation: Operation,
    /// Upsert semantics.
    pub flexible: bool,
    /// `base_email` (employees) or `name` (cost centers).
    pub key: String,
    /// The employee's full name (employees only).
    pub name: String,
    /// Company by name, group mode.
    pub company_name: Option<String>,
    /// Company by CIF, group mode.
    pub company_cif: Option<String>,
    /// The optional attributes the item sent, by index into [`ATTRIBUTES`].
    pub attributes: Vec<(usize, String)>,
    /// Set by a scenario `item_error` rule: the item fails with this message.
    pub forced_error: Option<String>,
}

impl BulkItem {
    /// Whether the item names a company (by a non-blank name or CIF).
    pub fn names_company(&self) -> bool {
        [&self.company_name, &self.company_cif].into_iter().flatten().any(|v| !v.is_empty())
    }
}

/// The per-operation part of a report.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OperationReport {
    /// Keys that succeeded, in order.
    pub success: Vec<String>,
    /// Key -> error message.
    pub error: Map<String, Value>,
}

/// A finished job's report.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Report {
    /// Companies created (names, or CIFs for unnamed ones).
    pub company_created: Vec<String>,
    /// Onboarding results.
    pub onboarding: OperationReport,
    /// Offboarding results.
    pub offboarding: OperationReport,
    /// Update results.
    pub updated: OperationReport,
}

impl Report {
    /// The part of the report for an operation.
    pub fn part(&mut self, operation: Operation) -> &mut OperationReport {
        match operation {
            Operation::Onboarding => &mut self.onboarding,
            Operation::Offboarding => &mut self.offboarding,
            Operation::Updated => &mut self.updated,
        }
    }
}

/// An asynchronous bulk job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    /// The 24-hex ObjectId (`request_id`).
    pub id: String,
    /// Which endpoint.
    pub kind: JobKind,
    /// Index of the tenant that posted it.
    pub tenant: usize,
    /// Sandbox time it was posted.
    pub created: DateTime<Utc>,
    /// Sandbox time it finishes.
    pub due: DateTime<Utc>,
    /// The items, in order.
    pub items: Vec<BulkItem>,
    /// Set once it ran.
    pub report: Option<Report>,
}

/// A customer of Joinup: a company group or a single company, with its own data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tenant {
    /// The credentials identity of its admin, which names the tenant (`group_admin`, ...).
    pub identity: String,
    /// Group or single company.
    pub mode: Mode,
    /// Whether the group's cost centers are shared by all its companies (no company fields).
    pub shared_cost_centers: bool,
    /// Companies, by id.
    pub companies: Vec<Company>,
    /// Employees, by id (ids only grow, and employees are disabled, never deleted).
    pub employees: Vec<Employee>,
    /// Cost centers, by id.
    pub cost_centers: Vec<CostCenter>,
}

impl Tenant {
    /// A company by id.
    pub fn company(&self, id: u64) -> Option<&Company> {
        self.companies.iter().find(|c| c.id == id)
    }

    /// Whether cost centers carry company fields.
    pub fn cost_centers_by_company(&self) -> bool {
        self.mode == Mode::Group && !self.shared_cost_centers
    }

    /// Rebuilds one employee's kept JSON.
    pub fn refresh_employee(&mut self, index: usize) {
        let company = match self.mode {
            Mode::Group => self.companies.iter().find(|c| c.id == self.employees[index].company).cloned(),
            Mode::Single => None,
        };
        self.employees[index].refresh(company.as_ref());
    }

    /// Rebuilds one cost center's kept JSON.
    pub fn refresh_cost_center(&mut self, index: usize) {
        let company = match (self.cost_centers_by_company(), self.cost_centers[index].company) {
            (true, Some(id)) => self.company(id).cloned(),
            _ => None,
        };
        self.cost_centers[index].refresh(company.as_ref());
    }
}

/// A Joinup user holding an API token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    /// User id (the token's `user_id`).
    pub id: u64,
    /// Credentials identity, e.g. `group_admin`.
    pub identity: String,
    /// Login name (the token's `username`).
    pub username: String,
    /// Index of the user's tenant.
    pub tenant: usize,
    /// Whether the user administers the tenant's companies (else 403).
    pub is_admin: bool,
    /// Whether the account is active.
    pub is_active: bool,
}

/// `jwt_payload_handler`'s claims, plus the tenant the token names.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    #[serde(default)]
    pub user_id: Option<u64>,
    /// The user's login; what authentication looks up.
    #[serde(default)]
    pub username: Option<String>,
    /// Expiry, Unix seconds (PyJWT checks it only when present).
    #[serde(default)]
    pub exp: Option<i64>,
    /// The user's email.
    #[serde(default)]
    pub email: Option<String>,
    /// The tenant (its admin identity), e.g. `group_admin`.
    #[serde(default)]
    pub tenant: Option<String>,
}

impl Claims {
    /// Signs a token for `user` of `tenant`, expiring at `exp`.
    pub fn mint(secret: &str, user: &User, tenant: &str, exp: DateTime<Utc>) -> String {
        let claims = Claims {
            user_id: Some(user.id),
            username: Some(user.username.clone()),
            exp: Some(exp.timestamp()),
            email: Some(user.username.clone()),
            tenant: Some(tenant.to_owned()),
        };
        jwt::sign(&claims, secret)
    }
}
