//! What a token sees of a record: fields gated by optional scopes are left out, empty scalars
//! omitted, arrays always present; international members show only the documented subset.

use super::model::{Company, Member};
use super::scopes::Granted;
use serde_json::{Map, Value, json};

/// `GET /v1/company`: `company.detail:read` adds the tax id, addresses, phones and country data.
pub fn company(company: &Company, granted: &Granted) -> Value {
    let mut map = Map::new();
    map.insert("id".into(), json!(company.id));
    let detail = granted.has("company.detail:read");
    if detail {
        map.insert("tax_id".into(), json!(company.tax_id));
    }
    map.insert("display_name".into(), json!(company.display_name));
    map.insert("legal_name".into(), json!(company.legal_name));
    map.insert("addresses".into(), if detail { json!(company.addresses) } else { json!([]) });
    map.insert("departments".into(), json!(company.departments));
    map.insert("offices".into(), json!(company.offices));
    map.insert("phones".into(), if detail { json!(company.phones) } else { json!([]) });
    if detail {
        map.insert("country_data".into(), json!(company.country_data));
    }
    map.insert("created_at".into(), json!(company.created_at));
    map.insert("updated_at".into(), json!(company.updated_at));
    Value::Object(map)
}

/// The docs' sample shows `current_employment` as an object without its fields.
// Divergence: its fields are the sandbox's: the current job's start and (for a terminated
// member) end date, title, department and manager.
fn current_employment(member: &Member) -> Value {
    let mut current = Map::new();
    current.insert("start_date".into(), json!(member.employment_start_date));
    if let Some(end) = &member.employment_termination_date {
        current.insert("end_date".into(), json!(end));
    }
    current.insert("job_title".into(), json!(member.job_title));
    current.insert("department".into(), json!(member.department));
    if let Some(manager) = &member.manager {
        current.insert("manager".into(), json!(manager));
    }
    Value::Object(current)
}

/// A member as `granted` sees it.
// Divergence: the docs do not say which fields each optional scope gates; `member.detail:read`
// gates addresses, phones, location type and work id, `member.employment:read` the employment
// fields, `member.pay:read` the pay fields, `member.dob:read` and `member.sex:read` theirs.
pub fn member(member: &Member, company_id: &str, granted: &Granted) -> Value {
    let mut map = Map::new();
    let international = member.international();
    let detail = granted.has("member.detail:read") && !international;
    let employment = granted.has("member.employment:read");
    let pay = granted.has("member.pay:read") && !international;
    map.insert("id".into(), json!(member.id));
    if !international {
        map.insert("company_id".into(), json!(company_id));
    }
    if detail {
        map.insert("work_id".into(), json!(member.work_id));
    }
    map.insert("name".into(), json!(member.name));
    map.insert("active".into(), json!(member.active));
    if detail {
        map.insert("employment_location_type".into(), json!(member.employment_location_type));
    }
    map.insert("type".into(), json!(member.kind));
    map.insert("addresses".into(), if detail { json!([member.address]) } else { json!([]) });
    map.insert("emails".into(), json!([{"type": "work", "address": member.email}]));
    map.insert("employment_history".into(), if employment { json!([{"start_date": member.employment_start_date, "job_title": member.job_title, "department": member.department.name}]) } else { json!([]) });
    map.insert("pay_history".into(), if pay { json!([{"effective_date": member.employment_start_date, "amount": member.pay_amount, "currency": "USD", "rate_type": "salary"}]) } else { json!([]) });
    map.insert("phones".into(), if detail { json!([{"type": "mobile", "number": member.phone}]) } else { json!([]) });
    if employment {
        map.insert("current_employment".into(), current_employment(member));
    }
    if pay {
        map.insert(
            "current_pay".into(),
            json!({"amount": member.pay_amount, "currency": "USD", "rate_type": "salary"}),
        );
        map.insert("current_pay_frequency".into(), json!(member.pay_frequency));
    }
    if !international {
        map.insert("date_added_to_justworks".into(), json!(member.date_added_to_justworks));
    }
    if granted.has("member.dob:read") && !international {
        map.insert("date_of_birth".into(), json!(member.date_of_birth));
    }
    map.insert("department".into(), json!(member.department));
    if employment {
        map.insert("employment_start_date".into(), json!(member.employment_start_date));
        if let Some(end) = &member.employment_termination_date {
            map.insert("employment_termination_date".into(), json!(end));
        }
    }
    map.insert("job_title".into(), json!(member.job_title));
    if let Some(manager) = &member.manager {
        map.insert("manager".into(), json!(manager));
    }
    if let Some(office) = &member.office {
        map.insert("office".into(), json!(office));
    }
    if granted.has("member.sex:read") && !international && !member.sex_assigned_at_birth.is_empty() {
        map.insert("sex_assigned_at_birth".into(), json!(member.sex_assigned_at_birth));
    }
    if !international {
        map.insert("created_at".into(), json!(member.created_at));
        map.insert("updated_at".into(), json!(member.updated_at));
    }
    Value::Object(map)
}
