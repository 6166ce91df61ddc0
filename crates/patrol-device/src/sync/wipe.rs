//! The county's order to wipe this device (the 401 `wipe_ordered`), carried out: the store and
//! photos deleted ([`crate::store::wipe`]), then the report of what was still unsent sent
//! with the old token. A report the link loses is sent again by the next sync (or enrolment).

use super::client::SyncClient;
use super::engine::lock;
use super::transport::check_transport;
use crate::error::DeviceError;
use crate::store::wipe::{mark_wipe_reported, read_wipe_notice};
use crate::store::DeviceStore;
use std::path::Path;
use std::sync::Mutex;

/// Wipes the store behind `store` (which becomes a fresh, unenrolled store), reports the wipe
/// to the county, and returns [`DeviceError::Wiped`] with what was unsent: the sync's outcome.
pub(crate) async fn carry_out_wipe(
    store: &Mutex<DeviceStore>,
    client: Option<&SyncClient>,
) -> DeviceError {
    let (notice, data_dir) = {
        let mut store = lock(store);
        match store.wipe_on_county_order() {
            Ok(notice) => (notice, store.data_dir().to_path_buf()),
            Err(error) => return error,
        }
    };
    report_pending_wipe(&data_dir, client).await;
    DeviceError::Wiped {
        unsent: notice.unsent,
    }
}

/// Sends the report of a wipe not yet reported, if there is one, over the same transport
/// rule as the sync ([`check_transport`], with the setting the wiped store had); failures are
/// left for the next try (the notice keeps the old token until the county has the report).
pub async fn report_pending_wipe(data_dir: &Path, kept_client: Option<&SyncClient>) {
    let Ok(Some(notice)) = read_wipe_notice(data_dir) else {
        return;
    };
    if notice.reported || notice.device_token.is_empty() {
        return;
    }
    if check_transport(&notice.server_url, notice.allow_insecure_http).is_err() {
        return;
    }
    let client = match kept_client {
        Some(client) if client.base_url() == notice.server_url => client.clone(),
        _ => match SyncClient::new(&notice.server_url) {
            Ok(client) => client,
            Err(_) => return,
        },
    };
    match client
        .report_wipe(&notice.device_token, &notice.unsent)
        .await
    {
        // Kept; or refused for good (the county does not want it): either way, done.
        Ok(()) | Err(DeviceError::Refused { .. }) => {
            if let Err(error) = mark_wipe_reported(data_dir) {
                eprintln!("patrol: the wipe report was sent but not noted: {error}");
            }
        }
        Err(_) => {}
    }
}
