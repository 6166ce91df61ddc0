//! One module per command group; each opens the store, calls one thing, prints the result.

pub mod edit;
pub mod list;
pub mod map;
pub mod member;
pub mod record;
pub mod show;
pub mod stats;
pub mod sync;
pub mod track;
