//! The recordings of the real vendor software committed under recordings/: the sandbox answers
//! each like the vendor did.

use super::parity;
use std::path::Path;

#[test]
fn parity_of_the_recorded_real_chiefonboarding_reports_nothing() {
    let file = Path::new("recordings/chiefonboarding/chiefonboarding-2.4.1-local.har");
    let out = parity(file, &["--identity", "{{secret:2}}=manager"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("12 match, 0 differ"), "{stdout}");
}

#[test]
fn parity_maps_a_credential_to_the_default_identity_unless_told() {
    // Without --identity the manager's token is replayed as the admin's: the 403 becomes a 200.
    let out = parity(Path::new("recordings/chiefonboarding/chiefonboarding-2.4.1-local.har"), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("| `status` | `403` | `200` | exact |"), "{stdout}");
}
