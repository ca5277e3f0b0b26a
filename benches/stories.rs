//! stories benchmark: PROVISIONAL stub.
fn main() {}
