//! Transport faults, done to the real socket so that a real client sees a broken connection:
//! a reset (RST), a connection closed with no reply, a body cut short, or a request held open.
//!
//! A fault kind is whole in this file: its variant of [`Fault`], its name in [`KINDS`] (from
//! which the scenario file's schema and the load errors are made), what it does ([`Fault::act`])
//! and whether the client then sees no status ([`Fault::breaks_connection`]).

use super::delay::{DurationSpec, duration};
use crate::common::error::{ApiError, ErrorKind};
use actix_tls::accept::rustls_0_23::TlsStream;
use actix_web::body::{BoxBody, SizedStream, to_bytes};
use actix_web::dev::{Extensions, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde_json::Value;
use socket2::{Domain, SockRef, Socket, Type};
use std::any::Any;
use std::borrow::Cow;
use std::net::Shutdown;
use std::os::fd::{AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

/// A transport fault a rule can ask for: `fault: <kind>` or `fault: {kind: <kind>, hold: 30s}`.
/// Read by serde from what the rule wrote ([`Fault::try_from`] gives the load error's reason).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(try_from = "Value")]
pub enum Fault {
    /// The server answers with a TCP reset.
    ConnectionReset,
    /// The server closes the connection without a byte of response.
    EmptyReply,
    /// The real answer, with its full `Content-Length`, but only half of the body.
    TruncatedBody,
    /// The request is held open this long (`hold`), then the connection closes unanswered.
    Timeout(Duration),
}

/// How a kind's fault is made from the rule's `hold`.
pub type MakeFault = fn(Duration) -> Fault;

/// Every fault kind: its name in a scenario file and the fault it makes with the rule's `hold`.
pub const KINDS: &[(&str, MakeFault)] = &[
    ("connection_reset", |_| Fault::ConnectionReset),
    ("empty_reply", |_| Fault::EmptyReply),
    ("truncated_body", |_| Fault::TruncatedBody),
    ("timeout", Fault::Timeout),
];

/// How long a `timeout` holds the request when the rule gives no `hold`.
const DEFAULT_HOLD: Duration = Duration::from_secs(30);

impl Fault {
    /// Does the fault to the connection `req` came on; `next` is the real handler, for the
    /// faults that need its answer.
    pub async fn act(self, req: ServiceRequest, next: Next<BoxBody>) -> Result<ServiceResponse<BoxBody>, Error> {
        if self == Self::TruncatedBody {
            return truncate(next.call(req).await?).await;
        }
        let Some(socket) = req.conn_data::<ConnSocket>().copied() else {
            return Ok(req.error_response(ApiError::with_message(ErrorKind::Internal, "no socket to break")));
        };
        match self {
            Self::ConnectionReset => reset(socket),
            Self::EmptyReply | Self::TruncatedBody => close_silently(socket),
            Self::Timeout(hold) => {
                actix_web::rt::time::sleep(hold).await;
                close_silently(socket);
            }
        }
        // Nothing reaches the client: the socket is gone or shut.
        Ok(req.into_response(HttpResponse::Ok().finish()))
    }

    /// Whether the client never sees a status (the journal records 0): every fault but a
    /// truncated body, whose headers do arrive.
    pub fn breaks_connection(self) -> bool {
        match self {
            Self::ConnectionReset | Self::EmptyReply | Self::Timeout(_) => true,
            Self::TruncatedBody => false,
        }
    }

    /// `connection_reset, empty_reply, ...`: the kinds, for a load error.
    fn kind_names() -> String {
        KINDS.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(", ")
    }
}

/// `fault: connection_reset | empty_reply | truncated_body | timeout`, or
/// `fault: {kind: timeout, hold: 30s}` (the hold defaults to 30 s). The reasons are a load
/// error's, said in the scenario file's words.
impl TryFrom<Value> for Fault {
    type Error = String;

    fn try_from(spec: Value) -> Result<Self, String> {
        let (kind, hold) = match &spec {
            Value::String(kind) => (kind.as_str(), None),
            Value::Object(map) => {
                if let Some(unknown) = map.keys().find(|k| !matches!(k.as_str(), "kind" | "hold")) {
                    return Err(format!("unknown fault field '{unknown}' (kind, hold)"));
                }
                let kind = map.get("kind").and_then(Value::as_str).ok_or("fault needs a kind")?;
                (kind, map.get("hold"))
            }
            _ => return Err("fault is a kind, or {kind, hold}".to_owned()),
        };
        let hold = match hold {
            None => DEFAULT_HOLD,
            Some(Value::Number(ms)) => duration(&DurationSpec::Millis(ms.as_u64().ok_or("bad hold")?))?,
            Some(Value::String(text)) => duration(&DurationSpec::Text(text.clone()))?,
            Some(_) => return Err("hold is a duration like 30s".to_owned()),
        };
        let make = KINDS.iter().find(|(name, _)| *name == kind).map(|(_, make)| make);
        let make = make.ok_or_else(|| format!("unknown fault '{kind}' (one of {})", Self::kind_names()))?;
        Ok(make(hold))
    }
}

/// What [`Fault::try_from`] takes: a kind, or `{kind, hold}` (`hold` is read for every kind,
/// used by `timeout`).
impl JsonSchema for Fault {
    fn schema_name() -> Cow<'static, str> {
        "Fault".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let kind: Vec<&str> = KINDS.iter().map(|(name, _)| *name).collect();
        let hold = generator.subschema_for::<DurationSpec>();
        json_schema!({
            "description": "A transport fault: a kind, or {kind, hold}.",
            "oneOf": [
                {"type": "string", "enum": kind},
                {
                    "type": "object",
                    "properties": {
                        "kind": {"type": "string", "enum": kind},
                        "hold": hold
                    },
                    "required": ["kind"],
                    "additionalProperties": false
                }
            ]
        })
    }
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
fn close_silently(socket: ConnSocket) {
    // SAFETY: the fd belongs to the connection whose request is being handled, which stays
    // open for at least as long as this call.
    let fd = unsafe { BorrowedFd::borrow_raw(socket.0) };
    let _ = SockRef::from(&fd).shutdown(Shutdown::Both);
}

/// Resets the connection. With `SO_LINGER` 0 a socket's last close sends RST; the connection's
/// fd is made to point at a fresh unconnected socket, so the connection's own socket loses its
/// last reference now, while actix keeps a harmless fd that it closes itself later.
fn reset(socket: ConnSocket) {
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
async fn truncate(res: ServiceResponse<BoxBody>) -> Result<ServiceResponse<BoxBody>, Error> {
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
