//! Handlers of `county-server` subcommands that grew past a few lines, one module per command;
//! `main.rs` parses the arguments and calls them.

pub mod audit;
pub mod map;
pub mod report;
