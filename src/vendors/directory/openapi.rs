//! The Peoplelogic Directory API's OpenAPI document: organizations (profile, keys, lookups),
//! accounts and their grants, employees (profile, managers), groups (profile, members) and
//! entity memberships.

use super::schemas::{
    account, account_record, accounts, app_secret, employee, employee_profile, employee_record, employees, grant,
    group, group_profile, group_record, groups, key, key_record, manager, manager_relations, memberships,
    memberships_list, organization, organization_profile, organization_record, organizations, path_param, profile_map,
};
use super::store::State;
use crate::openapi::schema::{self};
use crate::openapi::{Api, Link, Op};
use serde_json::{Map, Value, json};

const READ: &[u16] = &[400, 403, 404];
const WRITE: &[u16] = &[400, 403, 404, 409, 413, 415];

const fn get(path: &'static str, id: &'static str, summary: &'static str) -> Op {
    Op::new("get", path, id, summary).errors(READ)
}

const fn list(path: &'static str, id: &'static str, summary: &'static str) -> Op {
    Op::new("get", path, id, summary).answers(200, schema::objects).errors(READ)
}

const fn write(method: &'static str, path: &'static str, id: &'static str, summary: &'static str, ok: u16) -> Op {
    Op::new(method, path, id, summary).body(schema::object).answers(ok, schema::object).errors(WRITE)
}

/// Examples from the sandbox's data: path parameters name the first organization and its
/// records, reads answer those records, creates send a new one.
pub fn examples(state: &State, _now: chrono::DateTime<chrono::Utc>) -> Map<String, Value> {
    let mut examples = Map::new();
    let mut put = |name: &str, value: Option<&String>| {
        if let Some(value) = value {
            examples.insert(name.to_owned(), json!(value));
        }
    };
    let org = state.organizations.first();
    put("organization", org.map(|o| &o.id));
    put("alias", org.map(|o| &o.alias));
    let employee = state.employees.first().map(|e| &e.id);
    put("employee", employee);
    put("entity", employee);
    put("manager", state.employees.get(1).map(|e| &e.id));
    put("account", state.accounts.first().map(|a| &a.id));
    let group = state.groups.first().map(|g| &g.id);
    put("group", group);
    put("id", group);
    put("key", state.keys.first().map(|k| &k.id));
    let record = |value: Option<Value>| value.unwrap_or(Value::Null);
    let answers = [
        ("getOrganization", record(state.organizations.first().map(|o| json!(o)))),
        ("getAccount", record(state.accounts.first().map(|a| json!(a)))),
        ("getEmployee", record(state.employees.first().map(|e| json!(e)))),
        ("listEmployees", json!(state.employees.iter().take(2).collect::<Vec<_>>())),
        ("getGroup", record(state.groups.first().map(|g| json!(g)))),
    ];
    for (operation, answer) in answers.into_iter().filter(|(_, a)| !a.is_null()) {
        examples.insert(format!("answer:{operation}"), answer);
    }
    examples.insert("body:createEmployee".into(), json!({"name": "Grace Hopper", "email": "grace.hopper@example.com"}));
    examples.insert("body:createGroup".into(), json!({"name": "Platform", "type": "TEAM"}));
    examples.insert("body:createAccount".into(), json!({"email": "ada@example.com", "name": "Ada Lovelace"}));
    examples
}

/// The record just created, read back by the `id` it was given.
const fn by_id(operation: &'static str, parameter: &'static str) -> Link {
    Link { operation, parameter, expression: "$response.body#/id" }
}

/// A removal: 200 with no body (a key's removal answers the key).
const fn delete(path: &'static str, id: &'static str, summary: &'static str) -> Op {
    Op::new("delete", path, id, summary).answers(200, schema::none).errors(READ)
}

/// The document's table.
pub static API: Api = Api {
    title: "Peoplelogic Directory API (hr-sandbox emulation)",
    version: "1",
    description: "The Peoplelogic Directory API: organizations with profiles, apps and API keys; accounts \
        with role grants; employees with profiles and managers; groups with profiles and members. \
        Authentication: `Authorization: Bearer <API key secret>` or `Bearer <organization JWT>` \
        (401 carries `WWW-Authenticate: Bearer`). Divergences: error bodies are Spring Boot's default \
        shape with the documented texts; ids of records created through the API come from the sandbox's \
        seeded generator.",
    security_schemes: |_| json!({"Bearer": {"type": "http", "scheme": "bearer", "description": "An API key secret or an organization JWT"}}),
    requirement: |_| json!([{"Bearer": []}]),
    error: crate::families::spring::error_schema,
    challenges: true,
    html_errors: &[],
    path_param,
    operations: &[
        list("/api/v1/organization", "listOrganizations", "List the caller's organizations").returns(organizations),
        write("post", "/api/v1/organization", "createOrganization", "Create an organization", 201)
            .body(organization)
            .returns(organization_record),
        write("patch", "/api/v1/organization", "updateCurrentOrganization", "Update the current organization", 200)
            .body(organization)
            .returns(organization_record),
        get("/api/v1/organization/profile", "getCurrentProfile", "Get the current organization's profile")
            .returns(profile_map),
        write(
            "post",
            "/api/v1/organization/profile",
            "replaceCurrentProfile",
            "Replace the current organization's profile",
            201,
        )
        .body(organization_profile)
        .returns(profile_map),
        write(
            "patch",
            "/api/v1/organization/profile",
            "patchCurrentProfile",
            "Update the current organization's profile",
            200,
        )
        .body(organization_profile)
        .returns(profile_map),
        write("post", "/api/v1/organization/keys", "createCurrentKey", "Create an API key", 201)
            .body(key)
            .returns(key_record),
        delete("/api/v1/organization/keys/{key}", "deleteCurrentKey", "Delete (revoke) an API key").returns(key_record),
        get("/api/v1/organization/alias/{alias}", "organizationByAlias", "Find an organization by alias")
            .returns(organization_record),
        list("/api/v1/organization/by-app/{type}", "organizationsByApp", "Organizations with an app")
            .returns(organizations),
        list("/api/v1/organization/by-app-id/{type}/{external}", "organizationsByAppId", "Organizations by app id")
            .returns(organizations),
        list(
            "/api/v1/organization/by-app-data/{type}/{key}/{value}",
            "organizationsByAppData",
            "Organizations by app data",
        )
        .returns(organizations),
        write(
            "post",
            "/api/v1/organization/by-app-secret/{type}/{key}",
            "organizationsByAppSecret",
            "Organizations by app secret",
            200,
        )
        .body(app_secret)
        .returns(organizations),
        get("/api/v1/organization/{organization}", "getOrganization", "Get an organization")
            .returns(organization_record),
        write("patch", "/api/v1/organization/{organization}", "updateOrganization", "Update an organization", 200)
            .body(organization)
            .returns(organization_record),
        get("/api/v1/organization/{organization}/profile", "getProfile", "Get an organization's profile")
            .returns(profile_map),
        write(
            "post",
            "/api/v1/organization/{organization}/profile",
            "replaceProfile",
            "Replace an organization's profile",
            201,
        )
        .body(organization_profile)
        .returns(profile_map),
        write(
            "patch",
            "/api/v1/organization/{organization}/profile",
            "patchProfile",
            "Update an organization's profile",
            200,
        )
        .body(organization_profile)
        .returns(profile_map),
        write("post", "/api/v1/organization/{organization}/keys", "createKey", "Create an organization's API key", 201)
            .body(key)
            .returns(key_record),
        delete("/api/v1/organization/{organization}/keys/{key}", "deleteKey", "Delete an organization's API key")
            .returns(key_record),
        list("/api/v1/account", "listAccounts", "List accounts of the organization").returns(accounts),
        write("post", "/api/v1/account", "createAccount", "Create an account", 201)
            .body(account)
            .links(&[by_id("getAccount", "account")])
            .returns(account_record),
        list("/api/v1/account/org-admins", "listOrgAdmins", "List the organization's admins").returns(accounts),
        list("/api/v1/account/for-org", "listAccountsForOrg", "List accounts of the organization").returns(accounts),
        get("/api/v1/account/{account}", "getAccount", "Get an account").returns(account_record),
        write("patch", "/api/v1/account/{account}", "updateAccount", "Update an account", 200)
            .body(account)
            .returns(account_record),
        write("post", "/api/v1/account/{account}/grant", "grantRole", "Grant a role in the organization", 200)
            .body(grant)
            .returns(account_record),
        list("/api/v1/account/{account}/employees", "accountEmployees", "An account's employees").returns(employees),
        list("/api/v1/employee", "listEmployees", "List employees").returns(employees),
        write("post", "/api/v1/employee", "createEmployee", "Create an employee", 201)
            .body(employee)
            .links(&[by_id("getEmployee", "employee")])
            .returns(employee_record),
        list("/api/v1/employee/by-name/{name}", "employeesByName", "Employees by name").returns(employees),
        get("/api/v1/employee/by-account/{account}", "employeeByAccount", "The employee of an account")
            .returns(employee_record),
        list("/api/v1/employee/by-manager/{manager}", "employeesByManager", "Reports of a manager").returns(employees),
        get("/api/v1/employee/{employee}", "getEmployee", "Get an employee").returns(employee_record),
        write("patch", "/api/v1/employee/{employee}", "updateEmployee", "Update an employee", 200)
            .body(employee)
            .returns(employee_record),
        list("/api/v1/employee/{employee}/managers", "listManagers", "An employee's managers")
            .returns(manager_relations),
        write("post", "/api/v1/employee/{employee}/managers", "addManager", "Add a manager", 200)
            .body(manager)
            .returns(manager_relations),
        delete("/api/v1/employee/{employee}/managers/{manager}", "removeManager", "Remove a manager"),
        get("/api/v1/employee/{employee}/profile", "getEmployeeProfile", "Get an employee's profile")
            .returns(profile_map),
        write(
            "post",
            "/api/v1/employee/{employee}/profile",
            "replaceEmployeeProfile",
            "Replace an employee's profile",
            201,
        )
        .body(employee_profile)
        .returns(profile_map),
        write(
            "patch",
            "/api/v1/employee/{employee}/profile",
            "patchEmployeeProfile",
            "Update an employee's profile",
            200,
        )
        .body(employee_profile)
        .returns(profile_map),
        list("/api/v1/group", "listGroups", "List groups").returns(groups),
        write("post", "/api/v1/group", "createGroup", "Create a group", 201)
            .body(group)
            .links(&[by_id("getGroup", "id")])
            .returns(group_record),
        get("/api/v1/group/{id}", "getGroup", "Get a group").returns(group_record),
        write("patch", "/api/v1/group/{id}", "updateGroup", "Update a group", 200).body(group).returns(group_record),
        get("/api/v1/group/{group}/profile", "getGroupProfile", "Get a group's profile").returns(profile_map),
        write("post", "/api/v1/group/{group}/profile", "replaceGroupProfile", "Replace a group's profile", 201)
            .body(group_profile)
            .returns(profile_map),
        write("patch", "/api/v1/group/{group}/profile", "patchGroupProfile", "Update a group's profile", 200)
            .body(group_profile)
            .returns(profile_map),
        list("/api/v1/group/{group}/members", "groupMembers", "A group's members").returns(memberships_list),
        list("/api/v1/entity/{entity}/groups", "entityGroups", "The groups of an entity").returns(memberships_list),
        write("post", "/api/v1/entity/{entity}/groups", "setEntityGroups", "Set an entity's groups", 200)
            .body(memberships)
            .answers(200, schema::none),
        delete("/api/v1/entity/{entity}/groups/{group}", "removeEntityGroup", "Remove an entity from a group"),
    ],
};
