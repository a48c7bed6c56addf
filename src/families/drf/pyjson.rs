//! The message CPython's `json.loads` gives for a malformed document, because DRF echoes it:
//! `JSON parse error - Expecting value: line 1 column 1 (char 0)`. A small scanner that follows
//! CPython's C scanner step by step; it only runs once serde_json has already rejected a body.
//! A document the scanner accepts that serde_json refused for its nesting (serde_json stops at
//! 128, CPython at [`MAX_DEPTH`]) is then read by [`loads_deep`].

const WS: [char; 4] = [' ', '\t', '\n', '\r'];

/// How deep CPython's scanner nests before `RecursionError` (its default recursion limit).
/// Bounding the scan here is also what keeps this recursive scanner off the end of the stack.
const MAX_DEPTH: usize = 1000;

/// Why Python's `json.loads` refuses a document.
#[derive(Debug, PartialEq, Eq)]
pub enum PyJsonError {
    /// A `JSONDecodeError` (a `ValueError`, which DRF turns into a 400): its `str()`.
    Decode(String),
    /// A `RecursionError`: not a `ValueError`, so DRF lets it escape as a 500.
    Recursion,
}

enum At {
    Char(usize),
    /// A refused constant, whose message has no position.
    Constant,
    /// Nested past [`MAX_DEPTH`].
    TooDeep,
}

struct Failure {
    message: &'static str,
    at: At,
}

type Scan = Result<usize, Failure>;

fn fail(message: &'static str, pos: usize) -> Failure {
    Failure { message, at: At::Char(pos) }
}

/// DRF parses with `parse_constant=strict_constant`, so NaN and the infinities are refused.
fn constant(name: &'static str) -> Failure {
    Failure { message: name, at: At::Constant }
}

/// What Python's `json.loads` raises for `text`, or `None` when Python would accept it.
pub fn decode_error(text: &str) -> Option<PyJsonError> {
    let s: Vec<char> = text.chars().collect();
    let result = value(&s, skip_ws(&s, 0), 0).and_then(|end| {
        let end = skip_ws(&s, end);
        if end == s.len() { Ok(end) } else { Err(fail("Extra data", end)) }
    });
    result.err().map(|f| match f.at {
        At::TooDeep => PyJsonError::Recursion,
        At::Constant => {
            PyJsonError::Decode(format!("Out of range float values are not JSON compliant: '{}'", f.message))
        }
        At::Char(pos) => {
            let line = s[..pos].iter().filter(|c| **c == '\n').count() + 1;
            let col = match s[..pos].iter().rposition(|c| *c == '\n') {
                Some(nl) => pos - nl,
                None => pos + 1,
            };
            PyJsonError::Decode(format!("{}: line {line} column {col} (char {pos})", f.message))
        }
    })
}

/// Stack for reading a document nested up to [`MAX_DEPTH`]: serde_json's recursive reader takes
/// up to 4 KiB a level in a debug build (1000 levels fit in 4 MiB, measured), more than an actix
/// worker's own 2 MiB; four times that, reserved and only touched as deep as the document goes.
const DEEP_STACK: usize = 16 * 1024 * 1024;

/// `json.loads` for a document [`decode_error`] accepted but serde_json refused past its own
/// recursion limit of 128: serde_json without that limit, on a thread whose stack holds
/// [`MAX_DEPTH`] levels (only reached by such documents; the stack is reserved, not touched).
/// The depth is already bounded by the scan, so the reader is too.
pub fn loads_deep(text: &str) -> Result<serde_json::Value, serde_json::Error> {
    let read = || {
        let mut reader = serde_json::Deserializer::from_str(text);
        reader.disable_recursion_limit();
        let value = serde::Deserialize::deserialize(&mut reader)?;
        reader.end().map(|()| value)
    };
    std::thread::scope(|scope| {
        match std::thread::Builder::new().name("deep-json".into()).stack_size(DEEP_STACK).spawn_scoped(scope, read) {
            Ok(reader) => reader.join().unwrap_or_else(|_| Err(serde::de::Error::custom("the reader panicked"))),
            Err(e) => Err(serde::de::Error::custom(format!("no thread to read a deep document: {e}"))),
        }
    })
}

fn skip_ws(s: &[char], mut i: usize) -> usize {
    while i < s.len() && WS.contains(&s[i]) {
        i += 1;
    }
    i
}

fn starts(s: &[char], i: usize, word: &str) -> bool {
    word.chars().enumerate().all(|(k, c)| s.get(i + k) == Some(&c))
}

fn value(s: &[char], i: usize, depth: usize) -> Scan {
    match s.get(i) {
        None => Err(fail("Expecting value", i)),
        Some('"') => string(s, i + 1),
        Some('{' | '[') if depth >= MAX_DEPTH => Err(Failure { message: "", at: At::TooDeep }),
        Some('{') => object(s, i + 1, depth + 1),
        Some('[') => array(s, i + 1, depth + 1),
        Some('n') if starts(s, i, "null") => Ok(i + 4),
        Some('t') if starts(s, i, "true") => Ok(i + 4),
        Some('f') if starts(s, i, "false") => Ok(i + 5),
        Some('N') if starts(s, i, "NaN") => Err(constant("NaN")),
        Some('I') if starts(s, i, "Infinity") => Err(constant("Infinity")),
        Some('-') if starts(s, i, "-Infinity") => Err(constant("-Infinity")),
        Some(_) => number(s, i),
    }
}

fn number(s: &[char], start: usize) -> Scan {
    let digits = |mut i: usize| {
        while s.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = start;
    if s.get(i) == Some(&'-') {
        i += 1;
    }
    match s.get(i) {
        Some('0') => i += 1,
        Some(c) if c.is_ascii_digit() => i = digits(i),
        _ => return Err(fail("Expecting value", start)),
    }
    if s.get(i) == Some(&'.') && s.get(i + 1).is_some_and(char::is_ascii_digit) {
        i = digits(i + 1);
    }
    if matches!(s.get(i), Some('e' | 'E')) {
        let mut j = i + 1;
        if matches!(s.get(j), Some('+' | '-')) {
            j += 1;
        }
        if s.get(j).is_some_and(char::is_ascii_digit) {
            i = digits(j);
        }
    }
    Ok(i)
}

fn string(s: &[char], end: usize) -> Scan {
    let begin = end - 1;
    let mut i = end;
    loop {
        match s.get(i) {
            None => return Err(fail("Unterminated string starting at", begin)),
            Some('"') => return Ok(i + 1),
            Some(c) if (*c as u32) < 0x20 => return Err(fail("Invalid control character at", i)),
            Some('\\') => {
                i += 1;
                match s.get(i) {
                    None => return Err(fail("Unterminated string starting at", begin)),
                    Some('u') => {
                        let hex_start = i + 1;
                        if hex_start + 4 > s.len() {
                            return Err(fail("Invalid \\uXXXX escape", i));
                        }
                        if !s[hex_start..hex_start + 4].iter().all(char::is_ascii_hexdigit) {
                            return Err(fail("Invalid \\uXXXX escape", i));
                        }
                        i = hex_start + 4;
                    }
                    Some('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't') => i += 1,
                    Some(_) => return Err(fail("Invalid \\escape", i - 1)),
                }
            }
            Some(_) => i += 1,
        }
    }
}

fn object(s: &[char], end: usize, depth: usize) -> Scan {
    let mut i = skip_ws(s, end);
    match s.get(i) {
        Some('}') => return Ok(i + 1),
        Some('"') => {}
        _ => return Err(fail("Expecting property name enclosed in double quotes", i)),
    }
    loop {
        i = string(s, i + 1)?;
        i = skip_ws(s, i);
        if s.get(i) != Some(&':') {
            return Err(fail("Expecting ':' delimiter", i));
        }
        i = value(s, skip_ws(s, i + 1), depth)?;
        i = skip_ws(s, i);
        match s.get(i) {
            Some('}') => return Ok(i + 1),
            Some(',') => {}
            _ => return Err(fail("Expecting ',' delimiter", i)),
        }
        i = skip_ws(s, i + 1);
        if s.get(i) != Some(&'"') {
            return Err(fail("Expecting property name enclosed in double quotes", i));
        }
    }
}

fn array(s: &[char], end: usize, depth: usize) -> Scan {
    let mut i = skip_ws(s, end);
    if s.get(i) == Some(&']') {
        return Ok(i + 1);
    }
    loop {
        i = value(s, i, depth)?;
        i = skip_ws(s, i);
        match s.get(i) {
            Some(']') => return Ok(i + 1),
            Some(',') => i = skip_ws(s, i + 1),
            _ => return Err(fail("Expecting ',' delimiter", i)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_DEPTH, PyJsonError};

    fn decode_error(text: &str) -> Option<String> {
        match super::decode_error(text)? {
            PyJsonError::Decode(message) => Some(message),
            PyJsonError::Recursion => Some("RecursionError".into()),
        }
    }

    #[test]
    fn decode_error_matches_cpython_messages() {
        let cases = [
            ("", "Expecting value: line 1 column 1 (char 0)"),
            ("{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
            ("{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)"),
            ("{\"a\": 1", "Expecting ',' delimiter: line 1 column 8 (char 7)"),
            ("{\"a\": }", "Expecting value: line 1 column 7 (char 6)"),
            ("{\"a\": 1,}", "Expecting property name enclosed in double quotes: line 1 column 9 (char 8)"),
            ("[1, 2", "Expecting ',' delimiter: line 1 column 6 (char 5)"),
            ("{\"a\": \"x", "Unterminated string starting at: line 1 column 7 (char 6)"),
            ("{} x", "Extra data: line 1 column 4 (char 3)"),
            ("{'a': 1}", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
            ("{\n\"a\": tru}", "Expecting value: line 2 column 6 (char 7)"),
            ("\"\\x\"", "Invalid \\escape: line 1 column 2 (char 1)"),
            ("\"a\tb\"", "Invalid control character at: line 1 column 3 (char 2)"),
            ("\"\\u12\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"),
            ("-", "Expecting value: line 1 column 1 (char 0)"),
            ("[1,]", "Expecting value: line 1 column 4 (char 3)"),
            ("01", "Extra data: line 1 column 2 (char 1)"),
            ("  ", "Expecting value: line 1 column 3 (char 2)"),
        ];
        for (text, want) in cases {
            assert_eq!(decode_error(text).as_deref(), Some(want), "for {text:?}");
        }
        assert_eq!(decode_error("{\"a\": [1, 2.5e3, null]}"), None);
        assert_eq!(
            decode_error("[1, NaN]").as_deref(),
            Some("Out of range float values are not JSON compliant: 'NaN'")
        );
    }

    #[test]
    fn nesting_past_pythons_recursion_limit_is_a_recursion_error_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        assert_eq!(super::decode_error(&deep), Some(PyJsonError::Recursion));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(super::decode_error(&ok), None);
        assert!(serde_json::from_str::<serde_json::Value>(&ok).is_err(), "past serde_json's own limit");
        assert!(super::loads_deep(&ok).is_ok_and(|v| v.is_array()), "read as deep as CPython reads");
        let objects = "{\"a\":".repeat(100_000);
        assert_eq!(super::decode_error(&objects), Some(PyJsonError::Recursion));
    }
}
