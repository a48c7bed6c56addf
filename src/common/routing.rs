//! One resource helper for vendors that route by method themselves (Justworks, Directory,
//! Orquest): it remembers the methods it was given, so a wrong method gets the vendor's 405
//! with the `Allow` header the real frameworks send.

use super::error::{ApiError, ErrorKind};
use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::http::Method;
use actix_web::http::header::ALLOW;
use actix_web::{FromRequest, Handler, HttpResponse, Resource, Responder, web};

/// A path and the methods it answers.
pub struct Endpoint {
    resource: Resource,
    allow: Vec<Method>,
}

/// A new endpoint at `path` (relative to the vendor prefix) answering no method yet.
pub fn endpoint(path: &str) -> Endpoint {
    Endpoint { resource: web::resource(path), allow: Vec::new() }
}

macro_rules! method {
    ($name:ident, $method:ident) => {
        #[doc = concat!("Answers `", stringify!($method), "` with `handler`.")]
        pub fn $name<F, Args>(self, handler: F) -> Self
        where
            F: Handler<Args>,
            Args: FromRequest + 'static,
            F::Output: Responder + 'static,
        {
            self.on(Method::$method, web::method(Method::$method).to(handler))
        }
    };
}

impl Endpoint {
    method!(get, GET);
    method!(post, POST);
    method!(put, PUT);
    method!(patch, PATCH);
    method!(delete, DELETE);

    fn on(mut self, method: Method, route: actix_web::Route) -> Self {
        self.resource = self.resource.route(route);
        self.allow.push(method);
        self
    }
}

impl HttpServiceFactory for Endpoint {
    fn register(self, config: &mut AppService) {
        let allow = self.allow.iter().map(Method::as_str).collect::<Vec<_>>().join(", ");
        let refuse = move || {
            let err = ApiError::new(ErrorKind::MethodNotAllowed).header(ALLOW, &allow);
            async move { Err::<HttpResponse, _>(err) }
        };
        self.resource.default_service(web::to(refuse)).register(config);
    }
}
