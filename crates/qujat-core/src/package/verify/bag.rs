//! A bag opened for reading, from a ZIP or a folder: every regular file in
//! it by NFC path, and the reasons anything else was left unopened.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::{folder_bag, zip_bag, Findings};
use crate::error::{Error, PackageError, Result};
use crate::package::PackFormat;

/// Tag files and manifests are read whole (and decoded); a bigger one is not
/// a real bag. With the entry cap this bounds what `verify` holds.
pub(super) const MAX_TAG_FILE: u64 = 32 << 20;

/// Where a file's bytes are.
#[derive(Debug, Clone)]
pub(super) enum Source {
    /// The ZIP entry with this index.
    Zip(usize),
    File(PathBuf),
}

#[derive(Debug, Clone)]
pub(super) struct Item {
    /// As the ZIP's central directory or the file system says.
    pub(super) size: u64,
    pub(super) source: Source,
}

pub(super) struct Bag {
    /// The ZIP file, or the bag's folder.
    pub(super) path: PathBuf,
    pub(super) format: PackFormat,
    /// The bag's folder name (the ZIP's top folder; empty if it has none).
    pub(super) name: String,
    pub(super) items: BTreeMap<String, Item>,
    /// Files whose NFC path another file already has (one name written
    /// composed, one decomposed): checked against the same manifest lines.
    pub(super) twins: Vec<(String, Item)>,
    /// Whether the bag has a `data/` folder (even an empty one).
    pub(super) has_data_dir: bool,
    /// ZIP entries outside the bag's folder.
    pub(super) outside: Vec<String>,
    pub(super) found: Findings,
    pub(super) archive: Option<zip::ZipArchive<File>>,
}

impl Bag {
    /// Opens `path`: a folder is a folder bag, a regular file a ZIP, anything
    /// else (a FIFO, a device, a socket) is not a package and is not opened,
    /// so it cannot block.
    pub(super) fn open(path: &Path) -> Result<Bag> {
        // A link to a package is followed: the user named it.
        let meta = fs::metadata(path).map_err(|e| Error::reading(path, e))?;
        if meta.is_dir() {
            folder_bag::open(path)
        } else if meta.is_file() {
            zip_bag::open(path)
        } else {
            Err(PackageError::NotAPackage {
                path: path.display().to_string(),
                detail: "neither a regular file nor a folder".into(),
            }
            .into())
        }
    }

    pub(super) fn empty(path: PathBuf, format: PackFormat, name: String) -> Bag {
        Bag {
            path,
            format,
            name,
            items: BTreeMap::new(),
            twins: Vec::new(),
            has_data_dir: false,
            outside: Vec::new(),
            found: Findings::default(),
            archive: None,
        }
    }

    /// A tag file's bytes, if present and of a sane size.
    pub(super) fn read_tag_file(&mut self, rel: &str) -> Option<Vec<u8>> {
        let item = self.items.get(rel)?.clone();
        if item.size > MAX_TAG_FILE {
            return None;
        }
        let mut bytes = Vec::new();
        match (&item.source, self.archive.as_mut()) {
            (Source::Zip(index), Some(archive)) => {
                let entry = archive.by_index(*index).ok()?;
                entry.take(MAX_TAG_FILE).read_to_end(&mut bytes).ok()?;
            }
            (Source::File(path), _) => {
                open_regular(path)
                    .ok()?
                    .take(MAX_TAG_FILE)
                    .read_to_end(&mut bytes)
                    .ok()?;
            }
            _ => return None,
        }
        Some(bytes)
    }
}

/// Opens `path` for reading only if it is a regular file. On Unix the open
/// itself does not wait (`O_NONBLOCK`: a FIFO put there after the folder was
/// listed would otherwise block until someone writes to it), and the type is
/// checked again on the open handle.
pub(super) fn open_regular(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if file.metadata()?.is_file() {
        Ok(file)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ))
    }
}
