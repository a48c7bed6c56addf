//! The two list views: django-filter's filters, DRF's `OrderingFilter` and page-number
//! pagination, answered from each record's kept JSON. The unfiltered default order is a slice of
//! the id-ordered records, so a page costs O(page).

use super::model::{CostCenter, Employee, JobKind, Mode, Tenant};
use super::store::State;
use crate::common::error::{ApiError, ErrorKind};
use crate::common::pagination::{last, query_pairs};
use crate::families::drf::pagination::{Page, PageRules, RequestUrl};
use actix_web::HttpRequest;
use actix_web::http::header::{FORWARDED, HOST, X_FORWARDED_HOST, X_FORWARDED_PROTO};
use bytes::{BufMut, Bytes, BytesMut};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::{Map, Value, json};
use std::cmp::Ordering;

const RULES: PageRules = PageRules { default_size: 10, max_size: 100 };
const INVALID_DATETIME: &str = "Enter a valid date/time.";

/// A list body for the caller's tenant, from the kept pages when the same URL was answered since
/// the state last changed (a page is a pure function of the state and the URL).
pub fn body(req: &HttpRequest, state: &State, tenant: usize, kind: JobKind) -> Result<Bytes, ApiError> {
    // The links come from `connection_info()`, which reads these headers; keying on them (not on
    // `connection_info()` itself) keeps a hit free of its allocations.
    let mut key = format!("{tenant} {}", req.uri());
    for name in [HOST, FORWARDED, X_FORWARDED_HOST, X_FORWARDED_PROTO] {
        key.push(' ');
        key.push_str(req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or(""));
    }
    state.pages.get_or_try(&key, || match kind {
        JobKind::Employees => employees(req, &state.tenants[tenant]),
        JobKind::CostCenters => cost_centers(req, &state.tenants[tenant]),
    })
}

/// `GET /api/company/employees/`'s body for a tenant.
fn employees(req: &HttpRequest, tenant: &Tenant) -> Result<Bytes, ApiError> {
    let pairs = query_pairs(req.query_string());
    let group = tenant.mode == Mode::Group;
    let mut errors = Map::new();
    let id = number_filter(&pairs, "id", &mut errors);
    let enabled = last(&pairs, "enabled").and_then(boolean);
    let dates: Vec<(&str, Option<DateTime<Utc>>)> =
        ["enabled_date__gte", "enabled_date__lt", "disabled_date__gte", "disabled_date__lt"]
            .into_iter()
            .map(|name| (name, datetime_filter(&pairs, name, &mut errors)))
            .collect();
    if !errors.is_empty() {
        return Err(ApiError::validation(Value::Object(errors)));
    }
    let company_name = group.then(|| text_filter(&pairs, "company_name")).flatten();
    let company_cif = group.then(|| text_filter(&pairs, "company_cif")).flatten();
    let mut fields = vec!["id", "enabled", "enabled_date", "disabled_date"];
    if group {
        fields.extend(["company_name", "company_cif"]);
    }
    let ordering = ordering(&pairs, &fields);
    let company = |e: &Employee| tenant.company(e.company);
    let matches = |e: &Employee| {
        id.is_none_or(|id| id == Some(e.id))
            && enabled.is_none_or(|on| on == e.enabled)
            && dates.iter().all(|(name, at)| at.is_none_or(|at| date_matches(name, e, at)))
            && company_name.as_deref().is_none_or(|n| company(e).is_some_and(|c| icontains(&c.name, n)))
            && company_cif.as_deref().is_none_or(|n| company(e).is_some_and(|c| icontains(&c.cif, n)))
    };
    let unfiltered = id.is_none()
        && enabled.is_none()
        && dates.iter().all(|(_, at)| at.is_none())
        && company_name.is_none()
        && company_cif.is_none();
    let compare = ordered_by(&ordering, |a: &Employee, b: &Employee, field| match field {
        "enabled" => a.enabled.cmp(&b.enabled),
        "enabled_date" => a.enabled_date.cmp(&b.enabled_date),
        "disabled_date" => nulls_last(a.disabled_date, b.disabled_date),
        "company_name" => company(a).map(|c| &c.name).cmp(&company(b).map(|c| &c.name)),
        "company_cif" => company(a).map(|c| &c.cif).cmp(&company(b).map(|c| &c.cif)),
        _ => a.id.cmp(&b.id),
    });
    page_body(req, &pairs, &tenant.employees, unfiltered && by_id(&ordering), matches, compare, |e| &e.json)
}

/// `GET /api/company/cost-centers/`'s body for a tenant.
fn cost_centers(req: &HttpRequest, tenant: &Tenant) -> Result<Bytes, ApiError> {
    let pairs = query_pairs(req.query_string());
    let by_company = tenant.cost_centers_by_company();
    let mut errors = Map::new();
    let id = number_filter(&pairs, "id", &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::validation(Value::Object(errors)));
    }
    let name = text_filter(&pairs, "name");
    let company_name = by_company.then(|| text_filter(&pairs, "company_name")).flatten();
    let company_cif = by_company.then(|| text_filter(&pairs, "company_cif")).flatten();
    let mut fields = vec!["id", "name"];
    if by_company {
        fields.extend(["company_name", "company_cif"]);
    }
    let ordering = ordering(&pairs, &fields);
    let company = |c: &CostCenter| c.company.and_then(|id| tenant.company(id));
    let matches = |c: &CostCenter| {
        id.is_none_or(|id| id == Some(c.id))
            && name.as_deref().is_none_or(|n| icontains(&c.name, n))
            && company_name.as_deref().is_none_or(|n| company(c).is_some_and(|co| icontains(&co.name, n)))
            && company_cif.as_deref().is_none_or(|n| company(c).is_some_and(|co| icontains(&co.cif, n)))
    };
    let unfiltered = id.is_none() && name.is_none() && company_name.is_none() && company_cif.is_none();
    let compare = ordered_by(&ordering, |a: &CostCenter, b: &CostCenter, field| match field {
        "name" => a.name.cmp(&b.name),
        "company_name" => company(a).map(|c| &c.name).cmp(&company(b).map(|c| &c.name)),
        "company_cif" => company(a).map(|c| &c.cif).cmp(&company(b).map(|c| &c.cif)),
        _ => a.id.cmp(&b.id),
    });
    page_body(req, &pairs, &tenant.cost_centers, unfiltered && by_id(&ordering), matches, compare, |c| &c.json)
}

/// Filters, orders (ids break ties), pages and writes `{"count", "next", "previous", "results"}`.
fn page_body<T>(
    req: &HttpRequest,
    pairs: &[(String, String)],
    records: &[T],
    in_stored_order: bool,
    matches: impl Fn(&T) -> bool,
    compare: impl Fn(&T, &T) -> Ordering,
    json: impl Fn(&T) -> &Bytes,
) -> Result<Bytes, ApiError> {
    let (count, page_records): (usize, Vec<&T>);
    let page;
    if in_stored_order {
        count = records.len();
        page = Page::of(pairs, RULES, count).map_err(|_| invalid_page())?;
        page_records = records[page.range()].iter().collect();
    } else {
        let mut picked: Vec<&T> = records.iter().filter(|r| matches(r)).collect();
        picked.sort_by(|a, b| compare(a, b));
        count = picked.len();
        page = Page::of(pairs, RULES, count).map_err(|_| invalid_page())?;
        page_records = picked[page.range()].to_vec();
    }
    let info = req.connection_info();
    let url = RequestUrl { scheme: info.scheme(), host: info.host(), path: req.path(), pairs };
    let links = json!([page.next_link(&url), page.previous_link(&url)]);
    let size: usize = page_records.iter().map(|r| json(r).len() + 1).sum();
    let mut body = BytesMut::with_capacity(size + 200);
    body.put_slice(
        format!("{{\"count\":{count},\"next\":{},\"previous\":{},\"results\":[", links[0], links[1]).as_bytes(),
    );
    for (i, record) in page_records.iter().enumerate() {
        if i > 0 {
            body.put_u8(b',');
        }
        body.put_slice(json(record));
    }
    body.put_slice(b"]}");
    Ok(body.freeze())
}

fn invalid_page() -> ApiError {
    ApiError::with_message(ErrorKind::NotFound, "Invalid page.")
}

/// The comparison `order_by(*ordering)` makes, from how two records compare on one field.
fn ordered_by<'o, T>(
    ordering: &'o [(&str, bool)],
    field: impl Fn(&T, &T, &str) -> Ordering + 'o,
) -> impl Fn(&T, &T) -> Ordering + 'o {
    move |a, b| {
        ordering.iter().fold(Ordering::Equal, |acc, (name, descending)| {
            acc.then_with(|| if *descending { field(a, b, name).reverse() } else { field(a, b, name) })
        })
    }
}

fn by_id(ordering: &[(&str, bool)]) -> bool {
    matches!(ordering, [("id", false)])
}

/// `OrderingFilter`: comma-separated fields, `-` for descending; unknown fields are dropped, and
/// the view's default (`id`) applies when none is left.
fn ordering<'f>(pairs: &[(String, String)], fields: &[&'f str]) -> Vec<(&'f str, bool)> {
    let terms: Vec<(&str, bool)> = last(pairs, "ordering")
        .into_iter()
        .flat_map(|param| param.split(','))
        .filter_map(|term| {
            let term = term.trim();
            let (name, descending) = term.strip_prefix('-').map_or((term, false), |rest| (rest, true));
            fields.iter().find(|f| **f == name).map(|f| (*f, descending))
        })
        .collect();
    // Divergence: ties in the database's order are unspecified; the sandbox breaks them by id.
    if terms.is_empty() { vec![("id", false)] } else { terms }
}

/// PostgreSQL's default: NULLs sort after every value ascending (and first descending).
fn nulls_last(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
    }
}

fn date_matches(filter: &str, employee: &Employee, at: DateTime<Utc>) -> bool {
    match filter {
        "enabled_date__gte" => employee.enabled_date >= at,
        "enabled_date__lt" => employee.enabled_date < at,
        "disabled_date__gte" => employee.disabled_date.is_some_and(|d| d >= at),
        _ => employee.disabled_date.is_some_and(|d| d < at),
    }
}

/// `icontains`.
fn icontains(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// A `CharFilter`: empty values do not filter.
fn text_filter(pairs: &[(String, String)], name: &str) -> Option<String> {
    last(pairs, name).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// django-filter's `BooleanWidget`: `true`/`false`/`1`/`0` (any case); anything else does not filter.
fn boolean(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// A `NumberFilter` (a `DecimalField`): `Some(Some(id))` for an integral number, `Some(None)` for
/// a fractional one (it matches no id), an error for text that is not a number.
fn number_filter(pairs: &[(String, String)], name: &str, errors: &mut Map<String, Value>) -> Option<Option<u64>> {
    let text = last(pairs, name)?.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() && !text.contains(['i', 'I', 'n', 'N']) => {
            Some((n.fract() == 0.0 && n >= 0.0 && n < 2f64.powi(53)).then_some(n as u64))
        }
        _ => {
            errors.insert(name.to_owned(), json!(["Enter a number."]));
            None
        }
    }
}

/// An `IsoDateTimeFilter`: Django's `parse_datetime` (a date alone is midnight), naive times in UTC.
fn datetime_filter(pairs: &[(String, String)], name: &str, errors: &mut Map<String, Value>) -> Option<DateTime<Utc>> {
    let text = last(pairs, name)?.trim();
    if text.is_empty() {
        return None;
    }
    let parsed = DateTime::parse_from_rfc3339(&text.replacen(' ', "T", 1))
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"]
                .iter()
                .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
                .map(|naive| naive.and_utc())
        })
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|n| n.and_utc())
        });
    if parsed.is_none() {
        errors.insert(name.to_owned(), json!([INVALID_DATETIME]));
    }
    parsed
}
