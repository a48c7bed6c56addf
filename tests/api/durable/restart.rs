//! A stopped server started again on its state directory answers every read as before.

use super::{Api, fresh_dir, serve, stop};
use serde_json::json;

/// Writes to all five vendors, a scenario loaded, a named sandbox written to, a frozen clock.
async fn write_everything(api: &Api) {
    let frozen = json!({"set": "2031-05-06T07:08:09Z", "frozen": true});
    assert_eq!(api.send("POST", "/__admin/clock", None, Some(frozen)).await.0, 200);
    let co = api.auth("chiefonboarding", "admin", "default").await;
    assert_eq!(api.create_user(&co, "kept@acme.test").await, 201);
    let dir = api.auth("directory", "admin", "default").await;
    let employee = json!({"name": "Kept Person", "email": "kept.person@acme.test"});
    let (status, body) = api.send("POST", "/directory/api/v1/employee", Some(&dir), Some(employee)).await;
    assert!(status < 300, "directory write: {status} {body}");
    for (vendor, patch) in [
        ("joinup", json!({"bulk_processing_seconds": 7})),
        ("justworks", json!({"auto_approve": true})),
        ("orquest", json!({"list_status_from_first_failure": true})),
    ] {
        let (status, body) = api.send("PATCH", &format!("/__admin/vendors/{vendor}/settings"), None, Some(patch)).await;
        assert_eq!(status, 200, "{vendor} settings: {body}");
    }
    let scenario = std::fs::read_to_string("scenarios/directory-slow.yaml").expect("shipped scenario");
    let loaded = api.client.post(format!("{}/__admin/scenarios", api.base)).body(scenario).send().await.expect("sent");
    assert_eq!(loaded.status(), 201);
    let named = json!({"name": "ci-1", "seed": 7});
    assert_eq!(api.send("POST", "/__admin/sandboxes", None, Some(named)).await.0, 201);
    let frozen = json!({"set": "2031-05-06T07:08:09Z", "frozen": true});
    assert_eq!(api.send("POST", "/__admin/clock?sandbox=ci-1", None, Some(frozen)).await.0, 200);
    let co_named = api.auth("chiefonboarding", "admin", "ci-1").await;
    let user = json!({"first_name": "In", "last_name": "Named", "email": "in.named@acme.test", "role": 0});
    let (status, _) = api.send("POST", "/sandboxes/ci-1/chiefonboarding/api/users/", Some(&co_named), Some(user)).await;
    assert_eq!(status, 201);
}

/// Every read the test compares, in order.
async fn reads(api: &Api) -> Vec<String> {
    let co = api.auth("chiefonboarding", "admin", "default").await;
    let mut all = Vec::new();
    for path in [
        "/__admin/snapshot",
        "/__admin/snapshot?sandbox=ci-1",
        "/__admin/sandboxes",
        "/__admin/scenarios",
        "/__admin/clock",
        "/__admin/credentials",
        "/__admin/vendors/justworks/settings",
    ] {
        all.push(api.get(path, None).await);
    }
    all.push(api.get("/chiefonboarding/api/employees/", Some(&co)).await);
    // (No Directory read through its prefix: the loaded scenario counts it, which is a change.)
    all
}

#[tokio::test]
async fn restart_after_sigterm_answers_every_read_byte_identically() {
    let dir = fresh_dir("restart");
    let mut first = serve(&dir);
    let api = Api::of(&first);
    write_everything(&api).await;
    let before = reads(&api).await;
    stop(&mut first);
    let second = serve(&dir);
    let after = reads(&Api::of(&second)).await;
    for (i, (a, b)) in before.iter().zip(&after).enumerate() {
        let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
        let context = |s: &str| s.get(at.saturating_sub(200)..(at + 200).min(s.len())).unwrap_or("").to_owned();
        assert!(a == b, "read {i} differs after the restart at byte {at}:\n{}\n----\n{}", context(a), context(b));
    }
}
