//! The basemap download (docs/maps.md, "On the device"): after the sync, over its client and
//! transport rules, the county's archive comes in Range chunks into the part
//! ([`super::partial`]), each chunk of the version the download began (`If-Range`, and the
//! answer's ETag checked); a new version restarts the part from 0, never mixing two. With a
//! map installed, the first request asks one byte: the same version costs that and nothing
//! more. The finished part is checked (its content hash is its version; PMTiles v3) and
//! installed ([`super::installed`]). Between chunks the link gate ([`super::link_gate`]) may
//! pause it — records or photos waiting, or a link too slow — keeping the part for next time.
//! A cut is tried again for as long as chunks keep arriving (the sync's `Persistence`).

use super::archive_file::{archive_version, is_content_version};
use super::basemap_dir;
use super::installed::{install_archive, read_installed, BasemapSource, InstalledBasemap};
use super::link_gate::{BasemapLink, MIN_BASEMAP_LINK_BYTES_PER_SECOND};
use super::partial::{self, PartialArchive};
use super::range_request::{
    receive_range_body, request_archive_range, ArchiveAnswer, ContentRange, WantedRange,
};
use crate::error::DeviceError;
use crate::store::private_files::{create_private_dir_all, PRIVATE_FILE_MODE};
use crate::store::DeviceStore;
use crate::sync::engine::lock;
use crate::sync::persistence::Persistence;
use crate::sync::{check_transport, SyncClient, TransferWatch};
use serde::Serialize;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often one download may find the county's archive changed (a rebuild, or a part whose
/// bytes do not hash to their version) and begin again, before it gives up.
const MAX_VERSION_RESTARTS: u32 = 4;
/// Held while a download runs, so the app and the CLI never append to one part together.
const DOWNLOAD_LOCK_FILE_NAME: &str = "download.lock";

/// How the download behaves; the defaults suit the field.
#[derive(Debug, Clone)]
pub struct BasemapDownloadOptions {
    /// The smallest chunk, and the first one before the link is measured.
    pub min_chunk_bytes: usize,
    /// The largest chunk, however fast the link.
    pub max_chunk_bytes: usize,
    /// Each chunk is sized to take about this long on the measured link.
    pub chunk_time: Duration,
    /// Below this many bytes per second the map waits for a better link.
    pub min_link_bytes_per_second: u64,
    /// The rate the sync just measured (`SyncProgress::upload_bytes_per_second`), if any: a
    /// link already known too slow is not tried.
    pub measured_link_bytes_per_second: Option<u64>,
    /// A request in which no byte moved for this long is given up and tried again.
    pub stall_timeout: Duration,
    /// The download gives up after this long without a byte of the map arriving.
    pub give_up_after: Duration,
}

impl Default for BasemapDownloadOptions {
    fn default() -> Self {
        BasemapDownloadOptions {
            min_chunk_bytes: 16 * 1024,
            max_chunk_bytes: 1024 * 1024,
            chunk_time: Duration::from_secs(12),
            min_link_bytes_per_second: MIN_BASEMAP_LINK_BYTES_PER_SECOND,
            measured_link_bytes_per_second: None,
            stall_timeout: Duration::from_secs(30),
            give_up_after: Duration::from_secs(120),
        }
    }
}

/// How a download ended. Only the first two leave the county's current map installed; none of
/// them is a failure (errors are [`DeviceError`]s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum BasemapOutcome {
    /// A new version was downloaded, checked and installed.
    Installed,
    /// The installed map is the county's current one: nothing was downloaded.
    UpToDate,
    /// The county has not built a basemap yet (县里尚未生成底图); nothing changed here.
    NotBuilt,
    /// The link is too slow for the map now; what arrived is kept for the next try.
    LinkTooSlow,
    /// Records or photos wait to be sent: they go first, the map after them.
    WaitingForSync,
    /// Another download (the app's, or another command's) is running.
    AlreadyDownloading,
}

impl BasemapOutcome {
    /// What the member reads.
    pub fn message_zh(self) -> &'static str {
        match self {
            BasemapOutcome::Installed => "底图已下载并更新",
            BasemapOutcome::UpToDate => "底图已是最新,无需下载",
            BasemapOutcome::NotBuilt => "县里尚未生成底图",
            BasemapOutcome::LinkTooSlow => "网络太慢,底图暂停下载;已下载的部分保留,网络好时继续",
            BasemapOutcome::WaitingForSync => "还有记录或照片未上传:先同步它们,底图在其后下载",
            BasemapOutcome::AlreadyDownloading => "底图正在下载中",
        }
    }
}

/// What one download did, and where the device's map stands after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BasemapDownload {
    pub outcome: BasemapOutcome,
    /// The county's current map is installed here now (installed by this download, or up to
    /// date already).
    pub installed: bool,
    /// The version concerned: the one installed, or the one being downloaded.
    pub version: Option<String>,
    /// Of that version, bytes here (all of them once installed) and its whole length.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes_done: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes_total: u64,
    /// Archive bytes this download received (a resumed one counts only its own).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes_received: u64,
    pub requests: u32,
    /// Requests tried again after a cut or a stall.
    pub retries: u32,
    /// Times the download began again because the county's archive changed.
    pub restarts: u32,
    pub message_zh: String,
}

/// How far the download is, told after each piece that arrives and after each chunk.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BasemapProgress {
    pub version: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes_done: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes_total: u64,
    /// Chunks this download has finished.
    pub chunks_done: u32,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub bytes_per_second: Option<u64>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub seconds_remaining: Option<u64>,
    pub retries: u32,
}

/// Downloads the county's basemap, or resumes the download begun, or finds the installed one
/// current. Runs after the sync (it yields to records and photos waiting); needs the device
/// enrolled, and sends its token only where the sync would ([`check_transport`]).
pub async fn download_basemap(
    store: &Mutex<DeviceStore>,
    client: Option<&SyncClient>,
    options: &BasemapDownloadOptions,
    progress: &(dyn Fn(&BasemapProgress) + Send + Sync),
) -> Result<BasemapDownload, DeviceError> {
    let (server_url, token) = enrolled_server(store)?;
    let client = match client {
        Some(client) if client.base_url() == server_url => client.clone(),
        _ => SyncClient::new(&server_url)?,
    };
    let folder = basemap_dir(lock(store).data_dir());
    create_private_dir_all(&folder)?;
    let Some(_held) = hold_download_lock(&folder)? else {
        return Ok(outcome_only(BasemapOutcome::AlreadyDownloading));
    };
    super::installed::finish_interrupted_install(&folder)?;
    let mut run = BasemapRun::new(store, &client, &token, &folder, options, progress)?;
    match run.run_to_end().await {
        Ok(outcome) => Ok(run.finish(outcome)),
        Err(DeviceError::WipeOrdered) => Err(wipe_on_county_order(store, &client, &folder).await),
        Err(error) => Err(error),
    }
}

/// The server and token the device is enrolled with, checked by the sync's transport rule.
fn enrolled_server(store: &Mutex<DeviceStore>) -> Result<(String, String), DeviceError> {
    let store = lock(store);
    let enrolment = store.enrolment()?.ok_or_else(|| {
        DeviceError::not_allowed(
            "本设备尚未登记：请先在设置里填写县服务器地址和登记码",
            "this device is not enrolled: run `patrol enroll SERVER_URL CODE` first",
        )
    })?;
    check_transport(&enrolment.server_url, store.allow_insecure_http()?)?;
    Ok((enrolment.server_url, enrolment.device_token))
}

/// Takes the download lock; `None` when another download holds it.
fn hold_download_lock(folder: &Path) -> Result<Option<File>, DeviceError> {
    let path = folder.join(DOWNLOAD_LOCK_FILE_NAME);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, PRIVATE_FILE_MODE);
    let file = options.open(&path).map_err(|source| DeviceError::Io {
        path: path.clone(),
        source,
    })?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(source)) => Err(DeviceError::Io { path, source }),
    }
}

/// The county's wipe order met during the download: carried out as the sync does, and the
/// basemap (which holds the post's trails) deleted with the store.
async fn wipe_on_county_order(
    store: &Mutex<DeviceStore>,
    client: &SyncClient,
    folder: &Path,
) -> DeviceError {
    let wiped = crate::sync::wipe::carry_out_wipe(store, Some(client)).await;
    let _ = std::fs::remove_dir_all(folder);
    wiped
}

fn outcome_only(outcome: BasemapOutcome) -> BasemapDownload {
    BasemapDownload {
        outcome,
        installed: false,
        version: None,
        bytes_done: 0,
        bytes_total: 0,
        bytes_received: 0,
        requests: 0,
        retries: 0,
        restarts: 0,
        message_zh: outcome.message_zh().to_string(),
    }
}

/// What the next request does.
enum Step {
    /// Ask for the next range.
    Continue,
    Finished(BasemapOutcome),
}

/// One download while it runs.
struct BasemapRun<'a> {
    store: &'a Mutex<DeviceStore>,
    client: &'a SyncClient,
    token: &'a str,
    folder: PathBuf,
    options: &'a BasemapDownloadOptions,
    link: BasemapLink,
    watch: Arc<TransferWatch>,
    persistence: Persistence,
    installed: Option<InstalledBasemap>,
    part: Option<PartialArchive>,
    on_progress: &'a (dyn Fn(&BasemapProgress) + Send + Sync),
    chunks_done: u32,
    bytes_received: u64,
    requests: u32,
    restarts: u32,
}

impl<'a> BasemapRun<'a> {
    fn new(
        store: &'a Mutex<DeviceStore>,
        client: &'a SyncClient,
        token: &'a str,
        folder: &Path,
        options: &'a BasemapDownloadOptions,
        on_progress: &'a (dyn Fn(&BasemapProgress) + Send + Sync),
    ) -> Result<BasemapRun<'a>, DeviceError> {
        Ok(BasemapRun {
            store,
            client,
            token,
            folder: folder.to_path_buf(),
            options,
            link: BasemapLink::new(options),
            watch: TransferWatch::new(options.stall_timeout),
            persistence: Persistence::new(options.give_up_after),
            installed: read_installed(folder)?,
            part: PartialArchive::resume(folder)?,
            on_progress,
            chunks_done: 0,
            bytes_received: 0,
            requests: 0,
            restarts: 0,
        })
    }

    /// Requests until the map is installed, found current or not built, or the gate pauses it.
    async fn run_to_end(&mut self) -> Result<BasemapOutcome, DeviceError> {
        let sync_measured = self.options.measured_link_bytes_per_second;
        if self.link.too_slow(sync_measured.map(|rate| rate as f64)) {
            return Ok(BasemapOutcome::LinkTooSlow);
        }
        if self.part.as_ref().is_some_and(PartialArchive::is_complete) {
            // A download that had all its bytes when it was stopped: install it now.
            if let Step::Finished(outcome) = self.install_part()? {
                return Ok(outcome);
            }
        }
        loop {
            if self.sync_waiting()? {
                return Ok(BasemapOutcome::WaitingForSync);
            }
            match self.next_request().await {
                Ok(Step::Finished(outcome)) => return Ok(outcome),
                Ok(Step::Continue) => {}
                Err(error) => self.request_failed(error).await?,
            }
            if self.link.measured_too_slow() {
                return Ok(BasemapOutcome::LinkTooSlow);
            }
        }
    }

    /// Whether records or photos wait to be sent (they go before the map).
    fn sync_waiting(&self) -> Result<bool, DeviceError> {
        let store = lock(self.store);
        Ok(store.pending_outbox_count()? > 0 || store.sync_status()?.pending_photo_bytes > 0)
    }

    /// A cut or a stall: tried again after a wait while the map keeps arriving, else the error.
    async fn request_failed(&mut self, error: DeviceError) -> Result<(), DeviceError> {
        self.link.cut();
        self.persistence.try_again(error).await?;
        self.report_progress();
        Ok(())
    }

    /// The range the next request asks for.
    fn wanted_range(&self) -> WantedRange {
        let chunk = self.link.next_chunk_bytes().max(1);
        match &self.part {
            Some(part) => WantedRange {
                first: part.bytes_done,
                last: part.bytes_done + chunk.min(part.bytes_left()).max(1) - 1,
            },
            // With a map here, one byte tells whether the county's is the same.
            None if self.installed.is_some() => WantedRange { first: 0, last: 0 },
            None => WantedRange {
                first: 0,
                last: chunk - 1,
            },
        }
    }

    async fn next_request(&mut self) -> Result<Step, DeviceError> {
        let wanted = self.wanted_range();
        let if_range = self.part.as_ref().map(|part| part.begun.version.clone());
        let started = Instant::now();
        let (answer, _) = request_archive_range(
            self.client,
            self.token,
            wanted,
            if_range.as_deref(),
            &self.watch,
        )
        .await?;
        self.requests += 1;
        match answer {
            ArchiveAnswer::NotBuilt => {
                partial::discard(&self.folder)?;
                self.part = None;
                Ok(Step::Finished(BasemapOutcome::NotBuilt))
            }
            ArchiveAnswer::AnotherVersion { version, total } => {
                self.begin_again(version.as_deref(), total)
            }
            ArchiveAnswer::Range {
                version,
                range,
                response,
            } => {
                self.take_range(&version, range, response, wanted, started)
                    .await
            }
        }
    }

    /// A 206: the range of `version`. Written into the part when it is the version begun
    /// (beginning one if none was); another version begins again.
    async fn take_range(
        &mut self,
        version: &str,
        range: ContentRange,
        response: reqwest::Response,
        wanted: WantedRange,
        started: Instant,
    ) -> Result<Step, DeviceError> {
        if self.part.is_none() {
            if self.is_installed_version(version) {
                self.link.answered(range.len(), started.elapsed());
                return Ok(Step::Finished(BasemapOutcome::UpToDate));
            }
            self.part = Some(PartialArchive::begin(&self.folder, version, range.total)?);
        }
        let part = self.part.as_ref().expect("a part was begun");
        if part.begun.version != version || part.begun.bytes_total != range.total {
            // The county rebuilt its map since the download began: never mix the two.
            return self.begin_again(Some(version), Some(range.total));
        }
        if range.first != wanted.first {
            return Err(DeviceError::Protocol(format!(
                "asked for the basemap from byte {}, got bytes {}-{}",
                wanted.first, range.first, range.last
            )));
        }
        self.receive_chunk(response, range, started).await?;
        self.persistence.progressed();
        self.chunks_done += 1;
        self.report_progress();
        if self.part.as_ref().is_some_and(PartialArchive::is_complete) {
            return self.install_part();
        }
        Ok(Step::Continue)
    }

    fn is_installed_version(&self, version: &str) -> bool {
        self.installed
            .as_ref()
            .is_some_and(|installed| installed.version == version)
    }

    /// The chunk's body into the part, measured; flushed to disk so a restart resumes after it.
    async fn receive_chunk(
        &mut self,
        response: reqwest::Response,
        range: ContentRange,
        started: Instant,
    ) -> Result<(), DeviceError> {
        let part = self.part.as_mut().expect("a part is open");
        let before = part.bytes_done;
        let (link, chunks_done, retries, on_progress) = (
            &self.link,
            self.chunks_done,
            self.persistence.retries,
            self.on_progress,
        );
        let mut on_piece = |part: &PartialArchive| {
            on_progress(&progress_of(part, link, chunks_done, retries));
        };
        let received = receive_range_body(
            self.client,
            response,
            range,
            part,
            &self.watch,
            &mut on_piece,
        )
        .await;
        let arrived = part.bytes_done - before;
        self.bytes_received += arrived;
        part.flush_to_disk()?;
        received?;
        self.link.answered(arrived, started.elapsed());
        Ok(())
    }

    /// The archive is not the version begun (or none was): the part is thrown away and the
    /// download begins again from 0, of the version the county has now.
    fn begin_again(
        &mut self,
        version: Option<&str>,
        total: Option<u64>,
    ) -> Result<Step, DeviceError> {
        self.restarts += 1;
        if self.restarts > MAX_VERSION_RESTARTS {
            return Err(DeviceError::Protocol(format!(
                "the county's basemap changed {} times during one download (or the server does not answer ranges)",
                self.restarts - 1
            )));
        }
        partial::discard(&self.folder)?;
        self.part = None;
        match (version, total) {
            (Some(version), _) if self.is_installed_version(version) => {
                Ok(Step::Finished(BasemapOutcome::UpToDate))
            }
            (Some(version), Some(total)) if total > 0 => {
                self.part = Some(PartialArchive::begin(&self.folder, version, total)?);
                Ok(Step::Continue)
            }
            // Not told which: the next request, without If-Range, says.
            _ => Ok(Step::Continue),
        }
    }

    /// The whole archive is here: checked against its version and as PMTiles, then installed.
    fn install_part(&mut self) -> Result<Step, DeviceError> {
        let part = self.part.take().expect("a complete part");
        let (path, version) = (part.path().to_path_buf(), part.begun.version.clone());
        drop(part);
        if is_content_version(&version) && archive_version(&path)? != version {
            // Bytes of two versions, or damaged on the way: begin again, never install it.
            return self.begin_again(None, None);
        }
        let installed =
            match install_archive(&self.folder, &path, &version, BasemapSource::Download) {
                Ok(installed) => installed,
                Err(error) => {
                    partial::discard(&self.folder)?;
                    return Err(error);
                }
            };
        partial::forget_download(&self.folder)?;
        self.installed = Some(installed);
        Ok(Step::Finished(BasemapOutcome::Installed))
    }

    fn report_progress(&self) {
        if let Some(part) = &self.part {
            (self.on_progress)(&progress_of(
                part,
                &self.link,
                self.chunks_done,
                self.persistence.retries,
            ));
        }
    }

    fn finish(self, outcome: BasemapOutcome) -> BasemapDownload {
        let current = matches!(
            outcome,
            BasemapOutcome::Installed | BasemapOutcome::UpToDate
        );
        let (version, bytes_done, bytes_total) = match (&self.part, &self.installed) {
            (Some(part), _) if !current => (
                Some(part.begun.version.clone()),
                part.bytes_done,
                part.begun.bytes_total,
            ),
            (_, Some(installed)) if current => (
                Some(installed.version.clone()),
                installed.bytes,
                installed.bytes,
            ),
            _ => (None, 0, 0),
        };
        BasemapDownload {
            outcome,
            installed: current,
            version,
            bytes_done,
            bytes_total,
            bytes_received: self.bytes_received,
            requests: self.requests,
            retries: self.persistence.retries,
            restarts: self.restarts,
            message_zh: outcome.message_zh().to_string(),
        }
    }
}

fn progress_of(
    part: &PartialArchive,
    link: &BasemapLink,
    chunks_done: u32,
    retries: u32,
) -> BasemapProgress {
    BasemapProgress {
        version: part.begun.version.clone(),
        bytes_done: part.bytes_done,
        bytes_total: part.begun.bytes_total,
        chunks_done,
        bytes_per_second: link.measured_bytes_per_second().map(|rate| rate as u64),
        seconds_remaining: link.time_for(part.bytes_left()).map(|left| left.as_secs()),
        retries,
    }
}
