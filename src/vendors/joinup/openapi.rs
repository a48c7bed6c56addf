//! Joinup's OpenAPI document: the employee and cost-center lists, their bulk jobs and reports.

use super::model::ATTRIBUTES;
use super::serializer::MAX_ITEMS;
use super::store::State;
use super::views::{CostCenterJson, EmployeeJson};
use crate::families::drf::schema as drf;
use crate::openapi::schema::{self, record};
use crate::openapi::{Api, Link, Op, Param};
use serde_json::{Map, Value, json};

const COST_CENTERS: &[Param] = &[
    Param::optional("page", schema::page),
    Param::optional("page_size", page_size),
    Param::optional("ordering", schema::string),
    Param::optional("id", id_filter),
    Param::optional("name", schema::string),
    Param::optional("company_name", schema::string),
    Param::optional("company_cif", schema::string),
];

const EMPLOYEES: &[Param] = &[
    Param::optional("page", schema::page),
    Param::optional("page_size", page_size),
    Param::optional("ordering", schema::string),
    Param::optional("id", id_filter),
    Param::optional("enabled", enabled),
    Param::optional("enabled_date__gte", date_filter),
    Param::optional("enabled_date__lt", date_filter),
    Param::optional("disabled_date__gte", date_filter),
    Param::optional("disabled_date__lt", date_filter),
    Param::optional("company_name", schema::string),
    Param::optional("company_cif", schema::string),
];

/// The document's table.
pub static API: Api = Api {
    title: "Joinup Company API (hr-sandbox emulation)",
    version: "1.0",
    description: "Joinup's company API: employees and cost centers, listed with Django REST Framework's \
        page-number pagination and changed through asynchronous bulk jobs whose reports are read with \
        check-request. Authentication: `Authorization: JWT <token>` (the sandbox's tokens are listed by \
        GET /__admin/credentials). Rate limits: lists 1/s, bulk 1/min, reports 1/min per token (429 with \
        Retry-After). Divergences: the report texts and the view names are the sandbox's own; OPTIONS \
        metadata has no `actions` block.",
    security_schemes: |_| {
        json!({"JWT": {"type": "apiKey", "in": "header", "name": "Authorization",
            "description": "`JWT <token>`, as djangorestframework-jwt expects"}})
    },
    requirement: |_| json!([{"JWT": []}]),
    error: crate::families::drf::error_schema,
    challenges: true,
    html_errors: &[500],
    path_param: crate::openapi::schema::segment,
    operations: &[
        Op::new("get", "/api/company/employees/", "listEmployees", "List employees")
            .query(EMPLOYEES)
            .answers(200, employee_page)
            .errors(&[400, 403, 404, 406, 429]),
        Op::new("post", "/api/company/employees/", "bulkEmployees", "Onboard, offboard or update employees in bulk")
            .body(employee_items)
            .answers(202, started)
            .links(&[Link {
                operation: "checkEmployeeRequest",
                parameter: "id",
                expression: "$response.body#/request_id",
            }])
            .errors(&[400, 403, 406, 413, 415, 429]),
        Op::new("get", "/api/company/cost-centers/", "listCostCenters", "List cost centers")
            .query(COST_CENTERS)
            .answers(200, cost_center_page)
            .errors(&[400, 403, 404, 406, 429]),
        Op::new("post", "/api/company/cost-centers/", "bulkCostCenters", "Create or delete cost centers in bulk")
            .body(cost_center_items)
            .answers(202, started)
            .links(&[Link {
                operation: "checkCostCenterRequest",
                parameter: "id",
                expression: "$response.body#/request_id",
            }])
            .errors(&[400, 403, 406, 413, 415, 429]),
        Op::new(
            "get",
            "/api/company/employees/check-request/{id}/",
            "checkEmployeeRequest",
            "Read an employee bulk job's report",
        )
        .answers(200, report)
        .errors(&[403, 404, 406, 429]),
        Op::new(
            "get",
            "/api/company/cost-centers/check-request/{id}/",
            "checkCostCenterRequest",
            "Read a cost-center bulk job's report",
        )
        .answers(200, report)
        .errors(&[403, 404, 406, 429]),
    ],
};

/// DRF's `page_size`: larger values are cut to 100, unreadable ones give the default (never an error).
fn page_size() -> Value {
    json!({"type": "string", "description": "1 to 100; larger is cut to 100, anything else gives the default 10"})
}

// django-filter leaves a filter sent empty out, so `""` is valid for every filter.
// django-filter's BooleanFilter reads with NullBooleanField: anything it cannot read is None,
// which leaves the filter out (no 400).
fn enabled() -> Value {
    json!({"type": "string", "description": "true or false (True, 1, False, 0); anything else leaves the filter out"})
}

fn id_filter() -> Value {
    json!({"anyOf": [{"type": "number"}, {"const": ""}]})
}

// django-filter's DateTimeFilter: an ISO 8601 date-time or date, or empty; anything else is a 400.
fn date_filter() -> Value {
    json!({"anyOf": [schema::date_time(), schema::date(), {"const": ""}]})
}

fn page_of(item: Value) -> Value {
    record(
        json!({"count": {"type": "integer", "minimum": 0}, "next": {"type": ["string", "null"]},
               "previous": {"type": ["string", "null"]}, "results": {"type": "array", "items": item}}),
        &["count", "next", "previous", "results"],
    )
}

// The list items are kept as pre-rendered bytes, serialized from these view types; their
// schemas are derived from the same types and tests/api/openapi.rs checks the bytes against them.

fn employee_page() -> Value {
    page_of(schema::written::<EmployeeJson>())
}

fn cost_center_page() -> Value {
    page_of(schema::written::<CostCenterJson>())
}

fn employee_items() -> Value {
    let mut properties = json!({"operation": operation(), "flexible": drf::boolean_field(),
        "base_email": drf::email_field(254), "name": name()});
    for attribute in ATTRIBUTES {
        properties[attribute] = drf::char_field(true, None);
    }
    let mut items = bulk_of(properties, &["operation", "base_email", "name"]);
    // In a company group each employee names its company by name or CIF (a one-company tenant
    // ignores both, so the rule holds for every tenant).
    items["items"]["anyOf"] = json!([
        {"required": ["company_name"], "properties": {"company_name": name()}},
        {"required": ["company_cif"], "properties": {"company_cif": name()}}
    ]);
    items
}

/// The docs mark both company fields optional on cost centers: a group that keeps cost centers
/// per company reports an item without one as that item's error, after the 202.
fn cost_center_items() -> Value {
    bulk_of(json!({"operation": operation(), "flexible": drf::boolean_field(), "name": name()}), &["operation", "name"])
}

/// 1 to 50 items, each with the optional company fields.
fn bulk_of(mut properties: Value, required: &[&str]) -> Value {
    properties["company_name"] = drf::char_field(true, None);
    properties["company_cif"] = drf::char_field(true, None);
    json!({"type": "array", "minItems": 1, "maxItems": MAX_ITEMS, "items": record(properties, required)})
}

fn operation() -> Value {
    json!({"type": "string", "enum": ["onboarding", "offboarding", "updated"]})
}

fn name() -> Value {
    drf::char_field(false, None)
}

fn started() -> Value {
    record(
        json!({"message": {"type": "string"}, "request_id": {"type": "string", "pattern": "^[0-9a-f]{24}$"}}),
        &["message", "request_id"],
    )
}

fn report() -> Value {
    record(
        json!({"status": {"type": "string", "enum": ["pending", "finished"]}, "created": {"type": "string"}, "id": {"type": "string"}}),
        &["status", "created", "id"],
    )
}

/// Examples from the sandbox's data: the first tenant's first employees as its list shows them
/// (their kept bytes), and a bulk item updating the first one.
pub fn examples(state: &State) -> Map<String, Value> {
    let mut examples = Map::new();
    let Some(tenant) = state.tenants.first() else { return examples };
    let rows: Vec<Value> =
        tenant.employees.iter().take(2).filter_map(|e| serde_json::from_slice(&e.json).ok()).collect();
    let page = json!({"count": tenant.employees.len(), "next": null, "previous": null, "results": rows});
    examples.insert("answer:listEmployees".into(), page);
    if let Some(employee) = tenant.employees.first() {
        let mut item = json!({"operation": "updated", "base_email": employee.base_email, "name": employee.name});
        if let Some(company) = tenant.company(employee.company) {
            // A company created by name only has no CIF.
            let (key, value) =
                if company.cif.is_empty() { ("company_name", &company.name) } else { ("company_cif", &company.cif) };
            item[key] = json!(value);
        }
        examples.insert("body:bulkEmployees".into(), json!([item]));
    }
    examples
}
