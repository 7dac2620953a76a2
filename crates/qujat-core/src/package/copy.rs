//! Writing a package: documents copied from the vault in parallel, each read
//! once and hashed while it is written, then the generated files, then a full
//! verification of what landed on disk, then an atomic rename.
//!
//! Memory stays flat whatever the file sizes: each worker owns one buffer of
//! [`CHUNK`] bytes and nothing else grows with the data. ZIP entries go
//! straight to their precomputed places in one output file (positional
//! writes), so two workers never wait for each other.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::zip_writer::{self, Entry};
use super::{
    bagit, cover, pages::PageCounter, upload_list, verify, ChecklistRow, Phase, PlannedFile,
    Progress, COVER_SHEET, UPLOAD_LIST,
};
use crate::durable::sync_dir;
use crate::error::{Error, FileError, Result, VaultError};
use crate::i18n::Lang;
use crate::kind::FileKind;

/// Bytes read and written at a time by each worker.
pub(crate) const CHUNK: usize = 1 << 20;

/// Everything about the package except the documents' bytes.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    pub lang: Lang,
    pub date: NaiveDate,
    pub bag_name: String,
    pub program_name: String,
    pub program_id: String,
    pub program_version: String,
    pub stage_name: String,
    pub stage_id: String,
    pub dossier_id: String,
    pub applicant: String,
    /// Blocking requirements as "name (id)", empty for a complete stage.
    pub blockers: Vec<String>,
    pub rows: Vec<ChecklistRow>,
}

/// A document once copied.
#[derive(Debug, Clone, Default)]
pub(crate) struct Copied {
    pub sha256: String,
    pub crc32: u32,
    pub pages: Option<u32>,
}

/// What was written.
pub(crate) struct Written {
    pub copied: Vec<Copied>,
    pub payload_bytes: u64,
    pub payload_files: u32,
    pub package_bytes: u64,
}

/// Removes an unfinished package (file or folder) unless disarmed.
struct Unfinished {
    path: Option<PathBuf>,
}

impl Unfinished {
    fn keep(mut self) {
        self.path = None;
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            if path.is_dir() {
                let _ = fs::remove_dir_all(&path);
            } else {
                let _ = fs::remove_file(&path);
            }
        }
    }
}

/// A temporary name next to `out`, so the final rename stays on one disk.
fn temporary_beside(out: &Path) -> Result<PathBuf> {
    let name = out
        .file_name()
        // Shortened so the temporary name stays within the 255-byte limit
        // even when the final name is already near it.
        .map(|n| n.to_string_lossy().chars().take(60).collect::<String>())
        .ok_or_else(|| FileError::Unwritable {
            path: out.display().to_string(),
            detail: "not a file name".into(),
        })?;
    let dir = parent_of(out);
    Ok(dir.join(format!(".{name}.{}.part", uuid::Uuid::new_v4().simple())))
}

fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Writes the package as one ZIP file at `out`.
pub(crate) fn write_zip(
    out: &Path,
    files: &[PlannedFile],
    context: &Context,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Written> {
    let tmp = temporary_beside(out)?;
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(|e| Error::writing(&tmp, e))?;
    let guard = Unfinished {
        path: Some(tmp.clone()),
    };
    let root = format!("{}/", context.bag_name);

    // Payload entries first, at offsets known from the recorded sizes.
    let mut entries: Vec<Entry> = Vec::with_capacity(files.len());
    let mut offset = 0;
    for f in files {
        let entry = Entry::stored(&format!("{root}data/{}", f.name), offset, f.size);
        offset = entry.end();
        entries.push(entry);
    }
    let targets: Vec<Target> = entries
        .iter()
        .map(|e| Target::ZipAt {
            data_offset: e.data_offset(),
        })
        .collect();
    let copied = copy_all(files, &targets, Some((&file, &tmp)), progress, cancel)?;
    for (entry, c) in entries.iter_mut().zip(&copied) {
        entry.crc32 = c.crc32;
        write_all_at(&file, &entry.local_header(context.date), entry.offset)
            .map_err(|e| Error::writing(&tmp, e))?;
    }

    // Then the generated files, small enough to hold in memory.
    let generated = generated_files(files, &copied, context);
    let mut tail = Vec::new();
    let mut named: Vec<(String, Entry)> = Vec::new();
    for (name, bytes) in &generated.files {
        let (entry, data) =
            zip_writer::small_entry(&format!("{root}{name}"), offset + tail.len() as u64, bytes);
        tail.extend(entry.local_header(context.date));
        tail.extend(data);
        named.push((name.clone(), entry));
    }
    let cd_offset = offset + tail.len() as u64;
    // The central directory lists entries in reading order: bag declaration,
    // metadata, cover sheet, documents, manifests.
    let mut listed: Vec<Entry> = Vec::new();
    let take = |name: &str, named: &[(String, Entry)]| {
        named
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, e)| e.clone())
    };
    for name in ["bagit.txt", "bag-info.txt"] {
        listed.extend(take(name, &named));
    }
    listed.extend(take(&format!("data/{COVER_SHEET}"), &named));
    listed.extend(entries.iter().cloned());
    for name in ["manifest-sha256.txt", "tagmanifest-sha256.txt", UPLOAD_LIST] {
        listed.extend(take(name, &named));
    }
    tail.extend(zip_writer::central_directory(
        &listed,
        cd_offset,
        context.date,
    ));
    write_all_at(&file, &tail, offset).map_err(|e| Error::writing(&tmp, e))?;
    let package_bytes = offset + tail.len() as u64;
    file.set_len(package_bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| Error::writing(&tmp, e))?;
    drop(file);

    check_written(&tmp, progress, cancel)?;
    fs::rename(&tmp, out).map_err(|e| Error::writing(out, e))?;
    guard.keep();
    sync_dir(&parent_of(out));
    Ok(Written {
        copied,
        payload_bytes: generated.payload_bytes,
        payload_files: generated.payload_files,
        package_bytes,
    })
}

/// Writes the package as a plain folder at `out`.
pub(crate) fn write_folder(
    out: &Path,
    files: &[PlannedFile],
    context: &Context,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Written> {
    let tmp = temporary_beside(out)?;
    fs::create_dir(&tmp).map_err(|e| Error::writing(&tmp, e))?;
    let guard = Unfinished {
        path: Some(tmp.clone()),
    };
    let data = tmp.join("data");
    fs::create_dir(&data).map_err(|e| Error::writing(&data, e))?;
    let targets: Vec<Target> = files
        .iter()
        .map(|f| Target::File(data.join(&f.name)))
        .collect();
    let copied = copy_all(files, &targets, None, progress, cancel)?;
    let generated = generated_files(files, &copied, context);
    let mut package_bytes: u64 = files.iter().map(|f| f.size).sum();
    for (name, bytes) in &generated.files {
        let path = tmp.join(name);
        let mut f = File::create(&path).map_err(|e| Error::writing(&path, e))?;
        f.write_all(bytes)
            .and_then(|_| f.sync_all())
            .map_err(|e| Error::writing(&path, e))?;
        package_bytes += bytes.len() as u64;
    }
    sync_dir(&data);
    sync_dir(&tmp);

    check_written(&tmp, progress, cancel)?;
    // A folder cannot replace another in one rename: move the old one aside,
    // put the new one in place, then delete the old one.
    let aside = if fs::symlink_metadata(out).is_ok() {
        let aside = temporary_beside(out)?;
        fs::rename(out, &aside).map_err(|e| Error::writing(out, e))?;
        Some(aside)
    } else {
        None
    };
    if let Err(e) = fs::rename(&tmp, out) {
        if let Some(aside) = &aside {
            let _ = fs::rename(aside, out);
        }
        return Err(Error::writing(out, e));
    }
    guard.keep();
    if let Some(aside) = aside {
        let _ = if aside.is_dir() {
            fs::remove_dir_all(&aside)
        } else {
            fs::remove_file(&aside)
        };
    }
    sync_dir(&parent_of(out));
    Ok(Written {
        copied,
        payload_bytes: generated.payload_bytes,
        payload_files: generated.payload_files,
        package_bytes,
    })
}

/// Re-reads the written package with the same code as `qujat verify`; a
/// package that does not verify is never put in place.
fn check_written(
    tmp: &Path,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<()> {
    let report = verify::verify_with_progress(tmp, progress, cancel)?;
    if report.valid {
        Ok(())
    } else {
        Err(FileError::Unwritable {
            path: tmp.display().to_string(),
            detail: format!(
                "the written package does not verify (missing {:?}, extra {:?}, altered {:?}, problems {:?})",
                report.missing, report.extra, report.altered, report.problems
            ),
        }.into())
    }
}

/// The files Qujat generates, as (path in the bag, bytes), and the payload
/// totals they declare.
struct Generated {
    files: Vec<(String, Vec<u8>)>,
    payload_bytes: u64,
    payload_files: u32,
}

fn generated_files(files: &[PlannedFile], copied: &[Copied], context: &Context) -> Generated {
    let cover = cover::render(context, files, copied);
    let payload_bytes = cover.len() as u64 + files.iter().map(|f| f.size).sum::<u64>();
    let payload_files = files.len() as u32 + 1;

    let cover_sha = hex::encode(Sha256::digest(&cover));
    let mut manifest_entries: Vec<(String, String)> =
        vec![(cover_sha, format!("data/{COVER_SHEET}"))];
    for (f, c) in files.iter().zip(copied) {
        manifest_entries.push((c.sha256.clone(), format!("data/{}", f.name)));
    }
    let manifest = bagit::manifest(
        manifest_entries
            .iter()
            .map(|(h, p)| (h.as_str(), p.as_str())),
    );

    let complete = if context.blockers.is_empty() {
        "yes".to_owned()
    } else {
        format!("no; blockers: {}", context.blockers.join("; "))
    };
    let bag_info = bagit::bag_info(&[
        ("Bagging-Date", context.date.to_string()),
        ("Payload-Oxum", format!("{payload_bytes}.{payload_files}")),
        (
            "Bag-Software-Agent",
            format!("Qujat {}", env!("CARGO_PKG_VERSION")),
        ),
        ("External-Identifier", context.dossier_id.clone()),
        (
            "External-Description",
            format!(
                "{} ({} {}), stage {}",
                context.program_name, context.program_id, context.program_version, context.stage_id
            ),
        ),
        ("Qujat-Program", context.program_id.clone()),
        ("Qujat-Program-Version", context.program_version.clone()),
        ("Qujat-Stage", context.stage_id.clone()),
        ("Qujat-Dossier", context.dossier_id.clone()),
        ("Qujat-Applicant", context.applicant.clone()),
        ("Qujat-Complete", complete),
    ]);
    let upload = upload_list(context, files);

    let tag_files: [(&str, &str); 4] = [
        ("bagit.txt", bagit::BAGIT_TXT),
        ("bag-info.txt", &bag_info),
        ("manifest-sha256.txt", &manifest),
        (UPLOAD_LIST, &upload),
    ];
    let tag_hashes: Vec<(String, &str)> = tag_files
        .iter()
        .map(|(name, text)| (hex::encode(Sha256::digest(text.as_bytes())), *name))
        .collect();
    let tagmanifest = bagit::manifest(tag_hashes.iter().map(|(h, n)| (h.as_str(), *n)));

    let mut out: Vec<(String, Vec<u8>)> = vec![(format!("data/{COVER_SHEET}"), cover)];
    for (name, text) in tag_files {
        out.push((name.to_owned(), text.as_bytes().to_vec()));
    }
    out.push((
        "tagmanifest-sha256.txt".to_owned(),
        tagmanifest.into_bytes(),
    ));
    Generated {
        files: out,
        payload_bytes,
        payload_files,
    }
}

/// Where one document goes.
enum Target {
    /// Into the ZIP being written: its data, then its local header once the
    /// CRC is known (written by the caller).
    ZipAt { data_offset: u64 },
    /// Into its own file.
    File(PathBuf),
}

/// Progress shared by the workers; reports are serialised so the numbers a
/// listener sees only ever grow.
pub(crate) struct Tracker<'a> {
    state: Mutex<Progress>,
    listener: &'a (dyn Fn(Progress) + Sync),
}

impl<'a> Tracker<'a> {
    pub(crate) fn new(
        phase: Phase,
        bytes_total: u64,
        files_total: u32,
        listener: &'a (dyn Fn(Progress) + Sync),
    ) -> Tracker<'a> {
        let start = Progress {
            phase,
            bytes_done: 0,
            bytes_total,
            files_done: 0,
            files_total,
        };
        listener(start);
        Tracker {
            state: Mutex::new(start),
            listener,
        }
    }

    pub(crate) fn advance(&self, bytes: u64, files: u32) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.bytes_done += bytes;
        state.files_done += files;
        (self.listener)(*state);
    }
}

/// How many files to work on at once: one per core, at most four (more only
/// adds seeking on a spinning disk), never more than there are files.
pub(crate) fn workers_for(jobs: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    cores.clamp(1, 4).min(jobs.max(1))
}

fn copy_all(
    files: &[PlannedFile],
    targets: &[Target],
    zip: Option<(&File, &Path)>,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<Copied>> {
    let total: u64 = files.iter().map(|f| f.size).sum();
    let tracker = Tracker::new(Phase::Copying, total, files.len() as u32, progress);
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let first_error: Mutex<Option<Error>> = Mutex::new(None);
    let results: Mutex<Vec<Copied>> = Mutex::new(vec![Copied::default(); files.len()]);
    std::thread::scope(|scope| {
        for _ in 0..workers_for(files.len()) {
            scope.spawn(|| {
                let mut buf = vec![0u8; CHUNK];
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= files.len() || failed.load(Ordering::Relaxed) {
                        break;
                    }
                    let stop = || cancel.load(Ordering::Relaxed) || failed.load(Ordering::Relaxed);
                    match copy_one(&files[i], &targets[i], zip, &mut buf, &tracker, &stop) {
                        Ok(c) => results.lock().unwrap_or_else(|e| e.into_inner())[i] = c,
                        Err(e) => {
                            failed.store(true, Ordering::Relaxed);
                            let mut slot = first_error.lock().unwrap_or_else(|e| e.into_inner());
                            // The error that stopped the others is the one to tell.
                            if slot.is_none()
                                || matches!(*slot, Some(Error::File(FileError::Cancelled)))
                            {
                                *slot = Some(e);
                            }
                            break;
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = first_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    Ok(results.into_inner().unwrap_or_else(|e| e.into_inner()))
}

fn copy_one(
    file: &PlannedFile,
    target: &Target,
    zip: Option<(&File, &Path)>,
    buf: &mut [u8],
    tracker: &Tracker<'_>,
    stop: &dyn Fn() -> bool,
) -> Result<Copied> {
    let damaged = || {
        Error::from(VaultError::VaultDamaged {
            requirement: file.requirement_id.clone(),
            path: file.source.display().to_string(),
        })
    };
    let mut input = match file.vault.open_content(&file.sha256) {
        Ok(f) => f,
        Err(
            Error::File(FileError::FileNotFound { .. }) | Error::File(FileError::Unreadable { .. }),
        ) => return Err(damaged()),
        Err(e) => return Err(e),
    };
    let mut output = match target {
        Target::File(path) => Some((
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .map_err(|e| Error::writing(path, e))?,
            path,
        )),
        Target::ZipAt { .. } => None,
    };
    let mut sha = Sha256::new();
    let mut crc = crc32fast::Hasher::new();
    let mut pages = (file.kind == FileKind::Pdf).then(PageCounter::new);
    let mut done: u64 = 0;
    loop {
        if stop() {
            return Err(FileError::Cancelled.into());
        }
        let n = read_full(&mut input, buf).map_err(|e| match e.kind() {
            // A changed or cut object fails its authentication.
            io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof => damaged(),
            _ => Error::reading(&file.source, e),
        })?;
        if n == 0 {
            break;
        }
        if done + n as u64 > file.size {
            // Longer than recorded: it would overrun its place in the ZIP.
            return Err(damaged());
        }
        let chunk = &buf[..n];
        sha.update(chunk);
        if let Some(p) = pages.as_mut() {
            p.feed(chunk);
        }
        match (target, &mut output, zip) {
            (Target::ZipAt { data_offset }, _, Some((out, path))) => {
                crc.update(chunk);
                write_all_at(out, chunk, data_offset + done)
                    .map_err(|e| Error::writing(path, e))?;
            }
            (_, Some((out, path)), _) => {
                out.write_all(chunk).map_err(|e| Error::writing(path, e))?;
            }
            _ => unreachable!("every target has somewhere to write"),
        }
        done += n as u64;
        tracker.advance(n as u64, 0);
    }
    let sha256 = hex::encode(sha.finalize());
    if done != file.size || sha256 != file.sha256 {
        return Err(damaged());
    }
    if let Some((out, path)) = output {
        out.sync_all().map_err(|e| Error::writing(path, e))?;
    }
    tracker.advance(0, 1);
    Ok(Copied {
        sha256,
        crc32: crc.finalize(),
        pages: pages.and_then(PageCounter::finish),
    })
}

/// Reads until `buf` is full or the file ends; returns the bytes read.
pub(crate) fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(unix)]
fn write_all_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(windows)]
fn write_all_at(file: &File, mut buf: &[u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_write(buf, offset) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                buf = &buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
