//! Recogniser evaluation against recognizers-text (numbers): PROVISIONAL stub.
fn main() {}
