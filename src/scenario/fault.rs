//! Transport faults, done to the real socket so that a real client sees a broken connection:
//! a reset (RST), a connection closed with no reply, a body cut short, or a request held open.

use actix_tls::accept::rustls_0_23::TlsStream;
use actix_web::body::{BoxBody, SizedStream, to_bytes};
use actix_web::dev::{Extensions, ServiceResponse};
use actix_web::{Error, HttpResponse};
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream;
use socket2::{Domain, SockRef, Socket, Type};
use std::any::Any;
use std::net::Shutdown;
use std::os::fd::{AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

/// A transport fault a rule can ask for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// The server answers with a TCP reset.
    ConnectionReset,
    /// The server closes the connection without a byte of response.
    EmptyReply,
    /// The real answer, with its full `Content-Length`, but only half of the body.
    TruncatedBody,
    /// The request is held open this long, then the connection closes unanswered.
    Timeout(Duration),
}

/// The socket a request arrived on, recorded per connection by [`record_socket`].
#[derive(Debug, Clone, Copy)]
pub struct ConnSocket(RawFd);

/// `HttpServer::on_connect` callback: remembers each connection's socket.
pub fn record_socket(connection: &dyn Any, data: &mut Extensions) {
    if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
        data.insert(ConnSocket(tcp.as_raw_fd()));
    } else if let Some(tls) = connection.downcast_ref::<TlsStream<actix_web::rt::net::TcpStream>>() {
        // Under `--tls` the faults act on the TCP socket below the TLS session, as a real
        // server's crash or reset would.
        data.insert(ConnSocket(tls.get_ref().0.as_raw_fd()));
    }
}

/// Closes both directions: the client reads end-of-stream where it waits for a response.
pub fn close_silently(socket: ConnSocket) {
    // SAFETY: the fd belongs to the connection whose request is being handled, which stays
    // open for at least as long as this call.
    let fd = unsafe { BorrowedFd::borrow_raw(socket.0) };
    let _ = SockRef::from(&fd).shutdown(Shutdown::Both);
}

/// Resets the connection. With `SO_LINGER` 0 a socket's last close sends RST; the connection's
/// fd is made to point at a fresh unconnected socket, so the connection's own socket loses its
/// last reference now, while actix keeps a harmless fd that it closes itself later.
pub fn reset(socket: ConnSocket) {
    // SAFETY: as in `close_silently`.
    let fd = unsafe { BorrowedFd::borrow_raw(socket.0) };
    let _ = SockRef::from(&fd).set_linger(Some(Duration::ZERO));
    match Socket::new(Domain::IPV4, Type::STREAM, None) {
        Ok(placeholder) => {
            // SAFETY: dup2 onto an fd we know to be open replaces it atomically; no other
            // descriptor is touched.
            unsafe { libc::dup2(placeholder.as_raw_fd(), socket.0) };
        }
        Err(_) => close_silently(socket),
    }
}

/// The real response, announced whole but cut in the middle. The pause lets the first half
/// reach the client before the stream fails and actix drops the connection.
pub async fn truncate(res: ServiceResponse<BoxBody>) -> Result<ServiceResponse<BoxBody>, Error> {
    let (req, response) = res.into_parts();
    let mut builder = HttpResponse::build(response.status());
    for (name, value) in response.headers() {
        builder.insert_header((name.clone(), value.clone()));
    }
    let body = to_bytes(response.into_body()).await.unwrap_or_default();
    // An empty body is announced as one byte, so that it too arrives short.
    let full = (body.len() as u64).max(1);
    let half = body.slice(..body.len() / 2);
    let cut = stream::once(async move { Ok::<Bytes, std::io::Error>(half) }).chain(stream::once(async {
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        Err(std::io::Error::other("body truncated by a scenario"))
    }));
    Ok(ServiceResponse::new(req, builder.body(SizedStream::new(full, Box::pin(cut)))))
}
