//! `verify` on folder bags written by hand: what RFC 8493 allows, what it
//! warns about, and the folder attacks. The ZIP attacks and the memory
//! bounds are measured on the real binary (qujat-cli/tests/verify_hostile.rs).

use std::fs;
use std::path::{Path, PathBuf};

use md5::Md5;
use sha2::{Digest, Sha256};

use super::*;
use crate::error::{Error, PackageError};

const BAGIT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

fn md5_hex(bytes: &[u8]) -> String {
    hex::encode(<Md5 as md5::Digest>::digest(bytes))
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A folder bag with `files` (paths under the bag) and a SHA-256 manifest
/// listing `listed` of them.
fn bag(dir: &Path, files: &[(&str, &[u8])], listed: &[&str]) -> PathBuf {
    let root = dir.join("bag");
    fs::create_dir_all(root.join("data")).expect("bag");
    fs::write(root.join("bagit.txt"), BAGIT).expect("bagit.txt");
    let mut manifest = String::new();
    for (path, bytes) in files {
        let target = root.join(path);
        fs::create_dir_all(target.parent().expect("parent")).expect("folders");
        fs::write(&target, bytes).expect("file");
        if listed.contains(path) {
            manifest.push_str(&format!("{}  {path}\n", sha256_hex(bytes)));
        }
    }
    fs::write(root.join("manifest-sha256.txt"), manifest).expect("manifest");
    root
}

#[test]
fn an_md5_only_bag_is_valid_with_a_note() {
    let dir = tempfile::tempdir().expect("dir");
    let root = bag(dir.path(), &[("data/a.txt", b"hello")], &[]);
    fs::remove_file(root.join("manifest-sha256.txt")).expect("rm");
    fs::write(
        root.join("manifest-md5.txt"),
        format!("{}  data/a.txt\n", md5_hex(b"hello")),
    )
    .expect("md5");
    let report = verify(&root).expect("verify");
    assert!(report.valid, "{report:?}");
    assert_eq!(
        report.warnings,
        [VerifyWarning::WeakChecksums {
            algorithms: vec!["md5".into()]
        }]
    );
    fs::write(root.join("data/a.txt"), b"jello").expect("alter");
    assert_eq!(verify(&root).expect("verify").altered, ["data/a.txt"]);
}

#[test]
fn a_holey_bag_lists_files_to_fetch_not_missing() {
    let dir = tempfile::tempdir().expect("dir");
    let root = bag(
        dir.path(),
        &[("data/a.txt", b"hello"), ("data/b.txt", b"later")],
        &["data/a.txt", "data/b.txt"],
    );
    fs::remove_file(root.join("data/b.txt")).expect("rm");
    fs::write(
        root.join("fetch.txt"),
        "https://example.org/b.txt 5 data/b.txt\n",
    )
    .expect("fetch");
    let report = verify(&root).expect("verify");
    assert!(!report.valid, "not complete until fetched");
    assert_eq!(report.to_fetch, ["data/b.txt"]);
    assert!(report.missing.is_empty() && report.problems.is_empty());
}

#[test]
fn the_data_folder_is_not_the_package() {
    let dir = tempfile::tempdir().expect("dir");
    let root = bag(dir.path(), &[("data/a.txt", b"hello")], &["data/a.txt"]);
    assert!(matches!(
        verify(&root.join("data")),
        Err(Error::Package(PackageError::PackageDataFolder { .. }))
    ));
}

#[cfg(unix)]
#[test]
fn links_and_fifos_are_reported_never_opened() {
    let dir = tempfile::tempdir().expect("dir");
    let root = bag(dir.path(), &[("data/a.txt", b"hello")], &["data/a.txt"]);
    std::os::unix::fs::symlink("/etc/hostname", root.join("data/link")).expect("link");
    let fifo = root.join("data/pipe");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    let report = verify(&root).expect("verify, without blocking on the FIFO");
    assert!(!report.valid);
    for path in ["data/link", "data/pipe"] {
        assert!(
            report
                .problems
                .contains(&VerifyProblem::NotARegularFile { path: path.into() }),
            "{path}: {:?}",
            report.problems
        );
    }
    // The FIFO itself as the package: not a package, and no wait.
    assert!(matches!(
        verify(&fifo),
        Err(Error::Package(PackageError::NotAPackage { .. }))
    ));
}

#[test]
fn twins_by_case_or_normalisation_are_warnings_and_both_are_checked() {
    let dir = tempfile::tempdir().expect("dir");
    let nfc = "data/й.txt";
    let nfd = "data/и\u{306}.txt";
    let root = bag(
        dir.path(),
        &[
            (nfc, b"same"),
            (nfd, b"same"),
            ("data/Read.txt", b"r"),
            ("data/read.txt", b"r"),
            ("data/.DS_Store", b"x"),
        ],
        &[nfc, "data/Read.txt", "data/read.txt", "data/.DS_Store"],
    );
    let report = verify(&root).expect("verify");
    assert!(report.valid, "{report:?}");
    for warning in [
        VerifyWarning::NormalizationDuplicate { path: nfc.into() },
        VerifyWarning::CaseDuplicate {
            path: "data/read.txt".into(),
            other: "data/Read.txt".into(),
        },
        VerifyWarning::SystemFile {
            path: "data/.DS_Store".into(),
        },
    ] {
        assert!(report.warnings.contains(&warning), "{:?}", report.warnings);
    }
    // The decomposed twin is checked against the same line.
    fs::write(root.join(nfd), b"diff").expect("alter twin");
    assert_eq!(verify(&root).expect("verify").altered, [nfc]);
}

#[test]
fn names_from_the_bag_reach_the_report_only_made_visible() {
    let dir = tempfile::tempdir().expect("dir");
    let root = bag(dir.path(), &[("data/a.txt", b"hello")], &["data/a.txt"]);
    let evil = "data/x\u{1b}[2K\r\u{1b}[1Avalid\u{202e}";
    let mut manifest = fs::read_to_string(root.join("manifest-sha256.txt")).expect("read");
    manifest.push_str(&format!("{}  {evil}\n", sha256_hex(b"")));
    fs::write(root.join("manifest-sha256.txt"), manifest).expect("write");
    let report = verify(&root).expect("verify");
    assert_eq!(
        report.missing,
        ["data/x\\u{1b}[2K\\r\\u{1b}[1Avalid\\u{202e}"]
    );
    let json = serde_json::to_string(&report).expect("json");
    assert!(!json.contains('\u{1b}') && !json.contains('\u{202e}'));
}
