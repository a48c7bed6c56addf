//! The Directory's state in one sandbox, behind one lock: organizations, accounts, employees,
//! groups, memberships, API keys, and the secret organization tokens are signed with.

use super::model::{Account, Claims, Employee, Group, Membership, Organization};
use super::seed;
use super::settings::Settings;
use crate::common::clock;
use crate::common::error::{ApiError, ErrorKind};
use crate::common::rng::{SandboxRng, hex_string, rng_for};
use crate::common::seeded::{Seeded, SeededState};
use crate::common::vendor_settings;
use crate::outbound::ThisServer;
use crate::vendor::{ActionOutcome, AdminActions, Snapshot, VendorState};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Map, Value, json};

/// Employees seeded in the first organization by default (a tenth of that in the other).
pub const SEED_EMPLOYEES: usize = 240;

/// A live API key.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Key {
    /// The bearer secret.
    pub secret: String,
    /// Its organization.
    pub org: String,
    /// Its id.
    pub id: String,
    /// The role it is capped to.
    pub limit_to_role: Option<String>,
}

/// Everything the Directory holds for one sandbox. It serializes whole for snapshots (the
/// employee count aside: a snapshot carries it in the settings).
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// Organizations.
    pub organizations: Vec<Organization>,
    /// Accounts.
    pub accounts: Vec<Account>,
    /// Employees of every organization.
    pub employees: Vec<Employee>,
    /// Groups of every organization.
    pub groups: Vec<Group>,
    /// Memberships.
    pub memberships: Vec<Membership>,
    /// Live API keys (deleting one revokes it).
    pub keys: Vec<Key>,
    /// The HS256 secret of organization tokens.
    pub jwt_secret: String,
    /// Credentials identity -> account id.
    pub identities: Vec<(String, String)>,
    /// Employees seeded in the first organization.
    #[serde(skip)]
    pub seed_employees: usize,
    ids: SandboxRng,
    /// Where each employee's department membership is, for the workforce (rebuilt on a miss).
    #[serde(skip)]
    pub(super) department_slots: std::collections::HashMap<String, usize>,
}

impl State {
    /// A new id for a record created through the API.
    pub fn new_id(&mut self) -> String {
        seed::uuid(&mut self.ids)
    }

    /// A new API key secret.
    pub fn new_secret(&mut self) -> String {
        seed::key_secret(&mut self.ids)
    }

    /// An organization by id.
    pub fn organization(&self, id: &str) -> Option<&Organization> {
        self.organizations.iter().find(|o| o.id == id)
    }

    /// An account by id or email.
    pub fn account(&self, id_or_email: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.id == id_or_email || a.email.eq_ignore_ascii_case(id_or_email))
    }

    fn credential(&self, account: &Account, exp: DateTime<Utc>) -> Option<Value> {
        let grant = account.grants.first()?;
        let token = Claims::mint(&self.jwt_secret, &account.id, &grant.org_id, exp);
        Some(json!({
            "authorization": format!("Bearer {token}"),
            "token": token,
            "account_id": account.id,
            "email": account.email,
            "organization_id": grant.org_id,
            "role": grant.role,
            "employee_id": grant.employee_id,
            "expires_at": exp.to_rfc3339(),
        }))
    }
}

/// Seeded organization tokens expire in 2036.
fn seeded_expiry() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2036, 1, 1, 0, 0, 0).single().unwrap_or_default()
}

/// The store registered in each sandbox.
pub type DirectoryStore = SeededState<State>;

impl Seeded for State {
    type Config = usize;

    fn start_config() -> usize {
        SEED_EMPLOYEES
    }

    fn from_seed(seed: u64, seed_employees: &usize) -> Self {
        let mut rng = rng_for(seed, "directory");
        let seeded = seed::seed(&mut rng, *seed_employees);
        Self {
            organizations: seeded.organizations,
            accounts: seeded.accounts,
            employees: seeded.employees,
            groups: seeded.groups,
            memberships: seeded.memberships,
            keys: seeded
                .key_secrets
                .into_iter()
                .map(|(secret, org, id)| Key { secret, org, id, limit_to_role: None })
                .collect(),
            jwt_secret: hex_string(&mut rng_for(seed, "directory/jwt-secret"), 64),
            identities: seeded.identities,
            seed_employees: *seed_employees,
            ids: rng_for(seed, "directory/new-ids"),
            department_slots: std::collections::HashMap::new(),
        }
    }

    fn config(&self) -> usize {
        self.seed_employees
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
        json!({
            "organizations": self.organizations.len(),
            "accounts": self.accounts.len(),
            "employees": self.employees.len(),
            "groups": self.groups.len(),
            "memberships": self.memberships.len(),
            "keys": self.keys.len(),
        })
    }

    fn view(&self) -> Value {
        let managers: Map<String, Value> = self.employees.iter().map(|e| (e.id.clone(), json!(e.managers))).collect();
        json!({
            "jwt_secret": self.jwt_secret,
            "organizations": self.organizations,
            "accounts": self.accounts,
            "employees": self.employees,
            "managers": managers,
            "groups": self.groups,
            "memberships": self.memberships,
        })
    }

    fn credentials(&self) -> Value {
        let mut identities = Map::new();
        if let Some(key) = self.keys.first() {
            identities.insert(
                "admin_key".into(),
                json!({"authorization": format!("Bearer {}", key.secret), "secret": key.secret, "organization_id": key.org, "key_id": key.id}),
            );
        }
        for (identity, account) in &self.identities {
            if let Some(credential) = self.account(account).and_then(|a| self.credential(a, seeded_expiry())) {
                identities.insert(identity.clone(), credential);
            }
        }
        Value::Object(identities)
    }

    fn settings_view(&self) -> Value {
        json!(Settings { seed_employees: self.seed_employees })
    }

    fn update_settings(store: &DirectoryStore, patch: &Value, _: &ThisServer) -> Result<Value, ApiError> {
        let current = Settings { seed_employees: store.read().seed_employees };
        let next = vendor_settings::patched(&current, patch, &())?;
        // A new count takes effect at once: the data is seeded again.
        store.reseed(&next.seed_employees);
        Ok(store.read().settings_view())
    }
}

impl AdminActions for State {
    /// `tokens` (`{"account", "organization", "expires_in"}`): an organization token for an
    /// account, expiring `expires_in` seconds from the sandbox's now (2036 when omitted).
    fn admin_action(
        store: &DirectoryStore,
        action: &str,
        body: &Value,
        now: DateTime<Utc>,
    ) -> Result<ActionOutcome, ApiError> {
        if action != "tokens" {
            return Err(ApiError::with_message(
                ErrorKind::NotFound,
                format!("directory has no admin action '{action}' (try 'tokens')"),
            ));
        }
        let bad = |message: &str| ApiError::with_message(ErrorKind::BadRequest, message);
        let who = body
            .get("account")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("give \"account\": an account id or email"))?;
        let exp = match body.get("expires_in") {
            None => seeded_expiry(),
            Some(v) => {
                now + v
                    .as_i64()
                    .and_then(clock::span)
                    .ok_or_else(|| bad("\"expires_in\" must be whole seconds, at most ten years either way"))?
            }
        };
        let state = store.read();
        let account = state
            .account(who)
            .ok_or_else(|| ApiError::with_message(ErrorKind::NotFound, format!("no account '{who}'")))?;
        let org = match body.get("organization").and_then(Value::as_str) {
            Some(org) => org.to_owned(),
            None => account.grants.first().map(|g| g.org_id.clone()).ok_or_else(|| bad("the account has no grant"))?,
        };
        if account.role_in(&org).is_none() {
            return Err(bad("the account has no grant in that organization"));
        }
        let token = Claims::mint(&state.jwt_secret, &account.id, &org, exp);
        Ok(ActionOutcome::Done(
            json!({"authorization": format!("Bearer {token}"), "token": token, "account_id": account.id, "organization_id": org, "expires_at": exp.to_rfc3339()}),
        ))
    }
}
