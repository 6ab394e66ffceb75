//! Clippy warns about the `return` below (`needless_return`); the test build's settings make
//! every warning an error, so building this crate with them must fail.

pub fn answer() -> u32 {
    return 42;
}
