//! Justworks' OpenAPI document (served by `GET /__admin/vendors/justworks/openapi` and by the
//! vendor's own `GET /v1/docs?format=html|yaml`), from one table of operations.

use super::model::{Deduction, Payroll, Paystub, PaystubSummary, Policy, TimeOffRequest};
use super::schemas::{
    canonical_id, client_id, company, cursor, decision, deduction_ids, doc_format, error, fees, items, limit, member,
    member_status, members, page_of, redirect_uri, response_type, results, revocation, token_request,
    webhook_simulation,
};
use super::scopes;
use super::store::State;
use crate::openapi::schema::{self};
use crate::openapi::{Api, Auth, Link, Op, Param};
use serde_json::{Map, Value, json};

const PAGE: &[Param] = &[Param::optional("limit", limit), Param::optional("cursor", cursor)];
const UPDATED: &[Param] = &[
    Param::optional("limit", limit),
    Param::optional("cursor", cursor),
    Param::optional("status", member_status),
    Param::optional("updated_at", schema::date),
    Param::optional("updated_at_gt", schema::date),
    Param::optional("updated_at_gte", schema::date),
    Param::optional("updated_at_lt", schema::date),
    Param::optional("updated_at_lte", schema::date),
    Param::optional("updated_at_ne", schema::date),
];
const DATED: &[Param] = &[
    Param::required("start_date", schema::date),
    Param::required("end_date", schema::date),
    Param::optional("limit", limit),
    Param::optional("cursor", cursor),
];
const REQUESTS: &[Param] = &[
    Param::required("start_date", schema::date),
    Param::required("end_date", schema::date),
    Param::optional("member_id", schema::string),
    Param::optional("policy_id", schema::string),
    Param::optional("status", schema::string),
    Param::optional("limit", limit),
    Param::optional("cursor", cursor),
];
const DEDUCTIONS: &[Param] = &[
    Param::optional("deduction_type", schema::string),
    Param::optional("frequency", schema::string),
    Param::optional("description", schema::string),
    Param::optional("member_id", schema::string),
    Param::optional("limit", limit),
    Param::optional("cursor", cursor),
];
const READ: &[u16] = &[400, 403, 404, 429];

fn webhook_status() -> Value {
    json!({"type": "string", "enum": ["opened", "closed"]})
}

const fn read(path: &'static str, id: &'static str, summary: &'static str, scope: &'static str) -> Op {
    Op::new("get", path, id, summary).auth(Auth::Scope(scope)).errors(READ)
}

/// The document's table: every operation the sandbox serves under `/justworks`.
pub static API: Api = Api {
    title: "Justworks Partner API (hr-sandbox emulation)",
    version: "1.7.2",
    description: "Justworks' Partner API: company, members, deductions, payroll, paystubs and time off, \
        behind OAuth 2.0 (authorization code with a consent page, refresh tokens, revocation) with \
        per-endpoint scopes. Divergences: Justworks documents no error body, the sandbox answers \
        `{\"error\": {\"code\", \"message\"}}` (OAuth endpoints answer RFC 6749's); paystubs are derived \
        from the payrolls, not stored; `GET /v1/docs` renders this document, not Justworks' own pages.",
    security_schemes: |server| {
        let scopes: Map<String, Value> = scopes::ALL.iter().map(|s| ((*s).to_owned(), json!(s))).collect();
        json!({"OAuth2Application": {"type": "oauth2", "flows": {"authorizationCode": {
            "authorizationUrl": format!("{server}/oauth/authorize"), "tokenUrl": format!("{server}/oauth/token"),
            "refreshUrl": format!("{server}/oauth/token"), "scopes": scopes,
        }}}})
    },
    requirement: |scope| json!([{"OAuth2Application": if scope.is_empty() { vec![] } else { vec![scope] }}]),
    error,
    challenges: true,
    html_errors: &[],
    path_param: crate::openapi::schema::segment,
    operations: &[
        read("/v1/company", "getCompany", "Get Company", "company.basic:read").answers(200, company),
        read(
            "/v1/company/bank-account",
            "getCompanyBankAccount",
            "Get Company Bank Account",
            "company.bank_account:read",
        ),
        read(
            "/v1/company/custom-fields",
            "listCompanyCustomFields",
            "List Company Custom Fields",
            "company.detail:read",
        ),
        read(
            "/v1/legacy/companies/{legacy_company_id}",
            "getCompanyCanonicalId",
            "Get Company Canonical ID",
            "company.basic:read",
        )
        .answers(200, canonical_id),
        read(
            "/v1/legacy/members/{legacy_member_id}",
            "getMemberCanonicalId",
            "Get Member Canonical ID",
            "member.basic:read",
        )
        .answers(200, canonical_id),
        read("/v1/members", "listMembers", "List Members", "member.basic:read").query(UPDATED).answers(200, members),
        read("/v1/members/{member_id}", "getMember", "Get Member", "member.basic:read").answers(200, member),
        read(
            "/v1/members/{member_id}/custom-field-values",
            "getMemberCustomFieldValues",
            "Get Member Custom Field Values",
            "member.detail:read",
        ),
        read("/v1/members/{member_id}/tax-id", "getMemberTaxId", "Get Member Tax ID", "member.tax_id:read"),
        read("/v1/deduction-types", "listDeductionTypes", "List Deduction Types", "deductions:read")
            .answers(200, schema::objects),
        read("/v1/deductions", "listDeductions", "List Deductions", "deductions:read")
            .query(DEDUCTIONS)
            .answers(200, page_of::<Deduction>),
        Op::new("post", "/v1/deductions", "createDeductions", "Create Deductions")
            .auth(Auth::Scope("deductions:write"))
            .body(items)
            .answers(200, results)
            .errors(&[400, 403, 413, 415, 429]),
        Op::new("put", "/v1/deductions", "updateDeductions", "Update Deductions")
            .auth(Auth::Scope("deductions:write"))
            .body(items)
            .answers(200, results)
            .errors(&[400, 403, 413, 415, 429]),
        Op::new("patch", "/v1/deductions/cancel", "cancelDeductions", "Cancel Deductions")
            .auth(Auth::Scope("deductions:write"))
            .body(deduction_ids)
            .answers(200, results)
            .errors(&[400, 403, 413, 415, 429]),
        read("/v1/payrolls", "listPayrolls", "List Payrolls", "payroll:read")
            .query(DATED)
            .answers(200, page_of::<Payroll>),
        read("/v1/payrolls/{payroll_id}/fees", "listPayrollFees", "List Payroll Fees", "payroll:read")
            .query(PAGE)
            .answers(200, fees),
        read("/v1/payrolls/{payroll_id}/paystubs", "listPaystubs", "List Paystubs", "paystub:read")
            .query(PAGE)
            .answers(200, page_of::<PaystubSummary>),
        read("/v1/paystubs/{paystub_id}", "getPaystub", "Get Paystub", "paystub:read")
            .answers(200, schema::written::<Paystub>),
        read("/v1/time-off/policies", "listTimeOffPolicies", "List Time Off Policies", "time_off:read")
            .query(&[
                Param::optional("status", schema::string),
                Param::optional("limit", limit),
                Param::optional("cursor", cursor),
            ])
            .answers(200, page_of::<Policy>),
        read("/v1/time-off/requests", "listTimeOffRequests", "List Time Off Requests", "time_off:read")
            .query(REQUESTS)
            .answers(200, page_of::<TimeOffRequest>),
        Op::new("post", "/v1/time-off/balances", "startTimeOffBalances", "Request Time Off Balances")
            .auth(Auth::Scope("time_off:read"))
            .answers(202, schema::object)
            .links(&[Link {
                operation: "getTimeOffBalances",
                parameter: "report_id",
                expression: "$response.body#/report_id",
            }])
            .errors(&[400, 403, 413, 415, 429]),
        read("/v1/time-off/balances/{report_id}", "getTimeOffBalances", "Get Time Off Balances", "time_off:read"),
        Op::new("get", "/oauth/authorize", "authorize", "Authorize (the consent page)")
            .auth(Auth::Public)
            .query(&[
                Param::optional("response_type", response_type),
                Param::required("client_id", client_id),
                Param::required("redirect_uri", redirect_uri),
                Param::optional("scope", schema::string),
                Param::optional("state", schema::string),
            ])
            .answers(200, schema::string)
            .media(&["text/html"])
            .pages()
            .errors(&[302, 400]),
        Op::new("post", "/oauth/authorize", "decide", "Approve or deny (the consent page's form)")
            .auth(Auth::Public)
            .form(decision)
            .answers(302, schema::none)
            .pages()
            .errors(&[400, 415]),
        Op::new("post", "/oauth/token", "token", "Get OAuth Token")
            .auth(Auth::Public)
            .form(token_request)
            .errors(&[400, 401, 415, 429]),
        Op::new("post", "/v1/oauth/revoke", "revoke", "Revoke OAuth Token")
            .auth(Auth::Public)
            .form(revocation)
            .errors(&[400, 401, 415]),
        Op::new("post", "/oauth/revoke", "revokeDeprecated", "Revoke OAuth Token (deprecated)")
            .auth(Auth::Public)
            .form(revocation)
            .errors(&[400, 401, 415]),
        // Divergence: Justworks names no scope for the webhook endpoints; any valid token of the app.
        Op::new("post", "/v1/webhooks/get", "listWebhooks", "List Webhooks")
            .auth(Auth::Scope(""))
            .query(&[Param::optional("status", webhook_status)])
            .answers(200, schema::object)
            .errors(&[400, 415, 429]),
        Op::new("post", "/v1/webhooks/{webhook_id}/resume", "resumeWebhook", "Resume Webhook")
            .auth(Auth::Scope(""))
            .answers(200, schema::object)
            .errors(&[404, 429]),
        Op::new("post", "/v1/webhooks/{webhook_id}/simulate", "simulateWebhook", "Simulate Webhook")
            .auth(Auth::Scope(""))
            .body(webhook_simulation)
            .answers(200, schema::object)
            .errors(&[400, 404, 413, 415, 429]),
        Op::new("get", "/v1/docs", "getDocs", "Get OpenAPI Docs")
            .auth(Auth::Public)
            .query(&[Param::optional("format", doc_format)])
            .answers(200, schema::any)
            .media(&["text/html", "application/yaml"])
            .errors(&[400]),
    ],
};

/// Path-parameter examples from the sandbox's data.
pub fn examples(state: &State, _now: chrono::DateTime<chrono::Utc>) -> Map<String, Value> {
    let mut examples = Map::new();
    if let Some(member) = state.members.first() {
        examples.insert("member_id".into(), json!(member.id));
        examples.insert("legacy_member_id".into(), json!(member.legacy_id));
    }
    if let Some(payroll) = state.payrolls.first() {
        examples.insert("payroll_id".into(), json!(payroll.id));
    }
    examples.insert("enum:client ids".into(), state.apps.iter().map(|a| json!(a.client_id)).collect());
    let uris = state.apps.iter().flat_map(|a| a.redirect_uris.iter().map(|u| json!(u)));
    examples.insert("enum:redirect URIs".into(), uris.collect());
    examples.insert("legacy_company_id".into(), json!(state.company.legacy_id));
    if let Some(hook) = state.webhooks.list.first() {
        examples.insert("webhook_id".into(), json!(hook.id));
    }
    let first = |items: Value| json!({"items": items});
    examples
        .insert("answer:listTimeOffPolicies".into(), first(json!(state.policies.iter().take(2).collect::<Vec<_>>())));
    let deductions: Vec<_> = state.deductions.iter().filter(|d| !d.canceled).take(2).collect();
    examples.insert("answer:listDeductions".into(), first(json!(deductions)));
    examples
}

/// A readable HTML rendering of the same operations.
pub fn html() -> String {
    let rows: String = API
        .operations
        .iter()
        .map(|op| {
            let scope = match op.auth {
                Auth::Scope(scope) => scope,
                Auth::Public => "",
            };
            format!(
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{scope}</td></tr>",
                op.method.to_uppercase(),
                op.path,
                op.summary
            )
        })
        .collect();
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Justworks Partner API (1.7.2)</title></head><body>\
<h1>Justworks Partner API (1.7.2)</h1><p>hr-sandbox emulation. <a href=\"?format=yaml\">Download OpenAPI specification</a></p>\
<table><thead><tr><th>Method</th><th>Path</th><th>Operation</th><th>Required scope</th></tr></thead><tbody>{rows}</tbody></table></body></html>\n"
    )
}
