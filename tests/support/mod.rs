//! Helpers for the web tests; use with `mod common; mod support;`.
#![allow(dead_code)]

pub mod store;
pub mod webdriver;
