//! Backups: a round trip keeps everything, and every kind of hostile or
//! damaged file is refused with its own error, changing nothing.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeZone, Utc};

use super::manifest::{Manifest, FORMAT_VERSION};
use super::*;
use crate::error::{BackupError, DossierError, Error, FileError, KeyError};
use crate::timeline::EventCorrection;

/// A fast scrypt for tests; real backups use [`WORK_FACTOR`].
const FAST: u8 = 10;
const PASS: &str = "correct horse battery staple";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0)
        .single()
        .expect("time")
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 2, d).expect("date")
}

struct Fixture {
    dir: tempfile::TempDir,
    ws: Workspace,
    dossier: String,
}

impl Fixture {
    /// A dossier with two documents (one file shared by both), a confirmed
    /// step, and events with a correction and a removal in their history.
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ws = Workspace::open(&dir.path().join("data")).expect("open");
        let dossier = ws
            .create_dossier("kz-ai-pilot", "Ada Lovelace", now())
            .expect("dossier")
            .id;
        let cv = dir.path().join("cv.pdf");
        fs::write(&cv, b"%PDF-1.4\nthe CV\n%%EOF\n").expect("cv");
        let passport = dir.path().join("passport.pdf");
        fs::write(&passport, b"%PDF-1.4\nthe passport\n%%EOF\n").expect("passport");
        ws.attach(&dossier, "cv", &cv, now()).expect("attach cv");
        ws.attach(&dossier, "passport-copy", &passport, now())
            .expect("attach passport");
        ws.confirm_step(&dossier, "iin", day(3), day(28), now())
            .expect("confirm");
        let submitted = ws
            .record_event(
                &dossier,
                "astana-hub-submitted",
                day(5),
                None,
                day(28),
                now(),
            )
            .expect("event");
        ws.correct_event(
            &dossier,
            submitted.id,
            EventCorrection {
                note: Some("typo".into()),
                ..EventCorrection::default()
            },
            day(28),
            now(),
        )
        .expect("correct");
        let interview = ws
            .record_event(&dossier, "interview-done", day(9), None, day(28), now())
            .expect("event");
        ws.remove_event(&dossier, interview.id, now())
            .expect("remove");
        Fixture { dir, ws, dossier }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn export(&mut self) -> PathBuf {
        let out = self.path("ada.qujat");
        self.ws
            .export_dossier_with(&self.dossier, &out, PASS, now(), FAST, false)
            .expect("export");
        out
    }

    fn snapshot(&mut self) -> Manifest {
        Manifest {
            format: FORMAT_VERSION,
            app_version: "test".into(),
            exported_at: now(),
            dossier: self
                .ws
                .store_mut()
                .dossier_snapshot(&self.dossier)
                .expect("snapshot"),
        }
    }

    /// Imports `file` and asserts that it was refused and changed nothing.
    fn refused(&mut self, file: &Path, limits: &Limits) -> Error {
        let before = self.ws.dossiers().expect("dossiers");
        let objects = count_files(&self.ws.data_dir().join("vault/objects"));
        let err = self
            .ws
            .import_dossier_with(file, PASS, limits)
            .expect_err("the import must be refused");
        assert_eq!(
            self.ws.dossiers().expect("dossiers"),
            before,
            "no dossier added"
        );
        assert_eq!(
            count_files(&self.ws.data_dir().join("vault/objects")),
            objects,
            "no vault file added"
        );
        assert_eq!(
            count_files(&self.ws.vault().tmp_dir()),
            0,
            "nothing staged is left behind"
        );
        err
    }
}

fn count_files(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            if e.path().is_dir() {
                count_files(&e.path())
            } else {
                1
            }
        })
        .sum()
}

/// One tar entry, built by hand so that names tar::Builder would refuse
/// (absolute, `..`) can be written.
struct Raw {
    name: &'static str,
    kind: tar::EntryType,
    data: Vec<u8>,
    /// The size written in the header, when it should lie.
    size: Option<u64>,
}

fn file(name: &'static str, data: &[u8]) -> Raw {
    Raw {
        name,
        kind: tar::EntryType::Regular,
        data: data.to_vec(),
        size: None,
    }
}

fn manifest_entry(manifest: &Manifest) -> Raw {
    file(
        "manifest.json",
        &serde_json::to_vec(manifest).expect("json"),
    )
}

/// Encrypts a hand-made archive as a backup, trailer included.
fn craft(entries: &[Raw]) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    for e in entries {
        let mut header = tar::Header::new_gnu();
        let name = &mut header.as_old_mut().name;
        name[..e.name.len()].copy_from_slice(e.name.as_bytes());
        header.set_entry_type(e.kind);
        header.set_size(e.size.unwrap_or(e.data.len() as u64));
        header.set_mode(0o600);
        if e.kind.is_symlink() || e.kind.is_hard_link() {
            header.set_link_name("/etc/passwd").expect("link name");
        }
        header.set_cksum();
        tar.append(&header, e.data.as_slice()).expect("append");
    }
    let tar = tar.into_inner().expect("tar");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar).expect("gzip");
    seal(&gz.finish().expect("gzip"))
}

fn seal(plain: &[u8]) -> Vec<u8> {
    let mut recipient = age::scrypt::Recipient::new(PASS.to_owned().into());
    recipient.set_work_factor(FAST);
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .expect("encryptor");
    let mut out = Vec::new();
    let mut w = encryptor.wrap_output(&mut out).expect("wrap");
    w.write_all(plain).expect("encrypt");
    w.finish().expect("finish");
    let len = out.len() as u64;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(b"QJBKEND1");
    out
}

fn write(f: &Fixture, name: &str, bytes: &[u8]) -> PathBuf {
    let path = f.path(name);
    fs::write(&path, bytes).expect("write backup");
    path
}

/// The fixture's real files, by hash, for hand-made archives.
fn vault_files(f: &Fixture, manifest: &Manifest) -> Vec<(String, Vec<u8>)> {
    manifest
        .dossier
        .files()
        .into_iter()
        .map(|sha| {
            // The plaintext: vault objects are encrypted on disk.
            let bytes = f.ws.vault().read(&sha, u64::MAX).expect("vault file");
            (sha, bytes)
        })
        .collect()
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[test]
fn a_round_trip_to_another_computer_keeps_everything() {
    let mut f = Fixture::new();
    let backup = f.export();
    let original = f.snapshot();

    let other = tempfile::tempdir().expect("another computer");
    let mut ws = Workspace::open(&other.path().join("data")).expect("open");
    let summary = ws.import_dossier(&backup, PASS).expect("import");
    assert_eq!(summary.dossier_id, f.dossier, "a free id is kept");
    assert_eq!(
        summary.applicant_name, "Ada Lovelace",
        "the summary names whose it is"
    );
    assert_eq!((summary.documents, summary.files), (2, 2));
    let imported = ws
        .store_mut()
        .dossier_snapshot(&f.dossier)
        .expect("snapshot");
    let d = &original.dossier;
    assert_eq!(imported.applicant_name, d.applicant_name);
    assert_eq!(imported.documents, d.documents);
    assert_eq!(imported.confirmations, d.confirmations);
    assert_eq!(imported.events.len(), 1, "the removed event stays removed");
    assert_eq!(imported.events[0].note.as_deref(), Some("typo"));
    let actions: Vec<_> = imported.history.iter().map(|h| h.action.as_str()).collect();
    assert_eq!(
        actions,
        ["added", "corrected", "added", "removed"],
        "the whole history comes along"
    );
    for doc in &imported.documents {
        assert_eq!(
            ws.vault().verify(&doc.sha256),
            crate::vault::Integrity::Intact,
            "{} is in the new vault, intact",
            doc.requirement_id
        );
    }
    let report = ws.report(&f.dossier, None, day(28)).expect("report");
    assert_eq!(report.dossier.id, f.dossier);
}

#[test]
fn a_restored_demo_dossier_is_still_a_demo_and_a_real_one_is_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut ws = Workspace::open(&dir.path().join("data")).expect("open");
    let demo = ws
        .create_demo(crate::i18n::Lang::En, now(), day(28))
        .expect("demo")
        .dossier
        .id;
    let real = ws
        .create_dossier("kz-ai-pilot", "Ada Lovelace", now())
        .expect("dossier")
        .id;
    let (demo_file, real_file) = (dir.path().join("demo.qujat"), dir.path().join("real.qujat"));
    ws.export_dossier_with(&demo, &demo_file, PASS, now(), FAST, false)
        .expect("export demo");
    ws.export_dossier_with(&real, &real_file, PASS, now(), FAST, false)
        .expect("export real");

    let other = tempfile::tempdir().expect("another computer");
    let mut ws = Workspace::open(&other.path().join("data")).expect("open");
    ws.import_dossier(&demo_file, PASS).expect("import demo");
    ws.import_dossier(&real_file, PASS).expect("import real");
    assert_eq!(ws.reset_demo().expect("reset"), 1, "the demo is removed");
    let left: Vec<_> = ws
        .dossiers()
        .expect("dossiers")
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(left, vec![real], "the real dossier stays");
}

#[test]
fn importing_where_the_id_is_taken_gives_a_new_id_and_says_so() {
    let mut f = Fixture::new();
    let backup = f.export();
    let summary = f.ws.import_dossier(&backup, PASS).expect("import");
    assert_eq!(summary.original_id, f.dossier);
    assert_ne!(
        summary.dossier_id, f.dossier,
        "the existing dossier is untouched"
    );
    assert_eq!(f.ws.dossiers().expect("dossiers").len(), 2);
    let copy =
        f.ws.timeline(&summary.dossier_id, day(28))
            .expect("timeline");
    assert_eq!(copy.history.len(), 4, "events and history under the new id");
}

#[test]
fn an_existing_file_is_never_replaced_and_an_empty_passphrase_is_refused() {
    let mut f = Fixture::new();
    let out = write(&f, "taken.qujat", b"mine");
    let dossier = f.dossier.clone();
    assert!(matches!(
        f.ws.export_dossier_with(&dossier, &out, PASS, now(), FAST, false),
        Err(Error::File(FileError::DestinationExists { .. }))
    ));
    assert_eq!(fs::read(&out).expect("still there"), b"mine");
    assert_eq!(
        f.ws.export_dossier_with(&dossier, &f.path("x.qujat"), "", now(), FAST, false),
        Err(KeyError::PassphraseEmpty.into())
    );
    assert!(matches!(
        f.ws.export_dossier_with(&dossier, &f.path("x.qujat"), "x", now(), FAST, false),
        Err(Error::Keys(KeyError::PassphraseWeak { .. }))
    ));
    assert!(
        !f.path("x.qujat").exists(),
        "nothing written for a weak passphrase"
    );
}

#[test]
fn replacing_asked_for_replaces_a_file_but_never_a_folder() {
    let mut f = Fixture::new();
    let out = write(&f, "old.qujat", b"an older backup");
    let dossier = f.dossier.clone();
    f.ws.export_dossier_with(&dossier, &out, PASS, now(), FAST, true)
        .expect("replaced");
    assert!(fs::read(&out)
        .expect("new")
        .starts_with(b"age-encryption.org/v1"));
    let folder = f.path("folder.qujat");
    fs::create_dir(&folder).expect("folder");
    assert!(matches!(
        f.ws.export_dossier_with(&dossier, &folder, PASS, now(), FAST, true),
        Err(Error::File(FileError::DestinationExists { .. }))
    ));
    assert!(folder.is_dir());
}

#[test]
fn a_wrong_passphrase_is_refused() {
    let mut f = Fixture::new();
    let backup = f.export();
    let before = f.ws.dossiers().expect("dossiers");
    assert_eq!(
        f.ws.import_dossier(&backup, "wrong horse"),
        Err(BackupError::BackupWrongPassphrase.into())
    );
    assert_eq!(f.ws.dossiers().expect("dossiers"), before);
}

#[test]
fn a_truncated_backup_is_refused() {
    let mut f = Fixture::new();
    let backup = f.export();
    let bytes = fs::read(&backup).expect("read");
    for cut in [bytes.len() / 2, bytes.len() - 1, 30] {
        let short = write(&f, "short.qujat", &bytes[..cut]);
        assert_eq!(
            f.refused(&short, &Limits::default()),
            Error::from(BackupError::BackupTruncated),
            "cut at {cut} of {}",
            bytes.len()
        );
    }
}

#[test]
fn a_tampered_backup_is_refused() {
    let mut f = Fixture::new();
    let backup = f.export();
    let mut bytes = fs::read(&backup).expect("read");
    // A byte of the encrypted payload, past the header.
    let at = bytes.len() - 40;
    bytes[at] ^= 0x01;
    let tampered = write(&f, "tampered.qujat", &bytes);
    assert!(matches!(
        f.refused(&tampered, &Limits::default()),
        Error::Backup(BackupError::BackupTampered { .. })
    ));
}

#[test]
fn a_file_that_is_not_a_backup_is_refused() {
    let mut f = Fixture::new();
    let zip = write(&f, "photo.zip", b"PK\x03\x04 not a backup at all");
    assert!(matches!(
        f.refused(&zip, &Limits::default()),
        Error::Backup(BackupError::NotABackup { .. })
    ));
}

#[test]
fn a_backup_from_a_newer_qujat_is_refused() {
    let mut f = Fixture::new();
    let mut manifest = f.snapshot();
    manifest.format = FORMAT_VERSION + 1;
    let newer = write(&f, "newer.qujat", &craft(&[manifest_entry(&manifest)]));
    assert_eq!(
        f.refused(&newer, &Limits::default()),
        Error::from(BackupError::BackupTooNew {
            found: FORMAT_VERSION + 1,
            known: FORMAT_VERSION
        })
    );
}

#[test]
fn path_traversal_and_absolute_paths_are_refused() {
    let mut f = Fixture::new();
    let manifest = f.snapshot();
    let cases = [
        ("files/../../../home/user/.bashrc", "unsafe"),
        ("../manifest.json", "unsafe"),
        ("/etc/cron.d/evil", "absolute"),
        ("C:\\Windows\\evil.dll", "absolute"),
    ];
    for (name, expect) in cases {
        let bytes = craft(&[manifest_entry(&manifest), file(name, b"evil")]);
        let path = write(&f, "evil.qujat", &bytes);
        let err = f.refused(&path, &Limits::default());
        match expect {
            "unsafe" => assert_eq!(
                err,
                Error::from(BackupError::BackupUnsafePath { path: name.into() })
            ),
            _ => assert_eq!(
                err,
                Error::from(BackupError::BackupAbsolutePath { path: name.into() })
            ),
        }
    }
}

#[test]
fn links_and_special_entries_are_refused() {
    let mut f = Fixture::new();
    let manifest = f.snapshot();
    let sha = manifest.dossier.files()[0].clone();
    let name = leak(format!("files/{sha}"));
    for kind in [
        tar::EntryType::Symlink,
        tar::EntryType::Link,
        tar::EntryType::Directory,
        tar::EntryType::Fifo,
    ] {
        let entry = Raw {
            name,
            kind,
            data: Vec::new(),
            size: Some(0),
        };
        let path = write(
            &f,
            "links.qujat",
            &craft(&[manifest_entry(&manifest), entry]),
        );
        assert_eq!(
            f.refused(&path, &Limits::default()),
            Error::from(BackupError::BackupLink { path: name.into() }),
            "{kind:?}"
        );
    }
}

#[test]
fn duplicate_undeclared_and_missing_entries_are_refused() {
    let mut f = Fixture::new();
    let manifest = f.snapshot();
    let files = vault_files(&f, &manifest);
    let entry = |i: usize| file(leak(format!("files/{}", files[i].0)), &files[i].1);

    let twice = craft(&[manifest_entry(&manifest), entry(0), entry(0), entry(1)]);
    assert_eq!(
        f.refused(&write(&f, "twice.qujat", &twice), &Limits::default()),
        Error::from(BackupError::BackupDuplicateEntry {
            path: format!("files/{}", files[0].0)
        })
    );

    let stranger = format!("files/{}", "0".repeat(64));
    let extra = craft(&[
        manifest_entry(&manifest),
        entry(0),
        entry(1),
        file(leak(stranger.clone()), b"not declared"),
    ]);
    assert_eq!(
        f.refused(&write(&f, "extra.qujat", &extra), &Limits::default()),
        Error::from(BackupError::BackupUndeclaredEntry { path: stranger })
    );

    let before_manifest = craft(&[entry(0), manifest_entry(&manifest), entry(1)]);
    assert!(matches!(
        f.refused(
            &write(&f, "order.qujat", &before_manifest),
            &Limits::default()
        ),
        Error::Backup(BackupError::BackupUndeclaredEntry { .. })
    ));

    let lacking = craft(&[manifest_entry(&manifest), entry(0)]);
    assert_eq!(
        f.refused(&write(&f, "lacking.qujat", &lacking), &Limits::default()),
        Error::from(BackupError::BackupMissingEntry {
            path: format!("files/{}", files[1].0)
        })
    );
}

#[test]
fn a_file_that_does_not_match_its_hash_is_refused() {
    let mut f = Fixture::new();
    let manifest = f.snapshot();
    let files = vault_files(&f, &manifest);
    let mut forged = files[0].1.clone();
    forged[0] ^= 0x20;
    let bytes = craft(&[
        manifest_entry(&manifest),
        file(leak(format!("files/{}", files[0].0)), &forged),
        file(leak(format!("files/{}", files[1].0)), &files[1].1),
    ]);
    assert!(matches!(
        f.refused(&write(&f, "forged.qujat", &bytes), &Limits::default()),
        Error::Backup(BackupError::BackupTampered { .. })
    ));
}

#[test]
fn decompression_bombs_are_stopped_at_the_limit() {
    let mut f = Fixture::new();
    let mut manifest = f.snapshot();
    let files = vault_files(&f, &manifest);
    // 9 MiB of zeros (under the requirement's 10 MiB, so only the limits
    // below stop it): a few KiB once compressed and encrypted.
    let bomb = vec![0u8; 9 << 20];
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bomb));
    manifest.dossier.documents[0].sha256 = sha.clone();
    manifest.dossier.documents[0].size = bomb.len() as u64;
    let keep = files
        .iter()
        .find(|(s, _)| *s == manifest.dossier.documents[1].sha256)
        .expect("the other file");
    let bytes = craft(&[
        manifest_entry(&manifest),
        file(leak(format!("files/{sha}")), &bomb),
        file(leak(format!("files/{}", keep.0)), &keep.1),
    ]);
    assert!(bytes.len() < 1 << 20, "the bomb is small on disk");
    let path = write(&f, "bomb.qujat", &bytes);

    let per_entry = Limits {
        entry_bytes: 8 << 20,
        ..Limits::default()
    };
    assert_eq!(
        f.refused(&path, &per_entry),
        Error::from(BackupError::BackupTooLarge {
            path: format!("files/{sha}"),
            limit: 8 << 20
        })
    );
    let total = Limits {
        total_bytes: 4 << 20,
        ..Limits::default()
    };
    assert_eq!(
        f.refused(&path, &total),
        Error::from(BackupError::BackupTooLarge {
            path: "(backup)".into(),
            limit: 4 << 20
        })
    );
}

#[test]
fn an_entry_longer_than_its_header_allows_fails_its_hash() {
    let mut f = Fixture::new();
    let manifest = f.snapshot();
    let files = vault_files(&f, &manifest);
    let mut longer = files[0].1.clone();
    longer.extend_from_slice(b"and more");
    let bytes = craft(&[
        manifest_entry(&manifest),
        file(leak(format!("files/{}", files[0].0)), &longer),
    ]);
    assert_eq!(
        f.refused(&write(&f, "longer.qujat", &bytes), &Limits::default()),
        Error::from(BackupError::BackupTampered {
            detail: format!("files/{} does not match its hash", files[0].0)
        })
    );
}

/// A tar header of `kind` named `name` that declares `size` bytes, followed
/// by `data` (which may be shorter than it claims).
fn header_entry(name: &[u8], kind: tar::EntryType, size: u64, data: &[u8]) -> Vec<u8> {
    let mut header = tar::Header::new_gnu();
    header.as_old_mut().name[..name.len()].copy_from_slice(name);
    header.set_entry_type(kind);
    header.set_size(size);
    header.set_mode(0o600);
    header.set_cksum();
    let mut out = header.as_bytes().to_vec();
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
    out
}

fn gzip_and_seal(tar: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(tar).expect("gzip");
    seal(&gz.finish().expect("gzip"))
}

#[test]
fn long_name_and_pax_headers_are_refused_from_their_header_unread() {
    let mut f = Fixture::new();
    let manifest = f.snapshot();
    let json = serde_json::to_vec(&manifest).expect("json");
    let mut first = header_entry(
        b"manifest.json",
        tar::EntryType::Regular,
        json.len() as u64,
        &json,
    );
    first.truncate(first.len());
    for (kind, name) in [
        (tar::EntryType::GNULongName, &b"././@LongLink"[..]),
        (tar::EntryType::GNULongLink, &b"././@LongLink"[..]),
        (tar::EntryType::XHeader, &b"PaxHeaders/x"[..]),
        (tar::EntryType::XGlobalHeader, &b"pax_global_header"[..]),
    ] {
        // A name of 1 GiB is declared; the data is not even there: the
        // header alone must decide. Then one really there, of 300 KB, whose
        // name must not come back in the error.
        for (size, data) in [(1u64 << 30, Vec::new()), (300_000, vec![b'A'; 300_000])] {
            let mut tar = first.clone();
            tar.extend(header_entry(name, kind, size, &data));
            tar.extend(header_entry(b"files/x", tar::EntryType::Regular, 1, b"x"));
            tar.extend([0u8; 1024]);
            let path = write(&f, "long-name.qujat", &gzip_and_seal(&tar));
            let err = f.refused(&path, &Limits::default());
            assert_eq!(
                err,
                Error::from(BackupError::BackupExtendedHeader {
                    path: String::from_utf8_lossy(name).into_owned(),
                    size
                }),
                "{kind:?}"
            );
            assert!(err.to_string().len() < 300, "{err}");
        }
    }
}

#[test]
fn names_from_the_backup_are_shown_escaped_and_cut() {
    let mut f = Fixture::new();
    let manifest = f.snapshot();
    let hostile = "files/\u{1b}[2K\rvalid";
    let bytes = craft(&[manifest_entry(&manifest), file(hostile, b"x")]);
    let err = f.refused(&write(&f, "escape.qujat", &bytes), &Limits::default());
    assert_eq!(
        err,
        Error::from(BackupError::BackupUndeclaredEntry {
            path: "files/\\u{1b}[2K\\rvalid".into()
        })
    );
    for lang in crate::i18n::Lang::ALL {
        assert!(!err.localized(lang).chars().any(char::is_control));
    }

    let mut huge = f.snapshot();
    huge.dossier.documents[0].sha256 = "\u{1b}".repeat(1 << 20);
    let err = f.refused(
        &write(&f, "huge.qujat", &craft(&[manifest_entry(&huge)])),
        &Limits::default(),
    );
    assert!(matches!(
        err,
        Error::Backup(BackupError::BackupTampered { .. })
    ));
    let text = err.to_string();
    assert!(text.len() < 1000, "{} bytes", text.len());
    assert!(!text.chars().any(char::is_control));
}

/// `manifest` with its files, as a backup.
fn backup_of(f: &Fixture, manifest: &Manifest, name: &str) -> PathBuf {
    let files = vault_files(f, manifest);
    let mut entries = vec![manifest_entry(manifest)];
    for (sha, bytes) in &files {
        entries.push(file(leak(format!("files/{sha}")), bytes));
    }
    write(f, name, &craft(&entries))
}

#[test]
fn kind_and_size_come_from_the_bytes_not_the_manifest() {
    let mut f = Fixture::new();
    // A Windows executable's first bytes, attached as a "PDF" elsewhere.
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff";
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(exe));
    let mut manifest = f.snapshot();
    manifest.dossier.id = "0123abcd".into();
    manifest
        .dossier
        .documents
        .retain(|d| d.requirement_id == "cv");
    manifest.dossier.document_dates.clear();
    let cv = &mut manifest.dossier.documents[0];
    cv.sha256 = sha.clone();
    cv.kind = "pdf".into();
    cv.size = 1 << 20;
    let bytes = craft(&[
        manifest_entry(&manifest),
        file(leak(format!("files/{sha}")), exe),
    ]);
    let summary =
        f.ws.import_dossier(&write(&f, "exe.qujat", &bytes), PASS)
            .expect("the file itself is acceptable");
    let report =
        f.ws.report(&summary.dossier_id, None, day(28))
            .expect("report");
    let cv = report
        .stages
        .iter()
        .flat_map(|s| &s.requirements)
        .find(|r| r.id == "cv")
        .expect("cv status");
    let doc = cv.document.as_ref().expect("attached");
    assert_eq!((doc.kind, doc.size), (crate::kind::FileKind::Other, 14));
    assert_ne!(
        cv.status,
        crate::report::Status::Ok,
        "an executable is not an ok CV"
    );
}

#[test]
fn a_file_past_the_hard_cap_is_refused_while_it_streams() {
    let mut f = Fixture::new();
    let mut manifest = f.snapshot();
    // Over a requirement's own limit a file is kept, as when attached; past
    // the vault's hard cap it is not. Zeros compress to KBs.
    let big = vec![0u8; (crate::vault::HARD_CAP + 1) as usize];
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&big));
    manifest
        .dossier
        .documents
        .retain(|d| d.requirement_id == "cv");
    manifest.dossier.document_dates.clear();
    manifest.dossier.documents[0].sha256 = sha.clone();
    manifest.dossier.documents[0].size = 1;
    let bytes = craft(&[
        manifest_entry(&manifest),
        file(leak(format!("files/{sha}")), &big),
    ]);
    assert!(bytes.len() < 1 << 20);
    assert_eq!(
        f.refused(&write(&f, "big.qujat", &bytes), &Limits::default()),
        Error::from(BackupError::BackupTooLarge {
            path: format!("files/{sha}"),
            limit: crate::vault::HARD_CAP
        })
    );
}

#[test]
fn duplicate_rows_are_refused_before_anything_is_kept() {
    let mut f = Fixture::new();
    let original = f.snapshot();

    let mut docs = original.clone();
    let again = docs.dossier.documents[0].clone();
    docs.dossier.documents.push(again.clone());
    assert_eq!(
        f.refused(&backup_of(&f, &docs, "docs.qujat"), &Limits::default()),
        Error::from(BackupError::BackupDuplicateRecord {
            id: again.requirement_id
        })
    );

    let mut steps = original.clone();
    let step = steps.dossier.confirmations[0].clone();
    steps.dossier.confirmations.push(step.clone());
    assert_eq!(
        f.refused(&backup_of(&f, &steps, "steps.qujat"), &Limits::default()),
        Error::from(BackupError::BackupDuplicateRecord { id: step.step_id })
    );

    let mut events = original.clone();
    let mut event = events.dossier.events[0].clone();
    event.id += 100;
    events.dossier.events.push(event.clone());
    assert_eq!(
        f.refused(&backup_of(&f, &events, "events.qujat"), &Limits::default()),
        Error::from(BackupError::BackupDuplicateRecord { id: event.kind })
    );
}

#[test]
fn only_dossier_ids_qujat_makes_are_accepted() {
    let mut f = Fixture::new();
    let prefix = f.dossier[..4].to_owned();
    for id in [
        "../../x".to_owned(),
        "a".repeat(1 << 20),
        prefix,
        String::new(),
    ] {
        let mut manifest = f.snapshot();
        manifest.dossier.id = id.clone();
        let err = f.refused(&backup_of(&f, &manifest, "id.qujat"), &Limits::default());
        assert!(
            matches!(&err, Error::Backup(BackupError::BackupBadDossierId { id: shown }) if shown.len() < 200)
                || (id.is_empty()
                    && matches!(err, Error::Backup(BackupError::BackupTampered { .. }))),
            "{err:?}"
        );
    }
    // The user's own dossier still answers to its prefix.
    assert_eq!(f.ws.dossier(&f.dossier[..4]).expect("prefix").id, f.dossier);
}

#[test]
fn unknown_requirements_events_and_far_future_dates_are_refused() {
    let mut f = Fixture::new();
    let original = f.snapshot();

    let mut unknown = original.clone();
    unknown.dossier.events[0].kind = "deported".into();
    assert_eq!(
        f.refused(&backup_of(&f, &unknown, "kind.qujat"), &Limits::default()),
        Error::from(BackupError::BackupUnknownEvent {
            kind: "deported".into(),
            program: "kz-ai-pilot".into()
        })
    );

    let mut future = original.clone();
    future.dossier.events[0].happened_on = NaiveDate::from_ymd_opt(2099, 1, 1).expect("date");
    assert_eq!(
        f.refused(&backup_of(&f, &future, "future.qujat"), &Limits::default()),
        Error::from(BackupError::BackupFutureDate {
            date: "2099-01-01".into()
        })
    );

    let mut step = original.clone();
    step.dossier.confirmations[0].step_id = "cv".into();
    assert_eq!(
        f.refused(&backup_of(&f, &step, "step.qujat"), &Limits::default()),
        Error::from(BackupError::BackupUnknownRequirement {
            id: "cv".into(),
            program: "kz-ai-pilot".into()
        }),
        "a document is not a step"
    );
}

#[test]
fn the_applicants_profile_and_a_second_countrys_clearance_survive_a_round_trip() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut ws = Workspace::open(&dir.path().join("data")).expect("open");
    let profile = crate::profile::Profile::new(&["DE".to_owned(), "RU".to_owned()], Some("TR"))
        .expect("valid");
    let dossier = ws
        .create_dossier_with_profile("kz-in-demand", "Anna Weber", &profile, now())
        .expect("dossier")
        .id;
    let ru = dir.path().join("ru.pdf");
    fs::write(&ru, b"%PDF-1.4\nthe Russian clearance\n%%EOF\n").expect("file");
    ws.attach(&dossier, "police-clearance@ru", &ru, now())
        .expect("attach the second row");
    let out = dir.path().join("anna.qujat");
    ws.export_dossier_with(&dossier, &out, PASS, now(), FAST, false)
        .expect("export");

    let other = tempfile::tempdir().expect("another computer");
    let mut restored = Workspace::open(&other.path().join("data")).expect("open");
    let summary = restored.import_dossier(&out, PASS).expect("import");
    assert_eq!(
        restored.profile(&summary.dossier_id).expect("profile"),
        profile
    );
    let report = restored
        .report(&summary.dossier_id, None, day(28))
        .expect("report");
    let police: Vec<_> = report
        .stages
        .iter()
        .flat_map(|s| &s.requirements)
        .filter(|r| r.id.starts_with("police-clearance"))
        .collect();
    let ids: Vec<&str> = police.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["police-clearance", "police-clearance@ru"]);
    assert!(
        police[1].document.is_some(),
        "the Russian clearance is still attached to its own row"
    );
}

#[test]
fn a_backup_without_a_profile_restores_without_one() {
    let mut f = Fixture::new();
    let manifest = f.snapshot();
    assert_eq!(manifest.dossier.profile, None);
    let json = serde_json::to_string(&manifest).expect("json");
    assert!(!json.contains("profile"), "older readers see nothing new");
    let backup = f.export();
    let other = tempfile::tempdir().expect("another computer");
    let mut ws = Workspace::open(&other.path().join("data")).expect("open");
    let summary = ws.import_dossier(&backup, PASS).expect("import");
    assert!(ws.profile(&summary.dossier_id).expect("profile").is_empty());
}

#[test]
fn a_backup_with_an_unknown_country_in_its_profile_is_refused() {
    let mut f = Fixture::new();
    let mut manifest = f.snapshot();
    manifest.dossier.profile = Some(crate::profile::Profile {
        citizenships: vec!["XX".into()],
        residence: None,
    });
    let forged = write(&f, "forged.qujat", &craft(&[manifest_entry(&manifest)]));
    assert_eq!(
        f.refused(&forged, &Limits::default()),
        Error::from(DossierError::UnknownCountry {
            country: "XX".into()
        })
    );
}
