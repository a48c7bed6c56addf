//! One way to hold a vendor's switches (`GET`/`PATCH /__admin/vendors/{id}/settings`): a serde
//! struct that refuses unknown fields, checked whole by [`VendorSettings::check`], and patched
//! by [`patched`] with JSON merge-patch rules (RFC 7396: objects merge, `null` removes). A bad
//! patch is refused before anything changes.

use super::error::{ApiError, ErrorKind};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A vendor's switches.
pub trait VendorSettings: Serialize + DeserializeOwned {
    /// What the switches must be checked against (known tenants, apps, identities).
    type Context: ?Sized;

    /// Ranges and references; `Err` names the switch and its rule.
    fn check(&self, context: &Self::Context) -> Result<(), String>;
}

/// `current` with `patch` merged in, deserialized (unknown switches and wrong types refused) and
/// checked; `current` itself never changes.
pub fn patched<S: VendorSettings>(current: &S, patch: &Value, context: &S::Context) -> Result<S, ApiError> {
    let bad = |message: String| ApiError::with_message(ErrorKind::BadRequest, message);
    if !patch.is_object() {
        return Err(bad("settings are patched with a JSON object".to_owned()));
    }
    let mut merged = serde_json::to_value(current).map_err(|e| bad(e.to_string()))?;
    merge(&mut merged, patch);
    let next: S = serde_json::from_value(merged).map_err(|e| bad(format!("settings: {e}")))?;
    next.check(context).map_err(bad)?;
    Ok(next)
}

/// RFC 7396's `MergePatch(target, patch)`.
fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(changes) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(map) = target {
        for (key, value) in changes {
            if value.is_null() {
                map.remove(key);
            } else {
                merge(map.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// The switches of a vendor whose only switch is how many employees it seeds (Directory,
/// Orquest): `MIN..=MAX`, and a new count re-seeds the data at once.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedEmployees<const MIN: usize, const MAX: usize> {
    /// Employees seeded.
    pub seed_employees: usize,
}

impl<const MIN: usize, const MAX: usize> VendorSettings for SeedEmployees<MIN, MAX> {
    type Context = ();

    fn check(&self, _: &()) -> Result<(), String> {
        in_range("seed_employees", self.seed_employees, MIN..=MAX)
    }
}

/// A `check` helper: `value` within `range`, else the rule in words.
pub fn in_range<T: PartialOrd + std::fmt::Display>(
    name: &str,
    value: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<(), String> {
    if range.contains(&value) {
        Ok(())
    } else {
        Err(format!("{name} must be from {} to {}", range.start(), range.end()))
    }
}

#[cfg(test)]
mod tests {
    use super::merge;
    use serde_json::json;

    #[test]
    fn merge_follows_rfc_7396() {
        let mut target = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge(&mut target, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(target, json!({"a": "z", "c": {"d": "e"}}));
        let mut list = json!({"a": [1, 2]});
        merge(&mut list, &json!({"a": [3]}));
        assert_eq!(list, json!({"a": [3]}));
    }
}
