//! How a request finds its sandbox: the pipeline puts the addressed sandbox and vendor in the
//! request's extensions, and handlers, filters and renderers read them back from here.

use super::Sandbox;
use crate::common::error::{ApiError, ErrorKind};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use chrono::{DateTime, Utc};
use std::future::{Ready, ready};
use std::sync::Arc;

/// The sandbox-clock time of the sandbox a request was addressed to, for renderers (`None`
/// before the pipeline has found the sandbox).
pub fn sandbox_now(req: &HttpRequest) -> Option<DateTime<Utc>> {
    req.extensions().get::<Addressed>().map(|addressed| addressed.sandbox.clock.now())
}

/// The sandbox and vendor a request was addressed to, in the request's extensions (set by the
/// pipeline; one extension, since each costs an allocation and a map insert per request).
#[derive(Clone)]
pub struct Addressed {
    /// The sandbox.
    pub sandbox: Arc<Sandbox>,
    /// The vendor's id.
    pub vendor: &'static str,
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
        let Addressed { sandbox, vendor } = req.extensions().get::<Addressed>().cloned()?;
        sandbox.typed_store::<T>(vendor).map(|store| Self { sandbox, store })
    }
}

impl<T: Send + Sync + 'static> FromRequest for InSandbox<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let found = Self::of(req);
        ready(found.ok_or_else(|| ApiError::with_message(ErrorKind::Internal, "handler mounted outside its sandbox")))
    }
}
