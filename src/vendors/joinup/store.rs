//! Joinup's state in one sandbox, behind one lock: tenants and their data, users, the JWT
//! secret, bulk jobs (run when the sandbox clock reaches them) and the signup-hook log.

use super::jobs::{self, Ids};
use super::model::Claims;
use super::model::{Job, JobKind, Tenant, User};
use super::seed::{self, Counts, FIRST_COST_CENTER_ID, FIRST_EMPLOYEE_ID};
use super::settings::{Known, Settings};
use crate::common::clock;
use crate::common::error::ApiError;
use crate::common::memo::Memo;
use crate::common::problem::Problem;
use crate::common::rng::{hex_string, rng_for};
use crate::common::seeded::{Seeded, SeededState};
use crate::outbound::ThisServer;
use crate::vendor::{SeededStore, Snapshot, VendorState};
use bytes::Bytes;
use chrono::{DateTime, Duration, TimeZone, Utc};
use parking_lot::{RwLockReadGuard, RwLockWriteGuard};
use rand::Rng;
use serde_json::{Map, Value, json};
use std::collections::VecDeque;
use std::sync::Arc;

/// Seeded tokens expire at 2036-01-01: Joinup's private tokens have no refresh flow.
pub(super) fn seeded_expiry() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2036, 1, 1, 0, 0, 0).single().unwrap_or_default()
}

/// Everything Joinup holds for one sandbox. It serializes whole for snapshots (the switches
/// and kept views aside: see `snapshot.rs`).
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// The switches (a snapshot carries them beside the state).
    #[serde(skip)]
    pub settings: Settings,
    /// Tenants, in fixture order.
    pub tenants: Vec<Tenant>,
    /// Users of every tenant.
    pub users: Vec<User>,
    /// Bulk jobs, oldest first.
    pub jobs: Vec<Job>,
    /// The HS256 secret of this sandbox's tokens (derived from the seed).
    pub secret: String,
    /// Email domains registered per tenant at seed time.
    pub domains: Vec<Vec<String>>,
    /// What each simulated signup did, oldest first (the newest `signup::SIGNUPS_KEPT`).
    pub signups: VecDeque<Value>,
    /// Id counters.
    pub ids: Ids,
    /// List bodies by tenant and URL; cleared whenever the state may have changed.
    #[serde(skip)]
    pub pages: Memo<Bytes>,
    /// List orderings kept ready, by tenant, list and `ordering`: record indexes in that order,
    /// sorted once per change of the state (so a page of an ordered list is a slice).
    #[serde(skip)]
    pub orders: Memo<Arc<[u32]>>,
    /// Tokens already verified against this state's secret (expiry is still checked each time).
    #[serde(skip)]
    pub verified_tokens: Memo<Arc<Claims>>,
    object_id_process: String,
    object_id_counter: u32,
}

/// An ObjectId's per-process part: this many lowercase hex digits.
const OBJECT_ID_PROCESS_DIGITS: usize = 10;
/// An ObjectId's counter is three bytes; it wraps as MongoDB's does.
const OBJECT_ID_COUNTER_MASK: u32 = 0x00ff_ffff;

impl State {
    /// Pushes the tenant switches (shared cost centers) into the tenants and their kept JSON.
    pub(super) fn apply_tenant_settings(&mut self) {
        for tenant in &mut self.tenants {
            if let Some(shared) = self.settings.shared_cost_centers.get(&tenant.identity) {
                tenant.shared_cost_centers = *shared;
            }
            for i in 0..tenant.cost_centers.len() {
                tenant.refresh_cost_center(i);
            }
        }
    }

    /// Whether a job is due at `now` and has not run.
    pub fn has_due_jobs(&self, now: DateTime<Utc>) -> bool {
        self.jobs.iter().any(|job| job.report.is_none() && job.due <= now)
    }

    /// Drops the kept pages and orderings: the data they were computed from is changing.
    pub fn forget_views(&self) {
        self.pages.clear();
        self.orders.clear();
    }

    /// Runs every job due at `now`, oldest first.
    pub fn settle(&mut self, now: DateTime<Utc>) {
        for index in 0..self.jobs.len() {
            let job = &self.jobs[index];
            if job.report.is_some() || job.due > now {
                continue;
            }
            self.forget_views();
            let tenant = &mut self.tenants[job.tenant];
            let report = jobs::run(tenant, &mut self.ids, job, job.due);
            self.jobs[index].report = Some(report);
        }
    }

    /// A MongoDB ObjectId: creation second, a per-sandbox value, a counter.
    fn object_id(&mut self, now: DateTime<Utc>) -> String {
        self.object_id_counter = self.object_id_counter.wrapping_add(1) & OBJECT_ID_COUNTER_MASK;
        let seconds = u32::try_from(now.timestamp()).unwrap_or(u32::MAX);
        format!("{seconds:08x}{}{:06x}", self.object_id_process, self.object_id_counter)
    }

    /// A snapshot's ObjectId parts are what [`State::object_id`] makes: 24 hex digits in all.
    pub(super) fn check_object_ids(&self) -> Result<(), Problem> {
        let process = &self.object_id_process;
        if process.len() != OBJECT_ID_PROCESS_DIGITS || !process.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(Problem::at(
                "object_id_process",
                format!("must be {OBJECT_ID_PROCESS_DIGITS} lowercase hex digits"),
            ));
        }
        if self.object_id_counter > OBJECT_ID_COUNTER_MASK {
            return Err(Problem::at("object_id_counter", format!("must be at most {OBJECT_ID_COUNTER_MASK}")));
        }
        Ok(())
    }

    /// Queues a bulk job that finishes `bulk_processing_seconds` from `now`; its `request_id`.
    pub fn submit(
        &mut self,
        tenant: usize,
        kind: JobKind,
        items: Vec<super::model::BulkItem>,
        now: DateTime<Utc>,
    ) -> Result<String, crate::common::error::ApiError> {
        crate::common::records::room_for("bulk jobs", self.jobs.len(), 1)?;
        // The docs' `created` has millisecond precision.
        let created = now - Duration::nanoseconds(i64::from(now.timestamp_subsec_nanos() % 1_000_000));
        let id = self.object_id(created);
        // The setting is checked against `clock::MAX_SPAN_SECONDS` when it is patched.
        let span = i64::try_from(self.settings.bulk_processing_seconds).ok().and_then(clock::span);
        let due = created + span.unwrap_or_default();
        self.jobs.push(Job { id: id.clone(), kind, tenant, created, due, items, report: None });
        Ok(id)
    }

    /// A tenant's job of one kind (another tenant's, or the other endpoint's, is not found).
    pub fn job(&self, tenant: usize, kind: JobKind, id: &str) -> Option<&Job> {
        self.jobs.iter().find(|job| job.tenant == tenant && job.kind == kind && job.id == id)
    }

    /// A tenant's index by its identity.
    pub fn tenant_index(&self, identity: &str) -> Option<usize> {
        self.tenants.iter().position(|t| t.identity == identity)
    }

    pub(super) fn credential(&self, user: &User, exp: DateTime<Utc>) -> Value {
        let tenant = &self.tenants[user.tenant];
        let token = Claims::mint(&self.secret, user, &tenant.identity, exp);
        json!({
            "authorization": format!("JWT {token}"),
            "token": token,
            "username": user.username,
            "tenant": tenant.identity,
            "mode": tenant.mode,
            "is_admin": user.is_admin,
            "expires_at": exp.to_rfc3339(),
        })
    }
}

/// The store registered in each sandbox. The state sits behind an `Arc` so a signup can finish
/// after its outbound call returns.
pub struct JoinupStore {
    seeded: SeededState<State>,
}

// Divergence: the switches (rate limits, hooks, seed counts) return to their defaults on reset
// too (reset seeds with the start configuration).
impl Seeded for State {
    /// Joinup's switches decide what is seeded (counts, cost-center sharing).
    type Config = Settings;

    fn from_seed(seed: u64, settings: &Settings) -> Self {
        let counts = Counts { employees: settings.seed_employees, cost_centers: settings.seed_cost_centers };
        let seeded = seed::seed(seed, counts);
        let max_company = seeded.tenants.iter().flat_map(|t| &t.companies).map(|c| c.id).max().unwrap_or(0);
        let employees: u64 = seeded.tenants.iter().map(|t| t.employees.len() as u64).sum();
        let cost_centers: u64 = seeded.tenants.iter().map(|t| t.cost_centers.len() as u64).sum();
        let mut object_id_rng = rng_for(seed, "joinup/object-ids");
        let object_id_process = hex_string(&mut object_id_rng, OBJECT_ID_PROCESS_DIGITS);
        let object_id_counter = object_id_rng.next_u32() & OBJECT_ID_COUNTER_MASK;
        let mut state = Self {
            settings: settings.clone(),
            tenants: seeded.tenants,
            users: seeded.users,
            jobs: Vec::new(),
            secret: hex_string(&mut rng_for(seed, "joinup/jwt-secret"), 64),
            domains: seeded.domains,
            signups: VecDeque::new(),
            ids: Ids {
                employee: FIRST_EMPLOYEE_ID + employees,
                cost_center: FIRST_COST_CENTER_ID + cost_centers,
                company: max_company + 1,
            },
            object_id_process,
            object_id_counter,
            pages: Memo::default(),
            orders: Memo::default(),
            verified_tokens: Memo::default(),
        };
        state.apply_tenant_settings();
        state
    }

    fn config(&self) -> Settings {
        self.settings.clone()
    }

    /// New counts seed again (jobs and signups forgotten); the other switches apply in place.
    fn reseeds(&self, next: &Settings) -> bool {
        next.seed_employees != self.settings.seed_employees || next.seed_cost_centers != self.settings.seed_cost_centers
    }

    fn apply_config(&mut self, next: Settings) {
        self.settings = next;
        self.apply_tenant_settings();
        self.forget_views();
    }
}

impl VendorState for State {
    const SNAPSHOT: Snapshot<Self> = Snapshot {
        export: Self::snapshot,
        export_bytes: Self::snapshot_bytes,
        check: Self::check,
        restore: Self::restore,
    };

    fn apply_workforce(
        &mut self,
        projection: &crate::workforce::Projection,
    ) -> Option<crate::workforce::model::VendorRecord> {
        self.project(projection)
    }

    fn workforce_roster(&self) -> Vec<crate::workforce::Rostered> {
        self.roster()
    }

    fn counts(&self) -> Value {
        let sum = |f: fn(&Tenant) -> usize| self.tenants.iter().map(f).sum::<usize>();
        json!({
            "tenants": self.tenants.len(),
            "companies": sum(|t| t.companies.len()),
            "employees": sum(|t| t.employees.len()),
            "cost_centers": sum(|t| t.cost_centers.len()),
            "jobs": self.jobs.len(),
            "signups": self.signups.len(),
        })
    }

    fn view(&self) -> Value {
        let tenants: Vec<Value> = self
            .tenants
            .iter()
            .zip(&self.domains)
            .map(|(t, domains)| {
                json!({
                    "identity": t.identity,
                    "mode": t.mode,
                    "shared_cost_centers": t.shared_cost_centers,
                    "domains": domains,
                    "companies": t.companies,
                    "employees": t.employees,
                    "cost_centers": t.cost_centers,
                })
            })
            .collect();
        json!({
            "settings": self.settings.to_json(&self.tenants),
            "jwt_secret": self.secret,
            "users": self.users,
            "tenants": tenants,
            "jobs": self.jobs,
            "signups": self.signups,
        })
    }

    fn credentials(&self) -> Value {
        let identities: Map<String, Value> =
            self.users.iter().map(|u| (u.identity.clone(), self.credential(u, seeded_expiry()))).collect();
        Value::Object(identities)
    }

    fn settings_view(&self) -> Value {
        self.settings.to_json(&self.tenants)
    }

    fn update_settings(store: &SeededState<State>, patch: &Value, this_server: &ThisServer) -> Result<Value, ApiError> {
        let state = store.reconfigure(|state| {
            let known = Known {
                tenants: state.tenants.iter().map(|t| t.identity.clone()).collect(),
                users: state.users.iter().map(|u| u.identity.clone()).collect(),
            };
            let next = state.settings.patched(patch, &state.tenants, &known)?;
            next.check_hook_targets(this_server)?;
            Ok(next)
        })?;
        Ok(state.settings.to_json(&state.tenants))
    }
}

impl SeededStore for JoinupStore {
    type State = State;

    fn new(seed: u64) -> Self {
        Self { seeded: SeededState::new(seed) }
    }

    fn seeded(&self) -> &SeededState<State> {
        &self.seeded
    }
}

impl JoinupStore {
    /// Shared access, after running the jobs due at `now` (the only write a read may need).
    pub fn read(&self, now: DateTime<Utc>) -> RwLockReadGuard<'_, State> {
        {
            let state = self.seeded.read();
            if !state.has_due_jobs(now) {
                return state;
            }
        }
        let mut state = self.seeded.write();
        state.settle(now);
        RwLockWriteGuard::downgrade(state)
    }

    /// Exclusive access, after running the jobs due at `now`. Kept pages are dropped: the
    /// caller may change what they show.
    pub fn write(&self, now: DateTime<Utc>) -> RwLockWriteGuard<'_, State> {
        let mut state = self.seeded.write();
        state.settle(now);
        state.forget_views();
        state
    }
}
