//! Spring Boot behaviour shared by the vendors that are Java services (Orquest, the Peoplelogic
//! Directory): the default error body and `@RequestBody` JSON reading.

mod body;
mod error;

pub use body::{json_body, parse_json, require_json};
pub use error::{render, schema as error_schema};
