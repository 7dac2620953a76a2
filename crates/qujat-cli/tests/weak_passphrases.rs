//! A passphrase too easy to guess is refused wherever one is set through
//! the `qujat` command: the data key's first passphrase, a new one, and a
//! backup's; the reason is said in the user's language, and nothing is
//! written.

mod support;

use std::fs;

use assert_cmd::Command;
use predicates::prelude::*;
use support::qujat_at;

#[test]
fn a_data_key_passphrase_too_easy_to_guess_makes_no_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    for (lang, words) in [
        ("en", "too easy to guess"),
        ("ru", "слишком легко подобрать"),
        ("kk", "табу тым оңай"),
    ] {
        qujat_at(&data)
            .args([
                "--lang",
                lang,
                "new",
                "--program",
                "kz-in-demand",
                "--name",
                "Ada Lovelace",
            ])
            .env("QUJAT_PASSPHRASE", "abc")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(words));
        assert!(
            !data.join("key.json").exists(),
            "no key for a weak passphrase"
        );
    }
    // A few random words are fine.
    qujat_at(&data)
        .args(["new", "--program", "kz-in-demand", "--name", "Ada Lovelace"])
        .assert()
        .success();
    assert!(data.join("key.json").exists());

    // Changing it to a weak one is refused too, and the old one still opens.
    let before = fs::read(data.join("key.json")).expect("record");
    qujat_at(&data)
        .args(["key", "passphrase"])
        .env("QUJAT_NEW_PASSPHRASE", "password")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("most common passwords"));
    assert_eq!(fs::read(data.join("key.json")).expect("record"), before);
    qujat_at(&data).args(["list"]).assert().success();
}

#[test]
fn a_backup_passphrase_too_easy_to_guess_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let id = support::succeed(qujat_at(&data).args([
        "new",
        "--program",
        "kz-in-demand",
        "--name",
        "Ada Lovelace",
    ]))
    .trim()
    .to_owned();
    let backup = dir.path().join("b.qujat");
    let export = |pass: &str, lang: &str| -> Command {
        let mut cmd = qujat_at(&data);
        cmd.args(["--lang", lang, "export", &id, "--out"])
            .arg(&backup)
            .env("QUJAT_BACKUP_PASSPHRASE", pass);
        cmd
    };
    export("x", "en").assert().code(2).stderr(
        predicate::str::contains("too easy to guess").and(predicate::str::contains("random")),
    );
    export("x", "ru")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("слишком легко подобрать"));
    assert!(!backup.exists(), "no backup for a weak passphrase");
    export("violet tundra harbour kettle", "en")
        .assert()
        .success();
    assert!(backup.exists());
}
