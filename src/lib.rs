//! factdiff — a change-tracking news monitor.
//!
//! ```text
//!  schedule ─> sources ─> fetch ─> extract ─> store ─> diff ─> (claims ─> compare) ─> notify
//!                                          review: cli and web (UI, API, feeds) read the store
//! ```
//! Pure stages (`extract`, `diff`, `config` validation, schedule policy) take all inputs as
//! arguments and do no I/O; I/O lives in `fetch`, `store`, `notify`, `sources` and `daemon`.

pub mod claims;
pub mod cli;
pub mod compare;
pub mod config;
pub mod daemon;
pub mod diff;
pub mod events;
pub mod extract;
pub mod fetch;
pub mod notify;
pub mod observe;
pub mod reprocess;
pub mod schedule;
pub mod sources;
pub mod store;
pub mod stories;
/// Review in the browser: pages, JSON API, Atom feeds (`factdiff serve`, `[web]`).
pub mod web;
