//! Django REST Framework field semantics, as DRF-based vendors' serializers get them: how each
//! field type reads, coerces and rejects input, with DRF's exact messages.

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{Map, Number, Value};

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

/// One field's raw value after DRF's `get_value`.
enum Raw {
    Missing,
    Null,
    Value(Value),
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
    fn get(&self, name: &str, empty: Empty) -> Raw {
        match self {
            Self::Json(map) => match map.get(name) {
                None => Raw::Missing,
                Some(Value::Null) => Raw::Null,
                Some(value) => Raw::Value(value.clone()),
            },
            Self::Form(pairs) => match pairs.iter().rev().find(|(k, _)| k == name) {
                None => Raw::Missing,
                Some((_, v)) if v.is_empty() && empty.allow_null && !empty.allow_blank => Raw::Null,
                Some((_, v)) if v.is_empty() && !empty.required && !empty.allow_blank => Raw::Missing,
                Some((_, v)) => Raw::Value(Value::String(v.clone())),
            },
        }
    }

    /// `ListField.get_value`: every value of a repeated form key.
    fn get_list(&self, name: &str) -> Raw {
        match self {
            Self::Json(_) => self.get(name, Empty::OPTIONAL),
            Self::Form(pairs) => {
                let values: Vec<Value> =
                    pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| Value::String(v.clone())).collect();
                if values.is_empty() { Raw::Missing } else { Raw::Value(Value::Array(values)) }
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
fn present<T>(raw: Raw, name: &str, empty: Empty, errors: &mut Errors, null: T) -> Result<Value, Got<T>> {
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
    let text = match &value {
        Value::String(s) => s.clone(),
        Value::Number(n) => py_number(n),
        _ => {
            errors.push(name, NOT_A_STRING);
            return Got::Invalid;
        }
    };
    let text = text.trim().to_owned();
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
    let parsed = match &value {
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
    let pk = match &value {
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
    let Value::Array(items) = value else {
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

/// `IntegerField.to_internal_value`: `int(re.sub(r'\.0*\s*$', '', str(data)))`.
fn drf_integer(value: &Value) -> Option<i64> {
    let text = py_str(value);
    let stripped = match text.rfind('.') {
        Some(dot) if text[dot + 1..].trim_start_matches('0').trim().is_empty() => &text[..dot],
        _ => text.as_str(),
    };
    py_int(stripped)
}

/// Python's `int(str)`: surrounding whitespace, a sign, digits and single underscores.
fn py_int(text: &str) -> Option<i64> {
    let t = text.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    let well_formed = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.chars().all(|c| c.is_ascii_digit() || c == '_');
    if !well_formed {
        return None;
    }
    t.replace('_', "").parse().ok()
}

/// Python's `str()` of a JSON-decoded value, as DRF echoes it in messages.
pub fn py_str(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => py_repr(other),
    }
}

fn py_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => py_number(n),
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(items) => format!("[{}]", items.iter().map(py_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => {
            format!("{{{}}}", map.iter().map(|(k, v)| format!("'{k}': {}", py_repr(v))).collect::<Vec<_>>().join(", "))
        }
    }
}

/// Python's `repr(float)` / `str(int)`.
fn py_number(n: &Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or_default();
    let magnitude = f.abs();
    if magnitude != 0.0 && !(1e-4..1e16).contains(&magnitude) {
        let text = format!("{f:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let (sign, digits) = exponent.strip_prefix('-').map_or(("+", exponent), |d| ("-", d));
        return format!("{mantissa}e{sign}{digits:0>2}");
    }
    if f.fract() == 0.0 { format!("{f:.1}") } else { f.to_string() }
}

/// Python's `type(value).__name__` for JSON values.
pub fn py_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// Django 5.2 `parse_date` on Python 3.11: `date.fromisoformat`, then `\d{4}-\d{1,2}-\d{1,2}$`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    iso_date(text).or_else(|| {
        let body = text.strip_suffix('\n').unwrap_or(text);
        let mut parts = body.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |s: &str, lens: &[usize]| lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        if parts.next().is_some() || !digits(y, &[4]) || !digits(m, &[1, 2]) || !digits(d, &[1, 2]) {
            return None;
        }
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    })
}

/// Python 3.11 `date.fromisoformat`: `YYYY-MM-DD`, `YYYYMMDD` and the ISO week forms.
fn iso_date(t: &str) -> Option<NaiveDate> {
    let num = |s: &str| -> Option<u32> { if s.bytes().all(|b| b.is_ascii_digit()) { s.parse().ok() } else { None } };
    if !t.is_ascii() {
        return None;
    }
    let b = t.as_bytes();
    let year = num(t.get(0..4)?)? as i32;
    match (b.len(), b.get(4), b.get(5)) {
        (10, Some(b'-'), _) if b[7] == b'-' && b[5] != b'W' => {
            NaiveDate::from_ymd_opt(year, num(&t[5..7])?, num(&t[8..10])?)
        }
        (8, Some(c), _) if c.is_ascii_digit() => NaiveDate::from_ymd_opt(year, num(&t[4..6])?, num(&t[6..8])?),
        (8, Some(b'-'), Some(b'W')) => week_date(year, &t[6..8], None),
        (10, Some(b'-'), Some(b'W')) if b[8] == b'-' => week_date(year, &t[6..8], Some(&t[9..10])),
        (7 | 8, Some(b'W'), _) => week_date(year, &t[5..7], t.get(7..8)),
        _ => None,
    }
}

fn week_date(year: i32, week: &str, day: Option<&str>) -> Option<NaiveDate> {
    let week: u32 = week.parse().ok().filter(|_| week.bytes().all(|b| b.is_ascii_digit()))?;
    let day: u32 = match day {
        Some(d) => d.parse().ok().filter(|_| d.bytes().all(|b| b.is_ascii_digit()))?,
        None => 1,
    };
    let weekday = Weekday::try_from(u8::try_from(day.checked_sub(1)?).ok()?).ok()?;
    NaiveDate::from_isoywd_opt(year, week, weekday).filter(|d| d.iso_week().year() == year)
}

/// Django's `EmailValidator` (dot-atom local part, domain with a 2+ letter TLD, `localhost`, or an IP literal).
pub fn valid_email(value: &str) -> bool {
    if value.is_empty() || value.len() > 320 {
        return false;
    }
    let Some((user, domain)) = value.rsplit_once('@') else { return false };
    let atom_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{}|~-".contains(c);
    let user_ok = !user.is_empty() && user.split('.').all(|atom| !atom.is_empty() && atom.chars().all(atom_char));
    user_ok && (domain == "localhost" || valid_domain(domain) || valid_ip_literal(domain))
}

fn valid_domain(domain: &str) -> bool {
    let Some((labels, tld)) = domain.rsplit_once('.') else { return false };
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let tld_ok = (2..=63).contains(&tld.len())
        && tld.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !tld.ends_with('-');
    tld_ok && labels.split('.').all(label_ok)
}

fn valid_ip_literal(domain: &str) -> bool {
    domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')).is_some_and(|ip| ip.parse::<std::net::IpAddr>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parse_date_accepts_what_django_accepts() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_date("2030-03-04"), d(2030, 3, 4));
        assert_eq!(parse_date("2030-3-4"), d(2030, 3, 4));
        assert_eq!(parse_date("20300304"), d(2030, 3, 4));
        assert_eq!(parse_date("2030-W10-1"), d(2030, 3, 4));
        assert_eq!(parse_date("2030W101"), d(2030, 3, 4));
        assert_eq!(parse_date("2030-02-30"), None);
        assert_eq!(parse_date("2030-03-04T10:00:00"), None);
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("04-03-2030"), None);
    }

    #[test]
    fn valid_email_follows_django() {
        assert!(valid_email("x@localhost"));
        assert!(valid_email("jamie.rivera@acme.test"));
        assert!(valid_email("a+b@[127.0.0.1]"));
        assert!(!valid_email("a@b"));
        assert!(!valid_email("a..b@acme.test"));
        assert!(!valid_email("no-at-sign"));
        assert!(!valid_email("a@-acme.test"));
    }

    #[test]
    fn py_str_matches_python() {
        assert_eq!(py_str(&json!(true)), "True");
        assert_eq!(py_str(&json!(1.5)), "1.5");
        assert_eq!(py_str(&json!(2.0)), "2.0");
        assert_eq!(py_str(&json!(1e20)), "1e+20");
        assert_eq!(py_str(&json!([1, "a"])), "[1, 'a']");
        assert_eq!(py_str(&json!({"a": null})), "{'a': None}");
    }

    #[test]
    fn drf_integer_strips_zero_decimals_only() {
        assert_eq!(drf_integer(&json!("101")), Some(101));
        assert_eq!(drf_integer(&json!(101.0)), Some(101));
        assert_eq!(drf_integer(&json!("101.00")), Some(101));
        assert_eq!(drf_integer(&json!(" 7 ")), Some(7));
        assert_eq!(drf_integer(&json!(1.5)), None);
        assert_eq!(drf_integer(&json!(true)), None);
        assert_eq!(drf_integer(&json!("abc")), None);
    }
}
