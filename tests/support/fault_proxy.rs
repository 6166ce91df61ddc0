//! The fault proxy lives in `crates/fault-proxy`, shared with the sync benchmark.

// Not every test binary that includes `support` uses the proxy.
#[allow(unused_imports)]
pub use ::fault_proxy::*;
