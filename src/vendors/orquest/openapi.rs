//! Orquest's OpenAPI document: the employee imports (complex, simple, contracts, incidences), the
//! reads by service and product, users, services and roles, and the form login.

use super::store::State;
use crate::openapi::schema::{self, record};
use crate::openapi::{Api, Auth, Link, Op, Param};
use serde_json::{Map, Value, json};

const IMPORT: &[u16] = &[400, 403, 404, 409, 413, 415, 429];
const READ: &[u16] = &[400, 403, 404, 429];

const fn import(path: &'static str, id: &'static str, summary: &'static str, body: fn() -> Value) -> Op {
    Op::new("put", path, id, summary).body(body).answers(200, results).errors(IMPORT)
}

const fn read(path: &'static str, id: &'static str, summary: &'static str) -> Op {
    Op::new("get", path, id, summary).answers(200, schema::objects).errors(READ)
}

/// The document's table.
pub static API: Api = Api {
    title: "Orquest API (hr-sandbox emulation)",
    version: "2",
    description: "Orquest's workforce API (Spring Boot): employees imported whole (person, service \
        associations, contracts) or simply, contracts and incidences on their own, with a result per \
        element; reads of employees by service, product and period; users, services, employee roles. \
        Authentication: `Authorization: Bearer <API key>` per integration user, or the session cookie \
        of `POST /login`. Divergences: errors use Spring Boot's default body (Orquest documents only the \
        messages); a session lasts 30 minutes from login, not 30 idle minutes.",
    security_schemes: |_| {
        json!({
            "ApiKey": {"type": "http", "scheme": "bearer", "description": "An integration user's API key"},
            "Session": {"type": "apiKey", "in": "cookie", "name": "JSESSIONID", "description": "From POST /login"},
        })
    },
    requirement: |_| json!([{"ApiKey": []}, {"Session": []}]),
    error: crate::families::spring::error_schema,
    challenges: false,
    html_errors: &[],
    operations: &[
        import("/api/v2/businesses/{business}/employees", "importEmployees", "Import employees (complex)", employees),
        import(
            "/api/v2/businesses/{business}/employees/{employee}",
            "importEmployee",
            "Import one employee (complex)",
            employee,
        )
        .links(&[Link {
            operation: "getEmployee",
            parameter: "employee",
            expression: "$request.path.employee",
        }]),
        import(
            "/api/v2/businesses/{business}/employees/{employee}/contracts",
            "importContracts",
            "Import an employee's contracts",
            schema::objects,
        ),
        import(
            "/api/v1/businesses/{business}/import/simple/employees",
            "importSimpleEmployees",
            "Import employees (simple)",
            employees,
        ),
        import(
            "/api/v1/businesses/{business}/import/simple/employees/{employee}",
            "importSimpleEmployee",
            "Import one employee (simple)",
            employee,
        ),
        Op::new("post", "/api/v1/import/incidences", "importIncidences", "Import an employee's incidences")
            .body(incidences)
            .answers(200, results)
            .errors(IMPORT),
        read("/api/v2/businesses/{business}/employees/{employee}", "getEmployee", "Get an employee")
            .answers(200, schema::object),
        read(
            "/api/v2/businesses/{business}/services/{service}/employees",
            "serviceEmployees",
            "Employees of a service",
        ),
        read(
            "/api/v2/businesses/{business}/services/{service}/employees/between",
            "serviceEmployeesBetween",
            "Employees of a service in a period",
        )
        .query(&[Param::required("from", schema::date), Param::required("to", schema::date)]),
        read(
            "/api/v2/businesses/{business}/products/{product}/employees",
            "productEmployees",
            "Employees of a product",
        ),
        read(
            "/api/v1/business/{business}/person/{employee}/service-associations",
            "serviceAssociations",
            "An employee's service associations",
        ),
        read("/api/v1/businesses/{business}/users", "listUsers", "List users"),
        read(
            "/api/v1/businesses/{business}/services/{service}/employee-roles",
            "employeeRoles",
            "Employee roles of a service",
        ),
        read("/api/v1/business/{business}/services", "listServicesV1", "List services (v1)"),
        read("/api/v2/businesses/{business}/services", "listServices", "List services"),
        Op::new("post", "/login", "login", "Form login: a JSESSIONID session cookie")
            .auth(Auth::Public)
            .answers(200, schema::none)
            .errors(&[400, 401, 415]),
    ],
};

/// Path-parameter examples from the sandbox's data: the first business and its records.
pub fn examples(state: &State) -> Map<String, Value> {
    let mut examples = Map::new();
    let Some(business) = state.businesses.first() else { return examples };
    examples.insert("business".into(), json!(business.id));
    if let Some(id) = business.employees.keys().next() {
        examples.insert("employee".into(), json!(id));
    }
    if let Some(service) = business.services.first() {
        examples.insert("service".into(), json!(service.id));
        if let Some(product) = service.products.first() {
            examples.insert("product".into(), json!(product.id));
        }
    }
    examples
}

fn results() -> Value {
    json!({"type": "array", "items": record(
        json!({"employeeId": {"type": "string"}, "status": {"type": "integer"}, "message": {"type": "string"}}),
        &["status", "message"],
    )})
}

fn employee() -> Value {
    record(
        json!({"business": {"type": "string"}, "person": record(
            json!({"name": {"type": "string"}, "surname": {"type": "string"}, "employeeId": {"type": "string"}}),
            &["employeeId"],
        ), "serviceAssociations": {"type": "array"}, "contracts": {"type": "array"}}),
        &["person"],
    )
}

/// A batch: each element gets its own result (a bad element is a failed row, not a 400).
fn employees() -> Value {
    json!({"type": "array", "items": {}, "description": "employees as in the single import; one result per element"})
}

fn incidences() -> Value {
    record(
        json!({"business": {"type": "string"}, "employeeId": {"type": "string"}, "incidences": {"type": "array"}}),
        &["business"],
    )
}
