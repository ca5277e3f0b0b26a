//! compare (pure): claims of one version against another ([`facts`]: `fact.changed` items);
//! across outlets comes later (stories, aligned claims, conflicts).

pub mod facts;

pub use facts::{FactChange, FactSide, Label, fact_changes};
