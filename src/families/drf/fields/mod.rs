//! Django REST Framework field semantics, as DRF-based vendors' serializers get them: how each
//! field type reads, coerces and rejects input, with DRF's exact messages.

pub(crate) mod python;

pub use python::{parse_date, py_str, py_type};

use crate::common::email::valid_email;
use chrono::NaiveDate;
use python::{drf_integer, py_int, py_number};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// `"This field is required."`
pub const REQUIRED: &str = "This field is required.";
/// `"This field may not be null."`
pub const NULL: &str = "This field may not be null.";
/// `"This field may not be blank."`
pub const BLANK: &str = "This field may not be blank.";
const NOT_A_STRING: &str = "Not a valid string.";
const NULL_CHARACTERS: &str = "Null characters are not allowed.";
const INVALID_EMAIL: &str = "Enter a valid email address.";
const INVALID_INTEGER: &str = "A valid integer is required.";
const DATE_FORMAT: &str = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.";

/// The request data as a serializer sees it: a parsed JSON object, or an HTML form (QueryDict).
pub enum Input {
    /// `application/json` (or an empty body).
    Json(Map<String, Value>),
    /// `application/x-www-form-urlencoded`, pairs in order.
    Form(Vec<(String, String)>),
}

/// One field's raw value after DRF's `get_value`: borrowed from a JSON body (a value may nest as
/// deep as CPython allows, too deep to copy on a worker's stack), made from a form's text.
enum Raw<'a> {
    Missing,
    Null,
    Value(Cow<'a, Value>),
}

/// What reading a field produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Got<T> {
    /// Not in the input (and not required).
    Missing,
    /// A valid value.
    Value(T),
    /// Invalid; the message is already in the errors.
    Invalid,
}

/// How a field treats empty input.
#[derive(Debug, Clone, Copy)]
pub struct Empty {
    /// Missing is an error.
    pub required: bool,
    /// `null` is a value.
    pub allow_null: bool,
    /// `""` is a value.
    pub allow_blank: bool,
}

impl Empty {
    /// Required, not null, not blank.
    pub const REQUIRED: Self = Self { required: true, allow_null: false, allow_blank: false };
    /// Optional, not null, blank allowed (Django `blank=True` text columns).
    pub const OPTIONAL_BLANK: Self = Self { required: false, allow_null: false, allow_blank: true };
    /// Optional, not null, not blank.
    pub const OPTIONAL: Self = Self { required: false, allow_null: false, allow_blank: false };
    /// Optional and nullable.
    pub const NULLABLE: Self = Self { required: false, allow_null: true, allow_blank: false };
}

impl Input {
    /// DRF's `Field.get_value`, including its HTML-form rules for `""`.
    fn get(&self, name: &str, empty: Empty) -> Raw<'_> {
        match self {
            Self::Json(map) => match map.get(name) {
                None => Raw::Missing,
                Some(Value::Null) => Raw::Null,
                Some(value) => Raw::Value(Cow::Borrowed(value)),
            },
            Self::Form(pairs) => match pairs.iter().rev().find(|(k, _)| k == name) {
                None => Raw::Missing,
                Some((_, v)) if v.is_empty() && empty.allow_null && !empty.allow_blank => Raw::Null,
                Some((_, v)) if v.is_empty() && !empty.required && !empty.allow_blank => Raw::Missing,
                Some((_, v)) => Raw::Value(Cow::Owned(Value::String(v.clone()))),
            },
        }
    }

    /// `ListField.get_value`: every value of a repeated form key.
    fn get_list(&self, name: &str) -> Raw<'_> {
        match self {
            Self::Json(_) => self.get(name, Empty::OPTIONAL),
            Self::Form(pairs) => {
                let values: Vec<Value> =
                    pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| Value::String(v.clone())).collect();
                if values.is_empty() { Raw::Missing } else { Raw::Value(Cow::Owned(Value::Array(values))) }
            }
        }
    }
}

/// Field-keyed error lists, in the order fields are declared.
#[derive(Debug, Default)]
pub struct Errors(Map<String, Value>);

impl Errors {
    /// Adds a message to a field's list.
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        let entry = self.0.entry(field.to_owned()).or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = entry {
            list.push(Value::String(message.into()));
        }
    }

    /// Whether the field has an error already.
    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    /// Sets a field's errors to a nested object (list items keyed by index).
    fn nest(&mut self, field: &str, detail: Map<String, Value>) {
        self.0.insert(field.to_owned(), Value::Object(detail));
    }

    /// The errors, or `None` when there are none.
    pub fn into_value(self) -> Option<Value> {
        if self.0.is_empty() { None } else { Some(Value::Object(self.0)) }
    }
}

/// Resolves missing / null per the field's rules; `Some(value)` when there is one to coerce.
fn present<'a, T>(
    raw: Raw<'a>,
    name: &str,
    empty: Empty,
    errors: &mut Errors,
    null: T,
) -> Result<Cow<'a, Value>, Got<T>> {
    match raw {
        Raw::Missing if empty.required => {
            errors.push(name, REQUIRED);
            Err(Got::Invalid)
        }
        Raw::Missing => Err(Got::Missing),
        Raw::Null if empty.allow_null => Err(Got::Value(null)),
        Raw::Null => {
            errors.push(name, NULL);
            Err(Got::Invalid)
        }
        Raw::Value(value) => Ok(value),
    }
}

/// `CharField` (trimmed), with an optional `max_length`.
pub fn char_field(input: &Input, errors: &mut Errors, name: &str, empty: Empty, max: Option<usize>) -> Got<String> {
    let value = match present(input.get(name, empty), name, empty, errors, String::new()) {
        Ok(value) => value,
        Err(got) => return got,
    };
    let text = match &*value {
        Value::String(s) => s.clone(),
        Value::Number(n) => py_number(n),
        _ => {
            errors.push(name, NOT_A_STRING);
            return Got::Invalid;
        }
    };
    let text = python::py_strip(&text).to_owned();
    if text.is_empty() {
        if !empty.allow_blank {
            errors.push(name, BLANK);
            return Got::Invalid;
        }
        return Got::Value(text);
    }
    let before = errors.has(name);
    if let Some(max) = max.filter(|max| text.chars().count() > *max) {
        errors.push(name, format!("Ensure this field has no more than {max} characters."));
    }
    if text.contains('\0') {
        errors.push(name, NULL_CHARACTERS);
    }
    if errors.has(name) && !before { Got::Invalid } else { Got::Value(text) }
}

/// `EmailField(max_length)` on a unique model column: DRF runs the unique, length, null-character
/// and email validators in that order and reports every one that fails.
pub fn email_field(
    input: &Input,
    errors: &mut Errors,
    name: &str,
    max: usize,
    taken: impl Fn(&str) -> Option<String>,
) -> Got<String> {
    let got = char_field(input, errors, name, Empty::REQUIRED, None);
    let Got::Value(email) = got else { return got };
    if let Some(message) = taken(&email) {
        errors.push(name, message);
    }
    if email.chars().count() > max {
        errors.push(name, format!("Ensure this field has no more than {max} characters."));
    }
    if email.contains('\0') {
        errors.push(name, NULL_CHARACTERS);
    }
    if !valid_email(&email) {
        errors.push(name, INVALID_EMAIL);
    }
    if errors.has(name) { Got::Invalid } else { Got::Value(email) }
}

/// `ChoiceField`: the input's Python `str()` must be one of the choices.
pub fn choice_field(
    input: &Input,
    errors: &mut Errors,
    name: &str,
    empty: Empty,
    is_choice: impl Fn(&str) -> bool,
) -> Got<String> {
    let value = match present(input.get(name, empty), name, empty, errors, String::new()) {
        Ok(value) => value,
        Err(got) => return got,
    };
    let key = py_str(&value);
    if is_choice(&key) {
        Got::Value(key)
    } else {
        errors.push(name, format!("\"{key}\" is not a valid choice."));
        Got::Invalid
    }
}

/// `BooleanField`: DRF's true/false spellings (`"yes"`, `"on"`, `1`, ...), else `Must be a valid boolean.`
pub fn boolean_field(input: &Input, errors: &mut Errors, name: &str, empty: Empty) -> Got<bool> {
    let value = match present(input.get(name, empty), name, empty, errors, false) {
        Ok(value) => value,
        Err(got) => return got,
    };
    let parsed = match &*value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_f64() {
            Some(1.0) => Some(true),
            Some(0.0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.as_str() {
            "t" | "T" | "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" | "1" => {
                Some(true)
            }
            "f" | "F" | "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" | "0" => {
                Some(false)
            }
            _ => None,
        },
        _ => None,
    };
    match parsed {
        Some(b) => Got::Value(b),
        None => {
            errors.push(name, "Must be a valid boolean.");
            Got::Invalid
        }
    }
}

/// `DateField` with Django's `parse_date` (ISO forms of Python 3.11 plus `YYYY-M-D`).
pub fn date_field(input: &Input, errors: &mut Errors, name: &str, empty: Empty) -> Got<Option<NaiveDate>> {
    let value = match present(input.get(name, empty), name, empty, errors, None) {
        Ok(value) => value,
        Err(got) => return got,
    };
    match value.as_str().and_then(parse_date) {
        Some(date) => Got::Value(Some(date)),
        None => {
            errors.push(name, DATE_FORMAT);
            Got::Invalid
        }
    }
}

/// `PrimaryKeyRelatedField` to users: coerces like Django's `AutoField` lookup.
pub fn pk_field(
    input: &Input,
    errors: &mut Errors,
    name: &str,
    empty: Empty,
    exists: impl Fn(u64) -> bool,
) -> Got<Option<u64>> {
    let value = match present(input.get(name, empty), name, empty, errors, None) {
        Ok(value) => value,
        Err(got) => return got,
    };
    let pk = match &*value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f.trunc() as i64)),
        Value::String(s) => match py_int(s) {
            Some(pk) => Some(pk),
            None => {
                errors.push(name, "Incorrect type. Expected pk value, received str.");
                return Got::Invalid;
            }
        },
        other => {
            errors.push(name, format!("Incorrect type. Expected pk value, received {}.", py_type(other)));
            return Got::Invalid;
        }
    };
    match pk.and_then(|pk| u64::try_from(pk).ok()).filter(|pk| exists(*pk)) {
        Some(pk) => Got::Value(Some(pk)),
        None => {
            errors.push(name, format!("Invalid pk \"{}\" - object does not exist.", py_str(&value)));
            Got::Invalid
        }
    }
}

/// `ListField(child=IntegerField())`: item errors keyed by index.
pub fn int_list_field(input: &Input, errors: &mut Errors, name: &str) -> Got<Vec<i64>> {
    let empty = Empty::OPTIONAL;
    let value = match present(input.get_list(name), name, empty, errors, Vec::new()) {
        Ok(value) => value,
        Err(got) => return got,
    };
    let Value::Array(items) = &*value else {
        errors.push(name, format!("Expected a list of items but got type \"{}\".", py_type(&value)));
        return Got::Invalid;
    };
    let mut ints = Vec::with_capacity(items.len());
    let mut item_errors = Map::new();
    for (index, item) in items.iter().enumerate() {
        match item {
            Value::Null => {
                item_errors.insert(index.to_string(), Value::Array(vec![NULL.into()]));
            }
            other => match drf_integer(other) {
                Some(n) => ints.push(n),
                None => {
                    item_errors.insert(index.to_string(), Value::Array(vec![INVALID_INTEGER.into()]));
                }
            },
        }
    }
    if item_errors.is_empty() {
        Got::Value(ints)
    } else {
        errors.nest(name, item_errors);
        Got::Invalid
    }
}
