//! Where `qujat` keeps its data when no `--data-dir` is given, checked
//! through the real binary with the environment a user's session would have:
//! `QUJAT_DATA_DIR` when set, else the platform's per-user data folder
//! (the same folder the desktop app opens), never a path written into the code.

use std::path::Path;

use assert_cmd::Command;

/// `qujat list` with `env` applied and no `--data-dir`: a command that
/// opens the store (`programs` reads only public rule packs and makes none).
fn qujat_list(env: &[(&str, Option<&Path>)]) {
    let mut cmd = Command::cargo_bin("qujat").expect("the qujat binary is built");
    cmd.arg("list")
        .env("LANG", "C")
        .env("QUJAT_PASSPHRASE", "test passphrase");
    for (name, value) in env {
        match value {
            Some(value) => cmd.env(name, value),
            None => cmd.env_remove(name),
        };
    }
    cmd.assert().success();
}

fn has_store(data_dir: &Path) -> bool {
    data_dir.join("qujat.sqlite3").is_file()
}

#[test]
fn qujat_data_dir_wins_even_with_spaces_and_non_latin_letters() {
    let root = tempfile::tempdir().expect("temp dir");
    let data_dir = root.path().join("Мои документы").join("Qujat деректері");
    let home = root.path().join("home");
    qujat_list(&[
        ("QUJAT_DATA_DIR", Some(&data_dir)),
        ("HOME", Some(&home)),
        ("XDG_DATA_HOME", None),
    ]);
    assert!(has_store(&data_dir), "the store is in QUJAT_DATA_DIR");
    assert!(!home.exists(), "nothing is written to the home folder");
}

#[cfg(target_os = "linux")]
#[test]
fn without_it_the_xdg_data_folder_is_used() {
    let root = tempfile::tempdir().expect("temp dir");
    let home = root.path().join("Әлия home");
    let xdg = root.path().join("xdg данные");

    qujat_list(&[
        ("QUJAT_DATA_DIR", None),
        ("HOME", Some(&home)),
        ("XDG_DATA_HOME", Some(&xdg)),
    ]);
    assert!(
        has_store(&xdg.join("kz.qujat.desktop")),
        "XDG_DATA_HOME/<identifier>, as Tauri's app_data_dir"
    );
    assert!(!home.exists(), "XDG_DATA_HOME is honoured over HOME");

    qujat_list(&[
        ("QUJAT_DATA_DIR", None),
        ("HOME", Some(&home)),
        ("XDG_DATA_HOME", None),
    ]);
    assert!(
        has_store(&home.join(".local/share/kz.qujat.desktop")),
        "the XDG default under whatever HOME is, not a written /home path"
    );
}

#[cfg(target_os = "macos")]
#[test]
fn without_it_application_support_is_used() {
    let root = tempfile::tempdir().expect("temp dir");
    let home = root.path().join("Әлия home");
    qujat_list(&[("QUJAT_DATA_DIR", None), ("HOME", Some(&home))]);
    assert!(has_store(
        &home.join("Library/Application Support/kz.qujat.desktop")
    ));
}
