//! compare (pure): claims of one version against another ([`facts`]: `fact.changed` items);
//! across outlets: articles grouped into [`stories`], their claims aligned and judged
//! ([`conflicts`]).

pub mod conflicts;
pub mod facts;
pub mod frames;
pub mod stories;
pub mod version;

pub use facts::{FactChange, FactSide, Label, fact_changes};
pub use version::{VersionChange, version_change, version_change_with};
