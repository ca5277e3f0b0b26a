//! factdiff — a change-tracking news monitor.
//!
//! ```text
//!  schedule ─> sources ─> fetch ─> extract ─> store ─> diff ─> (claims ─> compare) ─> notify
//!                                          review: cli reads the store
//! ```
//! Pure stages (`extract`, `diff`, `config` validation, schedule policy) take all inputs as
//! arguments and do no I/O; I/O lives in `fetch`, `store`, `notify`, `sources` and `daemon`.

pub mod config;
pub mod extract;
pub mod events;
pub mod store;
pub mod notify;
pub mod diff;
pub mod fetch;
pub mod observe;
pub mod sources;
pub mod daemon;
pub mod cli;
