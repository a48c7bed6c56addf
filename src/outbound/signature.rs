//! How outbound deliveries are signed: HMAC-SHA256, keyed by the webhook's secret, over the
//! delivery's timestamp (Unix seconds of sandbox time, as sent in its header), a `.`, and the
//! body bytes exactly as sent; the digest in lowercase hex. `docs/webhooks.md` has a Python
//! check that the tests run against real deliveries.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The lowercase hex HMAC-SHA256 of `timestamp.body` keyed by `secret`.
// Divergence: Justworks names the two headers but not the scheme; this common one is the sandbox's.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    // HMAC takes a key of any length: `new_from_slice` never fails for it.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else { return String::new() };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::sign;

    #[test]
    fn sign_is_python_hmac_over_timestamp_dot_body() {
        // python3 -c "import hmac,hashlib; print(hmac.new(b'key', b'1.x', hashlib.sha256).hexdigest())"
        assert_eq!(sign(b"key", 1, b"x"), "fc4913c41a7bf793267e2a384f3261c9436ec2cd097bd745e7b0d99113f510ec");
    }
}
