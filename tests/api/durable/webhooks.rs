//! A Justworks delivery's pending retry is state: after a stop and a start on the same
//! `--state-dir`, it is attempted at its scheduled sandbox time.

use super::{Api, fresh_dir, serve, stop};
use crate::justworks::receiver::Receiver;
use serde_json::json;

async fn post(api: &Api, path: &str, body: serde_json::Value) -> String {
    let (status, answer) = api.send("POST", path, None, Some(body)).await;
    assert!(status < 300, "{path}: {status} {answer}");
    answer
}

#[tokio::test]
async fn pending_webhook_retry_survives_a_restart() {
    let rx = Receiver::start(500);
    let dir = fresh_dir("webhook-retry");
    let mut server = serve(&dir);
    let api = Api::of(&server);
    let hook = json!({"url": rx.url("/jw"), "event_types": ["member.profile.created"]});
    post(&api, "/__admin/vendors/justworks/webhooks", hook).await;
    post(&api, "/__admin/clock", json!({"set": "2031-05-06T07:08:09Z", "frozen": true})).await;
    let (status, _) = api.send("PATCH", "/__admin/workforce", None, Some(json!({"vendors": ["justworks"]}))).await;
    assert_eq!(status, 200);
    post(&api, "/__admin/workforce/events", json!({"type": "hire", "fields": {"given_name": "Kept"}})).await;
    post(&api, "/__admin/clock", json!({"advance_seconds": 0})).await;
    assert_eq!(rx.got().len(), 1);
    stop(&mut server);

    let mut again = serve(&dir);
    let api = Api::of(&again);
    post(&api, "/__admin/clock", json!({"advance_seconds": 60})).await;
    let got = rx.got();
    assert_eq!(got.len(), 2, "the retry was kept");
    assert_eq!(got[0].json()["id"], got[1].json()["id"]);
    let stamp = |i: usize| got[i].headers["x-justworks-webhook-signature-timestamp"].parse::<i64>().expect("secs");
    assert_eq!(stamp(1) - stamp(0), 60);
    stop(&mut again);
    let _ = std::fs::remove_dir_all(&dir);
}
