//! Orquest's OpenAPI document: the employee imports (complex, simple, contracts, incidences), the
//! reads by service and product, users, services and roles, and the form login.

use super::import::{MAX_ELEMENTS, MAX_LAG, WEEKDAYS};
use super::model::{Person, User};
use super::store::State;
use crate::openapi::schema::{self, record, seeded};
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

fn result() -> Value {
    record(
        json!({"employeeId": {"type": "string"}, "status": {"type": "integer"}, "message": {"type": "string"}}),
        &["status", "message"],
    )
}

fn results() -> Value {
    json!({"type": "array", "items": result()})
}

fn complex_list() -> Value {
    elements(element(true, true))
}

fn complex_one() -> Value {
    element(true, false)
}

fn simple_list() -> Value {
    elements(element(false, true))
}

fn simple_one() -> Value {
    element(false, false)
}

/// A batch of up to 30 elements. Each is checked on its own and gets its own result, so the
/// body takes any element (a bad one is a failed row, not a 400); `element` is what succeeds.
fn elements(element: Value) -> Value {
    json!({"type": "array", "maxItems": MAX_ELEMENTS, "items": {},
           "description": "Elements, each answered by its own row; one that succeeds has this shape:",
           "x-element": element})
}

/// An employee element: complex (business, lag and the flags; metadata) or simplified; in a
/// list each names its employee, a single PUT's path does.
fn element(complex: bool, listed: bool) -> Value {
    let mut person = json!({"name": text(), "surname": text(), "email": schema::nullable(schema::email()),
        "group": jtext(), "birthday": date(), "seniority": date(), "aptitudes": aptitudes()});
    if listed {
        person["employeeId"] = text();
    }
    let person_required: &[&str] = if listed { &["name", "surname", "employeeId"] } else { &["name", "surname"] };
    let mut properties = json!({"person": record(person, person_required),
        "serviceAssociations": {"type": ["array", "null"], "items": association()},
        "contracts": {"type": ["array", "null"], "items": contract()}});
    if !complex {
        return record(properties, &["person"]);
    }
    properties["business"] = seeded("businesses", json!({"type": "string"}));
    properties["lag"] = json!({"type": "integer", "minimum": 0, "maximum": MAX_LAG});
    for flag in ["partial", "ignoreWithoutOuterId", "ignoreServiceAssociations", "ignoreContracts"] {
        properties[flag] = json!({"type": ["boolean", "null"]});
    }
    properties["person"]["properties"]["virtual"] = json!({"type": ["boolean", "null"]});
    properties["user"] = json!({"type": ["object", "null"], "properties": {
        "username": jtext(), "email": schema::nullable(schema::email()),
        "nodes": {"type": ["array", "null"], "items": {"type": ["string", "number"]}},
        "roles": {"type": ["array", "null"], "items": {"type": "string"}}}});
    record(properties, &["business", "lag", "person"])
}

/// A text the importer trims and requires: a string, or a number (Jackson coerces it).
fn text() -> Value {
    let mut text = schema::not_blank();
    text["type"] = json!(["string", "number"]);
    text
}

/// An optional text (a number is coerced to one).
fn jtext() -> Value {
    json!({"type": ["string", "number", "null"]})
}

fn date() -> Value {
    schema::nullable(schema::date())
}

/// A whole number as Java's `long` reads it.
fn long(minimum: i64) -> Value {
    json!({"type": ["integer", "null"], "minimum": minimum, "maximum": i64::MAX})
}

/// Orquest's enumerations (UPPER_SNAKE_CASE names).
fn enumeration() -> Value {
    json!({"type": ["string", "null"], "pattern": "^[A-Z0-9_]+$"})
}

fn aptitudes() -> Value {
    json!({"type": ["array", "null"], "items": record(
        json!({"productId": {"type": "string"}, "aptitudes": {"type": "array", "items": record(
            json!({"locationId": {"type": ["string", "number"]}, "level": {"type": "integer", "minimum": 0, "maximum": i64::MAX}}),
            &["locationId", "level"],
        )}}),
        &["productId", "aptitudes"],
    )})
}

fn association() -> Value {
    let weekday = json!({"type": "string", "enum": WEEKDAYS});
    record(
        json!({"ownerProduct": {"type": ["string", "number"]}, "product": {"type": ["string", "number"]}, "from": schema::date(),
        "to": date(), "splitPresence": {"type": ["boolean", "null"]}, "unplannable": {"type": ["boolean", "null"]},
        "roles": {"type": ["array", "null"], "items": {"type": "string"}},
        "regularCessions": {"type": ["array", "null"], "items": record(
            json!({"product": {"type": "string"}, "minutes": {"type": "integer", "minimum": 0, "maximum": i64::MAX},
                   "days": {"type": "array", "items": weekday}}),
            &["product"],
        )},
        "disponibility": {"type": ["array", "null"], "items": {"type": "object", "properties": {
            "from": date(), "to": date(), "type": enumeration(), "blockedType": enumeration(),
            "ranges": {"type": "array", "items": record(
                json!({"dayType": {"type": "string", "enum": ["ALL", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]},
                       "startMinuteDay": {"type": "integer", "minimum": 0, "maximum": 1439},
                       "duration": {"type": "integer", "minimum": 0, "maximum": 1440}}),
                &["dayType", "startMinuteDay", "duration"],
            )}}}}}),
        &["ownerProduct", "product", "from"],
    )
}

fn contract() -> Value {
    let mut properties = json!({"from": schema::date(), "to": date(),
        "regularPeriodStartDate": date(), "additionalPeriodStartDate": date(),
        "costPerHour": {"type": ["number", "null"]}, "personCategory": jtext(),
        "contractTypeId": jtext()});
    for field in [
        "countingDays",
        "regularControlPeriod",
        "additionalControlPeriod",
        "weeklyDaysInvolved",
        "regularCountingDayType",
        "additionalCountingDayType",
    ] {
        properties[field] = enumeration();
    }
    for field in [
        "regularMinutes",
        "additionalMinutes",
        "regularPeriodMultiplier",
        "additionalPeriodMultiplier",
        "numberOfHolidays",
        "numberOfPublicHolidays",
    ] {
        properties[field] = long(i64::MIN);
    }
    record(properties, &["from"])
}

fn contracts_import() -> Value {
    record(
        json!({"business": seeded("businesses", json!({"type": "string"})),
               "contracts": {"type": "array", "items": contract()}}),
        &["business", "contracts"],
    )
}

fn incidences() -> Value {
    let time = json!({"type": ["string", "null"], "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"});
    record(
        json!({"business": seeded("businesses", json!({"type": "string", "minLength": 1})),
        "lag": {"type": "integer", "minimum": 0, "maximum": MAX_LAG},
        "employeeId": {"type": ["string", "number"]},
        "incidences": {"type": "array", "items": record(
            json!({"type": {"type": ["string", "number"]}, "initTime": time, "endTime": time,
                   "workedMinutes": {"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX},
                   "from": schema::date(), "to": schema::date()}),
            &["type", "workedMinutes", "from", "to"],
        )}}),
        &["business", "lag", "employeeId", "incidences"],
    )
}

// The reads' answers: the person and user records as serde writes them (derived with
// schemars); the views assembled per request are written here.

fn person() -> Value {
    schema::written::<Person>()
}

fn people() -> Value {
    schema::written_list::<Person>()
}

fn users() -> Value {
    schema::written_list::<User>()
}

/// Each association as imported (nulls dropped), with its `service` and the `person`.
fn associations() -> Value {
    let association = record(
        json!({"ownerProduct": {"type": "string"}, "product": {"type": "string"}, "from": schema::date(),
               "service": {"type": "string"}, "person": person()}),
        &["product", "from", "person"],
    );
    json!({"type": "array", "items": association})
}

fn employee_roles() -> Value {
    let role = record(
        json!({"id": {"type": "string"}, "orquestId": {"type": "integer"}, "name": {"type": "string"}, "color": {"type": "string"}}),
        &["orquestId", "name", "color"],
    );
    json!({"type": "array", "items": role})
}

fn services() -> Value {
    let service = record(
        json!({"id": {"type": "string"}, "name": {"type": "string"}, "products": {"type": "array", "items": {"type": "object"}}}),
        &["id", "name", "products"],
    );
    json!({"type": "array", "items": service})
}
