//! `qujat pack` and `qujat verify` through the real binary, on a temporary
//! data folder. Packages are checked independently of the core: checksums are
//! recomputed here with the `sha2` crate from the bytes the `zip` crate reads,
//! and, where bagit-python is installed, validated by it as well.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

mod support;

struct Env {
    dir: tempfile::TempDir,
}

const DATE: &str = "2025-03-14";

impl Env {
    fn new() -> Env {
        let env = Env {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        fs::create_dir(env.out_dir()).expect("out dir");
        env
    }

    fn out_dir(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    fn qujat(&self) -> Command {
        support::qujat_at(&self.dir.path().join("data"))
    }

    /// A dossier whose ministry-notice stage (one document) is complete.
    fn ready_dossier(&self, applicant: &str) -> String {
        let id = support::new_dossier_with(self.qujat(), applicant);
        let notice = self.dir.path().join("Хабарлама министрлік.pdf");
        fs::write(
            &notice,
            b"%PDF-1.4\n1 0 obj <</Type /Page>>\nendobj\n%%EOF\n",
        )
        .expect("fixture");
        self.qujat()
            .args(["add", &id, "ministry-notice"])
            .arg(&notice)
            .assert()
            .success();
        id
    }

    fn pack(&self, id: &str, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
        self.qujat()
            .args([
                "pack",
                id,
                "--stage",
                "ministry-notice",
                "--date",
                DATE,
                "--out",
            ])
            .arg(out)
            .args(extra)
            .assert()
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Every line of `manifest` must match the bytes `read` returns for its path.
fn check_manifest(manifest: &str, mut read: impl FnMut(&str) -> Vec<u8>) -> usize {
    let mut checked = 0;
    for line in manifest.lines() {
        let (expected, path) = line.split_once("  ").expect("<hash>  <path>");
        assert_eq!(
            sha256_hex(&read(path)),
            expected,
            "{path}: the manifest's hash is the content's hash"
        );
        checked += 1;
    }
    checked
}

#[test]
fn pack_refuses_while_blockers_remain_and_names_them() {
    let env = Env::new();
    let out = env
        .qujat()
        .args([
            "new",
            "--closed-program-ok",
            "--program",
            "kz-ai-pilot",
            "--name",
            "Ada",
        ])
        .output()
        .expect("run");
    let id = String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_owned();
    env.qujat()
        .args(["pack", &id, "--stage", "astana-hub", "--out"])
        .arg(env.out_dir().join("p.zip"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("passport-copy")
                .and(predicate::str::contains("--allow-incomplete")),
        );
    assert_eq!(
        fs::read_dir(env.out_dir()).expect("out").count(),
        0,
        "a refused pack writes nothing"
    );
}

#[test]
fn a_zip_package_is_a_bag_whose_manifests_match_recomputed_hashes() {
    let env = Env::new();
    let id = env.ready_dossier("Әлия Ғабитқызы");
    let zip_path = env.out_dir().join("пакет.zip");
    env.pack(&id, &zip_path, &[])
        .success()
        .stdout(predicate::str::contains("data/01-ministry-notice.pdf"));

    let mut archive =
        zip::ZipArchive::new(fs::File::open(&zip_path).expect("open")).expect("a ZIP");
    // Named after the program and stage, never the applicant (issue #17).
    let bag = format!("kz-ai-pilot - ministry-notice - {DATE}");
    let mut read = |path: &str| {
        let mut bytes = Vec::new();
        archive
            .by_name(&format!("{bag}/{path}"))
            .unwrap_or_else(|_| panic!("{path} in the bag"))
            .read_to_end(&mut bytes)
            .expect("read");
        bytes
    };
    let manifest = String::from_utf8(read("manifest-sha256.txt")).expect("utf-8");
    let tagmanifest = String::from_utf8(read("tagmanifest-sha256.txt")).expect("utf-8");
    assert_eq!(
        check_manifest(&manifest, &mut read),
        2,
        "cover sheet and document"
    );
    assert_eq!(check_manifest(&tagmanifest, &mut read), 4);
    let bagit = String::from_utf8(read("bagit.txt")).expect("utf-8");
    assert_eq!(
        bagit,
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    );
    let info = String::from_utf8(read("bag-info.txt")).expect("utf-8");
    let cover_len = read("data/00-cover-sheet.pdf").len();
    let doc_len = read("data/01-ministry-notice.pdf").len();
    assert!(
        info.contains(&format!("Payload-Oxum: {}.2", cover_len + doc_len)),
        "Payload-Oxum counts the payload's bytes and files:\n{info}"
    );
}

#[test]
fn the_same_dossier_and_date_give_a_byte_identical_zip() {
    let env = Env::new();
    let id = env.ready_dossier("Ada Lovelace");
    let a = env.out_dir().join("a.zip");
    let b = env.out_dir().join("b.zip");
    env.pack(&id, &a, &[]).success();
    env.pack(&id, &b, &[]).success();
    assert_eq!(fs::read(&a).expect("a"), fs::read(&b).expect("b"));
}

#[test]
fn verify_exits_0_valid_1_invalid_2_not_a_package_for_zip_and_folder() {
    let env = Env::new();
    let id = env.ready_dossier("Ada");
    let zip_path = env.out_dir().join("p.zip");
    let folder = env.out_dir().join("p");
    env.pack(&id, &zip_path, &[]).success();
    env.pack(&id, &folder, &["--folder"]).success();

    for path in [&zip_path, &folder] {
        env.qujat()
            .arg("verify")
            .arg(path)
            .assert()
            .code(0)
            .stdout(predicate::str::contains("valid"));
    }
    let out = env
        .qujat()
        .args(["verify", "--json"])
        .arg(&zip_path)
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["valid"], true);
    assert_eq!(report["filesChecked"], 6);

    // Alter the folder's document, drop in a stray file: both are named.
    let doc = folder.join("data/01-ministry-notice.pdf");
    let mut bytes = fs::read(&doc).expect("doc");
    bytes[0] ^= 1;
    fs::write(&doc, bytes).expect("alter");
    fs::write(folder.join("data/Thumbs.db"), b"x").expect("extra");
    env.qujat()
        .arg("verify")
        .arg(&folder)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("altered: data/01-ministry-notice.pdf")
                .and(predicate::str::contains("extra: data/Thumbs.db")),
        );

    let not_a_package = env.dir.path().join("notes.txt");
    fs::write(&not_a_package, b"hello").expect("write");
    for path in [not_a_package, env.dir.path().join("nothing-here.zip")] {
        env.qujat().arg("verify").arg(&path).assert().code(2);
    }
}

#[test]
fn an_existing_destination_needs_force() {
    let env = Env::new();
    let id = env.ready_dossier("Ada");
    let out = env.out_dir().join("p.zip");
    fs::write(&out, b"someone else's file").expect("existing");
    env.pack(&id, &out, &[])
        .code(2)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(
        fs::read(&out).expect("kept"),
        b"someone else's file",
        "nothing is overwritten without --force"
    );
    env.pack(&id, &out, &["--force"]).success();
    env.qujat().arg("verify").arg(&out).assert().code(0);
}

#[test]
fn a_folder_package_has_an_upload_list_in_the_users_language() {
    let env = Env::new();
    let id = env.ready_dossier("Ada");
    let folder = env.out_dir().join("p");
    env.pack(&id, &folder, &["--folder", "--lang", "kk"])
        .success();
    let list = fs::read_to_string(folder.join("upload-list.txt")).expect("upload list");
    assert!(
        list.contains("Жүктеу тізімі") && list.contains("data/01-ministry-notice.pdf"),
        "{list}"
    );
    // The manifest checks with the classic tool too, where it exists.
    if let Ok(status) = Process::new("sha256sum")
        .args(["-c", "--quiet", "manifest-sha256.txt"])
        .current_dir(&folder)
        .status()
    {
        assert!(status.success(), "sha256sum -c agrees with the manifest");
    }
}

/// bagit-python (the Library of Congress implementation) validates our bags.
/// It is optional: without it (`python3 -m pip install bagit`) this test
/// checks nothing and says so on stderr; the hash checks above still run.
#[test]
fn bagit_python_validates_the_folder_package_when_installed() {
    let has_bagit = Process::new("python3")
        .args(["-c", "import bagit"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_bagit {
        eprintln!("bagit-python is not installed; skipping its validation");
        return;
    }
    let env = Env::new();
    let id = env.ready_dossier("Әлия Ғабитқызы");
    let folder = env.out_dir().join("p");
    env.pack(&id, &folder, &["--folder"]).success();
    let out = Process::new("python3")
        .args(["-m", "bagit", "--validate"])
        .arg(&folder)
        .output()
        .expect("run bagit");
    assert!(
        out.status.success(),
        "bagit-python rejects the bag: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
