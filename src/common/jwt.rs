//! HS256 JSON Web Tokens signed with a sandbox's secret: minting, and verification in the order
//! PyJWT and the Java libraries share (structure, algorithm, signature). Expiry is the caller's
//! to check, against the sandbox clock rather than the wall clock.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtError {
    /// Not three base64url segments of JSON.
    Malformed,
    /// `alg` is not HS256 (`none` included).
    Algorithm,
    /// The signature does not match the secret, or the claims do not parse.
    Signature,
}

/// Signs `claims` with HS256.
pub fn sign<C: Serialize>(claims: &C, secret: &str) -> String {
    // Encoding serializable claims with an HMAC key cannot fail.
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret.as_bytes()))
        .unwrap_or_default()
}

/// Verifies an HS256 token and returns its claims.
pub fn verify<C: DeserializeOwned>(token: &str, secret: &str) -> Result<C, JwtError> {
    let mut segments = token.split('.');
    let (Some(header), Some(_), Some(_), None) = (segments.next(), segments.next(), segments.next(), segments.next())
    else {
        return Err(JwtError::Malformed);
    };
    let header: Value = URL_SAFE_NO_PAD
        .decode(header.trim_end_matches('='))
        .ok()
        .and_then(|h| serde_json::from_slice(&h).ok())
        .ok_or(JwtError::Malformed)?;
    if header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(JwtError::Algorithm);
    }
    let mut validation = Validation::new(Algorithm::HS256);
    validation.validate_exp = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<C>(token, &DecodingKey::from_secret(secret.as_bytes()), &validation)
        .map(|data| data.claims)
        .map_err(|_| JwtError::Signature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn verify_reads_what_sign_wrote_and_refuses_other_keys_and_algorithms() {
        let token = sign(&json!({"sub": "a"}), "k");
        assert_eq!(verify::<Value>(&token, "k"), Ok(json!({"sub": "a"})));
        assert_eq!(verify::<Value>(&token, "other"), Err(JwtError::Signature));
        assert_eq!(verify::<Value>("a.b", "k"), Err(JwtError::Malformed));
        let none = format!("{}.{}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#), URL_SAFE_NO_PAD.encode(b"{}"));
        assert_eq!(verify::<Value>(&none, "k"), Err(JwtError::Algorithm));
    }
}
