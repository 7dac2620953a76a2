//! Temporary files Qujat writes *outside* its data folder (a package being
//! written next to its destination, a backup next to its file), journaled
//! so that a process killed mid-write has them removed at the next start.
//!
//! Before the write starts, `<data>/pending/<uuid>.json` records the
//! destination and the writer's process id; it is removed when the write
//! ends either way (the writer removes its own temporary file on an
//! ordinary failure). An entry that survives its process names a
//! destination whose hidden `.<name>.<…>.part` siblings are leftovers, and
//! [`clean`] removes them.
//!
//! The destination is a path the user chose (their folders, their name):
//! it is sealed with the data key's field cipher like the store's personal
//! fields, so a crash leaves no path in clear in the data folder. Cleaning
//! runs when a workspace opens, with the key unlocked; an entry that does
//! not open with this key (another key, damage) is dropped, leaving at
//! most hidden `.part` files behind, never guessing at a path. Whether the writer is gone is read from `/proc`
//! where there is one (Linux); elsewhere an entry is trusted to be stale
//! only after a day, so a long pack in another window is never disturbed.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::keys::FieldCipher;

const DIR: &str = "pending";

/// The sealed field's name (associated data): a sealed value of another
/// field does not open as this one.
const DESTINATION: &str = "pending.destination";

/// How long an entry is kept where the writer's liveness cannot be read.
const STALE_AFTER: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    /// The destination's absolute path, sealed.
    destination: String,
    pid: u32,
}

/// A journaled write; removes its entry when dropped.
#[derive(Debug)]
pub struct Pending {
    entry: PathBuf,
}

impl Drop for Pending {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.entry);
    }
}

/// Records that this process is about to write temporary files next to
/// `destination`, sealed with `cipher`.
pub fn record(data_dir: &Path, destination: &Path, cipher: &FieldCipher) -> Result<Pending> {
    let dir = data_dir.join(DIR);
    fs::create_dir_all(&dir).map_err(|e| Error::writing(&dir, e))?;
    let destination = std::path::absolute(destination).unwrap_or_else(|_| destination.to_owned());
    // A path that is not UTF-8 is sealed lossily: cleaning then finds no
    // such folder and leaves its hidden `.part` files, never a package.
    let text = destination.to_string_lossy();
    let entry = dir.join(format!("{}.json", uuid::Uuid::new_v4().simple()));
    let json = serde_json::to_vec(&Entry {
        destination: cipher.seal(DESTINATION, &text),
        pid: std::process::id(),
    })
    .unwrap_or_default();
    // Synced so the entry exists on disk before any temporary file does.
    crate::durable::write_atomically(&entry, &json)?;
    Ok(Pending { entry })
}

/// Removes the leftovers of writes whose process is gone, and their entries;
/// `cipher` opens the destinations.
pub fn clean(data_dir: &Path, cipher: &FieldCipher) {
    let Ok(entries) = fs::read_dir(data_dir.join(DIR)) else {
        return;
    };
    for item in entries.flatten() {
        let path = item.path();
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            // An entry still being written when its process died.
            let _ = fs::remove_file(&path);
            continue;
        }
        let Some(entry) = fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Entry>(&b).ok())
        else {
            let _ = fs::remove_file(&path);
            continue;
        };
        if !is_stale(&entry, &path) {
            continue;
        }
        // Only a sealed destination is trusted: a plaintext one was not
        // written by this code, and may point anywhere.
        if FieldCipher::is_sealed(&entry.destination) {
            if let Ok(destination) = cipher.open(DESTINATION, &entry.destination) {
                remove_leftovers(Path::new(&destination));
            }
        }
        let _ = fs::remove_file(&path);
    }
}

fn is_stale(entry: &Entry, path: &Path) -> bool {
    if entry.pid == std::process::id() {
        return false;
    }
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return !proc.join(entry.pid.to_string()).exists();
    }
    fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age > STALE_AFTER)
}

/// Removes `.<name>.*.part` next to `destination`: the temporary names
/// `package::copy` and `backup` give (the name cut to 60 characters).
fn remove_leftovers(destination: &Path) {
    let (Some(dir), Some(name)) = (destination.parent(), destination.file_name()) else {
        return;
    };
    let prefix = format!(
        ".{}.",
        name.to_string_lossy().chars().take(60).collect::<String>()
    );
    let Ok(siblings) = fs::read_dir(dir) else {
        return;
    };
    for sibling in siblings.flatten() {
        let sibling_name = sibling.file_name().to_string_lossy().into_owned();
        if !(sibling_name.starts_with(&prefix) && sibling_name.ends_with(".part")) {
            continue;
        }
        let path = sibling.path();
        let _ = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_a_dead_writer_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let out = dir.path().join("out");
        fs::create_dir_all(&out).expect("out");
        let dest = out.join("pack.zip");
        fs::write(out.join(".pack.zip.0123.part"), b"half").expect("leftover");
        fs::create_dir(out.join(".pack.zip.4567.part")).expect("folder leftover");
        fs::write(out.join("pack.zip"), b"done").expect("finished package");
        fs::write(out.join(".other.zip.89.part"), b"not ours").expect("another");
        let cipher = FieldCipher::derive(&[7; 32], "test");
        let ours = record(&data, &dest, &cipher).expect("record");
        let journal = fs::read_dir(data.join(DIR))
            .expect("pending")
            .flatten()
            .next()
            .expect("one entry")
            .path();
        let text = fs::read_to_string(&journal).expect("entry");
        assert!(
            !text.contains("pack.zip") && !text.contains("out"),
            "the destination is not in clear: {text}"
        );
        clean(&data, &cipher);
        assert!(
            out.join(".pack.zip.0123.part").exists(),
            "a live writer's temporary files are left alone"
        );
        // The writer dies without dropping its entry.
        std::mem::forget(ours);
        let mut entry: Entry = serde_json::from_str(&text).expect("json");
        entry.pid = u32::MAX;
        fs::write(&journal, serde_json::to_vec(&entry).expect("json")).expect("a dead pid");
        clean(&data, &cipher);
        let mut left: Vec<String> = fs::read_dir(&out)
            .expect("out")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".other.zip.89.part", "pack.zip"]);
        assert_eq!(
            fs::read_dir(data.join(DIR)).expect("pending").count(),
            0,
            "the entry goes with its leftovers"
        );
    }
}
