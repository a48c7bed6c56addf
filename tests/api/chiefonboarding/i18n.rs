//! `Accept-Language` translates every DRF message, as Django's LocaleMiddleware does.

use super::co;
use crate::helpers::spawn_app;
use serde_json::{Value, json};

async fn answer(
    app: &crate::helpers::TestApp,
    method: reqwest::Method,
    path: &str,
    language: &str,
    auth: Option<&str>,
    body: Option<Value>,
) -> (u16, String, Value) {
    let mut request = app.client.request(method, app.url(&co(path))).header("Accept-Language", language);
    if let Some(auth) = auth {
        request = request.header("Authorization", auth);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("answered");
    let status = response.status().as_u16();
    let content_language = response.headers()["content-language"].to_str().expect("ascii").to_owned();
    (status, content_language, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn accept_language_translates_auth_permission_method_and_field_messages() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let manager = app.auth("chiefonboarding", "manager").await;
    let get = reqwest::Method::GET;
    let post = reqwest::Method::POST;
    assert_eq!(
        answer(&app, get.clone(), "/api/employees/", "nl", None, None).await,
        (401, "nl".into(), json!({"detail": "Authenticatiegegevens zijn niet opgegeven."}))
    );
    assert_eq!(
        answer(&app, get.clone(), "/api/employees/", "fr-CH, fr;q=0.9", Some(&manager), None).await.2,
        json!({"detail": "Vous n'avez pas la permission d'effectuer cette action."})
    );
    assert_eq!(
        answer(&app, get.clone(), "/api/users/", "es", Some(&admin), None).await.2,
        json!({"detail": "Método \"GET\" no permitido."})
    );
    let (_, _, body) = answer(
        &app,
        post.clone(),
        "/api/users/",
        "de",
        Some(&admin),
        Some(json!({"last_name": "x", "email": "y@acme.test", "role": 3})),
    )
    .await;
    assert_eq!(body, json!({"first_name": ["Dieses Feld ist zwingend erforderlich."]}));
    let (_, _, body) = answer(
        &app,
        post,
        "/api/users/",
        "nl",
        Some(&admin),
        Some(json!({"first_name": "A", "last_name": "B", "email": "ada.admin@acme.test", "role": 3})),
    )
    .await;
    assert_eq!(body, json!({"email": ["Er bestaat al een user met eenzelfde E-mailadres."]}));
}

#[tokio::test]
async fn languages_without_a_catalog_stay_english() {
    let app = spawn_app().await;
    for language in ["ja", "en-GB", "jp", "*", "xx, en;q=0.1"] {
        let (status, content_language, body) =
            answer(&app, reqwest::Method::GET, "/api/employees/", language, None, None).await;
        assert_eq!((status, content_language.as_str()), (401, "en"), "{language}");
        assert_eq!(body["detail"], "Authentication credentials were not provided.", "{language}");
    }
}
