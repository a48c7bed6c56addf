//! `POST /api/offboarding/`.

use super::post_as_admin;
use crate::helpers::{TestApp, exchange, spawn_app};
use serde_json::{Value, json};

/// Offboards user 4 on 2030-01-10 (the sandbox's today) with sequences 4 and 7; the answer.
async fn offboard_user_four(app: &TestApp) -> reqwest::Response {
    app.admin_post("/__admin/clock", json!({"set": "2030-01-10T12:00:00Z"}), 200).await;
    post_as_admin(app, "/api/offboarding/", json!({"user": "4", "termination_date": "2030-01-10", "sequences": [4, 7]}))
        .await
}

#[tokio::test]
async fn offboard_user_is_200_with_an_empty_body() {
    let app = spawn_app().await;
    let response = offboard_user_four(&app).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("content-type").is_none(), "no Content-Type at all");
    assert_eq!(response.text().await.expect("body"), "");
}

#[tokio::test]
async fn offboard_user_stores_its_termination() {
    let app = spawn_app().await;
    offboard_user_four(&app).await;
    let state = app.get_json("/__admin/vendors/chiefonboarding/state", None, 200).await;
    let user = &state["users"][3];
    assert_eq!((user["id"].clone(), user["termination_date"].clone()), (json!(4), json!("2030-01-10")));
    assert_eq!(user["offboarding_sequences"], json!([4, 7]));
}

/// The documented refusals, each with DRF's body, sent at 2030-01-10T00:30:00Z.
fn refused_offboardings() -> Vec<(Value, Value)> {
    vec![
        (json!({}), json!({"user": ["This field is required."], "termination_date": ["This field is required."]})),
        (
            json!({"user": 4, "termination_date": "2030-01-09"}),
            json!({"termination_date": ["You cannot set an offboarding date in the past."]}),
        ),
        (
            json!({"user": 1, "termination_date": "2030-02-01"}),
            json!({"user": ["Invalid pk \"1\" - object does not exist."]}),
        ),
        (
            json!({"user": 999, "termination_date": "2030-02-01"}),
            json!({"user": ["Invalid pk \"999\" - object does not exist."]}),
        ),
        (
            json!({"user": 4, "termination_date": "2030-02-01", "sequences": [1]}),
            json!({"sequences": ["Not all sequence ids are valid."]}),
        ),
        (json!({"user": 4, "termination_date": null}), json!({"termination_date": ["This field may not be null."]})),
    ]
}

#[tokio::test]
async fn offboard_user_rejects_each_documented_case() {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"set": "2030-01-10T00:30:00Z"}), 200).await;
    for (body, expected) in refused_offboardings() {
        let response = post_as_admin(&app, "/api/offboarding/", body.clone()).await;
        assert_eq!(response.status(), 400, "{body}");
        assert_eq!(response.json::<Value>().await.expect("json"), expected, "{body}");
    }
}

#[tokio::test]
async fn offboard_user_refused_changes_nothing() {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"set": "2030-01-10T00:30:00Z"}), 200).await;
    for (body, _) in refused_offboardings() {
        post_as_admin(&app, "/api/offboarding/", body).await;
    }
    let state = app.get_json("/__admin/vendors/chiefonboarding/state", None, 200).await;
    assert_eq!(state["users"][3]["termination_date"], Value::Null, "nothing changed");
}

#[tokio::test]
async fn offboard_user_in_the_past_is_judged_by_the_sandbox_clock() {
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"set": "2031-05-05T10:00:00Z"}), 200).await;
    let response = post_as_admin(&app, "/api/offboarding/", json!({"user": 4, "termination_date": "2031-05-04"})).await;
    insta::assert_json_snapshot!(exchange(response, &["content-type", "allow"]).await);
}
