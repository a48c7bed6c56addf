//! Joinup's OpenAPI document: the employee and cost-center lists, their bulk jobs and reports.

use crate::openapi::schema::{self, record};
use crate::openapi::{Api, Link, Op, Param};
use serde_json::{Value, json};

const LIST: &[Param] = &[
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
    error: crate::families::drf::view::error_schema,
    challenges: true,
    html_errors: &[500],
    operations: &[
        Op::new("get", "/api/company/employees/", "listEmployees", "List employees")
            .query(LIST)
            .answers(200, employee_page)
            .errors(&[400, 403, 404, 406, 429]),
        Op::new("post", "/api/company/employees/", "bulkEmployees", "Onboard, offboard or update employees in bulk")
            .body(bulk_items)
            .answers(202, started)
            .links(&[Link {
                operation: "checkEmployeeRequest",
                parameter: "id",
                expression: "$response.body#/request_id",
            }])
            .errors(&[400, 403, 406, 413, 415, 429]),
        Op::new("get", "/api/company/cost-centers/", "listCostCenters", "List cost centers")
            .query(LIST)
            .answers(200, cost_center_page)
            .errors(&[400, 403, 404, 406, 429]),
        Op::new("post", "/api/company/cost-centers/", "bulkCostCenters", "Create or delete cost centers in bulk")
            .body(bulk_items)
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
// Divergence: a value the filter cannot read leaves the filter out instead of a 400.
fn enabled() -> Value {
    json!({"type": "string", "description": "true or false (True, 1, False, 0); anything else leaves the filter out"})
}

fn id_filter() -> Value {
    json!({"anyOf": [{"type": "number"}, {"const": ""}]})
}

fn date_filter() -> Value {
    json!({"type": "string", "description": "An ISO 8601 date-time; anything else leaves the filter out"})
}

fn page_of(item: Value) -> Value {
    record(
        json!({"count": {"type": "integer", "minimum": 0}, "next": {"type": ["string", "null"]},
               "previous": {"type": ["string", "null"]}, "results": {"type": "array", "items": item}}),
        &["count", "next", "previous", "results"],
    )
}

fn employee_page() -> Value {
    page_of(record(
        json!({"id": {"type": "integer"}, "name": {"type": "string"}, "base_email": {"type": "string"},
               "enabled": {"type": "boolean"}, "enabled_date": {"type": "string"}, "disabled_date": {"type": ["string", "null"]}}),
        &["id", "name", "base_email", "enabled", "enabled_date", "disabled_date"],
    ))
}

fn cost_center_page() -> Value {
    page_of(record(json!({"id": {"type": "integer"}, "name": {"type": "string"}}), &["id", "name"]))
}

fn bulk_items() -> Value {
    json!({"type": "array", "minItems": 1, "items": record(
        json!({"operation": {"type": "string", "enum": ["onboarding", "offboarding", "updated"]},
               "flexible": {"type": "boolean"}, "base_email": {"type": "string", "format": "email"},
               "name": {"type": "string"}, "company_name": {"type": "string"}, "company_cif": {"type": "string"}}),
        &["operation"],
    )})
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
