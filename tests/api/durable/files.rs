//! The state directory checked on start (a torn last record, damage, a newer version, a second
//! process), and a disk that fails under a running server.

use super::{Api, fresh_dir, kill_9, log_file, refused, serve, stop};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The current log file of `dir` (the newest generation's).
fn current_log(dir: &Path) -> PathBuf {
    let mut logs: Vec<(u64, PathBuf)> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| {
            let path = e.ok()?.path();
            let generation = path.file_name()?.to_str()?.strip_prefix("log-")?.parse().ok()?;
            Some((generation, path))
        })
        .collect();
    logs.sort();
    logs.pop().expect("a log").1
}

/// A directory holding two ChiefOnboarding writes in its log; the server stopped.
async fn two_writes(test: &str) -> PathBuf {
    let dir = fresh_dir(test);
    let mut server = serve(&dir);
    let api = Api::of(&server);
    let auth = api.auth("chiefonboarding", "admin", "default").await;
    assert_eq!(api.create_user(&auth, "first@acme.test").await, 201);
    assert_eq!(api.create_user(&auth, "second@acme.test").await, 201);
    kill_9(&mut server);
    dir
}

async fn emails(server: &crate::process::Server) -> Vec<String> {
    let state: Value =
        serde_json::from_str(&Api::of(server).get("/__admin/vendors/chiefonboarding/state", None).await).expect("json");
    state["users"].as_array().expect("users").iter().filter_map(|u| u["email"].as_str().map(str::to_owned)).collect()
}

#[tokio::test]
async fn torn_last_record_is_dropped_and_reported() {
    let dir = two_writes("torn").await;
    let log = current_log(&dir);
    let len = std::fs::metadata(&log).expect("log").len();
    std::fs::OpenOptions::new().write(true).open(&log).expect("open").set_len(len - 3).expect("cut");
    let server = serve(&dir);
    let kept = emails(&server).await;
    assert!(kept.iter().any(|e| e == "first@acme.test"), "the whole records are kept");
    assert!(!kept.iter().any(|e| e == "second@acme.test"), "the torn record is dropped");
    let said = std::fs::read_to_string(log_file(&dir)).expect("log lines");
    assert!(said.contains("torn last record") && said.contains(&log.display().to_string()), "reported: {said}");
}

#[tokio::test]
async fn zero_filled_tail_after_a_power_cut_is_a_torn_tail() {
    // A filesystem may show an append's blocks zero-filled after a power cut.
    let dir = two_writes("zero_tail").await;
    let log = current_log(&dir);
    let mut bytes = std::fs::read(&log).expect("log");
    bytes.extend_from_slice(&[0; 4096]);
    std::fs::write(&log, bytes).expect("write");
    let server = serve(&dir);
    let kept = emails(&server).await;
    assert!(kept.iter().any(|e| e == "second@acme.test"), "every record before the zeros is kept: {kept:?}");
    let said = std::fs::read_to_string(log_file(&dir)).expect("log lines");
    assert!(said.contains("torn last record"), "reported: {said}");
}

#[tokio::test]
async fn flipped_byte_in_the_middle_is_a_start_up_error_naming_the_file() {
    let dir = two_writes("flipped").await;
    let log = current_log(&dir);
    let mut bytes = std::fs::read(&log).expect("log");
    // Inside the first write's record, far from the end.
    let at = bytes.len() / 3;
    bytes[at] ^= 0x55;
    std::fs::write(&log, &bytes).expect("write");
    let said = refused(&dir);
    assert!(said.contains(&log.display().to_string()) && said.contains("damaged record"), "{said}");
    assert_eq!(std::fs::read(&log).expect("log"), bytes, "the damaged file is never overwritten");
}

#[tokio::test]
async fn newer_format_version_is_a_start_up_error() {
    let dir = two_writes("version").await;
    std::fs::write(dir.join("FORMAT"), "hr-sandbox-state 2\n").expect("write");
    let said = refused(&dir);
    assert!(said.contains("FORMAT") && said.contains("version 2 is not supported"), "{said}");
}

#[tokio::test]
async fn second_process_on_the_same_directory_is_refused() {
    let dir = fresh_dir("locked");
    let _first = serve(&dir);
    let said = refused(&dir);
    assert!(said.contains("LOCK") && said.contains("another hr-sandbox"), "{said}");
}

#[tokio::test]
async fn failing_disk_refuses_the_write_and_keeps_serving_reads() {
    let dir = fresh_dir("failing");
    let mut server = serve(&dir);
    let api = Api::of(&server);
    let auth = api.auth("chiefonboarding", "admin", "default").await;
    let before = emails(&server).await;
    // The debug build's testing aid: while this file exists every append fails as ENOSPC does.
    std::fs::write(dir.join("FAIL-WRITES"), "").expect("marker");
    let (status, body) = api
        .send(
            "POST",
            "/chiefonboarding/api/users/",
            Some(&auth),
            Some(
                serde_json::json!({"first_name": "No", "last_name": "Space", "email": "nospace@acme.test", "role": 0}),
            ),
        )
        .await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("state could not be kept"), "the vendor's own error body says why: {body}");
    assert_eq!(emails(&server).await, before, "the refused write left nothing in memory");
    let (status, body) = api.send("POST", "/__admin/sandboxes", None, Some(serde_json::json!({"name": "nope"}))).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("state_not_kept"), "{body}");
    assert_eq!(api.send("GET", "/__admin/sandboxes/nope", None, None).await.0, 404, "no half-made sandbox stays");
    std::fs::remove_file(dir.join("FAIL-WRITES")).expect("marker");
    assert_eq!(api.create_user(&auth, "after@acme.test").await, 201, "writes work again once the disk does");
    stop(&mut server);
    let again = serve(&dir);
    let kept = emails(&again).await;
    assert!(kept.iter().any(|e| e == "after@acme.test") && !kept.iter().any(|e| e == "nospace@acme.test"));
}

#[tokio::test]
async fn leftover_temporary_and_older_generation_files_are_removed_on_start_and_reported() {
    let dir = two_writes("leftovers").await;
    // A compaction cut short (its temporary snapshot) and a log of an older generation.
    std::fs::write(dir.join("snapshot-9.json.tmp"), "{\"format\": \"hr-sandbox-state-snap").expect("tmp");
    std::fs::write(dir.join("log-0"), "not a log").expect("orphan");
    let server = serve(&dir);
    let kept = emails(&server).await;
    assert!(kept.iter().any(|e| e == "first@acme.test") && kept.iter().any(|e| e == "second@acme.test"), "{kept:?}");
    for name in ["snapshot-9.json.tmp", "log-0"] {
        assert!(!dir.join(name).exists(), "{name} is removed");
        let said = std::fs::read_to_string(log_file(&dir)).expect("log lines");
        assert!(said.contains(name), "{name} is reported: {said}");
    }
}

/// Every file of `dir` with its bytes.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| {
            let path = e.expect("entry").path();
            (path.file_name().expect("name").to_string_lossy().into_owned(), std::fs::read(&path).expect("read"))
        })
        .collect();
    all.sort();
    all
}

#[tokio::test]
async fn read_only_state_dir_serves_the_kept_state_and_refuses_writes() {
    use std::os::unix::fs::PermissionsExt;
    let dir = two_writes("read-only").await;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    // Root (or CAP_DAC_OVERRIDE) writes through the mode bits: nothing to test then.
    if std::fs::write(dir.join("probe"), "").is_ok() {
        let _ = std::fs::remove_file(dir.join("probe"));
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
        eprintln!("skipped: this user writes into a 0555 directory (root), so it cannot be read-only");
        return;
    }
    let before = contents(&dir);
    let mut server = serve(&dir);
    let api = Api::of(&server);
    let kept = emails(&server).await;
    assert!(kept.iter().any(|e| e == "first@acme.test") && kept.iter().any(|e| e == "second@acme.test"), "{kept:?}");
    let auth = api.auth("chiefonboarding", "admin", "default").await;
    let user = serde_json::json!({"first_name": "Read", "last_name": "Only", "email": "ro@acme.test", "role": 0});
    let (status, body) = api.send("POST", "/chiefonboarding/api/users/", Some(&auth), Some(user)).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("state could not be kept") && body.contains("not writable"), "{body}");
    let (status, body) = api.send("POST", "/__admin/sandboxes", None, Some(serde_json::json!({"name": "ro"}))).await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("state_not_kept"), "{body}");
    assert_eq!(emails(&server).await, kept, "reads still serve the kept state, the refused write left nothing");
    stop(&mut server);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    assert!(contents(&dir) == before, "nothing in the directory changed");
}

#[tokio::test]
async fn flipped_length_bit_of_a_middle_record_is_a_start_up_error_not_a_torn_tail() {
    let dir = two_writes("flipped_length").await;
    let log = current_log(&dir);
    let mut bytes = std::fs::read(&log).expect("log");
    // The first write's record follows the header record; a bit of its length field flipped
    // makes it run past the end of the file, over the second write's whole record.
    let header = u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes")) as usize;
    bytes[8 + header + 2] ^= 0x10;
    std::fs::write(&log, &bytes).expect("write");
    let said = refused(&dir);
    assert!(said.contains(&log.display().to_string()) && said.contains("damaged record"), "{said}");
    assert_eq!(std::fs::read(&log).expect("log"), bytes, "the damaged file is never cut");
}
