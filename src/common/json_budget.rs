//! A budget on the work a JSON document may cause, checked by one cheap pass over its bytes
//! before anything is built from it: no recursion, no allocation, so a refused document costs
//! nothing but its own bytes.
//!
//! Once read into a `serde_json::Value`, each token of a document costs about 80 bytes plus its
//! text (`[0,0,0,...]` grows 40-fold): the token count is what bounds that, and the nesting
//! depth bounds every recursive walk after it. The pass does not validate: malformed JSON is
//! left to the real parser, which then works within the same budget.

use std::fmt;

/// The most a document may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Deepest nesting of objects and arrays.
    pub max_depth: usize,
    /// Most tokens: values, object keys included (each one an allocation once parsed).
    pub max_tokens: usize,
}

/// Why a document was refused, and at which byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    /// Nested deeper than the budget's depth.
    Depth {
        /// The budget's depth.
        max: usize,
        /// Byte offset of the container that went too deep.
        at: usize,
    },
    /// More tokens than the budget allows.
    Tokens {
        /// The budget's token count.
        max: usize,
        /// Byte offset of the first token past it.
        at: usize,
    },
}

impl fmt::Display for Exceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Depth { max, at } => write!(f, "nested deeper than {max} levels (at byte {at})"),
            Self::Tokens { max, at } => write!(f, "more than {max} values and keys (at byte {at})"),
        }
    }
}

impl Budget {
    /// `Ok` when `bytes` stays within the budget; the first excess otherwise.
    pub fn check(&self, bytes: &[u8]) -> Result<(), Exceeded> {
        let (mut depth, mut tokens, mut i) = (0usize, 0usize, 0usize);
        while let Some(&byte) = bytes.get(i) {
            let start = i;
            i = match byte {
                b'{' | b'[' => {
                    depth += 1;
                    if depth > self.max_depth {
                        return Err(Exceeded::Depth { max: self.max_depth, at: start });
                    }
                    i + 1
                }
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    i + 1
                }
                b'"' => string_end(bytes, i + 1),
                b'-' | b'0'..=b'9' => {
                    skip_while(bytes, i, |b| matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                }
                b't' | b'f' | b'n' => skip_while(bytes, i, |b| b.is_ascii_alphabetic()),
                // Separators, whitespace, and bytes the real parser will refuse.
                _ => {
                    i += 1;
                    continue;
                }
            };
            if byte != b'}' && byte != b']' {
                tokens += 1;
                if tokens > self.max_tokens {
                    return Err(Exceeded::Tokens { max: self.max_tokens, at: start });
                }
            }
        }
        Ok(())
    }
}

/// The index just past the string whose contents start at `from` (past the end when unclosed).
fn string_end(bytes: &[u8], mut from: usize) -> usize {
    while let Some(&byte) = bytes.get(from) {
        match byte {
            b'"' => return from + 1,
            b'\\' => from += 2,
            _ => from += 1,
        }
    }
    from
}

fn skip_while(bytes: &[u8], mut from: usize, keep: impl Fn(u8) -> bool) -> usize {
    while bytes.get(from).is_some_and(|&b| keep(b)) {
        from += 1;
    }
    from
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Budget = Budget { max_depth: 3, max_tokens: 7 };

    #[test]
    fn a_document_within_the_budget_passes() {
        assert_eq!(SMALL.check(br#"{"a": [1, -2.5e3], "b\"]]]]": null}"#), Ok(()));
    }

    #[test]
    fn depth_past_the_budget_is_refused_where_it_happens() {
        assert_eq!(SMALL.check(b"[[[[0]]]]"), Err(Exceeded::Depth { max: 3, at: 3 }));
    }

    #[test]
    fn tokens_past_the_budget_are_refused_where_they_happen() {
        assert_eq!(SMALL.check(b"[0,0,0,0,0,0,0]"), Err(Exceeded::Tokens { max: 7, at: 13 }));
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        assert_eq!(SMALL.check(br#"["[[[[\"{{{{"]"#), Ok(()));
    }
}
