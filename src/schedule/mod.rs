//! schedule: when each tracked article is checked again (pure policy; the state lives in the
//! store so a restart continues where it stopped).

pub mod policy;

pub use policy::{CheckResult, next_check};
