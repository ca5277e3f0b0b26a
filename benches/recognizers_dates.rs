//! Recogniser evaluation against recognizers-text (dates): PROVISIONAL stub.
fn main() {}
