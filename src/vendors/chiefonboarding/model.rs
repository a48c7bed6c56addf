//! ChiefOnboarding's records, with the field names of its Django models.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// `users.models.User.Role`.
pub mod role {
    /// 0: new hire.
    pub const NEW_HIRE: u8 = 0;
    /// 1: administrator (the only role the API admits).
    pub const ADMIN: u8 = 1;
    /// 2: manager.
    pub const MANAGER: u8 = 2;
    /// 3: other (the model default).
    pub const OTHER: u8 = 3;
}

/// `Sequence.Category`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 0: onboarding.
    Onboarding,
    /// 1: offboarding.
    Offboarding,
}

/// The organization singleton: defaults for new users.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Organization {
    /// Display name.
    pub name: String,
    /// One of pytz's common timezones.
    pub timezone: String,
    /// One of the nine LANGUAGES codes.
    pub language: String,
}

/// A user of any role.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct User {
    /// Primary key.
    pub id: u64,
    /// Max 200.
    pub first_name: String,
    /// Max 200.
    pub last_name: String,
    /// Stored lower-cased; unique.
    pub email: String,
    /// See [`role`].
    pub role: u8,
    /// First working day; only set by default for new hires.
    pub start_day: Option<NaiveDate>,
    /// Job title.
    pub position: String,
    /// Phone number.
    pub phone: String,
    /// Buddy user id.
    pub buddy: Option<u64>,
    /// Manager user id.
    pub manager: Option<u64>,
    /// Welcome message.
    pub message: String,
    /// LinkedIn handle or URL.
    pub linkedin: String,
    /// Facebook handle or URL.
    pub facebook: String,
    /// Twitter handle or URL.
    pub twitter: String,
    /// pytz common timezone.
    pub timezone: String,
    /// Language code.
    pub language: String,
    /// Inactive users' tokens get 401 "User inactive or deleted.".
    pub is_active: bool,
    /// Set by `POST /api/offboarding/`.
    pub termination_date: Option<NaiveDate>,
    /// Onboarding sequences assigned at creation (new hires only).
    pub sequences: Vec<u64>,
    /// Offboarding sequences assigned by `POST /api/offboarding/`.
    pub offboarding_sequences: Vec<u64>,
}

impl User {
    /// A user with its names, email, role and locale, every other field empty: active, in no
    /// sequence, with no start day; its id is given when it is stored.
    pub fn blank(
        first_name: String,
        last_name: String,
        email: String,
        role: u8,
        timezone: String,
        language: String,
    ) -> Self {
        Self {
            id: 0,
            first_name,
            last_name,
            email,
            role,
            start_day: None,
            position: String::new(),
            phone: String::new(),
            buddy: None,
            manager: None,
            message: String::new(),
            linkedin: String::new(),
            facebook: String::new(),
            twitter: String::new(),
            timezone,
            language,
            is_active: true,
            termination_date: None,
            sequences: Vec::new(),
            offboarding_sequences: Vec::new(),
        }
    }
}

/// An onboarding or offboarding sequence.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sequence {
    /// Primary key.
    pub id: u64,
    /// Max 240.
    pub name: String,
    /// Not exposed by the API, but decides what offboarding accepts.
    pub category: Category,
}
