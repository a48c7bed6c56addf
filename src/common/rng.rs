//! The one RNG type of the sandbox, derived per (seed, vendor) so vendors never shift each other.

use chrono::{DateTime, TimeZone, Utc};
use rand::Rng;
use rand::SeedableRng;
pub use rand_chacha::ChaCha8Rng as SandboxRng;

/// Seeded data is dated from this fixed epoch plus RNG offsets, never from the wall clock.
pub fn seed_epoch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default()
}

/// The RNG for one purpose (`"chiefonboarding"`, `"chiefonboarding/tokens"`, ...) of one seed.
pub fn rng_for(seed: u64, purpose: &str) -> SandboxRng {
    let mut rng = SandboxRng::seed_from_u64(seed);
    rng.set_stream(fnv1a(purpose.as_bytes()));
    rng
}

/// `len` lowercase hex characters from the RNG (tokens, keys).
pub fn hex_string(rng: &mut SandboxRng, len: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    (0..len).map(|_| HEX[(rng.next_u32() & 0xf) as usize] as char).collect()
}

/// FNV-1a: a stable hash for deriving streams from names (std's hasher is not stable).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_for_differs_by_purpose_and_repeats_by_seed() {
        let a = hex_string(&mut rng_for(42, "a"), 40);
        assert_eq!(a, hex_string(&mut rng_for(42, "a"), 40));
        assert_ne!(a, hex_string(&mut rng_for(42, "b"), 40));
        assert_ne!(a, hex_string(&mut rng_for(43, "a"), 40));
    }
}
