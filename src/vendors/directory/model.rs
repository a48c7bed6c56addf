//! The Directory's records, with the Peoplelogic API's own camelCase field names: organizations
//! (profile, apps, API keys), accounts with role grants, employees with profiles and manager
//! relations, groups with profiles, and group memberships of any entity.

use crate::common::snapshot;
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `StatusInfo`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusInfo {
    /// `ACTIVE`, `INACTIVE`, ...
    pub current: String,
    /// When it last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_at: Option<String>,
    /// Who changed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_by: Option<String>,
}

/// `CreationInfo`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreationInfo {
    /// When.
    pub created_at: String,
    /// Who.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

/// `NamespacedPreferences`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Preferences {
    /// Namespace.
    pub namespace: String,
    /// String map.
    pub values: Map<String, Value>,
}

impl Default for Preferences {
    fn default() -> Self {
        Self { namespace: "default".into(), values: Map::new() }
    }
}

/// `OrganizationProfile`: all optional strings.
pub const ORGANIZATION_PROFILE: [&str; 7] =
    ["logoUrl", "timezone", "location", "countryCode", "companySize", "website", "mission"];
/// `EmployeeProfile` fields (`birthDate`, `joinDate` are dates).
pub const EMPLOYEE_PROFILE: [&str; 11] = [
    "employeeNumber",
    "firstName",
    "lastName",
    "bio",
    "profileImage",
    "birthDate",
    "gender",
    "timezone",
    "location",
    "joinDate",
    "companyRole",
];
/// Group profile fields.
pub const GROUP_PROFILE: [&str; 2] = ["icon", "description"];

/// An installed app of an organization.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct App {
    /// Id.
    pub id: String,
    /// The app's own id for the workspace (e.g. a Slack team id).
    pub external_id: String,
    /// Internal app.
    pub internal: bool,
    /// Name.
    pub name: String,
    /// Type, e.g. `slack`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Active.
    pub active: bool,
    /// Status.
    pub status: StatusInfo,
    /// Creation.
    pub created: CreationInfo,
    /// Owning organization.
    pub organization: String,
    /// Secrets (never looked up through a URL).
    pub secret_data: Map<String, Value>,
    /// Public data.
    pub app_data: Map<String, Value>,
}

/// `OrganizationKey`: an API key; its secret is shown once, at creation.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationKey {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The secret (the bearer token), only in the creation answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_base64: Option<String>,
    /// The role the key is capped to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_to_role: Option<String>,
}

/// An organization (tenant).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Active.
    pub active: bool,
    /// Status.
    pub status: StatusInfo,
    /// Creation.
    pub created: CreationInfo,
    /// Unique slug.
    pub alias: String,
    /// Owner account ids.
    pub owners: Vec<String>,
    /// Profile.
    pub profile: Map<String, Value>,
    /// Installed apps.
    pub apps: Vec<App>,
    /// API keys (without their secrets).
    pub keys: Vec<OrganizationKey>,
    /// Preferences.
    pub preferences: Preferences,
    /// Mappings.
    pub mappings: Vec<Value>,
}

/// A role grant of an account in an organization.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    /// Organization.
    pub org_id: String,
    /// Role: `OWNER`, `ADMIN`, `MANAGER`, `EMPLOYEE`.
    pub role: String,
    /// The account's employee record in that organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<String>,
}

/// An account (login identity).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// Id.
    pub id: String,
    /// Email (unique).
    pub email: String,
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Active.
    pub active: bool,
    /// Status.
    pub status: StatusInfo,
    /// Creation.
    pub created: CreationInfo,
    /// Mappings.
    pub mappings: Vec<Value>,
    /// Preferences.
    pub preferences: Preferences,
    /// Grants.
    pub grants: Vec<Grant>,
}

impl Account {
    /// The account's role in an organization.
    pub fn role_in(&self, org: &str) -> Option<&str> {
        self.grants.iter().find(|g| g.org_id == org).map(|g| g.role.as_str())
    }
}

/// A manager relation of an employee.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManagerRelation {
    /// The manager's employee id.
    pub manager_id: String,
    /// `DIRECT`, `INDIRECT`, ...
    #[serde(rename = "type")]
    pub kind: String,
}

/// An employee of an organization.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Employee {
    /// Id.
    pub id: String,
    /// Organization.
    pub organization: String,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Linked account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Permission role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// `EMPLOYEE`, `CONTRACTOR`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Active.
    pub active: bool,
    /// Status.
    pub status: StatusInfo,
    /// Creation.
    pub created: CreationInfo,
    /// Profile.
    pub profile: Map<String, Value>,
    /// Mappings.
    pub mappings: Vec<Value>,
    /// Preferences.
    pub preferences: Preferences,
    /// Managers (not part of the employee body; `GET .../managers` lists them).
    #[serde(default, skip_serializing_if = "snapshot::on_the_wire")]
    #[schemars(skip)]
    pub managers: Vec<ManagerRelation>,
}

/// A group (team, department).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// Id.
    pub id: String,
    /// Organization.
    pub organization: String,
    /// Name.
    pub name: String,
    /// `TEAM`, `DEPARTMENT`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Active.
    pub active: bool,
    /// Status.
    pub status: StatusInfo,
    /// Creation.
    pub created: CreationInfo,
    /// `{icon, description}`.
    pub profile: Map<String, Value>,
}

/// The membership type of an item that sends none (the reference marks `type` optional).
pub const DEFAULT_MEMBERSHIP: &str = "MEMBER";

/// A membership of an entity in a group.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    /// The member (an employee, account or group id).
    pub entity: String,
    /// The group.
    pub group_id: String,
    /// `MEMBER`, `LEAD`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// The organization token's claims.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The account.
    pub sub: String,
    /// The organization.
    pub org: String,
    /// Expiry, Unix seconds.
    pub exp: i64,
}

impl Claims {
    /// Signs an organization token for `account` in `org`, valid until `exp`.
    pub fn mint(secret: &str, account: &str, org: &str, exp: DateTime<Utc>) -> String {
        let claims = Self { sub: account.to_owned(), org: org.to_owned(), exp: exp.timestamp() };
        crate::common::jwt::sign(&claims, secret)
    }
}
