//! What a record keeps of a changed vendor part: only what changed since the part's last record
//! in this log, found by comparing its JSON text with the text kept last time, a few levels
//! down (the part, its `settings` and `state`, each collection of the state, each record of a
//! collection). A user added to 5,000 writes one user, not 5,000 (a whole part per batch made a
//! record, its write and its `fsync` grow with the data).
//!
//! A delta is one of (as JSON):
//! - `{"=": V}`: the value is `V` (a new value, a changed record, the first record of a part);
//! - `{"{": {KEY: DELTA, ...}, "-": [KEY, ...]}`: an object whose listed keys changed (or are
//!   new) and whose `-` keys are gone;
//! - `{"len": N, "[": {INDEX: DELTA, ...}}`: an array now `N` long whose listed items changed
//!   (or are new, past the old end).
//!
//! Restore and rewind apply it to the part as the snapshot or an earlier record left it
//! ([`apply`]): the same JSON the whole export gives, up to the order of an object's keys, which
//! no vendor's snapshot reader depends on (its collections are ordered maps).

use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// How far down a part is compared: part, settings and state, collection, record.
pub const DEPTH: u8 = 3;

/// How `new` differs from `old`, both JSON texts of one value.
pub enum Delta<'a> {
    /// The new value whole (JSON text).
    Whole(&'a str),
    /// An object: the keys that changed or are new, and those gone.
    Object(Vec<(&'a str, Delta<'a>)>, Vec<Box<str>>),
    /// An array: its new length and the items that changed or are new.
    Array(usize, Vec<(usize, Delta<'a>)>),
}

/// Where the members of a JSON text's objects and arrays are (byte ranges from the start of
/// their parent's text), [`DEPTH`] levels down: kept with the text so that the next comparison
/// reads only the new text, never the old one again.
#[derive(Default)]
pub enum Shape {
    /// Not looked into (a scalar, or the last level).
    #[default]
    Leaf,
    /// An object's members by key.
    Object(BTreeMap<Box<str>, Member>),
    /// An array's items.
    Array(Vec<Member>),
}

/// One member of an object or array: its text's range in its parent's text, and its shape.
pub struct Member {
    start: usize,
    end: usize,
    shape: Shape,
}

type Fields<'a> = BTreeMap<&'a str, &'a RawValue>;
type Items<'a> = Vec<&'a RawValue>;

/// Where `part` starts in `whole` (a slice of it).
fn range(whole: &str, part: &str) -> (usize, usize) {
    let start = part.as_ptr() as usize - whole.as_ptr() as usize;
    (start, start + part.len())
}

/// The shape of `text`, `depth` levels down.
pub fn shape_of(text: &str, depth: u8) -> Shape {
    if depth == 0 {
        return Shape::Leaf;
    }
    let member = |value: &RawValue| {
        let (start, end) = range(text, value.get());
        Member { start, end, shape: shape_of(value.get(), depth - 1) }
    };
    if text.starts_with('{')
        && let Ok(fields) = serde_json::from_str::<Fields<'_>>(text)
    {
        return Shape::Object(fields.into_iter().map(|(key, value)| (key.into(), member(value))).collect());
    }
    if text.starts_with('[')
        && let Ok(items) = serde_json::from_str::<Items<'_>>(text)
    {
        return Shape::Array(items.into_iter().map(member).collect());
    }
    Shape::Leaf
}

/// The delta from `old` (a text and its shape; `None`: everything is new) to `new`, `depth`
/// levels down at most (`None` when they are the same text), and the shape of `new`. A key
/// written with escapes cannot be borrowed from the text: its object is then kept whole (rare,
/// and still exact).
pub fn diff<'n>(old: Option<(&str, Shape)>, new: &'n str, depth: u8) -> (Option<Delta<'n>>, Shape) {
    let Some((old, shape)) = old else { return (Some(Delta::Whole(new)), shape_of(new, depth)) };
    if old == new {
        return (None, shape);
    }
    let whole = || (Some(Delta::Whole(new)), shape_of(new, depth));
    if depth == 0 {
        return (Some(Delta::Whole(new)), Shape::Leaf);
    }
    match shape {
        Shape::Object(mut members) if new.starts_with('{') => {
            let Ok(fields) = serde_json::from_str::<Fields<'_>>(new) else { return whole() };
            let mut changed = Vec::new();
            for (key, value) in &fields {
                let (start, end) = range(new, value.get());
                match members.get_mut(*key) {
                    Some(member) => {
                        let before = &old[member.start..member.end];
                        let (delta, shape) =
                            diff(Some((before, std::mem::take(&mut member.shape))), value.get(), depth - 1);
                        *member = Member { start, end, shape };
                        changed.extend(delta.map(|delta| (*key, delta)));
                    }
                    None => {
                        changed.push((*key, Delta::Whole(value.get())));
                        let shape = shape_of(value.get(), depth - 1);
                        members.insert((*key).into(), Member { start, end, shape });
                    }
                }
            }
            let mut gone = Vec::new();
            if members.len() != fields.len() {
                gone = members.keys().filter(|key| !fields.contains_key(&***key)).cloned().collect();
                for key in &gone {
                    members.remove(key);
                }
            }
            (Some(Delta::Object(changed, gone)), Shape::Object(members))
        }
        Shape::Array(mut members) if new.starts_with('[') => {
            let Ok(items) = serde_json::from_str::<Items<'_>>(new) else { return whole() };
            members.truncate(items.len());
            let mut changed = Vec::new();
            for (i, value) in items.iter().enumerate() {
                let (start, end) = range(new, value.get());
                match members.get_mut(i) {
                    Some(member) => {
                        let before = &old[member.start..member.end];
                        let (delta, shape) =
                            diff(Some((before, std::mem::take(&mut member.shape))), value.get(), depth - 1);
                        *member = Member { start, end, shape };
                        changed.extend(delta.map(|delta| (i, delta)));
                    }
                    None => {
                        changed.push((i, Delta::Whole(value.get())));
                        members.push(Member { start, end, shape: shape_of(value.get(), depth - 1) });
                    }
                }
            }
            (Some(Delta::Array(items.len(), changed)), Shape::Array(members))
        }
        _ => whole(),
    }
}

impl Delta<'_> {
    /// Appends the delta's JSON to `out`.
    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Self::Whole(text) => {
                out.extend_from_slice(b"{\"=\":");
                out.extend_from_slice(text.as_bytes());
            }
            Self::Object(changed, gone) => {
                out.extend_from_slice(b"{\"{\":{");
                for (i, (key, delta)) in changed.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    // A key borrowed from the text has no escapes: it is written as it was read.
                    out.push(b'"');
                    out.extend_from_slice(key.as_bytes());
                    out.extend_from_slice(b"\":");
                    delta.write(out);
                }
                out.push(b'}');
                if !gone.is_empty() {
                    out.extend_from_slice(b",\"-\":");
                    let _ = serde_json::to_writer(&mut *out, gone);
                }
            }
            Self::Array(len, changed) => {
                out.extend_from_slice(format!("{{\"len\":{len},\"[\":{{").as_bytes());
                for (i, (index, delta)) in changed.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(format!("\"{index}\":").as_bytes());
                    delta.write(out);
                }
                out.push(b'}');
            }
        }
        out.push(b'}');
    }
}

/// Applies a delta (as a record holds it) to `target`; `Err` says why it cannot (a damaged log).
/// Taken by value: a whole value is moved in, not copied (a 100,000-user part is one).
pub fn apply(target: &mut Value, delta: Value) -> Result<(), String> {
    let Value::Object(mut delta) = delta else { return Err("a delta that is not an object".into()) };
    if let Some(whole) = delta.remove("=") {
        *target = whole;
        return Ok(());
    }
    if let Some(Value::Object(changed)) = delta.remove("{") {
        let object = target.as_object_mut().ok_or("a delta for an object finds no object")?;
        for (key, delta) in changed {
            match object.get_mut(&key) {
                Some(value) => apply(value, delta)?,
                None => {
                    let Value::Object(mut delta) = delta else { return Err("a delta that is not an object".into()) };
                    let value = delta.remove("=").ok_or_else(|| format!("a delta for a key never kept ({key})"))?;
                    object.insert(key, value);
                }
            }
        }
        for key in delta.get("-").and_then(Value::as_array).into_iter().flatten() {
            object.shift_remove(key.as_str().ok_or("a removed key that is not a string")?);
        }
        return Ok(());
    }
    if let (Some(len), Some(Value::Object(changed))) = (delta.get("len").and_then(Value::as_u64), delta.remove("[")) {
        let array = target.as_array_mut().ok_or("a delta for an array finds no array")?;
        let len = usize::try_from(len).map_err(|_| "an array length out of range")?;
        array.truncate(len);
        let mut items: Vec<(usize, Value)> = Vec::with_capacity(changed.len());
        for (index, delta) in changed {
            items.push((index.parse().map_err(|_| format!("an array index that is not one ({index})"))?, delta));
        }
        items.sort_unstable_by_key(|(index, _)| *index);
        for (index, delta) in items {
            if index < array.len() {
                apply(&mut array[index], delta)?;
            } else if index == array.len() {
                let Value::Object(mut delta) = delta else { return Err("a delta that is not an object".into()) };
                array.push(delta.remove("=").ok_or("a delta for an item never kept")?);
            } else {
                return Err(format!("an array item past its end ({index})"));
            }
        }
        if array.len() != len {
            return Err("an array delta that does not make its length".into());
        }
        return Ok(());
    }
    Err("a delta of no known form".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `old` with the delta to `new` applied is `new` (as JSON, keys in any order).
    fn round_trip(old: Value, new: Value) -> usize {
        let (old_text, new_text) = (old.to_string(), new.to_string());
        let mut target = old.clone();
        let shape = shape_of(&old_text, DEPTH);
        let mut written = Vec::new();
        if let (Some(delta), _) = diff(Some((&old_text, shape)), &new_text, DEPTH) {
            delta.write(&mut written);
            apply(&mut target, serde_json::from_slice(&written).expect("json")).expect("applies");
        }
        let written = String::from_utf8(written).expect("utf-8");
        assert_eq!(target, new, "delta {written}");
        written.len()
    }

    #[test]
    fn delta_of_a_record_added_removed_or_changed_rebuilds_the_new_part() {
        let users = |ids: &[u64]| -> Value {
            ids.iter().map(|id| (id.to_string(), json!({"id": id, "name": format!("user {id}")}))).collect()
        };
        let part = |ids: &[u64], list: Vec<u64>, next: u64| json!({"settings": {"on": true}, "state": {"next": next, "users": users(ids), "list": list}});
        let old = part(&[1, 2, 3], vec![1, 2, 3], 4);
        assert_eq!(round_trip(old.clone(), old.clone()), 0, "no change, no delta");
        let small = round_trip(old.clone(), part(&[1, 2, 3, 4], vec![1, 2, 3, 4], 5));
        assert!(small < old.to_string().len(), "an added record is written alone");
        round_trip(old.clone(), part(&[1, 3], vec![1], 4));
        let mut changed = old.clone();
        changed["state"]["users"]["2"]["name"] = json!("renamed");
        changed["settings"] = json!({"on": false, "new": 1});
        round_trip(old.clone(), changed);
        round_trip(old, json!({"settings": [], "state": null}));
    }
}
