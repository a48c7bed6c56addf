//! Rewind from the log: a sandbox made at journal seq N, given the requests after N again,
//! equals the original.

use super::{Api, fresh_dir, serve, stop};
use serde_json::{Value, json};

#[tokio::test]
async fn rewind_at_seq_then_the_rest_replayed_equals_the_original() {
    let dir = fresh_dir("rewind");
    let server = serve(&dir);
    let api = Api::of(&server);
    let frozen = json!({"set": "2032-01-01T00:00:00Z", "frozen": true});
    assert_eq!(api.send("POST", "/__admin/clock", None, Some(frozen)).await.0, 200);
    let auth = api.auth("chiefonboarding", "admin", "default").await;
    let emails: Vec<String> = (0..5).map(|i| format!("step-{i}@acme.test")).collect();
    let mut seqs = Vec::new();
    for email in &emails {
        assert_eq!(api.create_user(&auth, email).await, 201);
        let journal: Value = serde_json::from_str(&api.get("/__admin/requests?limit=1", None).await).expect("json");
        seqs.push(journal[0]["seq"].as_u64().expect("seq"));
    }
    let at = seqs[1];
    let made =
        api.send("POST", "/__admin/sandboxes", None, Some(json!({"name": "b", "from": "default", "at": at}))).await;
    assert_eq!(made.0, 201, "{}", made.1);
    let b_auth = api.auth("chiefonboarding", "admin", "b").await;
    for email in &emails[2..] {
        let user = json!({"first_name": "Kept", "last_name": email, "email": email, "role": 0});
        let (status, _) = api.send("POST", "/sandboxes/b/chiefonboarding/api/users/", Some(&b_auth), Some(user)).await;
        assert_eq!(status, 201);
    }
    let original = api.get("/__admin/vendors/chiefonboarding/state", None).await;
    let rewound = api.get("/__admin/vendors/chiefonboarding/state?sandbox=b", None).await;
    assert_eq!(original, rewound);
}

#[tokio::test]
async fn rewind_past_the_journal_is_refused_as_not_in_the_log() {
    let dir = fresh_dir("rewind-past");
    let server = serve(&dir);
    let api = Api::of(&server);
    let (status, body) =
        api.send("POST", "/__admin/sandboxes", None, Some(json!({"name": "b", "from": "default", "at": 99}))).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("not_in_log"), "{body}");
}

#[tokio::test]
async fn rewind_at_a_time_of_a_deleted_namesake_is_refused_as_not_in_the_log() {
    let dir = fresh_dir("rewind-namesake");
    let server = serve(&dir);
    let api = Api::of(&server);
    let clock = |at: &str| json!({"set": at, "frozen": true});
    let create = |body: Value| api.send("POST", "/__admin/sandboxes", None, Some(body));
    assert_eq!(api.send("POST", "/__admin/clock", None, Some(clock("2050-01-01T00:00:00Z"))).await.0, 200);
    assert_eq!(create(json!({"name": "r"})).await.0, 201);
    assert_eq!(api.send("POST", "/__admin/clock?sandbox=r", None, Some(clock("2040-01-01T00:00:00Z"))).await.0, 200);
    assert_eq!(api.send("DELETE", "/__admin/sandboxes/r", None, None).await.0, 204);
    // The new `r` starts at 2050: it was never at 2045; the deleted one was.
    assert_eq!(create(json!({"name": "r", "from": "default"})).await.0, 201);
    let (status, body) = create(json!({"name": "q", "from": "r", "at": "2045-01-01T00:00:00Z"})).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("not_in_log"), "{body}");
    // The point as the client wrote it, not as Rust debugs it.
    assert!(body.contains("at 2045-01-01T00:00:00Z"), "{body}");
    assert_eq!(api.send("GET", "/__admin/sandboxes/q", None, None).await.0, 404);
}

#[tokio::test]
async fn rewind_at_seq_zero_after_a_restart_copies_the_state_the_restart_kept() {
    let dir = fresh_dir("rewind-restart");
    let mut first = serve(&dir);
    let api = Api::of(&first);
    let auth = api.auth("chiefonboarding", "admin", "default").await;
    for email in ["one@acme.test", "two@acme.test"] {
        assert_eq!(api.create_user(&auth, email).await, 201);
    }
    stop(&mut first);
    // The journal starts again at 0 with the process: seq 0 is the state it started with.
    let second = serve(&dir);
    let api = Api::of(&second);
    let made =
        api.send("POST", "/__admin/sandboxes", None, Some(json!({"name": "b", "from": "default", "at": 0}))).await;
    assert_eq!(made.0, 201, "{}", made.1);
    let original = api.get("/__admin/vendors/chiefonboarding/state", None).await;
    let rewound = api.get("/__admin/vendors/chiefonboarding/state?sandbox=b", None).await;
    assert_eq!(original, rewound);
}

#[tokio::test]
async fn rewind_after_the_journal_was_emptied_copies_the_state_of_the_new_numbering() {
    let dir = fresh_dir("rewind-cleared");
    let server = serve(&dir);
    let api = Api::of(&server);
    let auth = api.auth("chiefonboarding", "admin", "default").await;
    for email in ["one@acme.test", "two@acme.test", "three@acme.test"] {
        assert_eq!(api.create_user(&auth, email).await, 201);
    }
    assert_eq!(api.send("DELETE", "/__admin/requests", None, None).await.0, 204);
    // Seq 1 of the new numbering is a read: the state just after it has the three users (seq 1
    // of the old numbering had one).
    api.get("/chiefonboarding/api/employees/", Some(&auth)).await;
    let made =
        api.send("POST", "/__admin/sandboxes", None, Some(json!({"name": "b", "from": "default", "at": 1}))).await;
    assert_eq!(made.0, 201, "{}", made.1);
    let original = api.get("/__admin/vendors/chiefonboarding/state", None).await;
    let rewound = api.get("/__admin/vendors/chiefonboarding/state?sandbox=b", None).await;
    assert_eq!(original, rewound);
}
