//! `county-server demo`: fills an empty county database with a realistic made-up year (or
//! years) of border posts' field logs, through the real sync API, as the posts' devices would
//! have sent it. For 2024 with Funing's twelve posts the year-end report it gives is exactly the
//! county's own (`seed-funing-2024.txt`): 330 joint patrols, 680 outreach sessions with 40,000
//! people, 3 incidents with 5 persons, 7.2 km of road, 45 landslides, 14 water sources,
//! 16 power circuits and 200 m of fence repaired, 1 training, 4 joint meetings, 4 quarterly
//! meetings, 3 drills, 6 party days and 20 clean-ups; other years are similar.
//!
//! The generator ([`county`], [`figures`], [`plan`], [`post_year`], [`routine`], [`track`],
//! [`texts`], [`device_log`], [`generate`]) makes device outboxes and knows nothing of HTTP;
//! [`run`] starts the server in-process, enrols the devices and sends the outboxes
//! ([`sender`]). Deterministic for one `--seed` (its own PRNG, [`random`]); only the server's
//! post ids, enrolment codes and tokens differ from run to run. No photos are made.

pub mod county;
pub mod device_log;
pub mod figures;
pub mod generate;
pub mod life;
pub mod plan;
pub mod post_year;
pub mod random;
pub mod routine;
pub mod run;
pub mod sender;
pub mod texts;
pub mod track;

pub use figures::YearFigures;
pub use run::{fill_demo_county, DemoOptions, DemoSummary, InProcessServer};

/// Why the demo could not fill the database.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "the database already holds {posts} post(s): demo only fills an empty database, so that \
         made-up entries never mix with a county's real records (give a new --database)"
    )]
    NotEmpty { posts: usize },
    #[error("{0}")]
    BadOptions(String),
    #[error(transparent)]
    Storage(#[from] crate::StorageError),
    #[error("the in-process server: {0}")]
    Server(#[from] crate::ServerError),
    #[error("HTTP: {0}")]
    Http(String),
    #[error("{path} refused the demo ({status}): {body}")]
    Refused {
        path: String,
        status: u16,
        body: String,
    },
    #[error("the server rejected record {seq} of {device}: {problems}")]
    Rejected {
        device: String,
        seq: u64,
        problems: String,
    },
    #[error("sync protocol: {0}")]
    Protocol(String),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("a demo task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("making an enrolment code: {0}")]
    Secret(#[from] crate::secrets::SecretError),
}
