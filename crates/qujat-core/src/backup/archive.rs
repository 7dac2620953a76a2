//! Writing and (defensively) reading the encrypted backup file.
//!
//! Reading never trusts the file: the manifest must come first and within a
//! size limit, and is judged by the caller (ids, requirements, events and
//! the size limit of each file) before any file is read; every other entry
//! must be a plain file named `files/<sha256>` that the manifest declares,
//! once, no larger than its requirements accept and than the per-entry
//! limit, with the total under its own limit; all of it counted on the
//! decompressed stream as it arrives, so a decompression bomb is stopped at
//! the limit, not after.
//!
//! The tar reader is used raw: left to itself it reads a GNU long-name or
//! PAX header entry whole into memory before handing over the entry it
//! describes (a 262 KB backup could claim a 1 GB name). Qujat never writes
//! such entries, so each is refused from its 512-byte header, unread. Entries are
//! staged in the vault's `tmp/`, encrypted with the data key like any vault
//! object (so no document is ever on disk in clear, even for a moment; the
//! folder is emptied at every open, so a crash leaves nothing behind) and
//! hashed on the way.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::iter;
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use sha2::{Digest, Sha256};

use super::manifest::{is_sha256, Manifest, FORMAT_VERSION};
use crate::durable::sync_dir;
use crate::error::{BackupError, Error, FileError, Result, VaultError};
use crate::text::visible_capped;
use crate::vault::{self, Vault};

/// How many characters of a name from the backup an error message shows.
pub(super) const SHOWN: usize = 120;

/// scrypt work factor (log2 N) for new backups: 2^18 is age's usual choice,
/// about a second and 256 MiB to try one passphrase.
pub const WORK_FACTOR: u8 = 18;

/// The most work a backup may ask for before it is refused as hostile
/// (2^20: about 4 s and 1 GiB).
const MAX_WORK_FACTOR: u8 = 20;

const MANIFEST: &str = "manifest.json";
const FILES: &str = "files/";
const TRAILER_MAGIC: &[u8; 8] = b"QJBKEND1";
const TRAILER_LEN: u64 = 16;
const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";

/// Size limits for an import.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest manifest.
    pub manifest_bytes: u64,
    /// Largest single file.
    pub entry_bytes: u64,
    /// Largest total of the decompressed archive.
    pub total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            manifest_bytes: 16 << 20,
            // Far above any requirement's size limit.
            entry_bytes: 1 << 30,
            total_bytes: 8 << 30,
        }
    }
}

/// A checked archive: its manifest and its files, staged in the vault.
pub(super) struct Staged {
    pub manifest: Manifest,
    /// SHA-256 → staged copy (removed when dropped).
    pub files: BTreeMap<String, vault::Staged>,
}

/// Writes the backup to `out` (through a temporary file beside it, synced
/// and renamed). Returns the number of files and the backup's size.
pub(super) fn write(
    out: &Path,
    manifest: &Manifest,
    vault: &Vault,
    passphrase: &str,
    work_factor: u8,
) -> Result<(u32, u64)> {
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(60).collect::<String>())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.part", uuid::Uuid::new_v4().simple()));
    let result = write_to(&tmp, manifest, vault, passphrase, work_factor).and_then(|done| {
        fs::rename(&tmp, out).map_err(|e| Error::writing(out, e))?;
        sync_dir(&dir);
        Ok(done)
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn write_to(
    tmp: &Path,
    manifest: &Manifest,
    vault: &Vault,
    passphrase: &str,
    work_factor: u8,
) -> Result<(u32, u64)> {
    let werr = |e: io::Error| Error::writing(tmp, e);
    let file = File::create_new(tmp).map_err(werr)?;
    let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase.to_owned()));
    recipient.set_work_factor(work_factor);
    let encryptor = age::Encryptor::with_recipients(iter::once(&recipient as &dyn age::Recipient))
        .map_err(|e| FileError::Unwritable {
            path: tmp.display().to_string(),
            detail: e.to_string(),
        })?;
    let encrypted = encryptor
        .wrap_output(io::BufWriter::new(file))
        .map_err(werr)?;
    let gz = flate2::write::GzEncoder::new(encrypted, flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);

    let json = serde_json::to_vec_pretty(manifest).map_err(|e| FileError::Unwritable {
        path: tmp.display().to_string(),
        detail: e.to_string(),
    })?;
    tar.append_data(&mut header(json.len() as u64), MANIFEST, json.as_slice())
        .map_err(werr)?;
    let files = manifest.dossier.files();
    for sha in &files {
        let requirement = manifest
            .dossier
            .documents
            .iter()
            .find(|d| &d.sha256 == sha)
            .map(|d| d.requirement_id.clone())
            .unwrap_or_default();
        let source = vault.path_of(sha);
        let damaged = || {
            Error::from(VaultError::VaultDamaged {
                requirement: requirement.clone(),
                path: source.display().to_string(),
            })
        };
        // The plaintext size, as recorded when attached (an encrypted
        // object's length on disk is not it); a content of another length
        // fails the tar entry or the hash below.
        let size = manifest
            .dossier
            .documents
            .iter()
            .find(|d| &d.sha256 == sha)
            .map(|d| d.size)
            .ok_or_else(damaged)?;
        let input = vault.open_content(sha).map_err(|_| damaged())?;
        let mut hashing = HashingReader::new(input);
        tar.append_data(&mut header(size), format!("{FILES}{sha}"), &mut hashing)
            .map_err(|e| match e.kind() {
                io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidData => damaged(),
                _ => werr(e),
            })?;
        // A vault file that no longer has its recorded hash is not backed up
        // as if it were the document.
        if &hashing.finish() != sha {
            return Err(damaged());
        }
    }
    let gz = tar.into_inner().map_err(werr)?;
    let encrypted = gz.finish().map_err(werr)?;
    let mut buffered = encrypted.finish().map_err(werr)?;
    buffered.flush().map_err(werr)?;
    let mut file = buffered.into_inner().map_err(|e| werr(e.into_error()))?;
    let age_len = file.stream_position().map_err(werr)?;
    file.write_all(&age_len.to_le_bytes()).map_err(werr)?;
    file.write_all(TRAILER_MAGIC).map_err(werr)?;
    file.sync_all().map_err(werr)?;
    Ok((files.len() as u32, age_len + TRAILER_LEN))
}

fn header(size: u64) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_size(size);
    h.set_mode(0o600);
    h.set_entry_type(tar::EntryType::Regular);
    // A fixed time: the backup's content, not its entries' dates, matters.
    h.set_mtime(0);
    h
}

/// Reads and checks the backup at `path`, staging its files in `vault`.
/// `judge` checks the manifest as soon as it is read, before any file, and
/// returns the size limit of each file it declares (by SHA-256).
pub(super) fn read(
    path: &Path,
    passphrase: &str,
    limits: &Limits,
    vault: &Vault,
    judge: &dyn Fn(&Manifest) -> Result<BTreeMap<String, u64>>,
) -> Result<Staged> {
    let not_backup = |detail: &str| {
        Error::from(BackupError::NotABackup {
            path: path.display().to_string(),
            detail: detail.to_owned(),
        })
    };
    let mut file = File::open(path).map_err(|e| Error::reading(path, e))?;
    let len = file.metadata().map_err(|e| Error::reading(path, e))?.len();
    let mut magic = vec![0u8; AGE_MAGIC.len()];
    let n = read_full(&mut file, &mut magic).map_err(|e| Error::reading(path, e))?;
    if n < AGE_MAGIC.len() || magic != AGE_MAGIC {
        return Err(not_backup("not an encrypted Qujat backup"));
    }
    // The trailer: a copy cut short has lost it.
    if len < AGE_MAGIC.len() as u64 + TRAILER_LEN {
        return Err(BackupError::BackupTruncated.into());
    }
    let mut trailer = [0u8; TRAILER_LEN as usize];
    file.seek(SeekFrom::End(-(TRAILER_LEN as i64)))
        .and_then(|_| file.read_exact(&mut trailer))
        .map_err(|e| Error::reading(path, e))?;
    let declared = u64::from_le_bytes(trailer[..8].try_into().unwrap_or_default());
    if &trailer[8..] != TRAILER_MAGIC || declared != len - TRAILER_LEN {
        return Err(BackupError::BackupTruncated.into());
    }
    file.seek(SeekFrom::Start(0))
        .map_err(|e| Error::reading(path, e))?;

    let decryptor =
        age::Decryptor::new(BufReader::new(file.take(declared))).map_err(|e| match e {
            age::DecryptError::Io(ref io) if io.kind() == io::ErrorKind::UnexpectedEof => {
                Error::from(BackupError::BackupTruncated)
            }
            age::DecryptError::UnknownFormat => not_backup("an age file of an unknown version"),
            other => Error::from(BackupError::BackupTampered {
                detail: other.to_string(),
            }),
        })?;
    if !decryptor.is_scrypt() {
        return Err(not_backup("encrypted to a key, not a passphrase"));
    }
    let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_owned()));
    identity.set_max_work_factor(MAX_WORK_FACTOR);
    let plain = decryptor
        .decrypt(iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
                Error::from(BackupError::BackupWrongPassphrase)
            }
            age::DecryptError::ExcessiveWork { .. } => Error::from(BackupError::BackupTampered {
                detail: "it asks for more key-derivation work than any Qujat backup".into(),
            }),
            other => Error::from(BackupError::BackupTampered {
                detail: other.to_string(),
            }),
        })?;
    let counted = Counting {
        inner: flate2::read::GzDecoder::new(plain),
        left: limits.total_bytes,
        limit: limits.total_bytes,
    };
    let mut tar = tar::Archive::new(counted);
    // Raw: extension headers come to us as entries, unread (see above).
    let entries = tar.entries().map_err(stream_error)?.raw(true);
    let mut manifest: Option<Manifest> = None;
    let mut declared_files: HashSet<String> = HashSet::new();
    let mut caps: BTreeMap<String, u64> = BTreeMap::new();
    let mut files: BTreeMap<String, vault::Staged> = BTreeMap::new();
    let mut seen_manifest = false;
    for entry in entries {
        let mut entry = entry.map_err(stream_error)?;
        // At most 256 bytes from the header (prefix + name), shown escaped.
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let shown = visible_capped(&raw, SHOWN);
        let kind = entry.header().entry_type();
        if is_extension_header(kind) {
            return Err(BackupError::BackupExtendedHeader {
                path: shown,
                size: entry.header().entry_size().unwrap_or(u64::MAX),
            }
            .into());
        }
        check_path(&raw, &shown)?;
        if !kind.is_file() {
            return Err(BackupError::BackupLink { path: shown }.into());
        }
        let size = entry
            .header()
            .size()
            .map_err(|_| BackupError::BackupTampered {
                detail: format!("{shown}: a bad size field"),
            })?;
        if raw == MANIFEST {
            if seen_manifest {
                return Err(BackupError::BackupDuplicateEntry { path: shown }.into());
            }
            seen_manifest = true;
            if size > limits.manifest_bytes {
                return Err(BackupError::BackupTooLarge {
                    path: shown,
                    limit: limits.manifest_bytes,
                }
                .into());
            }
            let mut json = Vec::new();
            (&mut entry)
                .take(limits.manifest_bytes + 1)
                .read_to_end(&mut json)
                .map_err(stream_error)?;
            let parsed = parse_manifest(&json)?;
            declared_files = parsed.dossier.files().into_iter().collect();
            // The limits come from the requirements, not from the sizes
            // the manifest declares (those are re-derived from the bytes).
            caps = judge(&parsed)?;
            manifest = Some(parsed);
            continue;
        }
        if manifest.is_none() {
            // Without the manifest first, nothing can be judged as it streams.
            return Err(BackupError::BackupUndeclaredEntry { path: shown }.into());
        }
        let Some(sha) = raw
            .strip_prefix(FILES)
            .filter(|s| declared_files.contains(*s))
        else {
            return Err(BackupError::BackupUndeclaredEntry { path: shown }.into());
        };
        let sha = sha.to_owned();
        if files.contains_key(&sha) {
            return Err(BackupError::BackupDuplicateEntry { path: shown }.into());
        }
        let cap = caps.get(&sha).copied().unwrap_or(0).min(limits.entry_bytes);
        if size > cap {
            return Err(BackupError::BackupTooLarge {
                path: shown,
                limit: cap,
            }
            .into());
        }
        let staged = vault.stage(&mut entry, cap, &stream_error, &|_| {
            Error::from(BackupError::BackupTooLarge {
                path: shown.clone(),
                limit: cap,
            })
        })?;
        if staged.sha256 != sha {
            return Err(BackupError::BackupTampered {
                detail: format!("{shown} does not match its hash"),
            }
            .into());
        }
        files.insert(sha, staged);
    }
    let Some(manifest) = manifest else {
        return Err(BackupError::BackupMissingEntry {
            path: MANIFEST.into(),
        }
        .into());
    };
    if let Some(missing) = declared_files.iter().find(|s| !files.contains_key(*s)) {
        return Err(BackupError::BackupMissingEntry {
            path: format!("{FILES}{missing}"),
        }
        .into());
    }
    Ok(Staged { manifest, files })
}

/// GNU long names and links, PAX local and global headers: entries about
/// the next entry, which the tar crate would otherwise read whole.
fn is_extension_header(kind: tar::EntryType) -> bool {
    kind.is_gnu_longname()
        || kind.is_gnu_longlink()
        || kind.is_pax_local_extensions()
        || kind.is_pax_global_extensions()
}

/// Refuses absolute paths and paths that climb out, before anything else
/// is looked at. `shown` is `raw` as an error may print it.
fn check_path(raw: &str, shown: &str) -> Result<()> {
    let windows_drive = raw.len() >= 2 && raw.as_bytes()[1] == b':';
    if raw.starts_with('/') || raw.starts_with('\\') || windows_drive {
        return Err(BackupError::BackupAbsolutePath { path: shown.into() }.into());
    }
    if raw.split(['/', '\\']).any(|c| c == "..") {
        return Err(BackupError::BackupUnsafePath { path: shown.into() }.into());
    }
    Ok(())
}

fn parse_manifest(json: &[u8]) -> Result<Manifest> {
    let tampered = |detail: String| Error::from(BackupError::BackupTampered { detail });
    // The format first, so a newer backup says so instead of failing on the
    // first field this build does not know.
    // serde's messages quote the offending value, which may be megabytes.
    let tampered_by = |e: serde_json::Error| {
        tampered(format!(
            "manifest.json: {}",
            visible_capped(&e.to_string(), 2 * SHOWN)
        ))
    };
    let value: serde_json::Value = serde_json::from_slice(json).map_err(tampered_by)?;
    let format = value.get("format").and_then(serde_json::Value::as_u64);
    match format {
        Some(f) if f == u64::from(FORMAT_VERSION) => {}
        Some(f) if f > u64::from(FORMAT_VERSION) => {
            return Err(BackupError::BackupTooNew {
                found: u32::try_from(f).unwrap_or(u32::MAX),
                known: FORMAT_VERSION,
            }
            .into())
        }
        _ => return Err(tampered("manifest.json: no valid format".into())),
    }
    let manifest: Manifest = serde_json::from_value(value).map_err(tampered_by)?;
    let d = &manifest.dossier;
    let bad = |what: &str| tampered(format!("manifest.json: {what}"));
    if d.id.is_empty() || d.program_id.is_empty() {
        return Err(bad("no dossier id or program"));
    }
    if let Some(doc) = d.documents.iter().find(|doc| !is_sha256(&doc.sha256)) {
        return Err(bad(&format!(
            "\"{}\" is not a SHA-256",
            visible_capped(&doc.sha256, SHOWN)
        )));
    }
    if d.history
        .iter()
        .any(|h| !matches!(h.action.as_str(), "added" | "corrected" | "removed"))
    {
        return Err(bad("an unknown history action"));
    }
    Ok(manifest)
}

/// An error from the decrypted, decompressed stream.
fn stream_error(e: io::Error) -> Error {
    if let Some(limit) = e
        .get_ref()
        .and_then(|i| i.downcast_ref::<TooLarge>())
        .map(|t| t.0)
    {
        return Error::from(BackupError::BackupTooLarge {
            path: "(backup)".into(),
            limit,
        });
    }
    match e.kind() {
        // age: the stream ended before its last chunk.
        io::ErrorKind::UnexpectedEof => Error::from(BackupError::BackupTruncated),
        // age: a chunk failed authentication; flate2: a corrupt stream.
        _ => Error::from(BackupError::BackupTampered {
            detail: e.to_string(),
        }),
    }
}

/// The total limit, carried through `io::Error`.
#[derive(Debug)]
struct TooLarge(u64);

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the archive expands past {} bytes", self.0)
    }
}

impl std::error::Error for TooLarge {}

/// Fails reads once more than `left` bytes have come through.
struct Counting<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(io::Error::other(TooLarge(self.limit)));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> HashingReader<R> {
    fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
        }
    }

    fn finish(self) -> String {
        hex::encode(self.hasher.finalize())
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
