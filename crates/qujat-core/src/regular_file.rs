//! Opening a file the user named (to attach or inspect) only if it is a
//! regular file, and saying what it is otherwise.
//!
//! A named pipe (FIFO) blocks whoever opens it until a writer comes, and a
//! device streams for ever: neither is a document. They are told apart
//! from a folder in the message, and never opened: the kind is read from
//! the path first, and on Unix the open itself does not block
//! (`O_NONBLOCK`) and the opened handle is checked again, so a pipe swapped
//! in between cannot hang Qujat either.

use std::fs::{File, Metadata};
use std::path::Path;

use crate::error::{Error, FileError, Result};

/// Opens `path` for reading if it is a regular file (following links).
pub fn open(path: &Path) -> Result<(File, Metadata)> {
    let meta = std::fs::metadata(path).map_err(|e| Error::reading(path, e))?;
    regular(path, &meta)?;
    let file = open_nonblocking(path).map_err(|e| Error::reading(path, e))?;
    let meta = file.metadata().map_err(|e| Error::reading(path, e))?;
    regular(path, &meta)?;
    Ok((file, meta))
}

/// `Ok` for a regular file; otherwise what it is, as an error.
fn regular(path: &Path, meta: &Metadata) -> Result<()> {
    let text = || path.display().to_string();
    if meta.is_file() {
        return Ok(());
    }
    if meta.is_dir() {
        return Err(FileError::NotAFile { path: text() }.into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if meta.file_type().is_fifo() {
            return Err(FileError::FileIsPipe { path: text() }.into());
        }
    }
    // Character and block devices, sockets, and whatever else a system has.
    Err(FileError::FileIsDevice { path: text() }.into())
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // No effect on a regular file's reads; an open of a FIFO returns at
    // once instead of waiting for a writer.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_opens_and_a_folder_is_a_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("cv.pdf");
        std::fs::write(&file, b"%PDF-1.4").expect("write");
        let (_, meta) = open(&file).expect("a regular file opens");
        assert_eq!(meta.len(), 8);
        assert!(matches!(
            open(dir.path()),
            Err(Error::File(FileError::NotAFile { .. }))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_and_a_device_are_named_as_such_without_blocking() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("pipe.pdf");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        // No writer ever comes: a blocking open would hang this test.
        assert_eq!(
            open(&fifo).map(|_| ()),
            Err(FileError::FileIsPipe {
                path: fifo.display().to_string()
            }
            .into())
        );
        assert_eq!(
            open(Path::new("/dev/zero")).map(|_| ()),
            Err(FileError::FileIsDevice {
                path: "/dev/zero".into()
            }
            .into())
        );
    }
}
