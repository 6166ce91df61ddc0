//! The pull step: the post's changes since the device's cursor, a page a request, until the
//! server says none are left. A cut page is asked for again from the same cursor.

use super::engine::{lock, SyncPhase};
use super::run::SyncRun;
use crate::error::DeviceError;
use chrono::Utc;
use patrol_model::sync::{PullRequest, WireSyncRequest, PROTOCOL_VERSION};

pub(super) async fn pull_changes(run: &mut SyncRun<'_>) -> Result<(), DeviceError> {
    run.set_phase(SyncPhase::Pull);
    loop {
        let request = WireSyncRequest::from_records(
            PROTOCOL_VERSION,
            Utc::now(),
            Vec::new(),
            Some(PullRequest {
                cursor: lock(run.store).pull_cursor()?,
                limit: Some(run.options.pull_limit),
            }),
        );
        match run
            .client
            .sync_request(run.token, &request, &run.watch)
            .await
        {
            Ok((response, transfer)) => {
                run.answered(transfer);
                run.apply(&response)?;
                run.pulled = true;
                run.more_changes = response.more_changes && !response.changes.is_empty();
                run.report_progress();
                if !run.more_changes {
                    return Ok(());
                }
            }
            Err(error) => run.failed(error).await?,
        }
    }
}
