//! `PUT .../employees/{employeeId}/contracts`: the contracts of one employee on their own.

use super::fields::{flag, text};
use super::validate::contract;
use super::{Checked, Context, Fail, bad, with_contract_types};
use crate::vendors::orquest::model::Business;
use serde_json::Value;

/// `PUT .../employees/{employeeId}/contracts`: contracts upserted by `id` (others appended);
/// `ignoreConstraints` keeps a matched contract's constraints.
pub fn contracts_only(business: &mut Business, employee_id: &str, raw: &Value, ctx: &Context<'_>) -> Checked<()> {
    let map = raw.as_object().ok_or_else(|| bad("The body must be a JSON object"))?;
    let business_field = text(map, "business")?.ok_or_else(|| bad("business is mandatory"))?;
    if business_field != ctx.business_id {
        return Err(bad(format!("business {business_field} does not match the path's business {}", ctx.business_id)));
    }
    let ignore_constraints = flag(map, "ignoreConstraints")?;
    let ignore_without_outer_id = flag(map, "ignoreWithoutOuterId")?;
    let list = map.get("contracts").and_then(Value::as_array).ok_or_else(|| bad("contracts is mandatory"))?;
    let mut incoming = Vec::with_capacity(list.len());
    for value in list {
        let constraints = value.get("constraints").filter(|c| !c.is_null()).cloned();
        if constraints.as_ref().is_some_and(|c| !c.is_array()) {
            return Err(bad("contracts.constraints must be a list"));
        }
        let mut contract = contract(business, value, true)?;
        if let Some(constraints) = constraints {
            contract.fields.insert("constraints".into(), constraints);
        }
        if !ignore_without_outer_id || contract.fields.contains_key("id") {
            incoming.push(contract);
        }
    }
    let incoming = with_contract_types(business, incoming, true);
    let employee = business.employees.get_mut(employee_id).ok_or_else(|| Fail(404, "Employee not found".into()))?;
    for mut contract in incoming {
        let existing =
            contract.text("id").and_then(|id| employee.contracts.iter().position(|c| c.text("id") == Some(id)));
        match existing {
            Some(index) => {
                if ignore_constraints {
                    match employee.contracts[index].fields.get("constraints").cloned() {
                        Some(kept) => contract.fields.insert("constraints".into(), kept),
                        None => contract.fields.remove("constraints"),
                    };
                }
                employee.contracts[index] = contract;
            }
            None => {
                if ignore_constraints {
                    contract.fields.remove("constraints");
                }
                employee.contracts.push(contract);
            }
        }
    }
    Ok(())
}
