//! Justworks webhooks as sandbox state: hostile registrations refused with nothing changed,
//! every attempt journaled and countable by verify, named sandboxes delivering on their own,
//! pending retries carried by a snapshot.

use super::receiver::Receiver;
use super::webhooks::{advance, freeze, hire, register};
use crate::joinup::spawn_unthrottled as spawn;
use reqwest::Method;
use serde_json::{Value, json};

async fn webhook_count(app: &crate::helpers::TestApp) -> Value {
    app.get_json("/__admin/vendors/justworks/state", None, 200).await["webhooks"].as_array().map(Vec::len).into()
}

#[tokio::test]
async fn hostile_registrations_get_clear_errors_and_register_nothing() {
    let app = spawn().await;
    let own = app.url("/hook");
    let events = json!(["member.profile.created"]);
    let cases = [
        (json!({"url": "ftp://example.test/x", "event_types": events}), "not an http(s) URL"),
        (json!({"url": "not a url", "event_types": events}), "not an http(s) URL"),
        (json!({"url": format!("http://example.test/{}", "a".repeat(3000)), "event_types": events}), "longer than"),
        (json!({"url": own, "event_types": events}), "addresses this server"),
        (json!({"url": "http://example.test/", "event_types": ["member.exploded"]}), "unknown event type"),
        (json!({"url": "http://example.test/", "event_types": []}), "at least one"),
        (json!({"url": "http://example.test/", "event_types": events, "secret": "x".repeat(100_000)}), "a secret is"),
        (json!({"url": "http://example.test/", "event_types": events, "secret": "short"}), "a secret is"),
        (
            json!({"url": "http://example.test/", "event_types": events, "secret": "has spaces in it, sixteen+"}),
            "visible",
        ),
        (json!({"url": "http://example.test/", "event_types": events, "client_id": "nobody"}), "no app"),
        (json!({"url": "http://example.test/", "event_types": events, "faults": {"duplicate": 2}}), "probability"),
        (json!({"url": "http://example.test/", "event_types": vec!["department.created"; 33]}), "at most 32"),
        (json!({"url": "http://example.test/", "event_types": events, "colour": "red"}), "unknown field"),
    ];
    for (body, message) in cases {
        let answer = app.admin_post("/__admin/vendors/justworks/webhooks", body.clone(), 400).await;
        let text = answer["error"]["message"].as_str().unwrap_or_default();
        assert!(text.contains(message), "{body}: {text}");
    }
    assert_eq!(webhook_count(&app).await, json!(0), "nothing registered");
    for i in 0..20 {
        register(&app, &format!("http://example.test/{i}"), &["department.created"], json!({})).await;
    }
    let full = app
        .admin_post(
            "/__admin/vendors/justworks/webhooks",
            json!({"url": "http://example.test/", "event_types": events}),
            409,
        )
        .await;
    assert!(full["error"]["message"].as_str().is_some_and(|m| m.contains("at most 20")), "{full}");
}

#[tokio::test]
async fn every_attempt_is_journaled_with_its_outcome_and_verify_counts_deliveries() {
    let (app, rx) = (spawn().await, Receiver::start(200));
    register(&app, &rx.url("/created"), &["member.profile.created"], json!({})).await;
    register(&app, "http://127.0.0.1:9/refused", &["member.profile.created"], json!({})).await;
    freeze(&app).await;
    let member = hire(&app, "Cy").await;
    advance(&app, 0).await;
    let verify = json!({"direction": "outbound", "vendor": "justworks", "path": "/created",
        "body_contains": member, "status": 200, "count": 1});
    let answer = app.admin_post("/__admin/requests/verify", verify, 200).await;
    assert_eq!(answer, json!({"ok": true, "count": 1}));
    let journal = app.get_json("/__admin/requests?direction=outbound", None, 200).await;
    let entries = journal.as_array().expect("entries");
    let created = entries.iter().find(|e| e["path"] == "/created").expect("the delivery");
    assert_eq!(created["outcome"]["result"], "answered");
    assert_eq!(created["outcome"]["delivery"]["event_type"], "member.profile.created");
    assert_eq!(created["outcome"]["delivery"]["attempt"], 1);
    assert!(created["headers"]["x-justworks-webhook-signature"].is_string(), "{created}");
    let refused = entries.iter().find(|e| e["path"] == "/refused").expect("the failed attempt");
    assert_eq!((refused["status"].clone(), refused["outcome"]["result"].clone()), (json!(0), json!("unreachable")));
}

#[tokio::test]
async fn named_sandboxes_deliver_independently() {
    let (app, here, there) = (spawn().await, Receiver::start(200), Receiver::start(200));
    app.admin_post("/__admin/sandboxes", json!({"name": "wh-other", "seed": 42}), 201).await;
    register(&app, &here.url("/here"), &["member.profile.created"], json!({})).await;
    let body = json!({"url": there.url("/there"), "event_types": ["member.profile.created"]});
    app.admin_post("/__admin/vendors/justworks/webhooks?sandbox=wh-other", body, 200).await;
    app.admin_post("/__admin/clock?sandbox=wh-other", json!({"frozen": true}), 200).await;
    app.admin_patch("/__admin/workforce?sandbox=wh-other", json!({"vendors": ["justworks"]}), 200).await;
    let hire = json!({"type": "hire", "fields": {"given_name": "Di"}});
    app.admin_post("/__admin/workforce/events?sandbox=wh-other", hire, 201).await;
    app.admin_post("/__admin/clock?sandbox=wh-other", json!({"advance_seconds": 0}), 200).await;
    advance(&app, 0).await;
    assert_eq!((here.got().len(), there.got().len()), (0, 1));
    let journal = app.get_json("/__admin/requests?direction=outbound", None, 200).await;
    assert_eq!(journal, json!([]), "the other sandbox's delivery is in its own journal");
}

#[tokio::test]
async fn pending_retries_survive_a_snapshot_round_trip() {
    let (app, rx) = (spawn().await, Receiver::start(500));
    register(&app, &rx.url("/jw"), &["member.profile.created"], json!({})).await;
    freeze(&app).await;
    hire(&app, "Ed").await;
    advance(&app, 0).await;
    assert_eq!(rx.got().len(), 1);
    let response = app.execute(app.request(Method::GET, "/__admin/snapshot")).await;
    let document: Value = response.json().await.expect("snapshot");
    assert_eq!(document["vendors"]["justworks"]["state"]["webhooks"]["queue"]["pending"][0]["attempts"], 1);

    let copy = spawn().await;
    let put = copy.execute(copy.request(Method::PUT, "/__admin/snapshot").json(&document)).await;
    assert_eq!(put.status(), 200);
    freeze(&copy).await;
    advance(&copy, 120).await;
    let got = rx.got();
    assert_eq!(got.len(), 2, "the retry came from the restored copy");
    let stamp = |i: usize| got[i].headers["x-justworks-webhook-signature-timestamp"].parse::<i64>().expect("secs");
    assert_eq!(stamp(1) - stamp(0), 60, "at its scheduled sandbox time");
}

#[tokio::test]
async fn workforce_events_become_their_justworks_event_types_in_order() {
    let (app, rx) = (spawn().await, Receiver::start(200));
    let all = [
        "member.profile.created",
        "member.profile.updated",
        "member.employment_state.termination_scheduled",
        "member.employment_state.termination_canceled",
        "department.created",
    ];
    register(&app, &rx.url("/all"), &all, json!({})).await;
    app.admin_post("/__admin/clock", json!({"set": "2026-03-02T09:00:00Z", "frozen": true}), 200).await;
    app.admin_patch("/__admin/workforce", json!({"vendors": ["justworks"]}), 200).await;
    let hire = json!({"type": "hire", "fields": {"given_name": "Flo", "department": "Webhook Research"}});
    let person = app.admin_post("/__admin/workforce/events", hire, 201).await["event"]["person"].clone();
    let change = json!({"type": "change", "person": person, "field": "title", "value": "Listener"});
    app.admin_post("/__admin/workforce/events", change, 201).await;
    let schedule = json!({"type": "schedule_termination", "person": person, "last_day": "2026-04-30"});
    app.admin_post("/__admin/workforce/events", schedule, 201).await;
    app.admin_post("/__admin/workforce/events", json!({"type": "cancel_termination", "person": person}), 201).await;
    advance(&app, 0).await;
    let types: Vec<Value> = rx.got().iter().map(|g| g.json()["event_type"].clone()).collect();
    assert_eq!(
        types,
        [
            "department.created",
            "member.profile.created",
            "member.profile.updated",
            "member.employment_state.termination_scheduled",
            "member.employment_state.termination_canceled",
        ]
    );
    let department = rx.got()[0].json();
    assert_eq!(department["data"]["name"], "Webhook Research");
    let traffic = app.execute(app.request(Method::GET, "/__admin/ui/traffic")).await.text().await.expect("page");
    assert!(traffic.contains("Scenario / delivery"), "the Traffic page labels deliveries");
}

/// An app registered with `webhooks`, as Justworks staff register both for a partner.
fn hooked_app(webhooks: Value) -> Value {
    json!({
        "client_id": "hooked-app",
        "client_secret": "hooked-secret",
        "name": "Hooked",
        "redirect_uris": ["https://partner.example/callback"],
        "scopes": ["member.basic:read", "company.basic:read"],
        "webhooks": webhooks,
    })
}

#[tokio::test]
async fn app_action_registers_the_app_with_exactly_its_webhooks_and_refuses_a_bad_one_whole() {
    let (app, rx) = (spawn().await, Receiver::start(200));
    let secret = "given-secret-0123456789";
    let hooks = json!([
        {"url": rx.url("/jw"), "event_types": ["member.profile.created"], "secret": secret},
        {"url": "http://example.test/departments", "event_types": ["department.created"]},
    ]);
    let answer = app.admin_post("/__admin/vendors/justworks/apps", hooked_app(hooks), 200).await;
    assert_eq!(answer["client_id"], "hooked-app");
    let made = answer["webhooks"].as_array().expect("the app's webhooks");
    assert_eq!(made.len(), 2);
    assert_eq!(made[0]["secret"], secret);
    assert!(made[1]["secret"].as_str().is_some_and(|s| s.starts_with("jw_whsec_")), "{answer}");
    assert!(made.iter().all(|h| h["client_id"] == "hooked-app" && h["status"] == "opened"));
    assert_eq!(webhook_count(&app).await, json!(2));

    freeze(&app).await;
    hire(&app, "Hooky").await;
    advance(&app, 0).await;
    let got = rx.got();
    assert_eq!(got.len(), 1, "the app's member webhook got the hire");
    assert_eq!(got[0].json()["event_type"], "member.profile.created");

    // Registered again: exactly the listed webhooks, the earlier ones gone.
    let again = json!([{"url": "http://example.test/only", "event_types": ["member.profile.updated"]}]);
    app.admin_post("/__admin/vendors/justworks/apps", hooked_app(again), 200).await;
    assert_eq!(webhook_count(&app).await, json!(1));

    // One bad webhook refuses the whole registration: neither the app's change nor any webhook.
    let before = app.get_json("/__admin/vendors/justworks/state", None, 200).await;
    let own = app.url("/hook");
    for (hooks, message) in [
        (
            json!([{"url": "http://example.test/a", "event_types": ["member.profile.created"]}, {"url": own, "event_types": ["member.profile.created"]}]),
            "addresses this server",
        ),
        (json!([{"url": "http://example.test/a", "event_types": ["member.exploded"]}]), "unknown event type"),
        (
            json!([{"url": "http://example.test/a", "event_types": ["department.created"], "client_id": "other"}]),
            "belongs to that app",
        ),
        (json!({"url": "http://example.test/a"}), "a list"),
        (json!(vec![json!({"url": "http://example.test/a", "event_types": ["department.created"]}); 21]), "at most 20"),
    ] {
        let mut body = hooked_app(hooks);
        body["name"] = json!("Renamed");
        let refused = app.admin_post("/__admin/vendors/justworks/apps", body, 400).await;
        let text = refused["error"]["message"].as_str().unwrap_or_default();
        assert!(text.contains(message), "{text}");
    }
    assert_eq!(app.get_json("/__admin/vendors/justworks/state", None, 200).await, before, "nothing changed");
}
