//! The workforce's records: a person (the stable identity every vendor's record is projected
//! from), the settings that drive churn, and the event log.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether a person works here now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Employed (a scheduled termination leaves a person active until its date).
    Active,
    /// Gone.
    Terminated,
}

/// A vendor's record of a person: its id as the vendor minted it, and where the vendor keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorRecord {
    /// The vendor's own id of the record.
    pub id: String,
    /// Where the vendor keeps it (a position hint: O(1) on a vendor whose records only grow).
    #[serde(default)]
    pub slot: usize,
}

/// One person of the workforce.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Person {
    /// `person_000001`, numbered in hiring order from 1 (its place in the list).
    pub id: String,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Private email.
    pub personal_email: String,
    /// Company email.
    pub work_email: String,
    /// First day of the current employment.
    pub start_date: NaiveDate,
    /// Department name.
    pub department: String,
    /// Job title.
    pub title: String,
    /// The manager's person id.
    pub manager: Option<String>,
    /// Office or `Remote`.
    pub location: String,
    /// `full_time`, `part_time` or `contractor`.
    pub employment_type: String,
    /// Active or terminated.
    pub status: Status,
    /// Last day: in the future while a termination is scheduled, in the past once it happened.
    pub termination_date: Option<NaiveDate>,
    /// Its record in each vendor it appears in, by vendor id.
    pub records: BTreeMap<String, VendorRecord>,
}

impl Person {
    /// `Given Family`.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// The settings of `GET`/`PATCH /__admin/workforce`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Hires per month per 100 active people.
    pub hires_per_month: f64,
    /// Field changes per month per 100 active people.
    pub changes_per_month: f64,
    /// Terminations (scheduled) per month per 100 active people.
    pub terminations_per_month: f64,
    /// Rehires per month per 100 active people (of people who left).
    pub rehires_per_month: f64,
    /// Whether a hire appears in every taking-part vendor (the same person everywhere).
    pub shared: bool,
    /// The vendors taking part; `None`: every vendor served.
    pub vendors: Option<Vec<String>>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            hires_per_month: 0.0,
            changes_per_month: 0.0,
            terminations_per_month: 0.0,
            rehires_per_month: 0.0,
            shared: false,
            vendors: None,
        }
    }
}

impl Settings {
    /// Whether time moves anything on its own.
    pub fn churns(&self) -> bool {
        self.hires_per_month > 0.0
            || self.changes_per_month > 0.0
            || self.terminations_per_month > 0.0
            || self.rehires_per_month > 0.0
    }
}

/// What happened to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Joined.
    Hire,
    /// One field changed.
    Change,
    /// A termination was scheduled for `effective_date`.
    TerminationScheduled,
    /// A scheduled termination was called off.
    TerminationCanceled,
    /// Left (the scheduled date came).
    Termination,
    /// Came back.
    Rehire,
}

/// Who asked for an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Drawn from the seed as the clock moved.
    Generated,
    /// `POST /__admin/workforce/events`.
    Manual,
    /// A client's own write through a vendor's API (with `shared`).
    Client,
}

/// A vendor record an event touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Touched {
    /// Vendor id.
    pub vendor: String,
    /// The vendor's id of the record.
    pub id: String,
}

/// One entry of the event log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    /// Place in the log, from 1.
    pub seq: u64,
    /// Sandbox time it happened.
    pub at: DateTime<Utc>,
    /// What happened.
    pub kind: Kind,
    /// Who asked.
    pub origin: Origin,
    /// The person's id.
    pub person: String,
    /// The field changed (`change`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Its value before (`change`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Its value after (`change`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The date it takes effect (a termination's last day, a hire's start).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_date: Option<NaiveDate>,
    /// The vendor records it changed or created.
    pub records: Vec<Touched>,
}

/// A change of one field, as an event or a request asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// `department`, `title`, `location`, `manager`, `employment_type`, `given_name` or `family_name`.
    pub field: String,
    /// The new value (a person id for `manager`, or null for none).
    pub value: Option<String>,
}

/// An event waiting for its time: a scheduled termination, or a request dated in the future.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    /// When it happens.
    pub at: DateTime<Utc>,
    /// Order among events of the same time.
    pub seq: u64,
    /// What happens.
    pub action: Action,
    /// Who asked.
    pub origin: Origin,
}

/// What a pending event or a request does.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// A new person (the fields given; the rest drawn from the seed).
    Hire {
        /// Fields given by the request.
        #[serde(default)]
        fields: BTreeMap<String, String>,
    },
    /// One field of a person.
    Change {
        /// Who.
        person: String,
        /// What.
        change: FieldChange,
    },
    /// Schedule a termination: the person leaves at the end of `last_day`.
    ScheduleTermination {
        /// Who.
        person: String,
        /// Last day of work.
        last_day: NaiveDate,
    },
    /// Call off a scheduled termination.
    CancelTermination {
        /// Who.
        person: String,
    },
    /// The scheduled day came: the person leaves.
    Terminate {
        /// Who.
        person: String,
    },
    /// Someone who left comes back.
    Rehire {
        /// Who.
        person: String,
    },
}
