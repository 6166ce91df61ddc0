//! The county dashboard's API, `/api/v1/admin/*` (`docs/county-api.md`): one module per
//! resource, each handler an adapter that reads the query or body field by field
//! ([`input`]), checks the session ([`auth`]), calls one storage or report function and
//! serialises its answer. Reading needs a live session; changing needs role `admin` and the
//! header `X-Patrol-Dashboard: 1`.

mod audit;
pub mod auth;
mod basemap;
mod config;
mod devices;
mod download;
mod entries;
pub mod input;
mod map;
mod overview;
mod photos;
mod pin_resets;
mod posts;
mod reports;
mod review;
mod session;
mod statistics;

/// The answers' shapes (the storage's own answers are in `storage::dashboard`), which
/// `crates/ui-types` renders as the dashboard's TypeScript.
pub use audit::AuditPageAnswer;
pub use config::DashboardConfig;
pub use entries::EntryDetailAnswer;
pub use photos::EntryPhoto;
pub use pin_resets::PinResetAnswer;
pub use posts::{EnrolmentCodeAnswer, PostListItem};
pub use session::SessionAnswer;

use super::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What the dashboard's handlers know about how the server was started.
#[derive(Debug, Clone, Default)]
pub struct DashboardSettings {
    /// The session cookie is `Secure` when the server speaks HTTPS itself.
    pub served_over_tls: bool,
    /// `serve --public-url`: the URL devices enrol with, instead of the one the admin used.
    pub public_url: Option<String>,
    /// `serve --map-tile-url`: a tile URL template for the map.
    pub map_tile_url: Option<String>,
    /// `serve --plain-http-behind-proxy`: clients are named by `X-Forwarded-For`.
    pub behind_proxy: bool,
}

/// Every `/api/v1/admin` route, with its OpenAPI description.
pub fn admin_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(session::log_in, session::current, session::log_out))
        .routes(routes!(overview::overview))
        .routes(routes!(entries::list_entries))
        .routes(routes!(entries::export_entries))
        .routes(routes!(entries::entry_detail))
        .routes(routes!(review::review_entry))
        .routes(routes!(review::review_entries))
        .routes(routes!(photos::photo))
        .routes(routes!(map::map))
        .routes(routes!(basemap::basemap_status))
        .routes(routes!(basemap::basemap_archive))
        .routes(routes!(statistics::statistics))
        .routes(routes!(reports::annual_report))
        .routes(routes!(config::config))
        .routes(routes!(posts::list_posts, posts::create_post))
        .routes(routes!(posts::create_enrolment_code))
        .routes(routes!(pin_resets::reset_member_pin))
        .routes(routes!(devices::revoke_device))
        .routes(routes!(devices::wipe_device))
        .routes(routes!(audit::audit_log))
}
