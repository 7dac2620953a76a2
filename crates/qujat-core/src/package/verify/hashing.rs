//! Recomputing checksums: each file read once, in parallel, through one
//! fixed buffer per worker, into one hasher per algorithm the manifests use
//! for it (never one per manifest line: the lines were deduplicated).

use std::fs::File;
use std::io::Read;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use super::bag::{open_regular, Bag, Item, Source};
use super::manifests::{Algorithm, Sums};
use crate::error::{FileError, Result};
use crate::package::copy::{read_full, workers_for, Tracker, CHUNK};
use crate::package::{PackFormat, Phase, Progress};

pub(super) struct Job {
    pub(super) path: String,
    pub(super) item: Item,
    pub(super) expected: Sums,
}

/// Recomputes the checksums of `jobs` in parallel; returns the paths whose
/// bytes do not match (or could not be read to the end).
pub(super) fn check_all(
    bag: &Bag,
    jobs: &[Job],
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<String>> {
    let total = jobs
        .iter()
        .fold(0u64, |sum, j| sum.saturating_add(j.item.size));
    let count = u32::try_from(jobs.len()).unwrap_or(u32::MAX);
    let tracker = Tracker::new(Phase::Verifying, total, count, progress);
    let next = AtomicUsize::new(0);
    let altered: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let cancelled = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for _ in 0..workers_for(jobs.len()) {
            scope.spawn(|| {
                // Each worker reads through its own handle: no shared file
                // position, no lock around reads.
                let mut archive = match bag.format {
                    PackFormat::Zip => open_regular(&bag.path)
                        .ok()
                        .and_then(|f| zip::ZipArchive::new(f).ok()),
                    PackFormat::Folder => None,
                };
                let mut buf = vec![0u8; CHUNK];
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= jobs.len() || cancelled.load(Ordering::Relaxed) {
                        break;
                    }
                    let job = &jobs[i];
                    match check_one(job, archive.as_mut(), &mut buf, &tracker, cancel) {
                        Checked::Matches => {}
                        Checked::Altered => altered
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(job.path.clone()),
                        Checked::Cancelled => {
                            cancelled.store(true, Ordering::Relaxed);
                            break;
                        }
                    }
                    tracker.advance(0, 1);
                }
            });
        }
    });
    if cancelled.load(Ordering::Relaxed) {
        return Err(FileError::Cancelled.into());
    }
    let mut altered = altered.into_inner().unwrap_or_else(|e| e.into_inner());
    altered.sort();
    altered.dedup();
    Ok(altered)
}

enum Checked {
    Matches,
    Altered,
    Cancelled,
}

/// One running checksum. MD5 and SHA-1 come from RustCrypto's 0.10 line
/// (another `Digest` trait than sha2 0.11's), hence the explicit calls.
enum Hasher {
    Md5(Md5),
    Sha1(Sha1),
    Sha224(Sha224),
    Sha256(Sha256),
    Sha384(Sha384),
    Sha512(Sha512),
}

impl Hasher {
    fn new(algorithm: Algorithm) -> Hasher {
        match algorithm {
            Algorithm::Md5 => Hasher::Md5(<Md5 as md5::Digest>::new()),
            Algorithm::Sha1 => Hasher::Sha1(<Sha1 as sha1::Digest>::new()),
            Algorithm::Sha224 => Hasher::Sha224(Sha224::new()),
            Algorithm::Sha256 => Hasher::Sha256(Sha256::new()),
            Algorithm::Sha384 => Hasher::Sha384(Sha384::new()),
            Algorithm::Sha512 => Hasher::Sha512(Sha512::new()),
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Md5(h) => md5::Digest::update(h, bytes),
            Hasher::Sha1(h) => sha1::Digest::update(h, bytes),
            Hasher::Sha224(h) => h.update(bytes),
            Hasher::Sha256(h) => h.update(bytes),
            Hasher::Sha384(h) => h.update(bytes),
            Hasher::Sha512(h) => h.update(bytes),
        }
    }

    fn hex(self) -> String {
        match self {
            Hasher::Md5(h) => hex::encode(md5::Digest::finalize(h)),
            Hasher::Sha1(h) => hex::encode(sha1::Digest::finalize(h)),
            Hasher::Sha224(h) => hex::encode(h.finalize()),
            Hasher::Sha256(h) => hex::encode(h.finalize()),
            Hasher::Sha384(h) => hex::encode(h.finalize()),
            Hasher::Sha512(h) => hex::encode(h.finalize()),
        }
    }
}

fn check_one(
    job: &Job,
    archive: Option<&mut zip::ZipArchive<File>>,
    buf: &mut [u8],
    tracker: &Tracker<'_>,
    cancel: &AtomicBool,
) -> Checked {
    // At most one per algorithm: the manifests were deduplicated.
    let mut hashers: Vec<(Hasher, &str)> = job
        .expected
        .iter()
        .map(|(a, hex)| (Hasher::new(*a), hex.as_str()))
        .collect();
    let mut reader: Box<dyn Read + '_> = match (&job.item.source, archive) {
        (Source::Zip(index), Some(archive)) => match archive.by_index(*index) {
            Ok(entry) => Box::new(entry),
            Err(_) => return Checked::Altered,
        },
        (Source::File(path), _) => match open_regular(path) {
            Ok(f) => Box::new(f),
            Err(_) => return Checked::Altered,
        },
        _ => return Checked::Altered,
    };
    // Never read more than the declared size and one byte: a ZIP entry that
    // inflates beyond its size is altered, however long it would go on. A
    // ZIP64 size near 2^64 must not wrap around to a small number.
    let mut remaining = job.item.size.saturating_add(1);
    let mut read_total: u64 = 0;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Checked::Cancelled;
        }
        let want = usize::try_from(remaining).map_or(buf.len(), |r| r.min(buf.len()));
        let n = match read_full(&mut reader, &mut buf[..want]) {
            Ok(n) => n,
            Err(_) => return Checked::Altered,
        };
        if n == 0 {
            break;
        }
        for (h, _) in hashers.iter_mut() {
            h.update(&buf[..n]);
        }
        read_total = read_total.saturating_add(n as u64);
        remaining = remaining.saturating_sub(n as u64);
        tracker.advance(n as u64, 0);
        if remaining == 0 {
            break;
        }
    }
    if read_total != job.item.size {
        return Checked::Altered;
    }
    if hashers.into_iter().all(|(h, expected)| h.hex() == expected) {
        Checked::Matches
    } else {
        Checked::Altered
    }
}
