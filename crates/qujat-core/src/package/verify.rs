//! Verifying a package, ours or anyone's: recompute everything and say what
//! is missing, extra or altered.
//!
//! The package is hostile input. Nothing is extracted; an entry whose path is
//! absolute, climbs out with `..`, uses backslashes or is a link is reported
//! and never opened. Names are compared in NFC, so a bag written on macOS
//! (NFD) verifies on Windows. Reading is streamed with one fixed buffer per
//! worker, and files are hashed in parallel.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::Serialize;
use sha2::{Digest, Sha256, Sha512};
use ts_rs::TS;

use super::bagit::{self, Algorithm};
use super::copy::{read_full, workers_for, Tracker, CHUNK};
use super::names::{is_safe_relative_path, nfc};
use super::{PackFormat, Phase, Progress};
use crate::error::{Error, Result};

/// Tag files and manifests are read whole; a bigger one is not a real bag.
const MAX_TAG_FILE: u64 = 64 << 20;

/// The result of checking a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VerifyReport {
    /// The package checked.
    pub path: String,
    /// ZIP or folder.
    pub format: PackFormat,
    /// Whether everything matched: nothing missing, extra or altered, and no
    /// problems.
    pub valid: bool,
    /// The bag's folder name (the ZIP's top folder; empty if it has none).
    pub bag_name: String,
    /// The bag's metadata (`bag-info.txt`), in order.
    pub info: Vec<BagTag>,
    /// Files whose checksums were recomputed.
    pub files_checked: u32,
    /// Bytes read to do so.
    #[ts(type = "number")]
    pub bytes_checked: u64,
    /// Listed in a manifest, not in the package.
    pub missing: Vec<String>,
    /// In the payload (or outside the bag) but not listed in every manifest.
    pub extra: Vec<String>,
    /// Present, but their bytes do not match the manifest.
    pub altered: Vec<String>,
    /// Anything else that makes the bag invalid.
    pub problems: Vec<VerifyProblem>,
}

/// One `Label: value` line of `bag-info.txt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BagTag {
    /// The label, e.g. `Bagging-Date`.
    pub label: String,
    /// Its value.
    pub value: String,
}

/// Why a package is invalid, besides missing, extra and altered files. Each
/// has a message `verify.problem.<code>` in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "code",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum VerifyProblem {
    /// An entry or manifest line points outside the bag (absolute, `..`,
    /// backslashes, a link); it was not opened.
    UnsafePath {
        /// The path as found.
        path: String,
    },
    /// `bagit.txt` is missing its version or is not UTF-8.
    InvalidDeclaration,
    /// No payload manifest with an algorithm Qujat can check (SHA-256, SHA-512).
    NoManifest,
    /// A manifest line that is not `<checksum> <path>`.
    BadManifestLine {
        /// The manifest file.
        file: String,
        /// Line number, from 1.
        line: u32,
    },
    /// `Payload-Oxum` (bytes.files) does not match the payload.
    OxumMismatch {
        /// As declared.
        expected: String,
        /// As found.
        found: String,
    },
}

/// Checks the package at `path` (a ZIP file or a bag folder).
pub fn verify(path: &Path) -> Result<VerifyReport> {
    verify_with_progress(path, &|_| {}, &AtomicBool::new(false))
}

/// [`verify`], reporting progress after every chunk and stopping with
/// [`Error::Cancelled`] when `cancel` is set.
pub fn verify_with_progress(
    path: &Path,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<VerifyReport> {
    let mut bag = Bag::open(path)?;
    let mut problems = std::mem::take(&mut bag.problems);

    let declaration = bag
        .read_tag_file("bagit.txt")
        .map(|b| String::from_utf8(b).ok())
        .unwrap_or_default();
    let declared_ok = declaration.as_deref().is_some_and(|text| {
        let tags = bagit::parse_tags(text.trim_start_matches('\u{feff}'));
        let has = |label: &str| {
            tags.iter()
                .find(|(l, _)| l == label)
                .map(|(_, v)| v.clone())
        };
        has("BagIt-Version").is_some()
            && has("Tag-File-Character-Encoding").is_none_or(|e| e.eq_ignore_ascii_case("UTF-8"))
    });
    if !declared_ok {
        problems.push(VerifyProblem::InvalidDeclaration);
    }
    let info: Vec<BagTag> = bag
        .read_tag_file("bag-info.txt")
        .and_then(|b| String::from_utf8(b).ok())
        .map(|t| bagit::parse_tags(&t))
        .unwrap_or_default()
        .into_iter()
        .map(|(label, value)| BagTag { label, value })
        .collect();

    // What the manifests promise.
    let mut payload_expected: BTreeMap<String, Vec<(Algorithm, String)>> = BTreeMap::new();
    let mut tag_expected: BTreeMap<String, Vec<(Algorithm, String)>> = BTreeMap::new();
    let mut payload_manifests: Vec<BTreeSet<String>> = Vec::new();
    let top_level: Vec<String> = bag
        .items
        .keys()
        .filter(|k| !k.contains('/'))
        .cloned()
        .collect();
    for name in &top_level {
        let (is_tag, algorithm) = if let Some(a) = manifest_algorithm(name, "tagmanifest-") {
            (true, a)
        } else if let Some(a) = manifest_algorithm(name, "manifest-") {
            (false, a)
        } else {
            continue;
        };
        let Some(algorithm) = Algorithm::from_name(algorithm) else {
            continue;
        };
        let text = bag
            .read_tag_file(name)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let (entries, bad) = bagit::parse_manifest(&text);
        for b in bad {
            problems.push(VerifyProblem::BadManifestLine {
                file: name.clone(),
                line: b.line as u32,
            });
        }
        let mut listed = BTreeSet::new();
        for (checksum, path) in entries {
            let path = nfc(&path);
            let in_payload = path.starts_with("data/");
            if !is_safe_relative_path(&path) || in_payload == is_tag {
                problems.push(VerifyProblem::UnsafePath { path });
                continue;
            }
            let target = if is_tag {
                &mut tag_expected
            } else {
                &mut payload_expected
            };
            target
                .entry(path.clone())
                .or_default()
                .push((algorithm, checksum));
            listed.insert(path);
        }
        if !is_tag {
            payload_manifests.push(listed);
        }
    }
    if payload_manifests.is_empty() {
        problems.push(VerifyProblem::NoManifest);
    }

    let payload: Vec<(&String, &Item)> = bag
        .items
        .iter()
        .filter(|(k, _)| k.starts_with("data/"))
        .collect();
    let missing: Vec<String> = payload_expected
        .keys()
        .chain(tag_expected.keys())
        .filter(|p| !bag.items.contains_key(*p))
        .cloned()
        .collect();
    let mut extra: Vec<String> = payload
        .iter()
        .filter(|(k, _)| {
            payload_manifests.is_empty() || payload_manifests.iter().any(|m| !m.contains(*k))
        })
        .map(|(k, _)| (*k).clone())
        .collect();
    extra.extend(bag.outside.iter().cloned());

    if let Some(declared) = info
        .iter()
        .find(|t| t.label.eq_ignore_ascii_case("Payload-Oxum"))
    {
        let bytes: u64 = payload.iter().map(|(_, i)| i.size).sum();
        let found = format!("{bytes}.{}", payload.len());
        if bagit::parse_oxum(&declared.value) != Some((bytes, payload.len() as u64)) {
            problems.push(VerifyProblem::OxumMismatch {
                expected: declared.value.clone(),
                found,
            });
        }
    }

    // Recompute every listed checksum of what is present.
    let jobs: Vec<Job> = payload_expected
        .iter()
        .chain(tag_expected.iter())
        .filter_map(|(path, expected)| {
            bag.items.get(path).map(|item| Job {
                path: path.clone(),
                item: item.clone(),
                expected: expected.clone(),
            })
        })
        .collect();
    let bytes_checked: u64 = jobs.iter().map(|j| j.item.size).sum();
    let altered = bag.check_all(&jobs, progress, cancel)?;

    let valid = missing.is_empty() && extra.is_empty() && altered.is_empty() && problems.is_empty();
    Ok(VerifyReport {
        path: path.display().to_string(),
        format: bag.format,
        valid,
        bag_name: bag.name.clone(),
        info,
        files_checked: jobs.len() as u32,
        bytes_checked,
        missing,
        extra,
        altered,
        problems,
    })
}

fn manifest_algorithm<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    name.strip_prefix(prefix)?.strip_suffix(".txt")
}

/// Where a file's bytes are.
#[derive(Debug, Clone)]
enum Source {
    Zip(usize),
    File(PathBuf),
}

#[derive(Debug, Clone)]
struct Item {
    size: u64,
    source: Source,
}

struct Job {
    path: String,
    item: Item,
    expected: Vec<(Algorithm, String)>,
}

/// A bag opened for reading: every file in it by its NFC path relative to
/// the bag's top folder.
struct Bag {
    path: PathBuf,
    format: PackFormat,
    name: String,
    items: BTreeMap<String, Item>,
    /// ZIP entries outside the bag's folder.
    outside: Vec<String>,
    problems: Vec<VerifyProblem>,
    archive: Option<zip::ZipArchive<File>>,
}

impl Bag {
    fn open(path: &Path) -> Result<Bag> {
        let meta = fs::metadata(path).map_err(|e| Error::reading(path, e))?;
        if meta.is_dir() {
            Bag::open_folder(path)
        } else {
            Bag::open_zip(path)
        }
    }

    fn open_folder(path: &Path) -> Result<Bag> {
        let not_a_bag = || Error::NotAPackage {
            path: path.display().to_string(),
            detail: "no bagit.txt in the folder".into(),
        };
        let root = if path.join("bagit.txt").is_file() {
            path.to_owned()
        } else {
            // A ZIP extracted by hand: the bag is the one folder inside.
            let children: Vec<PathBuf> = fs::read_dir(path)
                .map_err(|e| Error::reading(path, e))?
                .flatten()
                .map(|e| e.path())
                .collect();
            match children.as_slice() {
                [only] if only.join("bagit.txt").is_file() => only.clone(),
                _ => return Err(not_a_bag()),
            }
        };
        let mut bag = Bag {
            path: root.clone(),
            format: PackFormat::Folder,
            name: root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            items: BTreeMap::new(),
            outside: Vec::new(),
            problems: Vec::new(),
            archive: None,
        };
        bag.walk(&root, "")?;
        Ok(bag)
    }

    fn walk(&mut self, dir: &Path, prefix: &str) -> Result<()> {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .map_err(|e| Error::reading(dir, e))?
            .flatten()
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name();
            let rel = format!("{prefix}{}", nfc(&name.to_string_lossy()));
            let Ok(meta) = fs::symlink_metadata(entry.path()) else {
                self.problems.push(VerifyProblem::UnsafePath { path: rel });
                continue;
            };
            if meta.file_type().is_symlink() || name.to_str().is_none() {
                // Links could point anywhere; they are reported, not followed.
                self.problems.push(VerifyProblem::UnsafePath { path: rel });
            } else if meta.is_dir() {
                self.walk(&entry.path(), &format!("{rel}/"))?;
            } else if meta.is_file() {
                self.items.insert(
                    rel,
                    Item {
                        size: meta.len(),
                        source: Source::File(entry.path()),
                    },
                );
            }
        }
        Ok(())
    }

    fn open_zip(path: &Path) -> Result<Bag> {
        let not_a_bag = |detail: &str| Error::NotAPackage {
            path: path.display().to_string(),
            detail: detail.to_owned(),
        };
        let file = File::open(path).map_err(|e| Error::reading(path, e))?;
        let mut archive =
            zip::ZipArchive::new(file).map_err(|_| not_a_bag("neither a ZIP file nor a folder"))?;
        let mut problems = Vec::new();
        let mut names: Vec<(String, usize, u64)> = Vec::new();
        for index in 0..archive.len() {
            let Ok(entry) = archive.by_index_raw(index) else {
                problems.push(VerifyProblem::UnsafePath {
                    path: format!("#{index}"),
                });
                continue;
            };
            let name = match entry.name() {
                Ok(n) => n.into_owned(),
                Err(_) => {
                    problems.push(VerifyProblem::UnsafePath {
                        path: String::from_utf8_lossy(entry.name_raw()).into_owned(),
                    });
                    continue;
                }
            };
            let is_dir = entry.is_dir();
            let trimmed = name.trim_end_matches('/');
            if !is_safe_relative_path(trimmed) {
                problems.push(VerifyProblem::UnsafePath { path: name });
                continue;
            }
            if !is_dir {
                names.push((nfc(trimmed), index, entry.size()));
            }
        }
        let root = if names.iter().any(|(n, _, _)| n == "bagit.txt") {
            String::new()
        } else {
            let tops: Vec<&str> = names
                .iter()
                .filter_map(|(n, _, _)| n.strip_suffix("/bagit.txt"))
                .filter(|top| !top.contains('/'))
                .collect();
            match tops.as_slice() {
                [one] => format!("{one}/"),
                [] => return Err(not_a_bag("no bagit.txt at the top of the ZIP")),
                _ => return Err(not_a_bag("more than one bag in the ZIP")),
            }
        };
        let mut items = BTreeMap::new();
        let mut outside = Vec::new();
        for (name, index, size) in names {
            match name.strip_prefix(&root) {
                Some(rel) => {
                    let item = Item {
                        size,
                        source: Source::Zip(index),
                    };
                    if items.insert(rel.to_owned(), item).is_some() {
                        // Two entries with one name: which one is "the" file?
                        problems.push(VerifyProblem::UnsafePath { path: name });
                    }
                }
                None => outside.push(name),
            }
        }
        Ok(Bag {
            path: path.to_owned(),
            format: PackFormat::Zip,
            name: root.trim_end_matches('/').to_owned(),
            items,
            outside,
            problems,
            archive: Some(archive),
        })
    }

    /// A tag file's bytes, if present and of a sane size.
    fn read_tag_file(&mut self, rel: &str) -> Option<Vec<u8>> {
        let item = self.items.get(rel)?.clone();
        if item.size > MAX_TAG_FILE {
            return None;
        }
        let mut bytes = Vec::with_capacity(item.size as usize);
        match (&item.source, self.archive.as_mut()) {
            (Source::Zip(index), Some(archive)) => {
                let entry = archive.by_index(*index).ok()?;
                entry.take(MAX_TAG_FILE).read_to_end(&mut bytes).ok()?;
            }
            (Source::File(path), _) => {
                File::open(path)
                    .ok()?
                    .take(MAX_TAG_FILE)
                    .read_to_end(&mut bytes)
                    .ok()?;
            }
            _ => return None,
        }
        Some(bytes)
    }

    /// Recomputes the checksums of `jobs` in parallel; returns the paths whose
    /// bytes do not match (or could not be read to the end).
    fn check_all(
        &self,
        jobs: &[Job],
        progress: &(dyn Fn(Progress) + Sync),
        cancel: &AtomicBool,
    ) -> Result<Vec<String>> {
        let total = jobs.iter().map(|j| j.item.size).sum();
        let tracker = Tracker::new(Phase::Verifying, total, jobs.len() as u32, progress);
        let next = AtomicUsize::new(0);
        let altered: Mutex<Vec<String>> = Mutex::new(Vec::new());
        let cancelled = AtomicBool::new(false);
        std::thread::scope(|scope| {
            for _ in 0..workers_for(jobs.len()) {
                scope.spawn(|| {
                    // Each worker reads through its own handle: no shared
                    // file position, no lock around reads.
                    let mut archive = match self.format {
                        PackFormat::Zip => File::open(&self.path)
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
            return Err(Error::Cancelled);
        }
        let mut altered = altered.into_inner().unwrap_or_else(|e| e.into_inner());
        altered.sort();
        Ok(altered)
    }
}

enum Checked {
    Matches,
    Altered,
    Cancelled,
}

enum Hasher {
    Sha256(Sha256),
    Sha512(Sha512),
}

fn check_one(
    job: &Job,
    archive: Option<&mut zip::ZipArchive<File>>,
    buf: &mut [u8],
    tracker: &Tracker<'_>,
    cancel: &AtomicBool,
) -> Checked {
    let mut hashers: Vec<(Hasher, &str)> = job
        .expected
        .iter()
        .map(|(a, hex)| {
            let h = match a {
                Algorithm::Sha256 => Hasher::Sha256(Sha256::new()),
                Algorithm::Sha512 => Hasher::Sha512(Sha512::new()),
            };
            (h, hex.as_str())
        })
        .collect();
    let mut reader: Box<dyn Read + '_> = match (&job.item.source, archive) {
        (Source::Zip(index), Some(archive)) => match archive.by_index(*index) {
            Ok(entry) => Box::new(entry),
            Err(_) => return Checked::Altered,
        },
        (Source::File(path), _) => match File::open(path) {
            Ok(f) => Box::new(f),
            Err(_) => return Checked::Altered,
        },
        _ => return Checked::Altered,
    };
    // Never read more than the declared size and one byte: a ZIP entry that
    // inflates beyond its size is altered, however long it would go on.
    let mut remaining = job.item.size + 1;
    let mut read_total: u64 = 0;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Checked::Cancelled;
        }
        let want = buf.len().min(remaining as usize);
        let n = match read_full(&mut reader, &mut buf[..want]) {
            Ok(n) => n,
            Err(_) => return Checked::Altered,
        };
        if n == 0 {
            break;
        }
        for (h, _) in hashers.iter_mut() {
            match h {
                Hasher::Sha256(s) => s.update(&buf[..n]),
                Hasher::Sha512(s) => s.update(&buf[..n]),
            }
        }
        read_total += n as u64;
        remaining -= n as u64;
        tracker.advance(n as u64, 0);
        if remaining == 0 {
            break;
        }
    }
    if read_total != job.item.size {
        return Checked::Altered;
    }
    let all_match = hashers.into_iter().all(|(h, expected)| {
        let found = match h {
            Hasher::Sha256(s) => hex::encode(s.finalize()),
            Hasher::Sha512(s) => hex::encode(s.finalize()),
        };
        found == expected
    });
    if all_match {
        Checked::Matches
    } else {
        Checked::Altered
    }
}
