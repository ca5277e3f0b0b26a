//! Stories across outlets: PROVISIONAL stub, replaced by the story clustering.
