//! How a request finds its sandbox: the pipeline puts the addressed sandbox and vendor in the
//! request's extensions, and handlers, filters and renderers read them back from here.

use super::Sandbox;
use crate::common::error::{ApiError, ErrorKind};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use std::future::{Ready, ready};
use std::ops::Deref;
use std::sync::Arc;

/// The sandbox-clock time of the sandbox a request was addressed to, for renderers (`None`
/// before the pipeline has found the sandbox).
pub fn sandbox_now(req: &HttpRequest) -> Option<DateTime<Utc>> {
    req.extensions().get::<Addressed>().map(|addressed| addressed.sandbox.clock.now())
}

/// The sandbox and vendor a request was addressed to, in the request's extensions (set by the
/// pipeline; one extension, since each costs an allocation and a map insert per request).
pub struct Addressed {
    /// The sandbox.
    pub sandbox: Arc<Sandbox>,
    /// The vendor's id.
    pub vendor: &'static str,
    /// The request's body as the pipeline buffered it (bounded by the body limit; empty
    /// before it was read).
    pub body: Bytes,
}

/// A handler's request body, as the pipeline buffered it. actix's own `Bytes` extractor would
/// read the payload again into a fresh 8 KiB buffer on every request, GETs included.
pub struct Body(pub Bytes);

impl Deref for Body {
    type Target = Bytes;

    fn deref(&self) -> &Bytes {
        &self.0
    }
}

impl FromRequest for Body {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let body = req.extensions().get::<Addressed>().map(|addressed| Body(addressed.body.clone()));
        ready(body.ok_or_else(outside_the_pipeline))
    }
}

fn outside_the_pipeline() -> ApiError {
    ApiError::with_message(ErrorKind::Internal, "handler mounted outside its sandbox")
}

/// A handler's view of its sandbox and its own vendor's store `T`.
pub struct InSandbox<T> {
    /// The sandbox the request was addressed to.
    pub sandbox: Arc<Sandbox>,
    /// This vendor's store in that sandbox.
    pub store: Arc<T>,
}

impl<T: Send + Sync + 'static> InSandbox<T> {
    /// The sandbox and store of a request the pipeline addressed (`None` outside the pipeline).
    pub fn of(req: &HttpRequest) -> Option<Self> {
        let extensions = req.extensions();
        let Addressed { sandbox, vendor, .. } = extensions.get::<Addressed>()?;
        sandbox.typed_store::<T>(vendor).map(|store| Self { sandbox: Arc::clone(sandbox), store })
    }
}

impl<T: Send + Sync + 'static> FromRequest for InSandbox<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let found = Self::of(req);
        ready(found.ok_or_else(outside_the_pipeline))
    }
}
