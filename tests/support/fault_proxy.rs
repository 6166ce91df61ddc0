//! The fault proxy lives in `crates/fault-proxy`, shared with the sync benchmark.

pub use ::fault_proxy::*;
