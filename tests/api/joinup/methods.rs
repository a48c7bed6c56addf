//! Methods Joinup's views do not answer get DRF's 405 at once, whatever the method.

use crate::helpers::spawn_app;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Sends raw HTTP/1.1 and reads for up to 5 s without half-closing: what arrives by then.
fn exchange_without_half_close(base: &str, request: String) -> String {
    let address = base.strip_prefix("http://").expect("http base");
    let mut stream = TcpStream::connect(address).expect("connects");
    stream.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout set");
    stream.write_all(request.as_bytes()).expect("sent");
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    // Until the body's end (a 405 is small) or the timeout.
    while let Ok(n) = stream.read(&mut chunk) {
        if n == 0 {
            break;
        }
        received.extend_from_slice(&chunk[..n]);
        if String::from_utf8_lossy(&received).contains("not allowed.\"}") {
            break;
        }
    }
    String::from_utf8_lossy(&received).into_owned()
}

#[tokio::test]
async fn connect_on_the_employees_route_is_drfs_405_at_once() {
    let app = spawn_app().await;
    let auth = app.auth("joinup", "group_admin").await;
    let request =
        format!("CONNECT /joinup/api/company/employees/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {auth}\r\n\r\n");
    let base = app.base.clone();
    let answer =
        tokio::task::spawn_blocking(move || exchange_without_half_close(&base, request)).await.expect("joined");
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
    assert!(answer.ends_with(r#"{"detail":"Method \"CONNECT\" not allowed."}"#), "{answer}");
}
