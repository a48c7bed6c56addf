//! Justworks' OAuth scopes and their inheritance: a scope grants its child scopes too. Endpoints
//! require one scope (403 without it); some fields require another (omitted without it).

use std::collections::BTreeSet;

/// Every scope the Partner API defines, in the docs' order.
pub const ALL: [&str; 15] = [
    "company.detail:read",
    "company.basic:read",
    "company.bank_account:read",
    "member.detail:read",
    "member.basic:read",
    "member.dob:read",
    "member.sex:read",
    "member.employment:read",
    "member.pay:read",
    "member.tax_id:read",
    "payroll:read",
    "paystub:read",
    "time_off:read",
    "deductions:write",
    "deductions:read",
];

/// The child scopes a scope includes.
fn children(scope: &str) -> &'static [&'static str] {
    match scope {
        "company.detail:read" => &["company.basic:read"],
        "member.detail:read" => &["member.basic:read"],
        "deductions:write" => &["deductions:read"],
        _ => &[],
    }
}

/// Whether a scope name exists.
pub fn known(scope: &str) -> bool {
    ALL.contains(&scope)
}

/// A token's scopes, with inheritance applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Granted(BTreeSet<&'static str>);

impl Granted {
    /// The effective scopes of a space-separated list (unknown names are ignored).
    pub fn from_list(list: &str) -> Self {
        let mut set = BTreeSet::new();
        for scope in list.split_whitespace() {
            if let Some(known) = ALL.iter().find(|s| **s == scope) {
                set.insert(*known);
                set.extend(children(known));
            }
        }
        Self(set)
    }

    /// The same scopes less `scopes` (what an endpoint never shows whatever the token holds).
    pub fn without(&self, scopes: &[&str]) -> Self {
        Self(self.0.iter().copied().filter(|s| !scopes.contains(s)).collect())
    }

    /// The scopes, space-separated in a fixed order (a key for what they see).
    pub fn spelled(&self) -> String {
        self.0.iter().copied().collect::<Vec<_>>().join(" ")
    }

    /// Whether the token holds `scope` (directly or through a parent).
    pub fn has(&self, scope: &str) -> bool {
        self.0.contains(scope)
    }
}

#[cfg(test)]
mod tests {
    use super::Granted;

    #[test]
    fn parents_grant_their_children_only() {
        let granted = Granted::from_list("company.detail:read deductions:write bogus");
        assert!(granted.has("company.basic:read") && granted.has("deductions:read"));
        assert!(!granted.has("member.basic:read") && !granted.has("bogus"));
    }
}
