//! No raw English where the user reads Russian or Kazakh: the `data`
//! folder of a package, chosen for verifying, is explained in the user's
//! language ("choose the folder above it"), and a technical detail (the
//! operating system's or a library's words) comes after the translated
//! message on a "Details" line of its own, never as the message.

mod support;

use std::fs;
use std::path::Path;

use predicates::prelude::*;
use support::qujat_at;

/// A minimal BagIt bag at `dir`.
fn bag(dir: &Path) {
    fs::create_dir_all(dir.join("data")).expect("bag");
    fs::write(
        dir.join("bagit.txt"),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    )
    .expect("bagit.txt");
    fs::write(dir.join("data/cv.txt"), "cv").expect("payload");
}

#[test]
fn the_data_folder_of_a_package_is_explained_in_the_users_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    let package = dir.path().join("Package");
    bag(&package);
    for (lang, words) in [
        (
            "en",
            "is the data folder of a package; choose the folder above it",
        ),
        (
            "ru",
            "это папка data внутри пакета; выберите папку уровнем выше",
        ),
        ("kk", "data қалтасы; одан жоғары қалтаны таңдаңыз"),
    ] {
        qujat_at(&dir.path().join("data"))
            .args(["--lang", lang, "verify"])
            .arg(package.join("data"))
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains(words)
                    .and(predicate::str::contains("bagit.txt in the folder").not()),
            );
    }
}

#[test]
fn a_folder_that_is_no_package_says_why_in_words_and_the_detail_apart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("Empty");
    fs::create_dir_all(empty.join("a")).expect("folder");
    fs::create_dir_all(empty.join("b")).expect("folder");
    let out = qujat_at(&dir.path().join("data"))
        .args(["--lang", "ru", "verify"])
        .arg(&empty)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut lines = stderr.lines();
    let message = lines.next().expect("a message");
    assert!(message.contains("не является пакетом"), "{stderr}");
    assert!(
        !message.contains("no bagit.txt"),
        "the English detail is not the message: {stderr}"
    );
    let details = lines.next().expect("a details line");
    assert!(
        details.contains("Подробности:") && details.contains("bagit.txt"),
        "{stderr}"
    );
}
