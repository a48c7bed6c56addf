//! The whole vendor suite, run a second time against a named sandbox: `/sandboxes/<name>/...`
//! must serve exactly what the bare prefixes serve, for every route of every vendor.

use crate::helpers::{NAMED_SANDBOX_ENV, VENDOR_IDS};
use std::process::Command;

/// Every registered vendor's test module (`<id>::`) runs again in a named sandbox, and each of
/// them must have run at least one test there: a vendor without tests fails here.
#[test]
fn every_vendor_test_passes_in_a_named_sandbox() {
    if std::env::var_os(NAMED_SANDBOX_ENV).is_some() {
        return; // This is the child run itself.
    }
    let modules: Vec<String> = VENDOR_IDS.iter().map(|id| format!("{id}::")).collect();
    let this_binary = std::env::current_exe().expect("the test binary's path");
    let output = Command::new(this_binary)
        .env(NAMED_SANDBOX_ENV, "ci-named.1")
        .args(&modules)
        .output()
        .expect("the suite runs again");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "vendor tests failed in a named sandbox:\n{stdout}\n{stderr}");
    let summary = stdout.lines().rev().find(|line| line.starts_with("test result:")).unwrap_or_default();
    assert!(!summary.contains(" 0 passed"), "the child run selected no tests: {summary}");
    for module in &modules {
        let ran = stdout.lines().any(|line| line.starts_with(&format!("test {module}")) && line.ends_with(" ok"));
        assert!(ran, "no test of the vendor module {module} ran in the named sandbox:\n{stdout}");
    }
}
