//! ChiefOnboarding's two serializers (`UserSerializer`, the offboarding one): fields in declared
//! order, every failing field reported at once, nothing written unless all pass.

use super::model::{Category, User, role};
use super::store::State;
use crate::common::error::{ApiError, ErrorKind};
use crate::families::drf::fields::{
    Empty, Errors, Got, Input, char_field, choice_field, date_field, email_field, int_list_field, pk_field,
};
use chrono::NaiveDate;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// `settings.LANGUAGES` codes.
pub const LANGUAGES: &[&str] = &["en", "nl", "fr", "de", "tr", "pt", "jp", "es", "cs"];

/// `pytz.common_timezones` (pytz 2026.6), the choices of `User.timezone`.
static COMMON_TIMEZONES: LazyLock<BTreeSet<&'static str>> =
    LazyLock::new(|| include_str!("../../../fixtures/chiefonboarding/common_timezones.txt").lines().collect());

/// pytz's common timezones, in order.
pub fn common_timezones() -> Vec<&'static str> {
    COMMON_TIMEZONES.iter().copied().collect()
}

/// Whether `name` is one of pytz's common timezones.
pub fn is_common_timezone(name: &str) -> bool {
    COMMON_TIMEZONES.contains(name)
}

/// A validated `POST /api/users/` body, before the view's defaults.
pub struct UserDraft {
    /// The user with every given field; `id` 0, defaults not yet applied.
    pub user: User,
    /// `role` was absent: the view's `validated_data["role"]` raises after validation.
    pub role_missing: bool,
    /// `start_day` was absent (as opposed to given as null).
    pub start_day_missing: bool,
    /// `timezone` was absent: the organization's applies.
    pub timezone_missing: bool,
    /// `language` was absent: the organization's applies.
    pub language_missing: bool,
}

/// The body as the serializer receives it: a JSON object or a form, else DRF's non-field error.
pub fn input_of(data: Value) -> Result<Input, ApiError> {
    match data {
        Value::Object(map) => Ok(Input::Json(map)),
        Value::Null => Err(non_field("No data provided")),
        other => Err(non_field(&format!(
            "Invalid data. Expected a dictionary, but got {}.",
            crate::families::drf::fields::py_type(&other)
        ))),
    }
}

fn non_field(message: &str) -> ApiError {
    ApiError::validation(json!({"non_field_errors": [message]}))
}

/// Characters of a user's `message` kept (refused past it with DRF's max-length message).
pub const MESSAGE_LIMIT: usize = 10_000;

/// `UserSerializer.is_valid()`.
pub fn validate_user(input: &Input, state: &State) -> Result<UserDraft, ApiError> {
    let mut e = Errors::default();
    let text =
        |e: &mut Errors, name: &str, empty: Empty, max: Option<usize>| match char_field(input, e, name, empty, max) {
            Got::Value(v) => v,
            _ => String::new(),
        };
    let user_exists = |id: u64| state.users.contains_key(&id);
    let first_name = text(&mut e, "first_name", Empty::REQUIRED, Some(200));
    let last_name = text(&mut e, "last_name", Empty::REQUIRED, Some(200));
    let start_day = date_field(input, &mut e, "start_day", Empty::NULLABLE);
    let role = choice_field(input, &mut e, "role", Empty::OPTIONAL, |c| matches!(c, "0" | "1" | "2" | "3"));
    let email = email_field(input, &mut e, "email", 200, |email| {
        state.users.values().any(|u| u.email == email).then(|| "user with this Email already exists.".to_owned())
    });
    let position = text(&mut e, "position", Empty::OPTIONAL_BLANK, Some(300));
    let phone = text(&mut e, "phone", Empty::OPTIONAL_BLANK, Some(300));
    let buddy = pk_field(input, &mut e, "buddy", Empty::NULLABLE, user_exists);
    let manager = pk_field(input, &mut e, "manager", Empty::NULLABLE, user_exists);
    // Divergence: `message` is a TextField (no max_length); the sandbox keeps at most MESSAGE_LIMIT.
    let message = text(&mut e, "message", Empty::OPTIONAL_BLANK, Some(MESSAGE_LIMIT));
    let linkedin = text(&mut e, "linkedin", Empty::OPTIONAL_BLANK, Some(100));
    let facebook = text(&mut e, "facebook", Empty::OPTIONAL_BLANK, Some(100));
    let twitter = text(&mut e, "twitter", Empty::OPTIONAL_BLANK, Some(100));
    let timezone = choice_field(input, &mut e, "timezone", Empty::OPTIONAL, is_common_timezone);
    let language = choice_field(input, &mut e, "language", Empty::OPTIONAL, |c| LANGUAGES.contains(&c));
    let sequences = int_list_field(input, &mut e, "sequences");
    if let Got::Value(ids) = &sequences
        && !all_sequences_exist(state, ids, None)
    {
        e.push("sequences", "Not all sequence ids are valid.");
    }
    if let Some(fields) = e.into_value() {
        return Err(ApiError::validation(fields));
    }
    let value_or = |got: Got<Option<u64>>| if let Got::Value(v) = got { v } else { None };
    let user = User {
        id: 0,
        first_name,
        last_name,
        email: if let Got::Value(email) = email { email } else { String::new() },
        role: if let Got::Value(r) = &role { r.parse().unwrap_or(role::OTHER) } else { role::OTHER },
        start_day: if let Got::Value(day) = start_day { day } else { None },
        position,
        phone,
        buddy: value_or(buddy),
        manager: value_or(manager),
        message,
        linkedin,
        facebook,
        twitter,
        timezone: if let Got::Value(tz) = &timezone { tz.clone() } else { String::new() },
        language: if let Got::Value(lang) = &language { lang.clone() } else { String::new() },
        is_active: true,
        termination_date: None,
        sequences: match sequences {
            Got::Value(ids) => ids.into_iter().filter_map(|id| u64::try_from(id).ok()).collect(),
            _ => Vec::new(),
        },
        offboarding_sequences: Vec::new(),
    };
    Ok(UserDraft {
        user,
        role_missing: role == Got::Missing,
        start_day_missing: start_day == Got::Missing,
        timezone_missing: timezone == Got::Missing,
        language_missing: language == Got::Missing,
    })
}

/// `UserView.perform_create`: apply the view's defaults, save, then reproduce its two crashes.
/// `today` is the date in the organization's timezone.
pub fn create_user(state: &mut State, draft: UserDraft, today: NaiveDate) -> Result<User, ApiError> {
    if draft.role_missing {
        // The view reads validated_data["role"] unconditionally: KeyError, 500, nothing saved.
        return Err(ApiError::with_message(ErrorKind::Internal, "KeyError: 'role'"));
    }
    let mut user = draft.user;
    let new_hire = user.role == role::NEW_HIRE;
    if draft.timezone_missing {
        user.timezone = state.organization.timezone.clone();
    }
    if draft.language_missing {
        user.language = state.organization.language.clone();
    }
    if new_hire && draft.start_day_missing {
        user.start_day = Some(today);
    }
    if !new_hire {
        user.sequences.clear();
    }
    let explicit_null_start = new_hire && user.start_day.is_none();
    let saved = state.insert_user(user)?.clone();
    if explicit_null_start {
        // Saved first, then the view compares None with a date: TypeError, 500, user kept.
        return Err(ApiError::with_message(ErrorKind::Internal, "TypeError: '<' not supported"));
    }
    Ok(saved)
}

/// A validated `POST /api/offboarding/` body.
pub struct Offboarding {
    /// The user (never an admin).
    pub user: u64,
    /// Not before today (UTC).
    pub termination_date: NaiveDate,
    /// Offboarding sequence ids.
    pub sequences: Vec<u64>,
}

/// The offboarding serializer. `today` is the UTC date, as `timezone.now().date()` gives.
pub fn validate_offboarding(input: &Input, state: &State, today: NaiveDate) -> Result<Offboarding, ApiError> {
    let mut e = Errors::default();
    let not_admin = |id: u64| state.users.get(&id).is_some_and(|u| u.role != role::ADMIN);
    let user = pk_field(input, &mut e, "user", Empty::REQUIRED, not_admin);
    let date = date_field(input, &mut e, "termination_date", Empty::REQUIRED);
    if let Got::Value(Some(day)) = date
        && day < today
    {
        e.push("termination_date", "You cannot set an offboarding date in the past.");
    }
    let sequences = int_list_field(input, &mut e, "sequences");
    if let Got::Value(ids) = &sequences
        && !all_sequences_exist(state, ids, Some(Category::Offboarding))
    {
        e.push("sequences", "Not all sequence ids are valid.");
    }
    if let Some(fields) = e.into_value() {
        return Err(ApiError::validation(fields));
    }
    match (user, date) {
        (Got::Value(Some(user)), Got::Value(Some(termination_date))) => Ok(Offboarding {
            user,
            termination_date,
            sequences: match sequences {
                Got::Value(ids) => ids.into_iter().filter_map(|id| u64::try_from(id).ok()).collect(),
                _ => Vec::new(),
            },
        }),
        _ => Err(ApiError::validation(json!({"user": ["This field is required."]}))),
    }
}

/// `len(Sequence.objects.filter(id__in=ids)) == len(ids)`: a repeated id fails too.
fn all_sequences_exist(state: &State, ids: &[i64], category: Option<Category>) -> bool {
    let distinct: BTreeSet<&i64> = ids.iter().collect();
    let found = distinct
        .iter()
        .filter(|id| {
            u64::try_from(***id)
                .ok()
                .and_then(|id| state.sequences.get(&id))
                .is_some_and(|s| category.is_none_or(|c| s.category == c))
        })
        .count();
    found == ids.len()
}
