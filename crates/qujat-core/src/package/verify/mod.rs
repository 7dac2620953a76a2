//! Verifying a package, ours or anyone's: recompute everything and say what
//! is missing, extra, altered or still to be fetched, judged as RFC 8493
//! (and bagit-python, its reference implementation) judges a bag.
//!
//! The package is hostile input. Nothing is extracted; an entry whose path is
//! absolute, climbs out with `..`, uses backslashes, is a link or another
//! special file is reported and never opened. Names are compared in NFC, so
//! a bag written on macOS (NFD) verifies on Windows. Memory is bounded
//! whatever the package holds: manifests are capped and deduplicated, each
//! file is streamed once through one buffer per worker into one hasher per
//! algorithm, and the lists of problems and warnings are capped. The app
//! runs this in its own process on that basis (`hostile_zips_stay_within_
//! bounds` in the CLI tests measures the peak memory of the real binary).
//! Every name taken from the package reaches the report only through
//! [`visible_capped`], so an escape sequence in a manifest path cannot
//! rewrite the verdict on a terminal.

mod bag;
mod folder_bag;
mod hashing;
mod manifests;
mod tag_text;
#[cfg(test)]
mod tests;
mod zip_bag;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use std::sync::atomic::AtomicBool;

use serde::Serialize;
use ts_rs::TS;

use self::bag::{Bag, MAX_TAG_FILE};
use self::hashing::Job;
use self::manifests::{Algorithm, Listed};
use self::tag_text::BadDeclaration;
use super::bagit;
use super::{PackFormat, Progress};
use crate::error::Result;
use crate::text::visible_capped;

/// The most characters of a name from the package shown in a report.
const SHOWN_CHARS: usize = 300;

/// The most problems, and the most warnings, listed one by one; the rest
/// are counted in one `omitted` entry.
const MAX_LISTED: usize = 1000;

/// The result of checking a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VerifyReport {
    /// The package checked.
    pub path: String,
    /// ZIP or folder.
    pub format: PackFormat,
    /// Whether everything matched: nothing missing, extra, altered or to be
    /// fetched, and no problems. Warnings do not count.
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
    /// Listed in a manifest, not in the package (nor in `fetch.txt`).
    pub missing: Vec<String>,
    /// In the payload (or outside the bag) but not listed in every manifest.
    pub extra: Vec<String>,
    /// Present, but their bytes do not match the manifest.
    pub altered: Vec<String>,
    /// Listed in `fetch.txt` and not yet in the package: a "holey" bag,
    /// complete once they are fetched.
    pub to_fetch: Vec<String>,
    /// Anything else that makes the bag invalid.
    pub problems: Vec<VerifyProblem>,
    /// Worth knowing, but the bag is valid regardless.
    pub warnings: Vec<VerifyWarning>,
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
    /// backslashes); it was not opened.
    UnsafePath {
        /// The path as found.
        path: String,
    },
    /// A link, FIFO, device or socket (in a folder, or by its mode bits in
    /// a ZIP); never opened.
    NotARegularFile {
        /// Its path.
        path: String,
    },
    /// The ZIP lists one name twice: which one would be extracted?
    DuplicateEntries,
    /// ZIP entries share bytes: a small file posing as many large ones.
    OverlappingEntries,
    /// A ZIP entry's local header names another path than the central
    /// directory (an extracting tool believes the local one).
    LocalNameMismatch {
        /// The central directory's name.
        path: String,
    },
    /// `bagit.txt` is missing, not UTF-8, or lacks its version or encoding.
    InvalidDeclaration,
    /// `bagit.txt` declares an encoding nobody can decode.
    UnknownEncoding {
        /// As declared.
        encoding: String,
    },
    /// A tag file or manifest does not decode in the declared encoding (or
    /// cannot be read).
    UnreadableTagFile {
        /// The file.
        file: String,
    },
    /// A tag file or manifest larger than any real bag's.
    TagFileTooLarge {
        /// The file.
        file: String,
        /// The limit, in bytes.
        #[ts(type = "number")]
        limit: u64,
    },
    /// No payload manifest with an algorithm Qujat can check.
    NoManifest,
    /// The bag has no `data/` folder.
    NoPayloadFolder,
    /// A manifest line that is not `<checksum> <path>`.
    BadManifestLine {
        /// The manifest file.
        file: String,
        /// Line number, from 1.
        line: u32,
    },
    /// A payload manifest lists a tag file, or a tag manifest a payload file.
    WrongManifest {
        /// The manifest file.
        file: String,
        /// The path listed.
        path: String,
    },
    /// One manifest gives one file two different checksums.
    ConflictingChecksums {
        /// The manifest file.
        file: String,
        /// The path listed twice.
        path: String,
    },
    /// More manifest entries than Qujat checks; the rest were not read.
    TooManyEntries {
        /// The limit.
        limit: u32,
    },
    /// A `fetch.txt` line that is not `<URL> <length> <path>`.
    BadFetchLine {
        /// Line number, from 1.
        line: u32,
    },
    /// `Payload-Oxum` (bytes.files) does not match the payload.
    OxumMismatch {
        /// The value as bag-info.txt declares it (`bytes.files`).
        declared: String,
        /// The payload's bytes, as found.
        size: u64,
        /// The payload's files, as found.
        files: u64,
    },
    /// The entries' declared sizes add up to more than 2^64 bytes.
    SizesOverflow,
    /// More problems than are listed.
    Omitted {
        /// How many more.
        count: u32,
    },
}

/// Worth knowing about a bag, without making it invalid. Each has a message
/// `verify.warning.<code>` in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "code",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum VerifyWarning {
    /// Only MD5 or SHA-1 manifests: they show accidents, not tampering.
    WeakChecksums {
        /// The algorithms, e.g. `md5`.
        algorithms: Vec<String>,
    },
    /// A manifest with an algorithm Qujat does not know; not checked.
    UnsupportedManifest {
        /// The manifest file.
        file: String,
    },
    /// A manifest lists one file twice with the same checksum.
    ListedTwice {
        /// The manifest file.
        file: String,
        /// The path.
        path: String,
    },
    /// Two files whose names differ only in Unicode normalisation (both
    /// were checked).
    NormalizationDuplicate {
        /// The name, in NFC.
        path: String,
    },
    /// Two files whose names differ only in case: one overwrites the other
    /// on Windows and macOS.
    CaseDuplicate {
        /// One name.
        path: String,
        /// The other.
        other: String,
    },
    /// A file the operating system makes (`.DS_Store`, `Thumbs.db`, …).
    SystemFile {
        /// Its path.
        path: String,
    },
    /// More warnings than are listed.
    Omitted {
        /// How many more.
        count: u32,
    },
}

/// Problems and warnings as they are found, capped at [`MAX_LISTED`] each.
#[derive(Debug, Default)]
struct Findings {
    pub(super) problems: Vec<VerifyProblem>,
    pub(super) warnings: Vec<VerifyWarning>,
    omitted_problems: u32,
    omitted_warnings: u32,
}

impl Findings {
    pub(super) fn problem(&mut self, problem: VerifyProblem) {
        if self.problems.len() < MAX_LISTED {
            self.problems.push(problem);
        } else {
            self.omitted_problems = self.omitted_problems.saturating_add(1);
        }
    }

    pub(super) fn warning(&mut self, warning: VerifyWarning) {
        if self.warnings.len() < MAX_LISTED {
            self.warnings.push(warning);
        } else {
            self.omitted_warnings = self.omitted_warnings.saturating_add(1);
        }
    }

    fn finish(mut self) -> (Vec<VerifyProblem>, Vec<VerifyWarning>) {
        if self.omitted_problems > 0 {
            self.problems.push(VerifyProblem::Omitted {
                count: self.omitted_problems,
            });
        }
        if self.omitted_warnings > 0 {
            self.warnings.push(VerifyWarning::Omitted {
                count: self.omitted_warnings,
            });
        }
        (self.problems, self.warnings)
    }
}

/// Checks the package at `path` (a ZIP file or a bag folder).
pub fn verify(path: &Path) -> Result<VerifyReport> {
    verify_with_progress(path, &|_| {}, &AtomicBool::new(false))
}

/// [`verify`], reporting progress after every chunk and stopping with
/// [`crate::FileError::Cancelled`] when `cancel` is set.
pub fn verify_with_progress(
    path: &Path,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<VerifyReport> {
    let mut bag = Bag::open(path)?;
    let mut found = std::mem::take(&mut bag.found);

    let declaration = match tag_text::declaration(bag.read_tag_file("bagit.txt").as_deref()) {
        Ok(d) => Some(d),
        Err(BadDeclaration::UnknownEncoding(encoding)) => {
            found.problem(VerifyProblem::UnknownEncoding { encoding });
            None
        }
        Err(_) => {
            found.problem(VerifyProblem::InvalidDeclaration);
            None
        }
    };
    // Without a usable declaration the rest is still read as UTF-8, so the
    // report says what it can.
    let encoding = declaration
        .as_ref()
        .map_or(encoding_rs::UTF_8, |d| d.encoding);
    let info_file = declaration.as_ref().map_or("bag-info.txt", |d| d.info_file);
    let read_text = |bag: &mut Bag, name: &str, found: &mut Findings| -> Option<String> {
        let size = bag.items.get(name)?.size;
        if size > MAX_TAG_FILE {
            found.problem(VerifyProblem::TagFileTooLarge {
                file: name.to_owned(),
                limit: MAX_TAG_FILE,
            });
            return None;
        }
        let text = bag
            .read_tag_file(name)
            .and_then(|bytes| tag_text::decode(bytes, encoding));
        if text.is_none() {
            found.problem(VerifyProblem::UnreadableTagFile {
                file: name.to_owned(),
            });
        }
        text
    };

    let info: Vec<BagTag> = read_text(&mut bag, info_file, &mut found)
        .map(|t| bagit::parse_tags(&t))
        .unwrap_or_default()
        .into_iter()
        .map(|(label, value)| BagTag { label, value })
        .collect();

    // What the manifests promise.
    let mut listed = Listed::default();
    let top_level: Vec<String> = bag
        .items
        .keys()
        .filter(|k| !k.contains('/'))
        .cloned()
        .collect();
    for name in &top_level {
        let (tag, algorithm) = if let Some(a) = manifest_algorithm(name, "tagmanifest-") {
            (true, a)
        } else if let Some(a) = manifest_algorithm(name, "manifest-") {
            (false, a)
        } else {
            continue;
        };
        let Some(algorithm) = Algorithm::from_name(algorithm) else {
            found.warning(VerifyWarning::UnsupportedManifest { file: name.clone() });
            continue;
        };
        if let Some(text) = read_text(&mut bag, name, &mut found) {
            listed.add_manifest(name, algorithm, tag, &text, &mut found);
        }
    }
    if listed.payload_algorithms.is_empty() {
        found.problem(VerifyProblem::NoManifest);
    } else if listed.payload_algorithms.iter().all(|a| a.is_weak()) {
        let mut algorithms: Vec<Algorithm> = listed.payload_algorithms.clone();
        algorithms.sort();
        found.warning(VerifyWarning::WeakChecksums {
            algorithms: algorithms.iter().map(|a| a.name().to_owned()).collect(),
        });
    }
    let fetch: HashSet<String> = match read_text(&mut bag, "fetch.txt", &mut found) {
        Some(text) => manifests::fetch_list(&text, &mut found)
            .into_iter()
            .collect(),
        None => HashSet::new(),
    };
    if !bag.has_data_dir {
        found.problem(VerifyProblem::NoPayloadFolder);
    }

    let payload: Vec<(&String, &bag::Item)> = bag
        .items
        .iter()
        .chain(bag.twins.iter().map(|(p, i)| (p, i)))
        .filter(|(k, _)| k.starts_with("data/"))
        .collect();
    let mut to_fetch: BTreeSet<String> = BTreeSet::new();
    let mut missing: Vec<String> = Vec::new();
    for path in listed.payload.keys().chain(listed.tags.keys()) {
        if bag.items.contains_key(path) {
            continue;
        }
        if fetch.contains(path) {
            to_fetch.insert(path.clone());
        } else {
            missing.push(path.clone());
        }
    }
    to_fetch.extend(
        fetch
            .iter()
            .filter(|p| !bag.items.contains_key(*p))
            .cloned(),
    );
    let mut extra: Vec<String> = payload
        .iter()
        .filter(|(k, _)| !listed.in_every_payload_manifest(k))
        .map(|(k, _)| (*k).clone())
        .collect();
    extra.dedup();
    extra.extend(bag.outside.iter().cloned());
    notice_payload_names(&payload, &mut found);

    if let Some(declared) = info
        .iter()
        .find(|t| t.label.eq_ignore_ascii_case("Payload-Oxum"))
    {
        let bytes = payload
            .iter()
            .try_fold(0u64, |sum, (_, i)| sum.checked_add(i.size));
        match bytes {
            None => found.problem(VerifyProblem::SizesOverflow),
            Some(bytes) => {
                if bagit::parse_oxum(&declared.value) != Some((bytes, payload.len() as u64)) {
                    found.problem(VerifyProblem::OxumMismatch {
                        declared: declared.value.clone(),
                        size: bytes,
                        files: payload.len() as u64,
                    });
                }
            }
        }
    }

    // Recompute every listed checksum of what is present (both files, where
    // two names are one in NFC).
    let mut jobs: Vec<Job> = Vec::new();
    for (path, expected) in listed.payload.iter().chain(listed.tags.iter()) {
        let twins = bag.twins.iter().filter(|(p, _)| p == path).map(|(_, i)| i);
        for item in bag.items.get(path).into_iter().chain(twins) {
            jobs.push(Job {
                path: path.clone(),
                item: item.clone(),
                expected: expected.clone(),
            });
        }
    }
    let bytes_checked = jobs
        .iter()
        .fold(0u64, |sum, j| sum.saturating_add(j.item.size));
    let altered = hashing::check_all(&bag, &jobs, progress, cancel)?;

    let (problems, warnings) = found.finish();
    let valid = missing.is_empty()
        && extra.is_empty()
        && altered.is_empty()
        && to_fetch.is_empty()
        && problems.is_empty();
    let all_shown = |list: Vec<String>| -> Vec<String> { list.iter().map(|p| shown(p)).collect() };
    Ok(VerifyReport {
        path: shown_path(path),
        format: bag.format,
        valid,
        bag_name: shown(&bag.name),
        info: info
            .iter()
            .map(|t| BagTag {
                label: shown(&t.label),
                value: shown(&t.value),
            })
            .collect(),
        files_checked: u32::try_from(jobs.len()).unwrap_or(u32::MAX),
        bytes_checked,
        missing: all_shown(missing),
        extra: all_shown(extra),
        altered: all_shown(altered),
        to_fetch: all_shown(to_fetch.into_iter().collect()),
        problems: problems.into_iter().map(VerifyProblem::shown).collect(),
        warnings: warnings.into_iter().map(VerifyWarning::shown).collect(),
    })
}

fn manifest_algorithm<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    name.strip_prefix(prefix)?.strip_suffix(".txt")
}

/// Files the operating system leaves behind; listed or not, worth a word.
fn is_system_file(name: &str) -> bool {
    matches!(
        name,
        ".DS_Store" | "Thumbs.db" | "ehthumbs.db" | "desktop.ini" | "Desktop.ini" | ".directory"
    ) || name.starts_with("._")
}

/// Warnings about payload names: system files, and names that differ only
/// in case.
fn notice_payload_names(payload: &[(&String, &bag::Item)], found: &mut Findings) {
    let mut by_case: BTreeMap<String, &String> = BTreeMap::new();
    for (path, _) in payload {
        let name = path.rsplit('/').next().unwrap_or(path);
        if is_system_file(name) {
            found.warning(VerifyWarning::SystemFile {
                path: (*path).clone(),
            });
        }
        match by_case.get(&path.to_lowercase()) {
            Some(other) if *other != *path => found.warning(VerifyWarning::CaseDuplicate {
                path: (*path).clone(),
                other: (*other).clone(),
            }),
            Some(_) => {}
            None => {
                by_case.insert(path.to_lowercase(), path);
            }
        }
    }
}

/// A name from the package as the report shows it: control characters
/// made visible, cut to [`SHOWN_CHARS`].
fn shown(text: &str) -> String {
    visible_capped(text, SHOWN_CHARS)
}

/// The path the user gave, made visible (a file name can hold escapes too).
fn shown_path(path: &Path) -> String {
    crate::text::visible(&path.display().to_string()).into_owned()
}

impl VerifyProblem {
    fn shown(self) -> VerifyProblem {
        use VerifyProblem as P;
        match self {
            P::UnsafePath { path } => P::UnsafePath { path: shown(&path) },
            P::NotARegularFile { path } => P::NotARegularFile { path: shown(&path) },
            P::LocalNameMismatch { path } => P::LocalNameMismatch { path: shown(&path) },
            P::UnknownEncoding { encoding } => P::UnknownEncoding {
                encoding: shown(&encoding),
            },
            P::UnreadableTagFile { file } => P::UnreadableTagFile { file: shown(&file) },
            P::TagFileTooLarge { file, limit } => P::TagFileTooLarge {
                file: shown(&file),
                limit,
            },
            P::BadManifestLine { file, line } => P::BadManifestLine {
                file: shown(&file),
                line,
            },
            P::WrongManifest { file, path } => P::WrongManifest {
                file: shown(&file),
                path: shown(&path),
            },
            P::ConflictingChecksums { file, path } => P::ConflictingChecksums {
                file: shown(&file),
                path: shown(&path),
            },
            P::OxumMismatch {
                declared,
                size,
                files,
            } => P::OxumMismatch {
                declared: shown(&declared),
                size,
                files,
            },
            other => other,
        }
    }
}

impl VerifyWarning {
    fn shown(self) -> VerifyWarning {
        use VerifyWarning as W;
        match self {
            W::UnsupportedManifest { file } => W::UnsupportedManifest { file: shown(&file) },
            W::ListedTwice { file, path } => W::ListedTwice {
                file: shown(&file),
                path: shown(&path),
            },
            W::NormalizationDuplicate { path } => W::NormalizationDuplicate { path: shown(&path) },
            W::CaseDuplicate { path, other } => W::CaseDuplicate {
                path: shown(&path),
                other: shown(&other),
            },
            W::SystemFile { path } => W::SystemFile { path: shown(&path) },
            other => other,
        }
    }
}
