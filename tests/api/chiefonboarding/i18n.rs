//! `Accept-Language` translates every DRF message, as Django's LocaleMiddleware does.

use super::co;
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::{Value, json};

async fn answer(
    app: &crate::helpers::TestApp,
    method: Method,
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
async fn list_employees_without_credentials_in_dutch_is_401_translated() {
    let app = spawn_app().await;
    assert_eq!(
        answer(&app, Method::GET, "/api/employees/", "nl", None, None).await,
        (401, "nl".into(), json!({"detail": "Authenticatiegegevens zijn niet opgegeven."}))
    );
}

#[tokio::test]
async fn list_employees_as_manager_in_swiss_french_is_403_translated() {
    let app = spawn_app().await;
    let manager = app.auth("chiefonboarding", "manager").await;
    assert_eq!(
        answer(&app, Method::GET, "/api/employees/", "fr-CH, fr;q=0.9", Some(&manager), None).await.2,
        json!({"detail": "Vous n'avez pas la permission d'effectuer cette action."})
    );
}

#[tokio::test]
async fn get_users_in_spanish_is_405_translated() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    assert_eq!(
        answer(&app, Method::GET, "/api/users/", "es", Some(&admin), None).await.2,
        json!({"detail": "Método \"GET\" no permitido."})
    );
}

#[tokio::test]
async fn create_user_without_first_name_in_german_is_400_translated() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let (_, _, body) = answer(
        &app,
        Method::POST,
        "/api/users/",
        "de",
        Some(&admin),
        Some(json!({"last_name": "x", "email": "y@acme.test", "role": 3})),
    )
    .await;
    assert_eq!(body, json!({"first_name": ["Dieses Feld ist zwingend erforderlich."]}));
}

#[tokio::test]
async fn create_user_with_a_taken_email_in_dutch_is_400_translated() {
    let app = spawn_app().await;
    let admin = app.auth("chiefonboarding", "admin").await;
    let (_, _, body) = answer(
        &app,
        Method::POST,
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
        let (status, content_language, body) = answer(&app, Method::GET, "/api/employees/", language, None, None).await;
        assert_eq!((status, content_language.as_str()), (401, "en"), "{language}");
        assert_eq!(body["detail"], "Authentication credentials were not provided.", "{language}");
    }
}
