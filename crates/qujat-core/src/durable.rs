//! Durable writes, once for the whole core: a file replaced atomically
//! (write a temporary sibling, sync it, rename it over the target, sync the
//! folder) and the folder sync that makes a rename survive a power cut.
//! Every module that writes a whole file goes through here, so a crash at
//! any moment leaves the old file or the new one, never half of one.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Makes renames and new files in `dir` durable on Unix (where a rename is
/// durable only once its folder is synced); a no-op elsewhere.
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// A temporary sibling of `path` that no other writer picks: hidden, with a
/// random part, so two processes writing the same target never share it.
pub(crate) fn temp_sibling(path: &Path, suffix: &str) -> PathBuf {
    let dir = parent_of(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(
        ".{name}.{}.{suffix}",
        uuid::Uuid::new_v4().simple()
    ))
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Creates a new file for writing that only its owner can read on Unix
/// (0600): what Qujat writes into the data folder is private.
pub(crate) fn create_private(path: &Path) -> io::Result<File> {
    let mut options = File::options();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Writes `contents` to `path` atomically: into a temporary file in the same
/// folder, synced, then renamed over the target, then the folder synced.
/// The new file is private to the user on Unix (0600).
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<()> {
    let tmp = temp_sibling(path, "tmp");
    let written = (|| {
        let mut file = create_private(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(Error::writing(path, e));
    }
    sync_dir(&parent_of(path));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FileError;

    #[test]
    fn replaces_the_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.txt");
        write_atomically(&path, b"first").expect("write");
        write_atomically(&path, b"second").expect("write again");
        assert_eq!(fs::read(&path).expect("read"), b"second");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.txt")]);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_private_to_the_user() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("secret.json");
        write_atomically(&path, b"{}").expect("write");
        let mode = fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_the_target() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("no/such/folder/x");
        assert!(matches!(
            write_atomically(&path, b"x"),
            Err(Error::File(FileError::Unwritable { .. }))
        ));
    }
}
