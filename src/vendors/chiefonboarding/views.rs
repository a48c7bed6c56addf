//! ChiefOnboarding's records as its API shows them: the serializers' output, which the handlers
//! write and the OpenAPI document derives its schemas from.

use super::model::User;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

/// `GET /api/employees/` item.
#[derive(Serialize, JsonSchema)]
pub struct EmployeeView<'a> {
    /// Primary key.
    pub id: u64,
    /// First name.
    pub first_name: &'a str,
    /// Last name.
    pub last_name: &'a str,
    /// Email.
    pub email: &'a str,
}

/// `GET /api/sequences/` item.
#[derive(Serialize, JsonSchema)]
pub struct SequenceView<'a> {
    /// Primary key.
    pub id: u64,
    /// Name.
    pub name: &'a str,
}

/// The `201` body of `POST /api/users/`: the serializer's fields minus `sequences`, no `id`.
#[derive(Serialize, JsonSchema)]
pub struct CreatedUserView<'a> {
    /// First name.
    pub first_name: &'a str,
    /// Last name.
    pub last_name: &'a str,
    /// Date or null.
    pub start_day: Option<NaiveDate>,
    /// Role.
    pub role: u8,
    /// Lower-cased email.
    pub email: &'a str,
    /// Position.
    pub position: &'a str,
    /// Phone.
    pub phone: &'a str,
    /// Buddy id.
    pub buddy: Option<u64>,
    /// Manager id.
    pub manager: Option<u64>,
    /// Message.
    pub message: &'a str,
    /// LinkedIn.
    pub linkedin: &'a str,
    /// Facebook.
    pub facebook: &'a str,
    /// Twitter.
    pub twitter: &'a str,
    /// Timezone.
    pub timezone: &'a str,
    /// Language.
    pub language: &'a str,
}

impl<'a> From<&'a User> for CreatedUserView<'a> {
    fn from(u: &'a User) -> Self {
        Self {
            first_name: &u.first_name,
            last_name: &u.last_name,
            start_day: u.start_day,
            role: u.role,
            email: &u.email,
            position: &u.position,
            phone: &u.phone,
            buddy: u.buddy,
            manager: u.manager,
            message: &u.message,
            linkedin: &u.linkedin,
            facebook: &u.facebook,
            twitter: &u.twitter,
            timezone: &u.timezone,
            language: &u.language,
        }
    }
}
