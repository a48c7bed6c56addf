//! Justworks' state in one sandbox, behind one lock: OAuth apps, codes and tokens (lifetimes on
//! the sandbox clock), the company, members, deductions.

use super::model::{App, BalanceReport, Company, Deduction, Member, Payroll, Policy, TimeOffRequest};
use super::paystubs::Paystubs;
use super::seed;
use super::settings::Settings;
use crate::common::error::ApiError;
use crate::common::expiring;
use crate::common::memo::Memo;
use crate::common::rng::{SandboxRng, hex_string, rng_for};
use crate::common::seeded::{Seeded, SeededState};
use crate::common::vendor_settings;
use crate::outbound::ThisServer;
use crate::vendor::{Snapshot, VendorState};
use crate::workforce::model::VendorRecord;
use bytes::Bytes;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Members seeded by default.
pub const SEED_MEMBERS: usize = 150;
/// Access tokens live 24 hours.
pub const ACCESS_LIFETIME: Duration = Duration::hours(24);
/// Refresh tokens live 30 days.
pub const REFRESH_LIFETIME: Duration = Duration::days(30);
/// Authorization codes live 10 minutes.
pub const CODE_LIFETIME: Duration = Duration::minutes(10);

/// An authorization code waiting to be exchanged.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Code {
    /// The app.
    pub client_id: String,
    /// The redirect URI it was issued for.
    pub redirect_uri: String,
    /// Granted scopes (space-separated).
    pub scope: String,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
    /// Exchanged already (a second use is refused and revokes what the first gave).
    pub used: bool,
}

/// An access or refresh token.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Token {
    /// The app.
    pub client_id: String,
    /// Granted scopes.
    pub scope: String,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
    /// Revoked (or, for refresh tokens, consumed by a refresh).
    pub revoked: bool,
    /// The authorization code (or first code of a refresh chain) it descends from.
    pub grant: String,
}

/// Everything Justworks holds for one sandbox. It serializes whole for snapshots (the
/// switches aside: a snapshot carries them beside the state).
#[derive(Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// OAuth apps.
    pub apps: Vec<App>,
    /// Redirect at once for every app.
    #[serde(skip)]
    pub auto_approve: bool,
    /// Codes.
    pub codes: BTreeMap<String, Code>,
    /// Access tokens.
    pub access_tokens: BTreeMap<String, Token>,
    /// Refresh tokens.
    pub refresh_tokens: BTreeMap<String, Token>,
    /// The company.
    pub company: Company,
    /// Members.
    pub members: Vec<Member>,
    /// Deduction types.
    pub deduction_types: Vec<Value>,
    /// Deductions.
    pub deductions: Vec<Deduction>,
    /// Payrolls, by pay date.
    pub payrolls: Vec<Payroll>,
    /// Paystubs.
    pub paystubs: Paystubs,
    /// `GET /v1/members` bodies by scopes and query (members never change after seeding).
    #[serde(skip)]
    pub member_pages: Memo<Bytes>,
    /// Time-off policies.
    pub policies: Vec<Policy>,
    /// Time-off requests, by start date.
    pub requests: Vec<TimeOffRequest>,
    /// Balance reports.
    pub reports: Vec<BalanceReport>,
    /// Seconds of sandbox time a balances report stays pending.
    #[serde(skip)]
    pub balance_report_seconds: i64,
    /// Members seeded.
    #[serde(skip)]
    pub seed_members: usize,
    ids: SandboxRng,
    /// Webhooks, their secrets and their pending deliveries.
    #[serde(default)]
    pub webhooks: super::webhooks::Webhooks,
}

impl State {
    /// The switches as this state holds them.
    pub fn settings(&self) -> Settings {
        Settings {
            auto_approve: self.auto_approve,
            apps_auto_approve: self.apps.iter().map(|a| (a.client_id.clone(), a.auto_approve)).collect(),
            balance_report_seconds: self.balance_report_seconds,
            seed_members: self.seed_members,
        }
    }

    /// Writes the switches into the state (after any re-seed).
    pub fn apply_settings(&mut self, settings: &Settings) {
        self.auto_approve = settings.auto_approve;
        self.balance_report_seconds = settings.balance_report_seconds;
        for app in &mut self.apps {
            if let Some(on) = settings.apps_auto_approve.get(&app.client_id) {
                app.auto_approve = *on;
            }
        }
    }

    /// A new prefixed id (`deduction_...`).
    pub fn new_id(&mut self, prefix: &str) -> String {
        seed::prefixed_id(&mut self.ids, prefix)
    }

    /// A new version-4 UUID (a workforce hire's legacy id).
    pub fn new_uuid(&mut self) -> String {
        seed::uuid(&mut self.ids)
    }

    /// A new opaque secret for codes and tokens.
    pub fn new_secret(&mut self, prefix: &str) -> String {
        format!("{prefix}{}", hex_string(&mut self.ids, 32))
    }

    /// An app by client id.
    pub fn app(&self, client_id: &str) -> Option<&App> {
        self.apps.iter().find(|a| a.client_id == client_id)
    }

    /// Issues an access and refresh token pair for a grant.
    pub fn issue(&mut self, client_id: &str, scope: &str, grant: &str, now: DateTime<Utc>) -> Value {
        self.issue_narrowed(client_id, scope, scope, grant, now)
    }

    /// A new pair whose access token holds `access_scope` while the refresh token keeps the
    /// grant's `refresh_scope` (RFC 6749 section 6: a refresh may narrow the access token's
    /// scope; a new refresh token's scope is identical to the old one's).
    pub fn issue_narrowed(
        &mut self,
        client_id: &str,
        access_scope: &str,
        refresh_scope: &str,
        grant: &str,
        now: DateTime<Utc>,
    ) -> Value {
        let access = self.new_secret("jw_at_");
        let refresh = self.new_secret("jw_rt_");
        let token = |lifetime, scope: &str| Token {
            client_id: client_id.to_owned(),
            scope: scope.to_owned(),
            expires_at: now + lifetime,
            revoked: false,
            grant: grant.to_owned(),
        };
        expiring::make_room(&mut self.access_tokens, now, |t| t.expires_at);
        expiring::make_room(&mut self.refresh_tokens, now, |t| t.expires_at);
        self.access_tokens.insert(access.clone(), token(ACCESS_LIFETIME, access_scope));
        self.refresh_tokens.insert(refresh.clone(), token(REFRESH_LIFETIME, refresh_scope));
        let expires_at = (now + ACCESS_LIFETIME).to_rfc3339_opts(chrono::SecondsFormat::Micros, false);
        json!({"token_type": "Bearer", "access_token": access, "refresh_token": refresh, "scope": access_scope, "expires_at": expires_at})
    }

    /// Revokes every token descending from a grant (a reused code).
    pub fn revoke_grant(&mut self, grant: &str) {
        for token in self.access_tokens.values_mut().chain(self.refresh_tokens.values_mut()) {
            if token.grant == grant {
                token.revoked = true;
            }
        }
    }
}

/// The store registered in each sandbox.
pub type JustworksStore = SeededState<State>;

impl Seeded for State {
    type Config = usize;

    fn start_config() -> usize {
        SEED_MEMBERS
    }

    fn from_seed(seed: u64, seed_members: &usize) -> Self {
        let mut rng = rng_for(seed, "justworks");
        let seeded = seed::seed(&mut rng, *seed_members);
        let paystubs = Paystubs::new(seed, &seeded.members);
        let payrolls = seed::payrolls(&mut rng, &seeded.members, &paystubs);
        let (policies, requests) = seed::time_off(&mut rng, &seeded.members);
        let mut state = Self {
            apps: seeded.apps,
            auto_approve: false,
            codes: BTreeMap::new(),
            access_tokens: BTreeMap::new(),
            refresh_tokens: BTreeMap::new(),
            company: seeded.company,
            members: seeded.members,
            deduction_types: seeded.deduction_types,
            deductions: Vec::new(),
            payrolls,
            paystubs,
            member_pages: Memo::default(),
            policies,
            requests,
            reports: Vec::new(),
            balance_report_seconds: 3,
            seed_members: *seed_members,
            ids: rng_for(seed, "justworks/ids"),
            webhooks: super::webhooks::Webhooks::new(seed),
        };
        // A long-lived token with every scope, for quick starts (identity `all_scopes`).
        let client = state.apps.first().map(|a| a.client_id.clone()).unwrap_or_default();
        let token = format!("jw_at_{}", hex_string(&mut rng, 32));
        let far = crate::common::rng::seed_epoch() + Duration::days(3650);
        let scope = super::scopes::ALL.join(" ");
        state
            .access_tokens
            .insert(token, Token { client_id: client, scope, expires_at: far, revoked: false, grant: "seed".into() });
        state
    }

    fn config(&self) -> usize {
        self.seed_members
    }
}

impl VendorState for State {
    const SNAPSHOT: Snapshot<Self> = Snapshot {
        export: Self::snapshot,
        export_bytes: Self::snapshot_bytes,
        check: Self::check,
        restore: Self::restore,
    };

    fn counts(&self) -> Value {
        json!({
            "apps": self.apps.len(),
            "members": self.members.len(),
            "deductions": self.deductions.len(),
            "payrolls": self.payrolls.len(),
            "paystubs": self.paystubs.per_payroll() * self.payrolls.len(),
            "time_off_requests": self.requests.len(),
            "access_tokens": self.access_tokens.len(),
        })
    }

    fn view(&self) -> Value {
        let all = super::scopes::Granted::from_list(&super::scopes::ALL.join(" "));
        let members: Vec<Value> = self
            .members
            .iter()
            .map(|m| {
                let mut view = super::views::member(m, &self.company.id, &all);
                view["legacy_id"] = json!(m.legacy_id);
                view
            })
            .collect();
        let mut company =
            super::views::company(&self.company, &super::scopes::Granted::from_list("company.detail:read"));
        company["legacy_id"] = json!(self.company.legacy_id);
        json!({
            "apps": self.apps,
            "auto_approve": self.auto_approve,
            "codes": self.codes,
            "access_tokens": self.access_tokens,
            "refresh_tokens": self.refresh_tokens,
            "company": company,
            "members": members,
            "deductions": self.deductions,
            "payrolls": self.payrolls,
            "policies": self.policies,
            "time_off_requests": self.requests,
            "balance_reports": self.reports,
            "webhooks": self.webhooks.admin_view(),
        })
    }

    fn credentials(&self) -> Value {
        let all = self
            .access_tokens
            .iter()
            .find(|(_, t)| t.grant == "seed")
            .map(|(token, _)| token.clone())
            .unwrap_or_default();
        let app = self.apps.first();
        json!({
            "app": app.map(|a| json!({
                "client_id": a.client_id, "client_secret": a.client_secret,
                "redirect_uri": a.redirect_uris.first(), "scopes": a.scopes.join(" "),
                "authorization": format!("Basic {}", a.basic_pair()),
            })),
            "all_scopes": {"authorization": format!("Bearer {all}"), "access_token": all, "scope": super::scopes::ALL.join(" ")},
            // The legacy UUIDs the canonical-id lookups take, with the ids they answer.
            "legacy": {
                "company": {"legacy_id": self.company.legacy_id, "id": self.company.id},
                "member": self.members.first().map(|m| json!({"legacy_id": m.legacy_id, "id": m.id})),
            },
        })
    }

    fn settings_view(&self) -> Value {
        json!(self.settings())
    }

    fn apply_workforce(&mut self, projection: &crate::workforce::Projection) -> Option<VendorRecord> {
        self.project(projection)
    }

    fn workforce_roster(&self) -> Vec<crate::workforce::Rostered> {
        self.roster()
    }

    fn next_delivery(&self, until: DateTime<Utc>) -> Option<crate::outbound::Due> {
        self.webhook_delivery(until)
    }

    fn settle_delivery(&mut self, seq: u64, result: &crate::outbound::OutboundResult, at: DateTime<Utc>) {
        self.settle_webhook(seq, result, at);
    }

    fn update_settings(store: &JustworksStore, patch: &Value, _: &ThisServer) -> Result<Value, ApiError> {
        let (current, apps) = {
            let state = store.read();
            (state.settings(), state.apps.iter().map(|a| a.client_id.clone()).collect::<Vec<_>>())
        };
        let next = vendor_settings::patched(&current, patch, &apps)?;
        // A new count takes effect at once: the data is seeded again.
        store.reseed(&next.seed_members);
        store.write().apply_settings(&next);
        Ok(json!(store.read().settings()))
    }
}
