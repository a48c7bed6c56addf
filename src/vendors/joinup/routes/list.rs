//! The two list views: django-filter's filters, DRF's `OrderingFilter` and page-number
//! pagination, answered from each record's kept JSON. The unfiltered default order is a slice of
//! the id-ordered records and every other ordering is sorted once per change of the state and
//! kept, so an unfiltered page costs O(page) and a filtered one a scan without a sort.

use crate::common::error::{ApiError, ErrorKind};
use crate::common::query::{self, last};
use crate::families::drf::ordering::{Orders, ranks, terms};
use crate::families::drf::pagination::{Page, PageRules, RequestUrl};
use crate::vendors::joinup::model::{Company, CostCenter, Employee, JobKind, Mode, Tenant};
use crate::vendors::joinup::store::State;
use actix_web::HttpRequest;
use actix_web::http::header::{FORWARDED, HOST, X_FORWARDED_HOST, X_FORWARDED_PROTO};
use bytes::{BufMut, Bytes, BytesMut};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::{Map, Value, json};

const RULES: PageRules = PageRules { default_size: 10, max_size: 100 };
const INVALID_DATETIME: &str = "Enter a valid date/time.";

/// A list body for the caller's tenant, from the kept pages when the same URL was answered since
/// the state last changed (a page is a pure function of the state and the URL).
pub fn body(req: &HttpRequest, state: &State, tenant: usize, kind: JobKind) -> Result<Bytes, ApiError> {
    // The links come from `connection_info()`, which reads these headers; keying on them (not on
    // `connection_info()` itself) keeps a hit free of its allocations.
    thread_local! {
        // The key is built on every list request and only kept on a miss: one buffer per worker.
        static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    KEY.with_borrow_mut(|key| {
        key.clear();
        let uri = req.uri();
        key.push_str(itoa::Buffer::new().format(tenant));
        key.push(' ');
        match crate::common::url::origin_form(uri) {
            Some(target) => key.push_str(target),
            None => key.push_str(&uri.to_string()),
        }
        for name in [HOST, FORWARDED, X_FORWARDED_HOST, X_FORWARDED_PROTO] {
            key.push(' ');
            key.push_str(req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or(""));
        }
        state.pages.get_or_try(key, || {
            let orders = Orders { memo: &state.orders, list: format!("{tenant} {kind:?}") };
            match kind {
                JobKind::Employees => employees(req, &state.tenants[tenant], &orders),
                JobKind::CostCenters => cost_centers(req, &state.tenants[tenant], &orders),
            }
        })
    })
}

/// `GET /api/company/employees/`'s body for a tenant.
fn employees(req: &HttpRequest, tenant: &Tenant, orders: &Orders<'_>) -> Result<Bytes, ApiError> {
    let pairs = query::pairs(req.query_string());
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
    let ordering = terms(&pairs, &fields);
    let companies = companies_matching(tenant, company_name.as_deref(), company_cif.as_deref());
    let matches = |e: &Employee| {
        id.is_none_or(|id| id == Some(e.id))
            && enabled.is_none_or(|on| on == e.enabled)
            && dates.iter().all(|(name, at)| at.is_none_or(|at| date_matches(name, e, at)))
            && companies.as_ref().is_none_or(|ids| ids.contains(&e.company))
    };
    let unfiltered = id.is_none()
        && enabled.is_none()
        && dates.iter().all(|(_, at)| at.is_none())
        && company_name.is_none()
        && company_cif.is_none();
    let employees = &tenant.employees;
    let by_company = |rank: Vec<i64>| employees.iter().map(|e| company_rank(tenant, &rank, e.company)).collect();
    let order = orders.of(&ordering, employees.len(), |field| match field {
        "enabled" => employees.iter().map(|e| i64::from(e.enabled)).collect(),
        "enabled_date" => employees.iter().map(|e| e.enabled_date.timestamp_micros()).collect(),
        // PostgreSQL's default: NULLs after every value ascending (and first descending).
        "disabled_date" => {
            employees.iter().map(|e| e.disabled_date.map_or(i64::MAX, |d| d.timestamp_micros())).collect()
        }
        "company_name" => by_company(ranks(&tenant.companies, |c| c.name.clone())),
        "company_cif" => by_company(ranks(&tenant.companies, |c| c.cif.clone())),
        _ => employees.iter().map(|e| e.id as i64).collect(),
    });
    page_body(req, &pairs, &tenant.employees, (unfiltered, order.as_deref()), matches, |e| &e.json)
}

/// `GET /api/company/cost-centers/`'s body for a tenant.
fn cost_centers(req: &HttpRequest, tenant: &Tenant, orders: &Orders<'_>) -> Result<Bytes, ApiError> {
    let pairs = query::pairs(req.query_string());
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
    let ordering = terms(&pairs, &fields);
    let companies = companies_matching(tenant, company_name.as_deref(), company_cif.as_deref());
    let name = name.map(|n| n.to_lowercase());
    let matches = |c: &CostCenter| {
        id.is_none_or(|id| id == Some(c.id))
            && name.as_deref().is_none_or(|n| c.name.to_lowercase().contains(n))
            && companies.as_ref().is_none_or(|ids| c.company.is_some_and(|id| ids.contains(&id)))
    };
    let unfiltered = id.is_none() && name.is_none() && company_name.is_none() && company_cif.is_none();
    let centers = &tenant.cost_centers;
    let by_company =
        |rank: Vec<i64>| centers.iter().map(|c| c.company.map_or(-1, |id| company_rank(tenant, &rank, id))).collect();
    let order = orders.of(&ordering, centers.len(), |field| match field {
        "name" => ranks(centers, |c| c.name.clone()),
        "company_name" => by_company(ranks(&tenant.companies, |c| c.name.clone())),
        "company_cif" => by_company(ranks(&tenant.companies, |c| c.cif.clone())),
        _ => centers.iter().map(|c| c.id as i64).collect(),
    });
    page_body(req, &pairs, &tenant.cost_centers, (unfiltered, order.as_deref()), matches, |c| &c.json)
}

/// Filters, takes the records in `order` (the stored order when `None`), pages and writes
/// `{"count", "next", "previous", "results"}`.
fn page_body<T>(
    req: &HttpRequest,
    pairs: &[(String, String)],
    records: &[T],
    (unfiltered, order): (bool, Option<&[u32]>),
    matches: impl Fn(&T) -> bool,
    json: impl Fn(&T) -> &Bytes,
) -> Result<Bytes, ApiError> {
    let at = |k: usize| &records[order.map_or(k, |order| order[k] as usize)];
    let (count, page_records): (usize, Vec<&T>);
    let page;
    if unfiltered {
        count = records.len();
        page = Page::of(pairs, RULES, count).map_err(|_| invalid_page())?;
        page_records = page.range().map(at).collect();
    } else {
        let picked: Vec<&T> = (0..records.len()).map(at).filter(|r| matches(r)).collect();
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

fn date_matches(filter: &str, employee: &Employee, at: DateTime<Utc>) -> bool {
    match filter {
        "enabled_date__gte" => employee.enabled_date >= at,
        "enabled_date__lt" => employee.enabled_date < at,
        "disabled_date__gte" => employee.disabled_date.is_some_and(|d| d >= at),
        _ => employee.disabled_date.is_some_and(|d| d < at),
    }
}

/// A company's rank in `rank` (ranks of the tenant's companies); an unknown company sorts first,
/// as a NULL join would not, but no record points at one.
fn company_rank(tenant: &Tenant, rank: &[i64], id: u64) -> i64 {
    tenant.companies.iter().position(|c| c.id == id).map_or(-1, |i| rank[i])
}

/// The ids of the companies the `company_name` and `company_cif` filters (`icontains`) let
/// through, `None` when neither filters: a tenant has a handful of companies, so records are
/// then matched by id instead of comparing text per record.
fn companies_matching(tenant: &Tenant, name: Option<&str>, cif: Option<&str>) -> Option<Vec<u64>> {
    if name.is_none() && cif.is_none() {
        return None;
    }
    let wanted = |c: &&Company| name.is_none_or(|n| icontains(&c.name, n)) && cif.is_none_or(|n| icontains(&c.cif, n));
    Some(tenant.companies.iter().filter(wanted).map(|c| c.id).collect())
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
