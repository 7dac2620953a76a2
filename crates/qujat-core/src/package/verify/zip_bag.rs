//! A bag in a ZIP file, read as an attack: what `unzip` would create must be
//! what is verified. So entries whose bytes overlap (one compressed block
//! listed as a thousand files), links and other special entries (Unix mode
//! bits), names listed twice, and local headers that name another path than
//! the central directory (`unzip` believes the local one) are each refused.

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::bag::{open_regular, Bag, Item, Source};
use super::manifests::MAX_ENTRIES;
use super::VerifyProblem;
use crate::error::{Error, PackageError, Result};
use crate::package::names::{is_safe_relative_path, nfc};
use crate::package::PackFormat;

/// The type bits of a Unix mode, and the two types a bag may hold.
const S_IFMT: u32 = 0o170_000;
const S_IFREG: u32 = 0o100_000;
const S_IFDIR: u32 = 0o040_000;

/// The local file header's signature (PK\3\4).
const LOCAL_HEADER: [u8; 4] = *b"PK\x03\x04";

pub(super) fn open(path: &Path) -> Result<Bag> {
    let not_a_bag = |detail: &str| {
        Error::from(PackageError::NotAPackage {
            path: path.display().to_string(),
            detail: detail.to_owned(),
        })
    };
    let file = open_regular(path).map_err(|e| Error::reading(path, e))?;
    let mut archive =
        zip::ZipArchive::new(file).map_err(|_| not_a_bag("neither a ZIP file nor a folder"))?;
    if archive.len() > MAX_ENTRIES {
        return Err(not_a_bag("more entries than any bag Qujat can check"));
    }
    let mut bag = Bag::empty(path.to_owned(), PackFormat::Zip, String::new());
    if archive.has_duplicate_names() {
        // The zip crate keeps one of them; which one would unzip keep?
        bag.found.problem(VerifyProblem::DuplicateEntries);
    }
    if archive.has_overlapping_entries().unwrap_or(true) {
        bag.found.problem(VerifyProblem::OverlappingEntries);
    }
    let mut local = open_regular(path).map_err(|e| Error::reading(path, e))?;
    let mut names: Vec<(String, usize, u64)> = Vec::new();
    let mut dirs: HashSet<String> = HashSet::new();
    for index in 0..archive.len() {
        let Ok(entry) = archive.by_index_raw(index) else {
            bag.found.problem(VerifyProblem::UnsafePath {
                path: format!("#{index}"),
            });
            continue;
        };
        let raw_name = entry.name_raw().to_vec();
        // The zip crate's reading of the name: UTF-8 when flagged, else
        // the legacy CP437.
        let Ok(name) = entry.name().map(|n| n.into_owned()) else {
            bag.found.problem(VerifyProblem::UnsafePath {
                path: String::from_utf8_lossy(&raw_name).into_owned(),
            });
            continue;
        };
        let trimmed = name.trim_end_matches('/');
        if !is_safe_relative_path(trimmed) || name.contains('\\') {
            bag.found.problem(VerifyProblem::UnsafePath { path: name });
            continue;
        }
        if local_name(&mut local, entry.header_start()).as_deref() != Some(&raw_name[..]) {
            bag.found
                .problem(VerifyProblem::LocalNameMismatch { path: name.clone() });
            continue;
        }
        let kind = entry.unix_mode().map(|m| m & S_IFMT).unwrap_or(0);
        let is_dir = entry.is_dir();
        let special = match kind {
            0 | S_IFREG => false,
            S_IFDIR => !is_dir,
            _ => true,
        };
        if entry.is_symlink() || special {
            bag.found
                .problem(VerifyProblem::NotARegularFile { path: name.clone() });
            continue;
        }
        if is_dir {
            dirs.insert(nfc(trimmed));
        } else {
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
    let data_dir = format!("{root}data");
    bag.has_data_dir = dirs.contains(&data_dir)
        || names
            .iter()
            .any(|(n, _, _)| n.starts_with(&format!("{data_dir}/")));
    for (name, index, size) in names {
        match name.strip_prefix(&root) {
            Some(rel) => {
                let item = Item {
                    size,
                    source: Source::Zip(index),
                };
                if bag.items.contains_key(rel) {
                    // Two names that are one in NFC: unzip makes two files
                    // (or one, on macOS); both are checked.
                    bag.found
                        .warning(super::VerifyWarning::NormalizationDuplicate {
                            path: rel.to_owned(),
                        });
                    bag.twins.push((rel.to_owned(), item));
                } else {
                    bag.items.insert(rel.to_owned(), item);
                }
            }
            None => bag.outside.push(name),
        }
    }
    bag.name = root.trim_end_matches('/').to_owned();
    bag.archive = Some(archive);
    Ok(bag)
}

/// The name in the local file header at `offset`, which is what `unzip`
/// extracts to; `None` if there is no local header there.
fn local_name(file: &mut File, offset: u64) -> Option<Vec<u8>> {
    let mut fixed = [0u8; 30];
    file.seek(SeekFrom::Start(offset)).ok()?;
    file.read_exact(&mut fixed).ok()?;
    if fixed[..4] != LOCAL_HEADER {
        return None;
    }
    let len = u16::from_le_bytes([fixed[26], fixed[27]]) as usize;
    let mut name = vec![0u8; len];
    file.read_exact(&mut name).ok()?;
    Some(name)
}
