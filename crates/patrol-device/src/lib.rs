//! `patrol-device` owns what a phone or post PC does with its entries, without any window: the
//! local SQLite store (WAL, `synchronous=FULL`, migrations from `migrations/device/` applied on
//! open), every version of every entry, the outbox that each change appends to in the same
//! transaction, list/search/statistics queries, the GPS track recorder, and photos: the camera
//! original kept on the device (pruned after a while) and a send version sized for the link
//! (long edge ≤ 1600 px, JPEG, upright), stored once by SHA-256 with a thumbnail.
//!
//! It also keeps who holds a shared phone: the post's members with their PINs (argon2id) and
//! the wrong-PIN back-off in the store, and the unlocked member's session in memory
//! (`session.rs`), whose name the app puts on every entry recorded meanwhile.
//!
//! It also owns the device side of the sync protocol (`sync/`): enrolment, draining the outbox in
//! compressed batches, pulling the post's changes, resumable photo upload, backoff.
//!
//! It also keeps the county basemap (`basemap/`): downloaded after the sync in chunks sized to
//! the link, resumed after a cut, never two versions mixed, or imported from a file by hand.
//!
//! It leaves out the window (the Tauri shell in `src-tauri/` adapts it) and the command line
//! (`patrol-cli`), and serves no HTTP.

pub mod basemap;
pub mod error;
pub mod migrations;
pub mod session;
pub mod store;
pub mod sync;

pub use error::DeviceError;
pub use session::{MemberSession, UnlockedMember};
pub use store::app_settings::{
    AppSettings, Language, DEFAULT_IDLE_LOCK_MINUTES, IDLE_LOCK_CHOICES,
};
pub use store::at_rest::KeyStorage;
pub use store::display_settings::{DisplaySettings, TextSize};
pub use store::entry_list::{EntryListQuery, EntryPage, EntrySummary};
pub use store::history::EntryVersion;
pub use store::home_summary::HomeSummary;
pub use store::members::Member;
pub use store::month_summary::{
    AgedHazard, KindCount, MemberMonth, MonthCategory, MonthSummary, OpenHazardAges,
};
pub use store::open_hazards::HazardChoice;
pub use store::outbox::OutboxRecord;
pub use store::photos::{
    CameraMetadata, CaptureTime, PhotoMediaType, PhotoOriginal, PreparedPhoto, PrunedOriginals,
    StoredPhoto, MAX_PHOTO_BYTES, ORIGINAL_KEEP_DAYS, SEND_LONG_EDGE,
};
pub use store::send_state::{EntrySendState, SendState};
pub use store::statistics::{PostStatistics, StatisticsQuery, StatisticsRow};
pub use store::sync_state::{AppliedSync, Enrolment, RejectedRecord, SyncStatus};
pub use store::tracks::TrackSummary;
pub use store::wipe::{WipeNotice, WipeSummary, WIPE_NOTICE_FILE_NAME};
pub use store::DeviceStore;
pub use store::{local_now, CURRENT_MEMBER_SETTING};

/// The file name of the store inside the data directory.
pub const STORE_FILE_NAME: &str = "patrol.sqlite3";
/// The folder of photo files inside the data directory.
pub const PHOTOS_DIR_NAME: &str = "photos";
/// The store's key file, when no platform keystore keeps the key.
pub const KEY_FILE_NAME: &str = "store.key";
