//! A bag in a folder. Every entry's type is read without following links
//! before anything is opened: links are reported, not followed; FIFOs,
//! devices and sockets are reported, never opened (opening a FIFO waits for
//! a writer forever).

use std::collections::btree_map::Entry;
use std::fs;
use std::path::{Path, PathBuf};

use super::bag::{Bag, Item, Source};
use super::{VerifyProblem, VerifyWarning};
use crate::error::{Error, PackageError, Result};
use crate::package::names::nfc;
use crate::package::PackFormat;

/// Deeper than this is not a dossier, and recursion must end somewhere.
const MAX_DEPTH: usize = 64;

fn is_regular(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

pub(super) fn open(path: &Path) -> Result<Bag> {
    let root = if is_regular(&path.join("bagit.txt")) {
        path.to_owned()
    } else if path.file_name().is_some_and(|n| n == "data")
        && path
            .parent()
            .is_some_and(|p| is_regular(&p.join("bagit.txt")))
    {
        // The payload folder of a bag, chosen instead of the bag.
        return Err(PackageError::PackageDataFolder {
            path: path.display().to_string(),
        }
        .into());
    } else {
        // A ZIP extracted by hand: the bag is the one folder inside.
        let children: Vec<PathBuf> = fs::read_dir(path)
            .map_err(|e| Error::reading(path, e))?
            .flatten()
            .map(|e| e.path())
            .collect();
        match children.as_slice() {
            [only] if is_regular(&only.join("bagit.txt")) => only.clone(),
            _ => {
                return Err(PackageError::NotAPackage {
                    path: path.display().to_string(),
                    detail: "no bagit.txt in the folder".into(),
                }
                .into())
            }
        }
    };
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut bag = Bag::empty(root.clone(), PackFormat::Folder, name);
    bag.has_data_dir = fs::symlink_metadata(root.join("data")).is_ok_and(|m| m.is_dir());
    walk(&mut bag, &root, "", 0)?;
    Ok(bag)
}

fn walk(bag: &mut Bag, dir: &Path, prefix: &str, depth: usize) -> Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(|e| Error::reading(dir, e))?
        .flatten()
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let rel = format!("{prefix}{}", nfc(&name.to_string_lossy()));
        let Ok(meta) = fs::symlink_metadata(entry.path()) else {
            bag.found
                .problem(VerifyProblem::UnsafePath { path: rel.clone() });
            continue;
        };
        if name.to_str().is_none() {
            // Not Unicode: no manifest can name it.
            bag.found.problem(VerifyProblem::UnsafePath { path: rel });
        } else if meta.is_dir() {
            if depth >= MAX_DEPTH {
                bag.found.problem(VerifyProblem::UnsafePath { path: rel });
            } else {
                walk(bag, &entry.path(), &format!("{rel}/"), depth + 1)?;
            }
        } else if meta.is_file() {
            let item = Item {
                size: meta.len(),
                source: Source::File(entry.path()),
            };
            match bag.items.entry(rel) {
                Entry::Occupied(taken) => {
                    let rel = taken.key().clone();
                    bag.found
                        .warning(VerifyWarning::NormalizationDuplicate { path: rel.clone() });
                    bag.twins.push((rel, item));
                }
                Entry::Vacant(free) => {
                    free.insert(item);
                }
            }
        } else {
            // A link, FIFO, device or socket: never opened.
            bag.found
                .problem(VerifyProblem::NotARegularFile { path: rel });
        }
    }
    Ok(())
}
