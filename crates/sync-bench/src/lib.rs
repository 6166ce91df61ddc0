//! `sync-bench` owns the sync benchmark command (`patrol-sync-bench`, `src/main.rs`) and the
//! made-up but lived-in field data it and the system tests sync: a year's log of short entries
//! (`log`), weeks of one post with real-length patrol tracks and camera photos (`field_log`),
//! and noisy photos (`photos`). It owns no sync logic: the device side is `patrol-device`'s,
//! the server side `county-server`'s, the link `fault-proxy`'s.

pub mod field_log;
pub mod log;
pub mod photos;
