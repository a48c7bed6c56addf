//! The benchmark's physical limit: a minimal actix server sending fixed bytes from memory.
//! `cargo run --release --example static_server -- PORT FILE PATH` serves FILE at PATH.

use actix_web::{App, HttpResponse, HttpServer, web};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, port, file, path] = args.as_slice() else {
        eprintln!("usage: static_server PORT FILE PATH");
        std::process::exit(2);
    };
    let port: u16 = port.parse().map_err(std::io::Error::other)?;
    let body = web::Bytes::from(std::fs::read(file)?);
    let path = path.clone();
    println!("static_server listening on http://127.0.0.1:{port}{path}");
    HttpServer::new(move || {
        let body = body.clone();
        App::new().route(
            &path,
            web::get().to(move || {
                let body = body.clone();
                async move { HttpResponse::Ok().content_type("application/json").body(body) }
            }),
        )
    })
    .workers(1)
    .bind(("127.0.0.1", port))?
    .run()
    .await
}
