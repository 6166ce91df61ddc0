//! The store's key: 32 random bytes, made once per store. Where a platform keystore is there it
//! keeps the key (on Linux the Secret Service, through the `keyring` crate, when a session bus
//! offers one); otherwise the key is the 0600 file `store.key` beside the store, and the app's
//! Settings warns that whoever copies the data directory has the key too. Android Keystore and
//! iOS Keychain are described in docs/security.md; on those builds the file is used for now.
//!
//! A key file beside the store wins over the keystore (it was written because no keystore was
//! there when the store was made). Talking to the keystore never blocks the open for long: no
//! session bus means no attempt, and an answer that takes longer than [`KEYSTORE_TIMEOUT`]
//! counts as no keystore.

use crate::error::DeviceError;
use crate::store::private_files::write_private_file_durably;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::time::Duration;
use zeroize::Zeroizing;

/// Longest wait for the platform keystore before falling back.
pub const KEYSTORE_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the store's key is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStorage {
    /// The platform keystore (Secret Service on Linux).
    PlatformKeystore,
    /// The file `store.key` beside the store (0600).
    LocalFile,
}

/// One store's key. Its bytes never reach a log (`Debug` hides them) and are wiped when dropped.
#[derive(Clone)]
pub struct StoreKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for StoreKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("StoreKey(…)")
    }
}

impl StoreKey {
    /// 32 bytes from the operating system's random source.
    pub fn generate() -> Result<StoreKey, DeviceError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).map_err(|error| {
            DeviceError::Damaged(format!("no random bytes for the store's key: {error}"))
        })?;
        Ok(StoreKey(bytes))
    }

    /// A key written as 64 hexadecimal digits (surrounding white space ignored).
    pub fn from_hex(text: &str) -> Option<StoreKey> {
        let decoded = Zeroizing::new(hex::decode(text.trim()).ok()?);
        let bytes: [u8; 32] = decoded.as_slice().try_into().ok()?;
        Some(StoreKey(Zeroizing::new(bytes)))
    }

    fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0.as_ref()))
    }

    /// SQLCipher's raw-key literal `x'…'` (no key derivation on open).
    pub(crate) fn sqlcipher_literal(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", self.to_hex().as_str()))
    }

    /// The key of the photo files, derived from the store's key so the two ciphers never share
    /// key bytes.
    pub(crate) fn photo_file_key(&self) -> Zeroizing<[u8; 32]> {
        let mut hasher = Sha256::new();
        hasher.update(b"patrol-log photo files v1\0");
        hasher.update(self.0.as_ref());
        Zeroizing::new(hasher.finalize().into())
    }
}

/// The key of the store in `data_dir`, if one is kept anywhere.
pub fn find(data_dir: &Path) -> Result<Option<(StoreKey, KeyStorage)>, DeviceError> {
    let file = data_dir.join(crate::KEY_FILE_NAME);
    match std::fs::read_to_string(&file) {
        Ok(text) => {
            let text = Zeroizing::new(text);
            return StoreKey::from_hex(&text)
                .map(|key| Some((key, KeyStorage::LocalFile)))
                .ok_or_else(|| DeviceError::StoreDamaged {
                    path: file.clone(),
                    reason_zh: "密钥文件已损坏(应为 64 位十六进制数)".to_string(),
                    reason_en: "the key file does not hold 64 hexadecimal digits".to_string(),
                });
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(DeviceError::Io { path: file, source }),
    }
    Ok(platform::get(data_dir).map(|key| (key, KeyStorage::PlatformKeystore)))
}

/// The key of the store in `data_dir`, made now (in the keystore, else in the key file) when
/// none is kept yet.
pub fn find_or_create(data_dir: &Path) -> Result<(StoreKey, KeyStorage), DeviceError> {
    if let Some(found) = find(data_dir)? {
        return Ok(found);
    }
    let key = StoreKey::generate()?;
    if platform::put(data_dir, &key) {
        return Ok((key, KeyStorage::PlatformKeystore));
    }
    let mut line = key.to_hex();
    line.push('\n');
    write_private_file_durably(&data_dir.join(crate::KEY_FILE_NAME), line.as_bytes())?;
    Ok((key, KeyStorage::LocalFile))
}

/// Destroys the key of the store in `data_dir` wherever it is kept (the key file, the keystore
/// entry): whatever of the store is left on the disk can no longer be read. Used by the wipe.
pub fn forget(data_dir: &Path) -> Result<(), DeviceError> {
    platform::delete(data_dir);
    let file = data_dir.join(crate::KEY_FILE_NAME);
    match std::fs::remove_file(&file) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(DeviceError::Io { path: file, source }),
    }
}

/// Runs `work` on its own thread and waits at most [`KEYSTORE_TIMEOUT`] for it: a keystore
/// that waits on a prompt or a dead bus must not hold up the store.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn within_timeout<T: Send + 'static>(
    work: impl FnOnce() -> Option<T> + Send + 'static,
) -> Option<T> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("store-keystore".to_string())
        .spawn(move || {
            let _ = sender.send(work());
        })
        .ok()?;
    receiver.recv_timeout(KEYSTORE_TIMEOUT).ok().flatten()
}

#[cfg(target_os = "linux")]
mod platform {
    //! The Secret Service (GNOME Keyring, KWallet) over the session bus.

    use super::{within_timeout, StoreKey};
    use std::path::Path;

    const SERVICE: &str = "cn.patrollog.field";

    /// Only with a session bus: without one libdbus would try to start one.
    fn session_bus_offered() -> bool {
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|address| !address.is_empty())
    }

    /// One entry per data directory.
    fn account(data_dir: &Path) -> String {
        let directory = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
        format!("store key {}", directory.display())
    }

    pub(super) fn get(data_dir: &Path) -> Option<StoreKey> {
        if !session_bus_offered() {
            return None;
        }
        let account = account(data_dir);
        within_timeout(move || {
            let secret = keyring::Entry::new(SERVICE, &account)
                .ok()?
                .get_password()
                .ok()?;
            StoreKey::from_hex(&zeroize::Zeroizing::new(secret))
        })
    }

    /// Stores the key and reads it back; `false` when the keystore did not keep it.
    pub(super) fn put(data_dir: &Path, key: &StoreKey) -> bool {
        if !session_bus_offered() {
            return false;
        }
        let account = account(data_dir);
        let text = key.to_hex();
        let kept = within_timeout(move || {
            let entry = keyring::Entry::new(SERVICE, &account).ok()?;
            entry.set_password(&text).ok()?;
            let back = zeroize::Zeroizing::new(entry.get_password().ok()?);
            Some(back.as_str() == text.as_str())
        });
        kept == Some(true)
    }

    /// Removes the key's entry, if there is one; best effort.
    pub(super) fn delete(data_dir: &Path) {
        if !session_bus_offered() {
            return;
        }
        let account = account(data_dir);
        let _ = within_timeout(move || {
            keyring::Entry::new(SERVICE, &account)
                .ok()?
                .delete_credential()
                .ok()
        });
    }
}

#[cfg(not(target_os = "linux"))]
mod platform {
    //! No keystore wired here yet (Android Keystore, iOS Keychain: docs/security.md).

    use super::StoreKey;
    use std::path::Path;

    pub(super) fn get(_data_dir: &Path) -> Option<StoreKey> {
        None
    }

    pub(super) fn put(_data_dir: &Path, _key: &StoreKey) -> bool {
        false
    }

    pub(super) fn delete(_data_dir: &Path) {}
}
