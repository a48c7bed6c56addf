//! The JSONPath subset `--redact` takes: `$.a.b`, `$.a[*].b`, `$.a[0]`, `$.*`, `$..key` (any
//! depth). Enough to name a field of a vendor body; no filters or slices (refused, not ignored).

use serde_json::Value;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// `.name` or `['name']`.
    Key(String),
    /// `.*` or `[*]`: every member or element.
    Any,
    /// `[N]`.
    Index(usize),
    /// `..name`: that key at any depth below.
    Deep(String),
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    text: String,
    steps: Vec<Step>,
}

/// Longest `--redact` path accepted, in bytes.
const MAX_PATH: usize = 1024;

impl std::str::FromStr for JsonPath {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let bad = |why: &str| format!("--redact '{text}': {why} (a path like $.data[*].ssn or $..ssn)");
        if text.len() > MAX_PATH {
            return Err(bad("too long"));
        }
        let mut rest = text.strip_prefix('$').ok_or_else(|| bad("must start with $"))?;
        let mut steps = Vec::new();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("..") {
                let end = after.find(['.', '[']).unwrap_or(after.len());
                if end == 0 {
                    return Err(bad("`..` needs a key after it"));
                }
                steps.push(Step::Deep(after[..end].to_owned()));
                rest = &after[end..];
            } else if let Some(after) = rest.strip_prefix('.') {
                let end = after.find(['.', '[']).unwrap_or(after.len());
                let key = &after[..end];
                steps.push(match key {
                    "" => return Err(bad("empty key")),
                    "*" => Step::Any,
                    key => Step::Key(key.to_owned()),
                });
                rest = &after[end..];
            } else if let Some(after) = rest.strip_prefix('[') {
                let end = after.find(']').ok_or_else(|| bad("unclosed ["))?;
                let inner = &after[..end];
                steps.push(if inner == "*" {
                    Step::Any
                } else if let Ok(index) = inner.parse::<usize>() {
                    Step::Index(index)
                } else if let Some(key) = inner.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')) {
                    Step::Key(key.to_owned())
                } else {
                    return Err(bad("only [*], [N] and ['key'] are understood"));
                });
                rest = &after[end + 1..];
            } else {
                return Err(bad("expected . or ["));
            }
        }
        Ok(Self { text: text.to_owned(), steps })
    }
}

impl JsonPath {
    /// The path as given.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Calls `hit` on every value the path selects in `value`.
    pub fn for_each(&self, value: &mut Value, hit: &mut dyn FnMut(&mut Value)) {
        walk(&self.steps, value, hit);
    }
}

fn walk(steps: &[Step], value: &mut Value, hit: &mut dyn FnMut(&mut Value)) {
    let Some((step, rest)) = steps.split_first() else {
        hit(value);
        return;
    };
    match (step, value) {
        (Step::Key(key), Value::Object(map)) => {
            if let Some(child) = map.get_mut(key) {
                walk(rest, child, hit);
            }
        }
        (Step::Index(index), Value::Array(items)) => {
            if let Some(child) = items.get_mut(*index) {
                walk(rest, child, hit);
            }
        }
        (Step::Any, Value::Object(map)) => map.values_mut().for_each(|child| walk(rest, child, hit)),
        (Step::Any, Value::Array(items)) => items.iter_mut().for_each(|child| walk(rest, child, hit)),
        (Step::Deep(key), value) => deep(key, rest, value, hit),
        _ => {}
    }
}

fn deep(key: &str, rest: &[Step], value: &mut Value, hit: &mut dyn FnMut(&mut Value)) {
    match value {
        Value::Object(map) => {
            for (name, child) in map.iter_mut() {
                if name == key {
                    walk(rest, child, hit);
                } else {
                    deep(key, rest, child, hit);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|child| deep(key, rest, child, hit)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hits(path: &str, mut value: Value) -> Value {
        let path: JsonPath = path.parse().unwrap();
        path.for_each(&mut value, &mut |v| *v = json!("X"));
        value
    }

    #[test]
    fn paths_select_what_they_name() {
        assert_eq!(hits("$.a.b", json!({"a": {"b": 1, "c": 2}})), json!({"a": {"b": "X", "c": 2}}));
        assert_eq!(hits("$.a[*].b", json!({"a": [{"b": 1}, {"b": 2}]})), json!({"a": [{"b": "X"}, {"b": "X"}]}));
        assert_eq!(hits("$..ssn", json!({"x": [{"ssn": 1}], "ssn": 2})), json!({"x": [{"ssn": "X"}], "ssn": "X"}));
        assert_eq!(hits("$.a[1]", json!({"a": [1, 2]})), json!({"a": [1, "X"]}));
        assert!("a.b".parse::<JsonPath>().is_err());
        assert!("$.a[?(@.x)]".parse::<JsonPath>().is_err());
    }
}
