//! The seeded start state: the fixture (organization, sequences, identity users) plus generated
//! users, all drawn from the vendor's RNG so a seed always gives the same bytes.

use super::model::{Category, Organization, Sequence, User, role};
use crate::common::rng::{SandboxRng, hex_string, rng_for, seed_epoch};
use chrono::{Days, NaiveDate};
use fake::Fake;
use fake::faker::job::en::Title;
use fake::faker::name::en::{FirstName, LastName};
use fake::faker::phone_number::en::PhoneNumber;
use rand::RngExt;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

const FIXTURE: &str = include_str!("../../../fixtures/chiefonboarding/start.json");
const LANGUAGES: &[&str] = &["en", "nl", "fr", "de", "tr", "pt", "jp", "es", "cs"];
const TIMEZONES: &[&str] = &["Europe/Amsterdam", "Europe/Madrid", "America/New_York", "UTC", "Europe/London"];

/// The compiled-in fixture; a test parses it, so a broken one fails the build's tests, not a request.
static FIXTURE_DATA: LazyLock<Fixture> =
    LazyLock::new(|| serde_json::from_str(FIXTURE).unwrap_or_else(|e| panic!("bad chiefonboarding fixture: {e}")));

#[derive(Deserialize)]
struct Fixture {
    organization: Organization,
    email_domain: String,
    sequences: Vec<SequenceFixture>,
    users: Vec<UserFixture>,
}

#[derive(Deserialize)]
struct SequenceFixture {
    id: u64,
    name: String,
    category: String,
}

#[derive(Deserialize)]
struct UserFixture {
    identity: String,
    first_name: String,
    last_name: String,
    role: u8,
    is_active: bool,
    position: String,
}

/// Everything a seed produces.
pub struct Seeded {
    /// The organization singleton.
    pub organization: Organization,
    /// Users by id.
    pub users: BTreeMap<u64, User>,
    /// Sequences by id.
    pub sequences: BTreeMap<u64, Sequence>,
    /// Token key -> user id.
    pub tokens: BTreeMap<String, u64>,
    /// Credentials identity -> user id.
    pub identities: Vec<(String, u64)>,
}

/// Builds the start state for `seed`.
// Divergence: the Organization row always exists, so the fresh-install 302 to /setup/ never happens.
pub fn seed(seed: u64, count: usize) -> Seeded {
    let fixture = &*FIXTURE_DATA;
    let mut rng = rng_for(seed, "chiefonboarding");
    let mut token_rng = rng_for(seed, "chiefonboarding/tokens");
    let sequences = fixture
        .sequences
        .iter()
        .map(|s| {
            let category = if s.category == "offboarding" { Category::Offboarding } else { Category::Onboarding };
            (s.id, Sequence { id: s.id, name: s.name.clone(), category })
        })
        .collect();
    let mut users = BTreeMap::new();
    let mut tokens = BTreeMap::new();
    let mut identities = Vec::new();
    let org = &fixture.organization;
    for (index, f) in fixture.users.iter().enumerate() {
        let id = index as u64 + 1;
        let mut user = blank_user(id, &f.first_name, &f.last_name, &fixture.email_domain, org, &mut rng);
        user.role = f.role;
        user.is_active = f.is_active;
        user.position = f.position.clone();
        if f.role == role::NEW_HIRE {
            user.start_day = Some(day_offset(&mut rng, 7..60));
            user.manager = Some(2);
            user.buddy = Some(1);
        }
        tokens.insert(hex_string(&mut token_rng, 40), id);
        identities.push((f.identity.clone(), id));
        users.insert(id, user);
    }
    let first_generated = users.len() as u64 + 1;
    let generated = count.saturating_sub(users.len()) as u64;
    // Emails in use, so a repeated name costs a lookup, not a scan of every user.
    let mut emails: HashSet<String> = users.values().map(|u: &User| u.email.clone()).collect();
    for id in first_generated..first_generated + generated {
        let first: String = FirstName().fake_with_rng(&mut rng);
        let last: String = LastName().fake_with_rng(&mut rng);
        let mut user = blank_user(id, &first, &last, &fixture.email_domain, org, &mut rng);
        if !emails.insert(user.email.clone()) {
            // The id makes it unique: no generated address carries digits before the `@`.
            user.email = user.email.replacen('@', &format!("{id}@"), 1);
            emails.insert(user.email.clone());
        }
        user.role = match rng.random_range(0..20) {
            0 => role::ADMIN,
            1..=3 => role::MANAGER,
            4..=6 => role::OTHER,
            _ => role::NEW_HIRE,
        };
        user.position = Title().fake_with_rng(&mut rng);
        user.phone = PhoneNumber().fake_with_rng(&mut rng);
        user.manager = Some(rng.random_range(1..id));
        if user.role == role::NEW_HIRE {
            user.start_day = Some(day_offset(&mut rng, -720..90));
            user.buddy = Some(rng.random_range(1..id));
            user.sequences = vec![1, [2, 3, 5, 6][rng.random_range(0..4)]];
            if rng.random_range(0..10) == 0 {
                user.termination_date = Some(day_offset(&mut rng, -200..-1));
                user.offboarding_sequences = vec![4];
            }
        }
        users.insert(id, user);
    }
    Seeded { organization: fixture.organization.clone(), users, sequences, tokens, identities }
}

fn blank_user(id: u64, first: &str, last: &str, domain: &str, org: &Organization, rng: &mut SandboxRng) -> User {
    let local: String =
        format!("{first}.{last}").to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric() || *c == '.').collect();
    // The draws in this order: the timezone's, then the language's.
    let timezone = if rng.random_range(0..4) == 0 {
        TIMEZONES[rng.random_range(0..TIMEZONES.len())].to_owned()
    } else {
        org.timezone.clone()
    };
    let language = if rng.random_range(0..5) == 0 {
        LANGUAGES[rng.random_range(0..LANGUAGES.len())].to_owned()
    } else {
        org.language.clone()
    };
    let email = format!("{local}@{domain}");
    User { id, ..User::blank(first.to_owned(), last.to_owned(), email, role::OTHER, timezone, language) }
}

fn day_offset(rng: &mut SandboxRng, days: std::ops::Range<i64>) -> NaiveDate {
    let epoch = seed_epoch().date_naive();
    let offset = rng.random_range(days);
    let shifted = if offset >= 0 {
        epoch.checked_add_days(Days::new(offset.unsigned_abs()))
    } else {
        epoch.checked_sub_days(Days::new(offset.unsigned_abs()))
    };
    shifted.unwrap_or(epoch)
}
