//! The document vault: every attached file, copied and kept under its SHA-256.
//!
//! Layout under the data folder:
//! ```text
//! vault/objects/ab/abcdef…   one file per distinct content, named by its hash
//! vault/tmp/                 copies in progress; emptied when no other
//!                            Qujat process has the vault open
//! vault/.in-use              lock file: shared while a process has the vault open
//! ```
//! A copy is streamed (never the whole file in memory), hashed while it is
//! written, synced, then renamed into place, so a crash leaves either the
//! whole file or nothing under `objects/`. Identical content is stored once.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::kind::{self, FileKind};

const CHUNK: usize = 256 * 1024;

/// The vault under one data folder.
#[derive(Debug, Clone)]
pub struct Vault {
    root: PathBuf,
    /// Held with a shared lock for as long as any clone of the vault lives,
    /// so another process (the app while the CLI runs, or the reverse) can
    /// tell that the copies in `tmp/` may still be in progress.
    _in_use: Option<Arc<File>>,
}

/// A file now held by the vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Lowercase hex SHA-256 of the content.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Kind detected from the content.
    pub kind: FileKind,
}

impl Vault {
    /// Opens (creating if needed) the vault at `root` and removes copies that
    /// a crash left unfinished.
    pub fn open(root: &Path) -> Result<Vault> {
        let mut vault = Vault {
            root: root.to_owned(),
            _in_use: None,
        };
        fs::create_dir_all(vault.objects()).map_err(|e| Error::writing(&vault.objects(), e))?;
        let tmp = vault.tmp();
        fs::create_dir_all(&tmp).map_err(|e| Error::writing(&tmp, e))?;

        let lock_path = root.join(".in-use");
        let lock = File::options()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&lock_path)
            .map_err(|e| Error::writing(&lock_path, e))?;
        // Only a process that is alone with the vault may empty `tmp/`: with
        // the app and the CLI open at once, a file there may be the other's
        // copy in progress. A lock the file system cannot give (some network
        // shares) means we cannot know, so nothing is deleted then either.
        if lock.try_lock().is_ok() {
            if let Ok(entries) = fs::read_dir(&tmp) {
                for entry in entries.flatten() {
                    // An interrupted copy: never referenced by the store.
                    let _ = fs::remove_file(entry.path());
                }
            }
            let _ = lock.unlock();
        }
        if lock.lock_shared().is_ok() {
            vault._in_use = Some(Arc::new(lock));
        }
        Ok(vault)
    }

    fn objects(&self) -> PathBuf {
        self.root.join("objects")
    }

    fn tmp(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// The folder for copies in progress, emptied at every open: other
    /// modules stage files here so that a crash leaves nothing behind.
    pub fn tmp_dir(&self) -> PathBuf {
        self.tmp()
    }

    /// Where the content with this hash is (or would be) kept.
    pub fn path_of(&self, sha256: &str) -> PathBuf {
        let (fan, _) = sha256.split_at(2.min(sha256.len()));
        self.objects().join(fan).join(sha256)
    }

    /// Whether content with this hash is in the vault.
    pub fn contains(&self, sha256: &str) -> bool {
        self.path_of(sha256).is_file()
    }

    /// Copies the regular file at `source` into the vault, refusing it when it
    /// is larger than `max_size` bytes. The original is only read.
    pub fn put_file(&self, source: &Path, max_size: u64) -> Result<Stored> {
        let meta = fs::metadata(source).map_err(|e| Error::reading(source, e))?;
        if !meta.is_file() {
            return Err(Error::NotAFile {
                path: source.display().to_string(),
            });
        }
        if meta.len() > max_size {
            return Err(Error::FileTooLarge {
                path: source.display().to_string(),
                size: meta.len(),
                limit: max_size,
            });
        }
        let mut input = File::open(source).map_err(|e| Error::reading(source, e))?;

        let tmp_path = self
            .tmp()
            .join(format!("{}.part", uuid::Uuid::new_v4().simple()));
        let result = self.copy_in(&mut input, source, &tmp_path, max_size);
        if result.is_err() {
            let _ = fs::remove_file(&tmp_path);
        }
        result
    }

    fn copy_in(
        &self,
        input: &mut File,
        source: &Path,
        tmp_path: &Path,
        max_size: u64,
    ) -> Result<Stored> {
        let mut out = File::create(tmp_path).map_err(|e| Error::writing(tmp_path, e))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; CHUNK];
        let mut size: u64 = 0;
        let mut head: Vec<u8> = Vec::with_capacity(kind::SNIFF_LEN);
        loop {
            let n = match input.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Error::reading(source, e)),
            };
            size += n as u64;
            if size > max_size {
                // The file grew while we copied it.
                return Err(Error::FileTooLarge {
                    path: source.display().to_string(),
                    size,
                    limit: max_size,
                });
            }
            let chunk = &buf[..n];
            if head.len() < kind::SNIFF_LEN {
                let take = (kind::SNIFF_LEN - head.len()).min(n);
                head.extend_from_slice(&chunk[..take]);
            }
            hasher.update(chunk);
            out.write_all(chunk)
                .map_err(|e| Error::writing(tmp_path, e))?;
        }
        out.sync_all().map_err(|e| Error::writing(tmp_path, e))?;
        drop(out);

        let sha256 = hex::encode(hasher.finalize());
        let target = self.path_of(&sha256);
        // Same content already kept is replaced by the fresh copy, not kept:
        // the old copy may be the damaged one the user is attaching again
        // to repair. Still stored once; the rename is atomic.
        let dir = target.parent().unwrap_or(&self.root);
        fs::create_dir_all(dir).map_err(|e| Error::writing(dir, e))?;
        fs::rename(tmp_path, &target).map_err(|e| Error::writing(&target, e))?;
        sync_dir(dir);
        Ok(Stored {
            sha256,
            size,
            kind: kind::detect(&head),
        })
    }

    /// Opens the content kept under `sha256` for reading. Every reader of
    /// vault content goes through here (never through a path), so the way
    /// objects are kept on disk stays this module's business.
    pub fn open_content(&self, sha256: &str) -> Result<Content> {
        let path = self.path_of(sha256);
        let file = File::open(&path).map_err(|e| Error::reading(&path, e))?;
        Ok(Content { inner: file })
    }

    /// Reads the whole content kept under `sha256`, refusing content larger
    /// than `limit` bytes (for previews, which must hold it in memory).
    pub fn read(&self, sha256: &str, limit: u64) -> Result<Vec<u8>> {
        let path = self.path_of(sha256);
        let mut bytes = Vec::new();
        self.open_content(sha256)?
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| Error::reading(&path, e))?;
        if bytes.len() as u64 > limit {
            return Err(Error::FileTooLarge {
                path: path.display().to_string(),
                size: bytes.len() as u64,
                limit,
            });
        }
        Ok(bytes)
    }

    /// Re-reads the content kept under `sha256` and tells whether it still
    /// has that hash.
    pub fn verify(&self, sha256: &str) -> Integrity {
        let path = self.path_of(sha256);
        let Ok(mut file) = File::open(&path) else {
            return Integrity::Missing;
        };
        let mut hasher = Sha256::new();
        if io::copy(&mut file, &mut HashWriter(&mut hasher)).is_err() {
            return Integrity::Damaged;
        }
        if hex::encode(hasher.finalize()) == sha256 {
            Integrity::Intact
        } else {
            Integrity::Damaged
        }
    }
}

/// The content of one vault object, opened for reading.
#[derive(Debug)]
pub struct Content {
    inner: File,
}

impl Read for Content {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf)
    }
}

/// The state of one vault file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Integrity {
    /// Present with the recorded hash.
    Intact,
    /// Gone from the vault.
    Missing,
    /// Present, but its bytes changed.
    Damaged,
}

struct HashWriter<'a>(&'a mut Sha256);

impl Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Makes a rename durable on Unix by syncing its directory; a no-op elsewhere.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault() -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().expect("temp dir");
        let vault = Vault::open(&dir.path().join("vault")).expect("open vault");
        (dir, vault)
    }

    #[test]
    fn a_stored_file_survives_its_original() {
        let (dir, vault) = vault();
        let original = dir.path().join("passport.pdf");
        fs::write(&original, b"%PDF-1.4\nhello").expect("write");
        let stored = vault.put_file(&original, 1024).expect("stored");
        fs::remove_file(&original).expect("delete the original");
        assert_eq!(stored.kind, FileKind::Pdf);
        assert_eq!(stored.size, 14);
        assert_eq!(
            fs::read(vault.path_of(&stored.sha256)).expect("kept"),
            b"%PDF-1.4\nhello"
        );
        assert_eq!(vault.verify(&stored.sha256), Integrity::Intact);
    }

    #[test]
    fn the_hash_is_sha256_of_the_content() {
        let (dir, vault) = vault();
        let f = dir.path().join("abc.txt");
        fs::write(&f, b"abc").expect("write");
        let stored = vault.put_file(&f, 10).expect("stored");
        assert_eq!(
            stored.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn oversize_files_and_folders_are_refused_and_leave_nothing() {
        let (dir, vault) = vault();
        let f = dir.path().join("big.pdf");
        fs::write(&f, vec![b'x'; 2048]).expect("write");
        assert!(matches!(
            vault.put_file(&f, 1024),
            Err(Error::FileTooLarge {
                size: 2048,
                limit: 1024,
                ..
            })
        ));
        assert!(matches!(
            vault.put_file(dir.path(), 1024),
            Err(Error::NotAFile { .. })
        ));
        assert!(matches!(
            vault.put_file(&dir.path().join("nope"), 1024),
            Err(Error::FileNotFound { .. })
        ));
        assert_eq!(
            fs::read_dir(vault.tmp()).expect("tmp").count(),
            0,
            "no partial copy remains"
        );
    }

    #[test]
    fn a_changed_vault_file_is_reported_damaged() {
        let (dir, vault) = vault();
        let f = dir.path().join("a.pdf");
        fs::write(&f, b"%PDF-1.4 a").expect("write");
        let stored = vault.put_file(&f, 100).expect("stored");
        fs::write(vault.path_of(&stored.sha256), b"%PDF-1.4 b").expect("tamper");
        assert_eq!(vault.verify(&stored.sha256), Integrity::Damaged);
        fs::remove_file(vault.path_of(&stored.sha256)).expect("remove");
        assert_eq!(vault.verify(&stored.sha256), Integrity::Missing);
    }

    #[test]
    fn attaching_the_same_content_again_repairs_a_damaged_copy() {
        let (dir, vault) = vault();
        let f = dir.path().join("a.pdf");
        fs::write(&f, b"%PDF-1.4 a").expect("write");
        let stored = vault.put_file(&f, 100).expect("stored");
        fs::write(vault.path_of(&stored.sha256), b"%PDF-1.4 b").expect("tamper");
        vault.put_file(&f, 100).expect("stored again");
        assert_eq!(
            vault.verify(&stored.sha256),
            Integrity::Intact,
            "the fresh copy replaces the damaged one"
        );
    }

    #[test]
    fn copies_in_progress_are_left_alone_while_another_process_has_the_vault_open() {
        let (dir, vault) = vault();
        fs::write(vault.tmp().join("theirs.part"), b"half").expect("write");
        // `vault` stands for the other process: it still holds its lock.
        Vault::open(&dir.path().join("vault")).expect("second open");
        assert_eq!(
            fs::read_dir(vault.tmp()).expect("tmp").count(),
            1,
            "a copy that may be in progress elsewhere is kept"
        );
        drop(vault);
        Vault::open(&dir.path().join("vault")).expect("open alone");
        assert_eq!(
            fs::read_dir(dir.path().join("vault/tmp"))
                .expect("tmp")
                .count(),
            0,
            "alone with the vault, leftovers are cleared"
        );
    }

    #[test]
    fn interrupted_copies_are_cleared_on_open() {
        let (dir, vault) = vault();
        let tmp = vault.tmp();
        fs::write(tmp.join("x.part"), b"half").expect("write");
        drop(vault); // the process that crashed
        Vault::open(&dir.path().join("vault")).expect("reopen");
        assert_eq!(fs::read_dir(&tmp).expect("tmp").count(), 0);
    }
}
