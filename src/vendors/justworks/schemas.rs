//! The JSON Schemas of Justworks' OpenAPI document (openapi.rs): its query parameters, bodies and
//! answers; the records serde writes have theirs derived (`page_of::<T>()`).

use super::model::{Name, Reference};
use crate::common::keyset::CursorPage;
use crate::openapi::schema::{self, record, seeded};
use serde_json::{Value, json};

pub(super) fn limit() -> Value {
    json!({"type": "integer", "minimum": 1, "maximum": 100})
}

pub(super) fn member_status() -> Value {
    json!({"type": "string", "enum": ["active", "terminated"]})
}

pub(super) fn doc_format() -> Value {
    json!({"type": "string", "enum": ["html", "yaml"]})
}

pub(super) fn error() -> Value {
    json!({"type": "object", "description": "`{\"error\": {\"code\", \"message\"}}`; OAuth endpoints answer RFC 6749's `{\"error\", \"error_description\"}`",
        "properties": {"error": {"type": ["object", "string"]}, "error_description": {"type": "string"}},
        "required": ["error"]})
}

/// A cursor page of `item`s.
pub(super) fn cursor_page(item: Value) -> Value {
    let next = json!({"type": "string", "pattern": CursorPage::PATTERN, "description": "absent on the last page"});
    record(json!({"items": {"type": "array", "items": item}, "next_cursor": next}), &["items"])
}

/// A cursor page of `T` as serde writes it (schema derived with schemars).
pub(super) fn page_of<T: schemars::JsonSchema>() -> Value {
    cursor_page(schema::written::<T>())
}

pub(super) fn fees() -> Value {
    let fee = record(
        json!({"reference_id": {"type": "string"}, "reference_type": {"type": "string"}, "name": {"type": "string"},
               "type": {"type": "string"}, "amount": {"type": "integer"}, "currency": {"type": "string"}}),
        &["name", "type", "amount", "currency"],
    );
    cursor_page(fee)
}

pub(super) fn canonical_id() -> Value {
    record(json!({"id": {"type": "string"}}), &["id"])
}

/// The company as a token sees it: `company.detail:read` adds `tax_id`, `country_data` and
/// fills `addresses` and `phones` (views.rs builds it field by field, so written here).
pub(super) fn company() -> Value {
    let objects = json!({"type": "array", "items": {"type": "object"}});
    record(
        json!({"id": {"type": "string"}, "tax_id": {"type": "string"}, "display_name": {"type": "string"},
               "legal_name": {"type": "string"}, "addresses": objects, "departments": schema::written_list::<Reference>(),
               "offices": objects, "phones": objects, "country_data": {"type": "object"},
               "created_at": {"type": "string"}, "updated_at": {"type": "string"}}),
        &[
            "id",
            "display_name",
            "legal_name",
            "addresses",
            "departments",
            "offices",
            "phones",
            "created_at",
            "updated_at",
        ],
    )
}

/// A member as a token sees it: the optional scopes add fields and fill the arrays, which are
/// always present (views.rs builds it field by field, so written here).
pub(super) fn member() -> Value {
    let objects = json!({"type": "array", "items": {"type": "object"}});
    record(
        json!({"id": {"type": "string"}, "company_id": {"type": "string"}, "work_id": {"type": "string"},
               "name": schema::written::<Name>(), "active": {"type": "boolean"},
               "employment_location_type": {"type": "string", "enum": ["remote", "office"]},
               "type": {"type": "string", "enum": ["employee", "contractor", "paid_owner", "unpaid_owner", "international_employee", "employee_eor"]},
               "addresses": objects, "emails": objects, "employment_history": objects, "pay_history": objects,
               "phones": objects, "current_employment": {"type": "object"}, "current_pay": {"type": "object"}}),
        &["id", "name", "active", "type", "addresses", "emails", "employment_history", "pay_history", "phones"],
    )
}

pub(super) fn members() -> Value {
    cursor_page(member())
}

/// A batch: each element gets its own result (a bad element is a failed row, not a 400).
pub(super) fn items() -> Value {
    record(
        json!({"items": {"type": "array", "minItems": 1, "items": {},
            "description": "Each item is checked on its own and answered by its own row (a bad item is a failed row, not a 400)"}}),
        &["items"],
    )
}

pub(super) fn deduction_ids() -> Value {
    record(
        json!({"deduction_ids": {"type": "array", "minItems": 1, "items": {},
            "description": "Deduction ids, each answered by its own row (an unknown one is a failed row)"}}),
        &["deduction_ids"],
    )
}

/// One row per item, in order: the deduction's ids, or the item's error.
pub(super) fn results() -> Value {
    record(json!({"items": {"type": "array", "items": {"type": "object"}}}), &["items"])
}

/// The opaque cursor of `next_cursor` (any 64-bit key: a cursor past the end reads an empty page).
pub(super) fn cursor() -> Value {
    json!({"type": "string", "pattern": CursorPage::PATTERN})
}

/// `code`; left out or anything else, the client is redirected with `unsupported_response_type`
/// (RFC 6749 4.1.2.1: a redirect, not a 400), so any string is a request the server takes.
pub(super) fn response_type() -> Value {
    json!({"type": "string", "examples": ["code"],
           "description": "code; anything else redirects with error=unsupported_response_type"})
}

pub(super) fn client_id() -> Value {
    seeded("client ids", json!({"type": "string"}))
}

/// A redirect URI the client registered (exact match); anything else is a 400 page, not a redirect.
pub(super) fn redirect_uri() -> Value {
    seeded("redirect URIs", json!({"type": "string", "format": "uri"}))
}

pub(super) fn decision() -> Value {
    record(
        json!({"response_type": response_type(), "client_id": client_id(), "redirect_uri": redirect_uri(),
               "scope": {"type": "string"}, "state": {"type": "string"},
               "decision": {"type": "string", "examples": ["approve", "deny"], "description": "approve; anything else denies"}}),
        &["client_id", "redirect_uri"],
    )
}

pub(super) fn token_request() -> Value {
    record(
        json!({"grant_type": {"type": "string", "enum": ["authorization_code", "refresh_token"]},
               "code": {"type": "string"}, "redirect_uri": {"type": "string"}, "refresh_token": {"type": "string"},
               "scope": {"type": "string"}, "client_id": {"type": "string"}, "client_secret": {"type": "string"}}),
        &["grant_type"],
    )
}

pub(super) fn revocation() -> Value {
    record(
        json!({"token": {"type": "string", "minLength": 1, "maxLength": 255},
               "client_id": {"type": "string"}, "client_secret": {"type": "string"}}),
        &["token"],
    )
}

/// `simulate`'s body: both fields optional, nothing else (others are refused); the override URL
/// an http(s) URL with a host.
pub(super) fn webhook_simulation() -> Value {
    let url = "^https?://[a-z][a-z0-9-]{0,20}(\\.[a-z][a-z0-9-]{0,20}){0,3}(:[1-9][0-9]{0,3})?(/[A-Za-z0-9._~-]*)*$";
    json!({"type": "object", "additionalProperties": false, "properties": {
        "payload_override": {"type": "object"},
        "url_override": {"type": "string", "pattern": url, "maxLength": 2048}}})
}
