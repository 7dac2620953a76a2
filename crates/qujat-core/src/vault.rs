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
//!
//! With a data key (always, in a workspace) every object is an age stream
//! to the key's X25519 recipient: ChaCha20-Poly1305 in 64 KiB chunks, the
//! last one marked, so a changed or cut object fails to decrypt. Objects are
//! still named by the SHA-256 of the *plaintext*, so content addressing and
//! dedupe are unchanged. An object without the age header (written before
//! encryption) is read as plaintext until [`Vault::seal_legacy`] encrypts it.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::durable::sync_dir;
use crate::error::{Error, FileError, Result, VaultError};
use crate::keys::DataKey;
use crate::kind::{self, FileKind};

/// The first bytes of every age file.
const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";

const CHUNK: usize = 256 * 1024;

/// The vault under one data folder.
#[derive(Debug, Clone)]
pub struct Vault {
    root: PathBuf,
    /// Held with a shared lock for as long as any clone of the vault lives,
    /// so another process (the app while the CLI runs, or the reverse) can
    /// tell that the copies in `tmp/` may still be in progress.
    _in_use: Option<Arc<File>>,
    /// The data key objects are encrypted with; `None` only in tests of
    /// this module and of the migration, which write plaintext objects.
    key: Option<DataKey>,
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

/// The largest file attached at all: 100 MiB. Not a portal's limit (those
/// are rule-pack data, 2 to 12 MB where published): a file over its
/// requirement's limit is kept and offered "Make it smaller". Past this cap
/// a file cannot be a document (a video, a disk image, the wrong file),
/// and copying it would only fill the vault; it is refused with
/// [`crate::VaultError::FileBeyondHardCap`]. It also bounds what the inspector child
/// is ever handed to read or make smaller.
pub const HARD_CAP: u64 = 100 * 1024 * 1024;

impl Vault {
    #[cfg(test)]
    /// Opens (creating if needed) the vault at `root` and removes copies that
    /// a crash left unfinished.
    pub fn open(root: &Path) -> Result<Vault> {
        Vault::open_sweeping(root, || Ok(None)).map(|(vault, _)| vault)
    }

    /// Opens the vault as [`Vault::open`] does and, when no other process has
    /// it open, also deletes the objects no document refers to any more: the
    /// files of removed documents and deleted dossiers. They are kept while
    /// the vault is open, so "undo" can bring a removed document back; the
    /// next lone open lets them go. `referenced` gives the hashes to keep
    /// (`None`: keep everything); it is asked only when alone, because
    /// another process could be between copying a file in and recording it.
    /// Returns the vault and the hashes deleted.
    pub fn open_sweeping(
        root: &Path,
        referenced: impl FnOnce() -> Result<Option<HashSet<String>>>,
    ) -> Result<(Vault, Vec<String>)> {
        let mut vault = Vault {
            root: root.to_owned(),
            _in_use: None,
            key: None,
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
        let mut swept = Vec::new();
        if lock.try_lock().is_ok() {
            if let Ok(entries) = fs::read_dir(&tmp) {
                for entry in entries.flatten() {
                    // An interrupted copy: never referenced by the store.
                    let _ = fs::remove_file(entry.path());
                }
            }
            let keep = referenced();
            let result = match keep {
                Ok(Some(keep)) => {
                    swept = vault.remove_unreferenced(&keep);
                    Ok(())
                }
                Ok(None) => Ok(()),
                Err(e) => Err(e),
            };
            let _ = lock.unlock();
            result?;
        }
        if lock.lock_shared().is_ok() {
            vault._in_use = Some(Arc::new(lock));
        }
        Ok((vault, swept))
    }

    /// Deletes every object whose hash is not in `keep`; returns their hashes.
    /// Only files named like an object are touched.
    fn remove_unreferenced(&self, keep: &HashSet<String>) -> Vec<String> {
        let mut removed = Vec::new();
        let Ok(fans) = fs::read_dir(self.objects()) else {
            return removed;
        };
        for fan in fans.flatten() {
            let Ok(entries) = fs::read_dir(fan.path()) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let is_object = name.len() == 64
                    && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
                if is_object && !keep.contains(&name) && fs::remove_file(entry.path()).is_ok() {
                    removed.push(name);
                }
            }
            // Empty fan-out folders go too; a non-empty one stays (error ignored).
            let _ = fs::remove_dir(fan.path());
        }
        if !removed.is_empty() {
            sync_dir(&self.objects());
        }
        removed
    }

    /// Deletes the object for `sha256`, if there is one. Only for content
    /// this process kept and no document refers to (a fix's result the user
    /// discarded); everything else waits for the lone sweep of
    /// [`Vault::open_sweeping`].
    pub(crate) fn remove(&self, sha256: &str) -> Result<()> {
        let path = self.path_of(sha256);
        match fs::remove_file(&path) {
            Ok(()) => {
                if let Some(dir) = path.parent() {
                    sync_dir(dir);
                }
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::writing(&path, e)),
        }
    }

    /// Encrypts every object written from now on with `key`, and decrypts
    /// with it.
    pub(crate) fn set_key(&mut self, key: DataKey) {
        self.key = Some(key);
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
        // A folder, pipe or device is refused as what it is, never opened.
        let (mut input, meta) = crate::regular_file::open(source)?;
        if meta.len() > max_size {
            return Err(VaultError::FileTooLarge {
                path: source.display().to_string(),
                size: meta.len(),
                limit: max_size,
            }
            .into());
        }
        let staged = self.stage(
            &mut input,
            max_size,
            &|e| Error::reading(source, e),
            // The file grew while we copied it.
            &|size| {
                Error::from(VaultError::FileTooLarge {
                    path: source.display().to_string(),
                    size,
                    limit: max_size,
                })
            },
        )?;
        self.keep(staged)
    }

    /// Streams at most `cap` bytes of `input` into `tmp/`, encrypted like any
    /// object and hashed on the way, without making it an object yet: an
    /// import checks every file before it keeps any. Errors reading `input`
    /// go through `read_error`, more than `cap` bytes through `too_large`
    /// (given the bytes read so far). The copy is removed if dropped.
    pub fn stage(
        &self,
        input: &mut dyn Read,
        cap: u64,
        read_error: &dyn Fn(io::Error) -> Error,
        too_large: &dyn Fn(u64) -> Error,
    ) -> Result<Staged> {
        let path = self
            .tmp()
            .join(format!("{}.part", uuid::Uuid::new_v4().simple()));
        let file = crate::durable::create_private(&path).map_err(|e| Error::writing(&path, e))?;
        // From here on, dropping `staged` removes the partial copy.
        let mut staged = Staged {
            path: Some(path.clone()),
            sha256: String::new(),
            size: 0,
            head: Vec::with_capacity(kind::SNIFF_LEN),
        };
        let mut out = Sink::new(file, self.key.as_ref()).map_err(|e| Error::writing(&path, e))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = match input.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(read_error(e)),
            };
            staged.size += n as u64;
            if staged.size > cap {
                return Err(too_large(staged.size));
            }
            let chunk = &buf[..n];
            if staged.head.len() < kind::SNIFF_LEN {
                let take = (kind::SNIFF_LEN - staged.head.len()).min(n);
                staged.head.extend_from_slice(&chunk[..take]);
            }
            hasher.update(chunk);
            out.write_all(chunk).map_err(|e| Error::writing(&path, e))?;
        }
        out.finish().map_err(|e| Error::writing(&path, e))?;
        staged.sha256 = hex::encode(hasher.finalize());
        Ok(staged)
    }

    /// Makes a staged copy the object for its content.
    pub fn keep(&self, mut staged: Staged) -> Result<Stored> {
        let Some(tmp_path) = staged.path.take() else {
            return Err(FileError::NotAFile {
                path: self.tmp().display().to_string(),
            }
            .into());
        };
        let target = self.path_of(&staged.sha256);
        // Same content already kept is replaced by the fresh copy, not kept:
        // the old copy may be the damaged one the user is attaching again
        // to repair. Still stored once; the rename is atomic.
        let dir = target.parent().unwrap_or(&self.root);
        let renamed = fs::create_dir_all(dir)
            .map_err(|e| Error::writing(dir, e))
            .and_then(|()| fs::rename(&tmp_path, &target).map_err(|e| Error::writing(&target, e)));
        if let Err(e) = renamed {
            let _ = fs::remove_file(&tmp_path);
            return Err(e);
        }
        sync_dir(dir);
        Ok(Stored {
            sha256: std::mem::take(&mut staged.sha256),
            size: staged.size,
            kind: kind::detect(&staged.head),
        })
    }

    /// Opens the content kept under `sha256` for reading. Every reader of
    /// vault content goes through here (never through a path), so the way
    /// objects are kept on disk stays this module's business.
    pub fn open_content(&self, sha256: &str) -> Result<Content> {
        let path = self.path_of(sha256);
        let file = File::open(&path).map_err(|e| Error::reading(&path, e))?;
        self.content_of(file).map_err(|e| Error::reading(&path, e))
    }

    fn content_of(&self, mut file: File) -> io::Result<Content> {
        if !is_age(&mut file)? {
            return Ok(Content::Plain(file));
        }
        let Some(key) = &self.key else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "encrypted, and no data key is open",
            ));
        };
        let decryptor = age::Decryptor::new_buffered(BufReader::new(file.try_clone()?))
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
        match decryptor.decrypt(std::iter::once(key.identity() as &dyn age::Identity)) {
            Ok(reader) => Ok(Content::Sealed(Box::new(reader))),
            // An age file, but not to our key: a document that is itself an
            // age file, kept in plaintext before encryption.
            Err(age::DecryptError::NoMatchingKeys) => {
                file.rewind()?;
                Ok(Content::Plain(file))
            }
            Err(e) => Err(io::Error::new(io::ErrorKind::InvalidData, e.to_string())),
        }
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
            return Err(VaultError::FileTooLarge {
                path: path.display().to_string(),
                size: bytes.len() as u64,
                limit,
            }
            .into());
        }
        Ok(bytes)
    }

    #[cfg(test)]
    /// Re-reads the content kept under `sha256` and tells whether it still
    /// has that hash.
    pub fn verify(&self, sha256: &str) -> Integrity {
        self.examine(sha256).integrity
    }

    /// Reads the content kept under `sha256` through: whether it still has
    /// that hash (a failed decryption is damage too), its size and its kind.
    pub fn examine(&self, sha256: &str) -> Examined {
        let mut examined = Examined {
            integrity: Integrity::Damaged,
            size: 0,
            kind: FileKind::Other,
        };
        let path = self.path_of(sha256);
        let Ok(file) = File::open(&path) else {
            examined.integrity = Integrity::Missing;
            return examined;
        };
        let Ok(mut content) = self.content_of(file) else {
            return examined;
        };
        let mut hashing = HashWriter {
            hasher: Sha256::new(),
            size: 0,
            head: Vec::with_capacity(kind::SNIFF_LEN),
        };
        if io::copy(&mut content, &mut hashing).is_err() {
            return examined;
        }
        examined.size = hashing.size;
        examined.kind = kind::detect(&hashing.head);
        if hex::encode(hashing.hasher.finalize()) == sha256 {
            examined.integrity = Integrity::Intact;
        }
        examined
    }

    /// Encrypts every object still kept in plaintext (written before
    /// encryption), one at a time: a copy encrypted into `tmp/`, synced,
    /// renamed over the object. A crash leaves each object whole, plaintext
    /// or encrypted, and the next run carries on. Returns how many objects
    /// it encrypted. Without a data key it does nothing.
    pub(crate) fn seal_legacy(&self) -> Result<usize> {
        let Some(key) = &self.key else {
            return Ok(0);
        };
        let mut sealed = 0;
        let objects = self.objects();
        let fans = fs::read_dir(&objects).map_err(|e| Error::reading(&objects, e))?;
        for fan in fans.flatten() {
            let Ok(entries) = fs::read_dir(fan.path()) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if !entry.file_type().is_ok_and(|t| t.is_file()) {
                    continue;
                }
                let mut file = File::open(&path).map_err(|e| Error::reading(&path, e))?;
                if is_age(&mut file).map_err(|e| Error::reading(&path, e))? {
                    // Ours, or a plaintext document that is an age file.
                    let ours = age::Decryptor::new_buffered(BufReader::new(&mut file))
                        .ok()
                        .is_some_and(|d| {
                            d.decrypt(std::iter::once(key.identity() as &dyn age::Identity))
                                .is_ok()
                        });
                    if ours {
                        continue;
                    }
                    file.rewind().map_err(|e| Error::reading(&path, e))?;
                }
                self.seal_one(&mut file, &path, key)?;
                sealed += 1;
            }
        }
        Ok(sealed)
    }

    pub(crate) fn seal_one(&self, plain: &mut File, path: &Path, key: &DataKey) -> Result<()> {
        let tmp_path = self
            .tmp()
            .join(format!("{}.seal", uuid::Uuid::new_v4().simple()));
        let result = (|| -> Result<()> {
            let out = crate::durable::create_private(&tmp_path)
                .map_err(|e| Error::writing(&tmp_path, e))?;
            let mut sink = Sink::new(out, Some(key)).map_err(|e| Error::writing(&tmp_path, e))?;
            io::copy(plain, &mut sink).map_err(|e| Error::writing(&tmp_path, e))?;
            sink.finish().map_err(|e| Error::writing(&tmp_path, e))?;
            fs::rename(&tmp_path, path).map_err(|e| Error::writing(path, e))?;
            sync_dir(path.parent().unwrap_or(&self.root));
            Ok(())
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp_path);
        }
        result
    }

    #[cfg(test)]
    /// Whether the object under `sha256` is kept encrypted (tests).
    pub fn is_encrypted(&self, sha256: &str) -> bool {
        File::open(self.path_of(sha256))
            .and_then(|mut f| is_age(&mut f))
            .unwrap_or(false)
    }
}

/// Whether the file starts with the age header; leaves it at its start.
fn is_age(file: &mut File) -> io::Result<bool> {
    let mut head = [0u8; AGE_MAGIC.len()];
    let mut got = 0;
    while got < head.len() {
        match file.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    file.rewind()?;
    Ok(got == head.len() && head == AGE_MAGIC)
}

/// Where a copy is written: through age to the data key, or plain.
enum Sink {
    Plain(File),
    Sealed(age::stream::StreamWriter<BufWriter<File>>),
}

impl Sink {
    fn new(file: File, key: Option<&DataKey>) -> io::Result<Sink> {
        let Some(key) = key else {
            return Ok(Sink::Plain(file));
        };
        let encryptor = age::Encryptor::with_recipients(std::iter::once(
            key.recipient() as &dyn age::Recipient
        ))
        .map_err(|e| io::Error::other(e.to_string()))?;
        Ok(Sink::Sealed(
            encryptor.wrap_output(BufWriter::with_capacity(CHUNK, file))?,
        ))
    }

    /// Writes the last chunk and syncs the file.
    fn finish(self) -> io::Result<()> {
        let file = match self {
            Sink::Plain(file) => file,
            Sink::Sealed(stream) => stream.finish()?.into_inner().map_err(|e| e.into_error())?,
        };
        file.sync_all()
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Plain(f) => f.write(buf),
            Sink::Sealed(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Plain(f) => f.flush(),
            Sink::Sealed(s) => s.flush(),
        }
    }
}

/// A copy in `tmp/` made by [`Vault::stage`]: encrypted, hashed, not yet an
/// object. Removed when dropped, unless [`Vault::keep`] took it.
#[derive(Debug)]
pub struct Staged {
    path: Option<PathBuf>,
    /// SHA-256 of the plaintext.
    pub sha256: String,
    /// Plaintext size in bytes.
    pub size: u64,
    head: Vec<u8>,
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            let _ = fs::remove_file(path);
        }
    }
}

/// The content of one vault object, opened for reading: decrypted as it is
/// read, never whole in memory. A read error (`InvalidData`) means the
/// object was changed or cut.
pub enum Content {
    /// Kept in plaintext (from before encryption).
    Plain(File),
    /// Kept encrypted.
    Sealed(Box<age::stream::StreamReader<BufReader<File>>>),
}

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Content::Plain(_) => "Content::Plain",
            Content::Sealed(_) => "Content::Sealed",
        })
    }
}

impl Read for Content {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Content::Plain(f) => f.read(buf),
            Content::Sealed(s) => s.read(buf),
        }
    }
}

/// What reading an object through found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Examined {
    /// Intact, missing or damaged.
    pub integrity: Integrity,
    /// The plaintext size read (meaningful when intact).
    pub size: u64,
    /// The kind from the first bytes (meaningful when intact).
    pub kind: FileKind,
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

struct HashWriter {
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
}

impl Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.hasher.update(buf);
        self.size += buf.len() as u64;
        if self.head.len() < kind::SNIFF_LEN {
            let take = (kind::SNIFF_LEN - self.head.len()).min(buf.len());
            self.head.extend_from_slice(&buf[..take]);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
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
            Err(Error::Vault(VaultError::FileTooLarge {
                size: 2048,
                limit: 1024,
                ..
            }))
        ));
        assert!(matches!(
            vault.put_file(dir.path(), 1024),
            Err(Error::File(FileError::NotAFile { .. }))
        ));
        assert!(matches!(
            vault.put_file(&dir.path().join("nope"), 1024),
            Err(Error::File(FileError::FileNotFound { .. }))
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
    fn objects_no_document_refers_to_are_deleted_only_by_a_lone_open() {
        let (dir, vault) = vault();
        let root = dir.path().join("vault");
        let put = |name: &str, body: &[u8]| {
            let f = dir.path().join(name);
            fs::write(&f, body).expect("write");
            vault.put_file(&f, 100).expect("stored").sha256
        };
        let kept = put("kept.pdf", b"%PDF-1.4 kept");
        let dropped = put("dropped.pdf", b"%PDF-1.4 dropped");
        let keep = || Ok(Some(HashSet::from([kept.clone()])));

        // `vault` stands for another process that still has the vault open.
        let (_, swept) = Vault::open_sweeping(&root, keep).expect("second open");
        assert!(swept.is_empty(), "nothing is deleted while shared");
        assert!(vault.contains(&dropped));

        drop(vault);
        let (alone, swept) = Vault::open_sweeping(&root, keep).expect("lone open");
        assert_eq!(swept, vec![dropped.clone()]);
        assert!(!alone.contains(&dropped), "the unreferenced object is gone");
        assert_eq!(
            alone.verify(&kept),
            Integrity::Intact,
            "the kept one is whole"
        );
    }

    #[test]
    fn a_failing_reference_query_deletes_nothing_and_is_reported() {
        let (dir, vault) = vault();
        let f = dir.path().join("a.pdf");
        fs::write(&f, b"%PDF-1.4 a").expect("write");
        let sha = vault.put_file(&f, 100).expect("stored").sha256;
        drop(vault);
        let result = Vault::open_sweeping(&dir.path().join("vault"), || {
            Err(FileError::NotAFile {
                path: "store".into(),
            }
            .into())
        });
        assert!(result.is_err());
        let (reopened, _) =
            Vault::open_sweeping(&dir.path().join("vault"), || Ok(None)).expect("reopen");
        assert!(reopened.contains(&sha));
    }

    #[test]
    fn a_staged_copy_is_encrypted_and_gone_unless_kept() {
        let (dir, mut vault) = vault();
        vault.set_key(DataKey::generate());
        let secret = b"%PDF-1.4 passport of Ada Lovelace";
        let no_read_error = |e: io::Error| {
            Error::from(FileError::Unreadable {
                path: "input".into(),
                detail: e.to_string(),
            })
        };
        let too_large = |size| {
            Error::from(VaultError::FileTooLarge {
                path: "input".into(),
                size,
                limit: 8,
            })
        };
        let staged = vault
            .stage(&mut &secret[..], 1024, &no_read_error, &too_large)
            .expect("staged");
        let on_disk: Vec<_> = fs::read_dir(vault.tmp())
            .expect("tmp")
            .flatten()
            .map(|e| fs::read(e.path()).expect("read"))
            .collect();
        assert_eq!(on_disk.len(), 1);
        assert!(on_disk[0].starts_with(AGE_MAGIC), "staged encrypted");
        assert!(
            !on_disk[0].windows(12).any(|w| w == b"Ada Lovelace"),
            "no plaintext on disk"
        );
        drop(staged);
        assert_eq!(fs::read_dir(vault.tmp()).expect("tmp").count(), 0);

        let kept = vault
            .keep(
                vault
                    .stage(&mut &secret[..], 1024, &no_read_error, &too_large)
                    .expect("staged"),
            )
            .expect("kept");
        assert_eq!(vault.read(&kept.sha256, 1024).expect("read"), secret);
        assert!(matches!(
            vault.stage(&mut &secret[..], 8, &no_read_error, &too_large),
            Err(Error::Vault(VaultError::FileTooLarge { .. }))
        ));
        assert_eq!(
            fs::read_dir(vault.tmp()).expect("tmp").count(),
            0,
            "nothing left behind"
        );
        let _ = dir;
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
