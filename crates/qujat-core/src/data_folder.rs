//! The data folder as a whole: private to the user, and set up once.
//!
//! Two Qujat processes may start at the same moment on one folder (the app
//! opened twice by a double click, the app and a `qujat` command, the first
//! start after an upgrade). Creating the data key and `key.json`, migrating
//! the schema and encrypting old data must then happen once: every open
//! does them while holding [`SetupLock`], an exclusive lock on
//! `.setup.lock`; a process that comes second waits, then finds and uses
//! what the first made. The lock is held only while opening, so the app
//! and the CLI still work side by side afterwards.
//!
//! On Unix the folder is 0700 and what Qujat writes in it 0600 — the
//! passphrase-wrapped key in `key.json` could otherwise be attacked offline
//! by another account — set on creation and repaired on every open.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The lock file's name in the data folder.
pub const SETUP_LOCK_FILE: &str = ".setup.lock";

/// Held while a process sets up or opens the data folder; released on drop.
#[derive(Debug)]
pub(crate) struct SetupLock {
    file: File,
    data_dir: PathBuf,
}

impl SetupLock {
    /// Creates `data_dir` if needed (private to the user) and waits for
    /// the exclusive setup lock.
    pub(crate) fn take(data_dir: &Path) -> Result<SetupLock> {
        create_private_dir(data_dir)?;
        let path = data_dir.join(SETUP_LOCK_FILE);
        let file = open_lock_file(&path).map_err(|e| Error::writing(&path, e))?;
        match file.lock() {
            Ok(()) => {}
            // A file system that cannot lock (some network shares) gives no
            // protection, but must not make Qujat unusable there.
            Err(e) if e.kind() == std::io::ErrorKind::Unsupported => {}
            Err(e) => return Err(Error::writing(&path, e)),
        }
        Ok(SetupLock {
            file,
            data_dir: data_dir.to_owned(),
        })
    }

    /// The folder is set up: makes everything in it private to the user
    /// (what SQLite and the vault created meanwhile too), then lets the
    /// next process in.
    pub(crate) fn finish(self) {
        make_private(&self.data_dir);
    }
}

impl Drop for SetupLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// A name for "the Qujat app on this data folder", for the desktop's
/// one-instance check (a D-Bus name on Linux): the app identifier plus a
/// digest of the folder's path, so two data folders (a test's, a portable
/// copy) may each have their app open, but one folder never has two.
pub fn instance_name(app_identifier: &str, data_dir: &Path) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(data_dir.as_os_str().as_encoded_bytes());
    // A D-Bus name element may not start with a digit.
    format!("{app_identifier}.folder_{}", hex::encode(&digest[..8]))
}

fn open_lock_file(path: &Path) -> std::io::Result<File> {
    let mut options = File::options();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Creates `dir` and its missing parents; the folder itself 0700 on Unix.
fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| Error::writing(dir, e))
}

/// Makes `data_dir` and everything in it private to the user on Unix:
/// folders 0700, files 0600. Only what is more open is changed, links are
/// not followed, and a failure (a file owned by someone else) is left as it
/// is: the folder's own 0700 already keeps other accounts out.
pub(crate) fn make_private(data_dir: &Path) {
    #[cfg(unix)]
    repair(data_dir, 0);
    #[cfg(not(unix))]
    let _ = data_dir;
}

/// How deep the repair walks: the data folder's layout is at most
/// `vault/objects/ab/<sha256>`.
#[cfg(unix)]
const MAX_DEPTH: usize = 4;

#[cfg(unix)]
fn repair(path: &Path, depth: usize) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = fs::symlink_metadata(path) else {
        return;
    };
    let wanted = if meta.is_dir() {
        0o700
    } else if meta.is_file() {
        0o600
    } else {
        return;
    };
    let mode = meta.permissions().mode() & 0o777;
    if mode & !wanted != 0 {
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode & wanted));
    }
    if meta.is_dir() && depth < MAX_DEPTH {
        if let Ok(entries) = fs::read_dir(path) {
            for entry in entries.flatten() {
                repair(&entry.path(), depth + 1);
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).expect("stat").permissions().mode() & 0o777
    }

    #[test]
    fn a_new_folder_is_private_to_the_user() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("a/b/data");
        let lock = SetupLock::take(&data).expect("lock");
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join(SETUP_LOCK_FILE)), 0o600);
        lock.finish();
    }

    #[test]
    fn an_open_folder_is_repaired_on_the_next_open() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        fs::create_dir_all(data.join("vault/objects/ab")).expect("mkdir");
        fs::write(data.join("key.json"), "{}").expect("write");
        fs::write(data.join("vault/objects/ab/cd"), "x").expect("write");
        for p in ["", "vault", "vault/objects", "vault/objects/ab"] {
            fs::set_permissions(data.join(p), fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        fs::set_permissions(data.join("key.json"), fs::Permissions::from_mode(0o644))
            .expect("chmod");
        // A link out of the folder is not followed.
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "x").expect("write");
        fs::set_permissions(&outside, fs::Permissions::from_mode(0o644)).expect("chmod");
        std::os::unix::fs::symlink(&outside, data.join("link")).expect("symlink");

        SetupLock::take(&data).expect("lock").finish();

        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join("vault/objects/ab")), 0o700);
        assert_eq!(mode(&data.join("key.json")), 0o600);
        assert_eq!(mode(&data.join("vault/objects/ab/cd")), 0o600);
        assert_eq!(mode(&outside), 0o644, "links are not followed");
    }

    #[test]
    fn one_folder_has_one_instance_name() {
        let a = instance_name("kz.qujat.desktop", Path::new("folder-a/data"));
        assert_eq!(
            a,
            instance_name("kz.qujat.desktop", Path::new("folder-a/data"))
        );
        assert_ne!(
            a,
            instance_name("kz.qujat.desktop", Path::new("folder-b/data"))
        );
        assert!(a.starts_with("kz.qujat.desktop.folder_"));
        assert!(a.split('.').all(|part| part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !part.starts_with(|c: char| c.is_ascii_digit())));
    }

    #[test]
    fn a_second_opener_waits_for_the_first() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let first = SetupLock::take(&data).expect("lock");
        let (tx, rx) = std::sync::mpsc::channel();
        let data2 = data.clone();
        let waiter = std::thread::spawn(move || {
            let second = SetupLock::take(&data2).expect("lock");
            tx.send(()).expect("send");
            drop(second);
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(300))
                .is_err(),
            "the second opener got the lock while the first held it"
        );
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .expect("the second opener gets the lock once the first lets go");
        waiter.join().expect("join");
    }
}
