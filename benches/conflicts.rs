//! conflicts benchmark: PROVISIONAL stub.
fn main() {}
