//! Python's own conversions, as DRF's fields apply them and echo them in messages: `int()`,
//! `str()` and `repr()` of decoded JSON, type names, and Django's `parse_date`.

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{Number, Value};

/// `IntegerField.to_internal_value`: `int(re.sub(r'\.0*\s*$', '', str(data)))`.
pub(super) fn drf_integer(value: &Value) -> Option<i64> {
    let text = py_str(value);
    let stripped = match text.rfind('.') {
        Some(dot) if text[dot + 1..].trim_start_matches('0').trim().is_empty() => &text[..dot],
        _ => text.as_str(),
    };
    py_int(stripped)
}

/// Python's `str.strip()`: Unicode White_Space and the four separators `\x1c`-`\x1f` that
/// `str.isspace()` also counts (Rust's `trim` leaves those).
pub(crate) fn py_strip(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// Python's `int(str)`: surrounding whitespace, a sign, digits and single underscores.
pub(crate) fn py_int(text: &str) -> Option<i64> {
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

/// Python's `repr()`, written without recursion: a body may nest as deep as CPython's limit,
/// deeper than a worker's stack holds for a recursive walk. What is left to write is a stack.
fn py_repr(value: &Value) -> String {
    enum Next<'a> {
        Value(&'a Value),
        Key(&'a str),
        Text(&'static str),
    }
    let mut out = String::new();
    let mut next = vec![Next::Value(value)];
    while let Some(step) = next.pop() {
        let value = match step {
            Next::Text(text) => {
                out.push_str(text);
                continue;
            }
            Next::Key(key) => {
                out.push('\'');
                out.push_str(key);
                out.push_str("': ");
                continue;
            }
            Next::Value(value) => value,
        };
        match value {
            Value::Null => out.push_str("None"),
            Value::Bool(true) => out.push_str("True"),
            Value::Bool(false) => out.push_str("False"),
            Value::Number(n) => out.push_str(&py_number(n)),
            Value::String(s) => {
                out.push('\'');
                out.push_str(&s.replace('\\', "\\\\").replace('\'', "\\'"));
                out.push('\'');
            }
            Value::Array(items) => {
                out.push('[');
                next.push(Next::Text("]"));
                for (index, item) in items.iter().enumerate().rev() {
                    next.push(Next::Value(item));
                    if index > 0 {
                        next.push(Next::Text(", "));
                    }
                }
            }
            Value::Object(map) => {
                out.push('{');
                next.push(Next::Text("}"));
                for (index, (key, item)) in map.iter().enumerate().rev() {
                    next.push(Next::Value(item));
                    next.push(Next::Key(key));
                    if index > 0 {
                        next.push(Next::Text(", "));
                    }
                }
            }
        }
    }
    out
}

/// Python's `repr(float)` / `str(int)`.
pub(super) fn py_number(n: &Number) -> String {
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
    fn py_str_matches_python() {
        assert_eq!(py_str(&json!(true)), "True");
        assert_eq!(py_str(&json!(1.5)), "1.5");
        assert_eq!(py_str(&json!(2.0)), "2.0");
        assert_eq!(py_str(&json!(1e20)), "1e+20");
        assert_eq!(py_str(&json!([1, "a"])), "[1, 'a']");
        assert_eq!(py_str(&json!({"a": null})), "{'a': None}");
        assert_eq!(py_str(&json!([[1, {"a": "x", "b": []}], {}, [true]])), "[[1, {'a': 'x', 'b': []}], {}, [True]]");
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
