//! Orquest's OpenAPI document: the employee imports (complex, simple, contracts, incidences), the
//! reads by service and product, users, services and roles, and the form login.

use super::schemas::{
    associations, complex_list, complex_one, contracts_import, employee_roles, incidences, people, person, result,
    results, services, simple_list, simple_one, users,
};
use super::store::State;
use crate::openapi::schema::{self};
use crate::openapi::{Api, Auth, Link, Op, Param};
use serde_json::{Map, Value, json};

const IMPORT: &[u16] = &[400, 403, 404, 409, 413, 415, 429];
const IMPORT_ONE: &[u16] = &[400, 403, 404, 406, 409, 413, 415, 429];
const READ: &[u16] = &[400, 403, 404, 429];

/// What an element of a complex import must hold beyond its schema.
const COMPLEX_RULES: &[&str] = &[
    "business equals the path's business",
    "serviceAssociations and contracts: to is not before from",
    "person.employeeId, when sent to a single-employee PUT, equals the path's employee",
];

/// A list import: 200 with a result per element (a bad element is its own failed row).
const fn import(path: &'static str, id: &'static str, summary: &'static str, body: fn() -> Value) -> Op {
    Op::new("put", path, id, summary).body(body).answers(200, results).errors(IMPORT)
}

/// A single import: the element's result, its status also the response's (406 for a user's
/// invalid email, as Orquest answers it).
const fn import_one(path: &'static str, id: &'static str, summary: &'static str, body: fn() -> Value) -> Op {
    Op::new("put", path, id, summary).body(body).answers(200, result).errors(IMPORT_ONE)
}

const fn read(path: &'static str, id: &'static str, summary: &'static str, answer: fn() -> Value) -> Op {
    Op::new("get", path, id, summary).answers(200, answer).errors(READ)
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
    path_param: crate::openapi::schema::segment,
    operations: &[
        import(
            "/api/v2/businesses/{business}/employees",
            "importEmployees",
            "Import employees (complex)",
            complex_list,
        ),
        import_one(
            "/api/v2/businesses/{business}/employees/{employee}",
            "importEmployee",
            "Import one employee (complex)",
            complex_one,
        )
        .rules(COMPLEX_RULES)
        .links(&[Link {
            operation: "getEmployee",
            parameter: "employee",
            expression: "$request.path.employee",
        }]),
        import_one(
            "/api/v2/businesses/{business}/employees/{employee}/contracts",
            "importContracts",
            "Import an employee's contracts",
            contracts_import,
        )
        .rules(&["business equals the path's business", "contracts: to is not before from"]),
        import(
            "/api/v1/businesses/{business}/import/simple/employees",
            "importSimpleEmployees",
            "Import employees (simple)",
            simple_list,
        ),
        import_one(
            "/api/v1/businesses/{business}/import/simple/employees/{employee}",
            "importSimpleEmployee",
            "Import one employee (simple)",
            simple_one,
        )
        .rules(&[
            "serviceAssociations and contracts: to is not before from",
            "person.employeeId, when sent, equals the path's employee",
        ]),
        Op::new("post", "/api/v1/import/incidences", "importIncidences", "Import an employee's incidences")
            .body(incidences)
            .answers(200, result)
            .errors(IMPORT),
        read("/api/v2/businesses/{business}/employees/{employee}", "getEmployee", "Get an employee", person),
        read(
            "/api/v2/businesses/{business}/services/{service}/employees",
            "serviceEmployees",
            "Employees of a service",
            people,
        ),
        read(
            "/api/v2/businesses/{business}/services/{service}/employees/between",
            "serviceEmployeesBetween",
            "Employees of a service in a period",
            people,
        )
        .query(&[Param::required("from", schema::date), Param::required("to", schema::date)]),
        read(
            "/api/v2/businesses/{business}/products/{product}/employees",
            "productEmployees",
            "Employees of a product",
            people,
        ),
        read(
            "/api/v1/business/{business}/person/{employee}/service-associations",
            "serviceAssociations",
            "An employee's service associations",
            associations,
        ),
        read("/api/v1/businesses/{business}/users", "listUsers", "List users", users),
        read(
            "/api/v1/businesses/{business}/services/{service}/employee-roles",
            "employeeRoles",
            "Employee roles of a service",
            employee_roles,
        ),
        read("/api/v1/business/{business}/services", "listServicesV1", "List services (v1)", services),
        read("/api/v2/businesses/{business}/services", "listServices", "List services", services),
        Op::new("post", "/login", "login", "Form login: a JSESSIONID session cookie")
            .auth(Auth::Public)
            .answers(200, schema::none)
            .errors(&[400, 401, 415]),
    ],
};

/// Path-parameter examples from the sandbox's data: the first business and its records.
pub fn examples(state: &State, _now: chrono::DateTime<chrono::Utc>) -> Map<String, Value> {
    let mut examples = Map::new();
    let Some(business) = state.businesses.first() else { return examples };
    examples.insert("business".into(), json!(business.id));
    examples.insert("enum:businesses".into(), state.businesses.iter().map(|b| json!(b.id)).collect());
    if let Some((id, employee)) = business.employees.iter().next() {
        examples.insert("employee".into(), json!(id));
        let person = &employee.person;
        examples.insert("answer:getEmployee".into(), json!(person));
        // The path names the employee; the element updates its name.
        examples.insert(
            "body:importEmployee".into(),
            json!({"business": business.id, "lag": 0, "person": {"name": person.name, "surname": person.surname}}),
        );
        examples.insert(
            "body:importEmployees".into(),
            json!([{"business": business.id, "lag": 0, "partial": true,
                    "person": {"name": person.name, "surname": person.surname, "employeeId": id}}]),
        );
    }
    if let Some(service) = business.services.first() {
        examples.insert("service".into(), json!(service.id));
        if let Some(product) = service.products.first() {
            examples.insert("product".into(), json!(product.id));
        }
    }
    examples
}
