//! One resource helper for vendors that route by method themselves (Justworks, Directory,
//! Orquest): it remembers the methods it was given, so a wrong method gets the vendor's 405
//! with the `Allow` header the real frameworks send. Every route a vendor mounts is also noted
//! while [`served_by`] listens, so its OpenAPI document lists exactly what is mounted.

use super::error::{ApiError, ErrorKind};
use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::http::Method;
use actix_web::http::header::ALLOW;
use actix_web::{FromRequest, Handler, HttpResponse, Resource, Responder, web};

/// A path and the methods it answers.
pub struct Endpoint {
    path: String,
    resource: Resource,
    allow: Vec<Method>,
}

/// A new endpoint at `path` (relative to the vendor prefix) answering no method yet.
pub fn endpoint(path: &str) -> Endpoint {
    Endpoint { path: path.to_owned(), resource: web::resource(path), allow: Vec::new() }
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
        note_served(&method, &self.path);
        self.resource = self.resource.route(route);
        self.allow.push(method);
        self
    }
}

thread_local! {
    /// The routes noted while [`served_by`] runs on this thread.
    static SERVED: std::cell::RefCell<Option<Vec<(Method, String)>>> = const { std::cell::RefCell::new(None) };
}

/// Notes that `method` is answered at `path` (relative to the vendor prefix), for [`served_by`].
pub fn note_served(method: &Method, path: &str) {
    SERVED.with_borrow_mut(|served| {
        if let Some(served) = served {
            served.push((method.clone(), path.to_owned()));
        }
    });
}

/// The (method, path) pairs `configure` mounts, in mounting order: the configuration runs into
/// a throwaway app while this thread notes what the route helpers register.
pub fn served_by(configure: impl FnOnce(&mut web::ServiceConfig)) -> Vec<(Method, String)> {
    SERVED.set(Some(Vec::new()));
    drop(actix_web::App::new().configure(configure));
    SERVED.take().unwrap_or_default()
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
