//! `patrol-model` owns what a Patrol Log entry *is*: the common envelope, the typed body of each
//! kind (patrol, hazard, repair, incident, outreach, activity), the county's review, quantities with
//! units, times in UTC with the device's offset, WGS-84 locations (and the GCJ-02 / BD-09 datums
//! of Chinese web maps converted to them), the packed GPS track, and the
//! validation that turns a member's JSON into an entry or into every problem at once, each naming
//! its field in Simplified Chinese and English.
//!
//! It does no IO: no files, no database, no network, no clock (callers pass "now"). The device
//! store, the county server and the app all speak these types.

pub mod body;
pub mod datum;
pub mod entry;
pub mod error;
pub mod ids;
pub mod input;
pub mod location;
pub mod sync;
pub mod time;
pub mod track;
pub mod units;
pub mod validation;

pub use body::{
    ActivityBody, ActivityType, CrimeType, DomainCode, EntryBody, HazardBody, HazardCategory,
    HazardSeverity, IncidentBody, OutreachBody, PartnerUnit, PatrolBody, PatrolPartner, RepairBody,
    RepairCategory,
};
pub use datum::CoordinateDatum;
pub use entry::{
    Entry, EntryDraft, EntryKind, EntryStatus, PhotoAttachment, PhotoRole, Review, ReviewDecision,
};
pub use error::ModelError;
pub use ids::{DeviceId, EntryId, PhotoHash, PostId};
pub use input::{parse_entry_body, parse_entry_draft, MAX_ENTRY_JSON_BYTES};
pub use location::{CompassPoint, Location};
pub use time::LocalTime;
pub use track::{
    track_distance_m, track_point_qualities, PackedTrack, TrackPoint, TrackPointQuality,
    IMPOSSIBLE_SPEED_M_PER_S, POOR_FIX_ACCURACY_M,
};
pub use units::{Quantity, Unit};
pub use validation::{ValidationProblem, ValidationReport};
