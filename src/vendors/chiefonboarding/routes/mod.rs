//! The four routes of ChiefOnboarding's `api/` URL conf, plus Django's APPEND_SLASH redirects.
//! Each runs DRF's dispatch around it (`dispatch.rs`).

pub(super) mod dispatch;

use super::serializer;
use super::store::ChiefOnboardingStore;
use super::views::CreatedUserView;
use crate::common::error::{ApiError, ErrorKind};
use crate::families::drf::view::{self, Answer};
use crate::sandbox::{Body, InSandbox};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono_tz::Tz;
use dispatch::{EMPLOYEES, OFFBOARDING, SEQUENCES, USERS};

type Co = InSandbox<ChiefOnboardingStore>;

/// Registers the routes relative to `/chiefonboarding`. Each view takes every method, because
/// DRF authenticates before it looks at the method (a GET to `/api/users/` without a token is 401).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(EMPLOYEES.mount("/api/employees/").to(employees))
        .service(SEQUENCES.mount("/api/sequences/").to(sequences))
        .service(USERS.mount("/api/users/").to(create_user))
        .service(OFFBOARDING.mount("/api/offboarding/").to(offboard))
        .service(
            web::resource(["/api/employees", "/api/sequences", "/api/users", "/api/offboarding"]).to(append_slash),
        );
}

/// `GET /api/employees/` (`EmployeeView`): every user of every role, by id, unpaginated.
async fn employees(req: HttpRequest, co: Co) -> Answer {
    dispatch::dispatch(&req, &EMPLOYEES, co.store.read(), |state| {
        Ok(view::json_bytes(StatusCode::OK, state.employees_body()))
    })
}

/// `GET /api/sequences/` (`SequenceView`): onboarding and offboarding sequences alike, by id.
async fn sequences(req: HttpRequest, co: Co) -> Answer {
    dispatch::dispatch(&req, &SEQUENCES, co.store.read(), |state| {
        Ok(view::json_bytes(StatusCode::OK, state.sequences_body()))
    })
}

/// `POST /api/users/` (`UserView`): 201 with the serializer's fields, without `id`.
/// With the workforce's `shared`, the new user joins it as a person (after the lock is let go).
async fn create_user(req: HttpRequest, body: Body, co: Co) -> Answer {
    let mut made = None;
    let answer = dispatch::dispatch(&req, &USERS, co.store.write(), |mut state| {
        let input = dispatch::parse_body(&req, &body)?;
        let draft = serializer::validate_user(&input, &state)?;
        let today = org_today(&state.organization.timezone, &co);
        let user = serializer::create_user(&mut state, draft, today)?;
        made = Some(user.id);
        Ok(HttpResponse::Created().json(CreatedUserView::from(&user)))
    });
    if let Some(id) = made {
        co.sandbox.workforce_joined("chiefonboarding", &id.to_string());
    }
    answer
}

/// `POST /api/offboarding/` (`UserOffboardingView`): 200, empty body, no Content-Type.
async fn offboard(req: HttpRequest, body: Body, co: Co) -> Answer {
    dispatch::dispatch(&req, &OFFBOARDING, co.store.write(), |mut state| {
        let input = dispatch::parse_body(&req, &body)?;
        let today = co.sandbox.clock.now().date_naive();
        let offboarding = serializer::validate_offboarding(&input, &state, today)?;
        state.offboard(offboarding.user, offboarding.termination_date, offboarding.sequences)?;
        Ok(HttpResponse::Ok().finish())
    })
}

/// Django's `CommonMiddleware` with APPEND_SLASH: 301 to the slashed path, query kept, before
/// any authentication; only for URLs that exist, so not while API_ACCESS is off.
async fn append_slash(req: HttpRequest, co: Co) -> Answer {
    if !co.store.read().settings.api_access {
        return Err(ApiError::new(ErrorKind::RouteNotFound));
    }
    let mut response = crate::families::drf::append_slash(&req);
    dispatch::finish(&mut response, &req);
    Ok(response)
}

/// Today's date in the organization's timezone, on the sandbox clock.
fn org_today(timezone: &str, co: &Co) -> chrono::NaiveDate {
    let now = co.sandbox.clock.now();
    timezone.parse::<Tz>().map_or_else(|_| now.date_naive(), |tz| now.with_timezone(&tz).date_naive())
}
