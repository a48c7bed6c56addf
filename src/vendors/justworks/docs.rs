//! `GET /v1/docs?format=html|yaml`: the OpenAPI document of this emulation, built from the one
//! operation table below; a test checks that every operation in it is served, so the document
//! cannot list what the sandbox does not answer.

use serde_json::{Map, Value, json};

/// One documented operation: method, path, summary, required scope, query parameters
/// (`name`, required).
pub struct Operation {
    /// HTTP method, lower-case.
    pub method: &'static str,
    /// Path relative to the API base.
    pub path: &'static str,
    /// Summary, as the docs name the operation.
    pub summary: &'static str,
    /// The endpoint-level scope.
    pub scope: Option<&'static str>,
    /// Query parameters.
    pub query: &'static [(&'static str, bool)],
}

const PAGE: &[(&str, bool)] = &[("limit", false), ("cursor", false)];

/// Every operation the sandbox serves under `/justworks`.
pub const OPERATIONS: &[Operation] = &[
    Operation {
        method: "get",
        path: "/v1/company",
        summary: "Get Company",
        scope: Some("company.basic:read"),
        query: &[],
    },
    Operation {
        method: "get",
        path: "/v1/company/bank-account",
        summary: "Get Company Bank Account",
        scope: Some("company.bank_account:read"),
        query: &[],
    },
    Operation {
        method: "get",
        path: "/v1/company/custom-fields",
        summary: "List Company Custom Fields",
        scope: Some("company.detail:read"),
        query: &[],
    },
    Operation {
        method: "get",
        path: "/v1/members",
        summary: "List Members",
        scope: Some("member.basic:read"),
        query: &[
            ("limit", false),
            ("cursor", false),
            ("status", false),
            ("updated_at", false),
            ("updated_at_gt", false),
            ("updated_at_gte", false),
            ("updated_at_lt", false),
            ("updated_at_lte", false),
            ("updated_at_ne", false),
        ],
    },
    Operation {
        method: "get",
        path: "/v1/members/{member_id}",
        summary: "Get Member",
        scope: Some("member.basic:read"),
        query: &[],
    },
    Operation {
        method: "get",
        path: "/v1/members/{member_id}/custom-field-values",
        summary: "Get Member Custom Field Values",
        scope: Some("member.detail:read"),
        query: &[],
    },
    Operation {
        method: "get",
        path: "/v1/members/{member_id}/tax-id",
        summary: "Get Member Tax ID",
        scope: Some("member.tax_id:read"),
        query: &[],
    },
    Operation {
        method: "get",
        path: "/v1/payrolls",
        summary: "List Payrolls",
        scope: Some("payroll:read"),
        query: &[("start_date", true), ("end_date", true), ("limit", false), ("cursor", false)],
    },
    Operation {
        method: "get",
        path: "/v1/payrolls/{payroll_id}/fees",
        summary: "List Payroll Fees",
        scope: Some("payroll:read"),
        query: PAGE,
    },
    Operation {
        method: "get",
        path: "/v1/payrolls/{payroll_id}/paystubs",
        summary: "List Payroll Paystubs",
        scope: Some("paystub:read"),
        query: PAGE,
    },
    Operation {
        method: "get",
        path: "/v1/paystubs/{paystub_id}",
        summary: "Get Paystub",
        scope: Some("paystub:read"),
        query: &[],
    },
    Operation {
        method: "get",
        path: "/v1/deduction-types",
        summary: "List Deduction Types",
        scope: Some("deductions:read"),
        query: &[],
    },
    Operation {
        method: "get",
        path: "/v1/deductions",
        summary: "List Deductions",
        scope: Some("deductions:read"),
        query: &[
            ("deduction_type", false),
            ("frequency", false),
            ("description", false),
            ("member_id", false),
            ("limit", false),
            ("cursor", false),
        ],
    },
    Operation {
        method: "post",
        path: "/v1/deductions",
        summary: "Create Deductions",
        scope: Some("deductions:write"),
        query: &[],
    },
    Operation {
        method: "put",
        path: "/v1/deductions",
        summary: "Update Deductions",
        scope: Some("deductions:write"),
        query: &[],
    },
    Operation {
        method: "patch",
        path: "/v1/deductions/cancel",
        summary: "Cancel Deductions",
        scope: Some("deductions:write"),
        query: &[],
    },
    Operation {
        method: "post",
        path: "/v1/time-off/balances",
        summary: "Create Time Off Balances Report",
        scope: Some("time_off:read"),
        query: &[],
    },
    Operation {
        method: "get",
        path: "/v1/time-off/balances/{report_id}",
        summary: "Get Time Off Balances Report",
        scope: Some("time_off:read"),
        query: &[],
    },
    Operation {
        method: "get",
        path: "/v1/time-off/policies",
        summary: "List Time Off Policies",
        scope: Some("time_off:read"),
        query: &[("status", false), ("limit", false), ("cursor", false)],
    },
    Operation {
        method: "get",
        path: "/v1/time-off/requests",
        summary: "List Time Off Requests",
        scope: Some("time_off:read"),
        query: &[
            ("start_date", true),
            ("end_date", true),
            ("member_id", false),
            ("policy_id", false),
            ("status", false),
            ("limit", false),
            ("cursor", false),
        ],
    },
    Operation {
        method: "get",
        path: "/v1/legacy/companies/{legacy_company_id}",
        summary: "Get Company Canonical ID",
        scope: Some("company.basic:read"),
        query: &[],
    },
    Operation {
        method: "get",
        path: "/v1/legacy/members/{legacy_member_id}",
        summary: "Get Member Canonical ID",
        scope: Some("member.basic:read"),
        query: &[],
    },
    Operation { method: "post", path: "/oauth/token", summary: "Get OAuth Token", scope: None, query: &[] },
    Operation { method: "post", path: "/v1/oauth/revoke", summary: "Revoke OAuth Token", scope: None, query: &[] },
    Operation {
        method: "post",
        path: "/oauth/revoke",
        summary: "Revoke OAuth Token (deprecated)",
        scope: None,
        query: &[],
    },
    Operation {
        method: "get",
        path: "/v1/docs",
        summary: "Get OpenAPI Docs",
        scope: None,
        query: &[("format", false)],
    },
];

/// The OpenAPI 3.1 document; `base` is the absolute API base the request came through.
pub fn openapi(base: &str) -> Value {
    let mut paths = Map::new();
    for op in OPERATIONS {
        let mut parameters: Vec<Value> = op
            .path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        parameters.extend(op.query.iter().map(
            |(name, required)| json!({"name": name, "in": "query", "required": required, "schema": {"type": "string"}}),
        ));
        let mut operation = json!({
            "summary": op.summary,
            "parameters": parameters,
            "responses": {"200": {"description": "OK"}, "400": {"description": "Bad request"}, "401": {"description": "Missing or invalid access token"}, "403": {"description": "Missing scope"}, "404": {"description": "Not found"}},
        });
        if let Some(scope) = op.scope {
            operation["security"] = json!([{"OAuth2Application": [scope]}]);
        }
        let entry = paths.entry(op.path.to_owned()).or_insert_with(|| json!({}));
        entry[op.method] = operation;
    }
    let scopes: Map<String, Value> = super::scopes::ALL.iter().map(|s| ((*s).to_owned(), json!(s))).collect();
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Justworks Partner API (hr-sandbox emulation)", "version": "1.7.2"},
        "servers": [{"url": base}],
        "paths": paths,
        "components": {"securitySchemes": {"OAuth2Application": {"type": "oauth2", "flows": {"authorizationCode": {
            "authorizationUrl": format!("{base}/oauth/authorize"), "tokenUrl": format!("{base}/oauth/token"), "scopes": scopes,
        }}}}},
    })
}

/// A readable HTML rendering of the same operations.
pub fn html() -> String {
    let rows: String = OPERATIONS
        .iter()
        .map(|op| {
            format!(
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                op.method.to_uppercase(),
                op.path,
                op.summary,
                op.scope.unwrap_or("")
            )
        })
        .collect();
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Justworks Partner API (1.7.2)</title></head><body>\
<h1>Justworks Partner API (1.7.2)</h1><p>hr-sandbox emulation. <a href=\"?format=yaml\">Download OpenAPI specification</a></p>\
<table><thead><tr><th>Method</th><th>Path</th><th>Operation</th><th>Required scope</th></tr></thead><tbody>{rows}</tbody></table></body></html>\n"
    )
}
