//! Web-framework behaviour written once for every vendor built on that framework: Django REST
//! Framework (Joinup, ChiefOnboarding) and Spring Boot (Directory, Orquest). A vendor on one of
//! these uses its family instead of re-writing the framework's rules.

pub mod drf;
pub mod spring;
