//! Names that become URL path segments or keys a client types: sandboxes and scenarios.

/// Sandbox names are URL path segments: 1 to 64 of `A-Z a-z 0-9 - _ .`.
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && name != "."
        && name != ".."
}
