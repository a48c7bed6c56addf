//! Orquest's records: a business's configuration (nodes, services, products, roles, categories,
//! contract types, groups, metadata keys, incidence types), its employees (person, service
//! associations, contracts, incidences) and app users. Reads omit fields without value.

use crate::common::snapshot;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A node of the business's organisational tree.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Node {
    /// External id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Parent node, `None` for the root.
    pub parent: Option<String>,
}

/// A product (section) of a service.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Product {
    /// External id, e.g. `C14`.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A service (store, work centre).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Service {
    /// External id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The node it hangs from (visibility).
    pub node: String,
    /// Its products.
    pub products: Vec<Product>,
    /// Names of the business's employee roles used in this service.
    pub employee_roles: Vec<String>,
}

/// An employee role of the business's services.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EmployeeRole {
    /// External id, when configured.
    pub id: Option<String>,
    /// Name.
    pub name: String,
    /// Display colour.
    pub color: String,
}

/// A contract type: the values it applies to the contracts that name it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContractType {
    /// External id, e.g. `07H`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Contract fields the type sets.
    pub defaults: Map<String, Value>,
}

/// Metadata keys configured per entity kind.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MetadataKeys {
    /// Keys of `person.metadata`.
    pub person: Vec<String>,
    /// Keys of a service association's `metadata`.
    pub service_association: Vec<String>,
    /// Keys of a contract's `metadata`.
    pub contract: Vec<String>,
}

/// The `person` object (`GET .../employees/{employeeId}`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    /// Given name.
    pub name: String,
    /// Surnames.
    pub surname: String,
    /// Employee group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Birthday.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birthday: Option<NaiveDate>,
    /// The external system's key.
    pub employee_id: String,
    /// Seniority date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seniority: Option<NaiveDate>,
    /// Per-product skills.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aptitudes: Option<Value>,
    /// Business-configured metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// Virtual employee.
    #[serde(rename = "virtual", skip_serializing_if = "Option::is_none")]
    pub is_virtual: Option<bool>,
}

/// A dated record kept as the normalized JSON the client sent (no nulls), with its period.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dated {
    /// First day.
    #[serde(rename = "period_from", skip_serializing_if = "snapshot::on_the_wire")]
    pub from: NaiveDate,
    /// Last day, `None` when open-ended.
    #[serde(rename = "period_to", default, skip_serializing_if = "snapshot::on_the_wire")]
    pub to: Option<NaiveDate>,
    /// The fields.
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

impl Dated {
    /// Whether the period ended before `cutoff` (such records are history `lag` protects).
    pub fn ended_before(&self, cutoff: NaiveDate) -> bool {
        self.to.is_some_and(|to| to < cutoff)
    }

    /// Whether the period overlaps `[from, to]`.
    pub fn overlaps(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.from <= to && self.to.is_none_or(|end| end >= from)
    }

    /// A string field.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(Value::as_str)
    }
}

/// An employee with everything attached to it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Employee {
    /// Personal data.
    pub person: Person,
    /// Service associations.
    pub service_associations: Vec<Dated>,
    /// Contracts.
    pub contracts: Vec<Dated>,
    /// Incidences registered through `POST /api/v1/import/incidences`.
    pub incidences: Vec<Value>,
}

/// An Orquest app user.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Login name; never changed through the importer.
    pub username: String,
    /// Email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The linked employee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<String>,
    /// Business roles.
    pub roles: Vec<String>,
    /// Visibility nodes (external ids).
    pub nodes: Vec<String>,
    /// Last login.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_login: Option<String>,
    /// Creation date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation: Option<NaiveDate>,
    /// Who created it.
    pub created_by: String,
}

impl User {
    /// A user with only a username, created by `created_by`.
    pub fn new(username: String, created_by: &str) -> Self {
        Self {
            username,
            email: None,
            employee_id: None,
            roles: Vec::new(),
            nodes: Vec::new(),
            last_login: None,
            creation: None,
            created_by: created_by.to_owned(),
        }
    }
}

/// An integration user: the API key's owner, limited to the nodes below its node.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IntegrationUser {
    /// Credentials identity.
    pub identity: String,
    /// Login name (form login).
    pub username: String,
    /// The node it sits on (the root sees everything).
    pub node: String,
}

/// A business (tenant) and its data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Business {
    /// External id, used in paths.
    pub id: String,
    /// Name.
    pub name: String,
    /// Time zone of its services (the lag window's "today").
    pub timezone: String,
    /// Organisational tree.
    pub nodes: Vec<Node>,
    /// Services and their products.
    pub services: Vec<Service>,
    /// Business roles (for users).
    pub roles: Vec<String>,
    /// Employee roles (the catalog; each service uses some of them).
    pub employee_roles: Vec<EmployeeRole>,
    /// Person categories (contracts).
    pub person_categories: Vec<String>,
    /// Contract types.
    pub contract_types: Vec<ContractType>,
    /// Employee groups.
    pub groups: Vec<String>,
    /// Metadata keys.
    pub metadata_keys: MetadataKeys,
    /// Incidence types.
    pub incidence_types: Vec<String>,
    /// Integration users (API keys).
    pub integration_users: Vec<IntegrationUser>,
    /// Employees by employeeId.
    pub employees: BTreeMap<String, Employee>,
    /// App users, by creation.
    pub users: Vec<User>,
}

impl Business {
    /// Whether `node` is `ancestor` or below it.
    pub fn is_under(&self, node: &str, ancestor: &str) -> bool {
        let mut current = Some(node.to_owned());
        while let Some(id) = current {
            if id == ancestor {
                return true;
            }
            current = self.nodes.iter().find(|n| n.id == id).and_then(|n| n.parent.clone());
        }
        false
    }

    /// The service a product belongs to.
    pub fn service_of(&self, product: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.products.iter().any(|p| p.id == product))
    }

    /// A service by external id.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }
}
