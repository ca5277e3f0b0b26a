//! Cross-outlet claim alignment and outcomes: PROVISIONAL stub.
