//! Sessions recorded through the proxy against the seed-7 stand-in, replayed against a fresh
//! sandbox: nothing differs, and no secret of the stand-in is in the file.

use super::{
    Recorder, assert_no_secret, assert_parity_clean, credentials, parity, read_har, scratch, secrets_of, upstream,
};
use reqwest::redirect::Policy;
use serde_json::{Value, json};

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().expect("client")
}

/// A form POST, as a browser or an OAuth library sends it.
fn form(c: &reqwest::Client, url: String, pairs: &[(&str, &str)]) -> reqwest::RequestBuilder {
    c.post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(pairs).unwrap())
}

/// A ChiefOnboarding integration's calls: the employee list, a create read back in it, the
/// sequences, and three errors (no token: 401 with WWW-Authenticate; a wrong method: 405 with
/// Allow; a bad body: 400).
pub async fn chiefonboarding_session(base: &str, auth: &str) {
    let c = client();
    let get = |path: &str| c.get(format!("{base}{path}")).header("Authorization", auth);
    get("/api/employees/").send().await.expect("answered");
    let user = json!({"first_name": "Pat", "last_name": "Parity", "email": "pat.parity@acme.test", "role": 0});
    let created =
        c.post(format!("{base}/api/users/")).header("Authorization", auth).json(&user).send().await.expect("answered");
    assert_eq!(created.status(), 201);
    get("/api/employees/").send().await.expect("answered");
    get("/api/sequences/").send().await.expect("answered");
    c.get(format!("{base}/api/employees/")).send().await.expect("answered");
    c.delete(format!("{base}/api/employees/")).header("Authorization", auth).send().await.expect("answered");
    c.post(format!("{base}/api/users/"))
        .header("Authorization", auth)
        .json(&json!({"email": "x"}))
        .send()
        .await
        .expect("answered");
}

/// Justworks' OAuth code flow as a client library drives it: the consent page, the approval's
/// redirect with a code, the code exchange, API calls with the token (a member by the id the
/// list gave), a refresh, and a call with the refreshed token. The tokens and the code.
pub async fn justworks_session(base: &str, app: &Value) -> Vec<String> {
    let c = client();
    let (id, secret, redirect) = (
        app["client_id"].as_str().unwrap(),
        app["client_secret"].as_str().unwrap(),
        app["redirect_uri"].as_str().unwrap(),
    );
    let consent = [
        ("response_type", "code"),
        ("client_id", id),
        ("redirect_uri", redirect),
        ("scope", "company.basic:read member.basic:read"),
        ("state", "st4te"),
    ];
    let query = serde_urlencoded::to_string(consent).unwrap();
    let page = c.get(format!("{base}/oauth/authorize?{query}")).send().await.expect("answered");
    assert_eq!(page.status(), 200);
    let mut approve = consent.to_vec();
    approve.push(("decision", "approve"));
    let approved = form(&c, format!("{base}/oauth/authorize"), &approve).send().await.expect("answered");
    assert_eq!(approved.status(), 302);
    let location = approved.headers()["location"].to_str().unwrap().to_owned();
    let code = location.split("code=").nth(1).unwrap().split('&').next().unwrap().to_owned();
    let exchange = [
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", redirect),
        ("client_id", id),
        ("client_secret", secret),
    ];
    let token: Value = form(&c, format!("{base}/oauth/token"), &exchange).send().await.unwrap().json().await.unwrap();
    let (access, refresh) =
        (token["access_token"].as_str().unwrap().to_owned(), token["refresh_token"].as_str().unwrap().to_owned());
    let bearer = format!("Bearer {access}");
    c.get(format!("{base}/v1/company")).header("Authorization", &bearer).send().await.unwrap();
    let members: Value = c
        .get(format!("{base}/v1/members?limit=2"))
        .header("Authorization", &bearer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let member = members["members"][0]["id"].as_str().or(members["data"][0]["id"].as_str()).map(str::to_owned);
    if let Some(member) = member {
        c.get(format!("{base}/v1/members/{member}")).header("Authorization", &bearer).send().await.unwrap();
    }
    let again =
        [("grant_type", "refresh_token"), ("refresh_token", &refresh), ("client_id", id), ("client_secret", secret)];
    let refreshed: Value = form(&c, format!("{base}/oauth/token"), &again).send().await.unwrap().json().await.unwrap();
    let newer = refreshed["access_token"].as_str().unwrap().to_owned();
    c.get(format!("{base}/v1/members?limit=1"))
        .header("Authorization", format!("Bearer {newer}"))
        .send()
        .await
        .unwrap();
    vec![code, access, refresh, newer]
}

#[tokio::test]
async fn record_writes_a_valid_har_naming_the_vendor_after_every_exchange() {
    let vendor = upstream();
    let dir = scratch("valid_after_every_exchange");
    let recorder =
        Recorder::start("chiefonboarding", &format!("{}/chiefonboarding", vendor.base), &dir.join("s.har"), &[]);
    let auth = credentials(&vendor).await["chiefonboarding"]["admin"]["authorization"].as_str().unwrap().to_owned();
    for expected in 1..=2 {
        client().get(format!("{}/api/employees/", recorder.base)).header("Authorization", &auth).send().await.unwrap();
        let har = read_har(&recorder.file);
        assert_eq!(har["log"]["entries"].as_array().unwrap().len(), expected);
    }
    let (status, har) = recorder.stop();
    assert!(status.success(), "{status:?}");
    assert_eq!(har["log"]["version"], "1.2");
    assert_eq!(har["log"]["creator"]["name"], "hr-sandbox");
    assert!(har["log"]["creator"]["comment"].as_str().unwrap().contains("chiefonboarding"));
    assert_eq!(har["log"]["_vendor"], "chiefonboarding");
    let entry = &har["log"]["entries"][0];
    assert_eq!(entry["response"]["status"], 200);
    assert!(entry["request"]["url"].as_str().unwrap().ends_with("/chiefonboarding/api/employees/"));
    assert_eq!(
        entry["request"]["headers"].as_array().unwrap().iter().find(|h| h["name"] == "authorization").unwrap()["value"],
        "Token {{secret:1}}"
    );
}

#[tokio::test]
async fn record_keeps_no_secret_of_an_oauth_session() {
    let vendor = upstream();
    let dir = scratch("no_secret");
    let recorder = Recorder::start(
        "justworks",
        &format!("{}/justworks", vendor.base),
        &dir.join("s.har"),
        &["--redact", "$..display_name"],
    );
    let creds = credentials(&vendor).await;
    let mut secrets = justworks_session(&recorder.base, &creds["justworks"]["app"]).await;
    let (_, har) = recorder.stop();
    secrets_of(&creds, &mut secrets);
    assert_no_secret(&recorder_file(&dir), &secrets);
    let text = har.to_string();
    assert!(text.contains("{{secret:"), "placeholders are written");
    assert!(!text.contains("Acme Analytics"), "--redact $..display_name");
}

fn recorder_file(dir: &std::path::Path) -> std::path::PathBuf {
    dir.join("s.har")
}

#[tokio::test]
async fn parity_of_a_chiefonboarding_session_reports_nothing() {
    let vendor = upstream();
    let dir = scratch("chiefonboarding_clean");
    let recorder =
        Recorder::start("chiefonboarding", &format!("{}/chiefonboarding", vendor.base), &dir.join("s.har"), &[]);
    let auth = credentials(&vendor).await["chiefonboarding"]["admin"]["authorization"].as_str().unwrap().to_owned();
    chiefonboarding_session(&recorder.base, &auth).await;
    let (_, _) = recorder.stop();
    let stdout = assert_parity_clean(&recorder_file(&dir));
    assert!(stdout.contains("Replayed 7 exchanges"), "{stdout}");
    assert!(stdout.contains("| `POST /api/users/` | 2 | 2 |"), "{stdout}");
}

#[tokio::test]
async fn parity_of_a_justworks_oauth_code_flow_reports_nothing() {
    let vendor = upstream();
    let dir = scratch("justworks_clean");
    let recorder = Recorder::start("justworks", &format!("{}/justworks", vendor.base), &dir.join("s.har"), &[]);
    justworks_session(&recorder.base, &credentials(&vendor).await["justworks"]["app"]).await;
    let (_, _) = recorder.stop();
    assert_parity_clean(&recorder_file(&dir));
}

#[tokio::test]
async fn parity_in_a_named_sandbox_replays_there_and_deletes_it() {
    let vendor = upstream();
    let target = crate::process::start_with(&["--port", "0", "--workers", "1", "--admin-token", "t0ken"], &[], "42");
    let dir = scratch("named_sandbox");
    let recorder =
        Recorder::start("chiefonboarding", &format!("{}/chiefonboarding", vendor.base), &dir.join("s.har"), &[]);
    let auth = credentials(&vendor).await["chiefonboarding"]["admin"]["authorization"].as_str().unwrap().to_owned();
    chiefonboarding_session(&recorder.base, &auth).await;
    let (_, _) = recorder.stop();
    let report = dir.join("r.json");
    let out = parity(
        &recorder_file(&dir),
        &[
            "--target",
            &target.base,
            "--admin-token",
            "t0ken",
            "--sandbox",
            "parity-1",
            "--report",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert!(report["target"].as_str().unwrap().ends_with("/sandboxes/parity-1/chiefonboarding"), "{report}");
    let sandboxes: Value = client()
        .get(format!("{}/__admin/sandboxes", target.base))
        .header("Authorization", "Bearer t0ken")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!sandboxes.to_string().contains("parity-1"), "{sandboxes}");
}

#[tokio::test]
async fn parity_replays_the_integrators_oauth_app_as_the_sandboxs() {
    let vendor = upstream();
    let dir = scratch("other_oauth_app");
    let recorder = Recorder::start("justworks", &format!("{}/justworks", vendor.base), &dir.join("s.har"), &[]);
    let app = credentials(&vendor).await["justworks"]["app"].clone();
    justworks_session(&recorder.base, &app).await;
    let (_, _) = recorder.stop();
    // As if recorded with the integrator's own app at the real vendor: another id and redirect URI.
    let redirect = app["redirect_uri"].as_str().unwrap();
    let encoded = serde_urlencoded::to_string([("r", redirect)]).unwrap();
    let text = std::fs::read_to_string(recorder_file(&dir))
        .unwrap()
        .replace(&encoded[2..], "https%3A%2F%2Fintegrator.example%2Foauth%2Fcb")
        .replace(redirect, "https://integrator.example/oauth/cb")
        .replace(app["client_id"].as_str().unwrap(), "integrator_app_7");
    assert!(text.contains("integrator.example") && text.contains("integrator_app_7"));
    std::fs::write(recorder_file(&dir), text).unwrap();
    assert_parity_clean(&recorder_file(&dir));
}

#[tokio::test]
async fn parity_replays_a_form_login_session_with_the_sandboxs_password_and_cookie() {
    let vendor = upstream();
    let dir = scratch("orquest_login");
    let recorder = Recorder::start("orquest", &format!("{}/orquest", vendor.base), &dir.join("s.har"), &[]);
    let creds = credentials(&vendor).await;
    let user = &creds["orquest"]["integration"];
    let pairs = [("username", user["username"].as_str().unwrap()), ("password", user["password"].as_str().unwrap())];
    let login = form(&client(), format!("{}/login", recorder.base), &pairs).send().await.unwrap();
    assert_eq!(login.status(), 200);
    let session = login.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let services = client()
        .get(format!("{}/api/v2/businesses/ACME/services", recorder.base))
        .header("Cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(services.status(), 200);
    let (_, _) = recorder.stop();
    let mut secrets = vec![session.split_once('=').unwrap().1.to_owned()];
    secrets_of(&creds, &mut secrets);
    assert_no_secret(&recorder_file(&dir), &secrets);
    assert_parity_clean(&recorder_file(&dir));
}

#[tokio::test]
async fn parity_moves_the_sandbox_clock_by_the_time_the_session_waited() {
    let vendor = upstream();
    let dir = scratch("waited");
    let recorder = Recorder::start("joinup", &format!("{}/joinup", vendor.base), &dir.join("s.har"), &[]);
    let c = client();
    let auth = "JWT beep-beep-beep-beep-beep";
    let job = json!([{"base_email": "test@example.com", "name": "Test", "operation": "onboarding", "company_name": "Company 1"}]);
    let started: Value = c
        .post(format!("{}/api/company/employees/", recorder.base))
        .header("Authorization", auth)
        .json(&job)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // The vendor's time goes on: a minute later the job is finished.
    c.post(format!("{}/__admin/clock", vendor.base)).json(&json!({"advance_seconds": 61})).send().await.unwrap();
    let request = started["request_id"].as_str().unwrap();
    let report: Value = c
        .get(format!("{}/api/company/employees/check-request/{request}/", recorder.base))
        .header("Authorization", auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["status"], "finished");
    let (_, mut har) = recorder.stop();
    // What a recording of the real vendor shows: the poll a minute after the job started.
    let first = har["log"]["entries"][0]["startedDateTime"].as_str().unwrap();
    let later = chrono::DateTime::parse_from_rfc3339(first).unwrap() + chrono::Duration::seconds(61);
    har["log"]["entries"][1]["startedDateTime"] = json!(later.to_rfc3339());
    std::fs::write(recorder_file(&dir), har.to_string()).unwrap();
    assert_parity_clean(&recorder_file(&dir));
}
