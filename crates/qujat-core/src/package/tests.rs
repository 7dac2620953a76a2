//! Packing and verifying through the public API, on a temporary workspace.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{NaiveDate, Utc};

use super::*;
use crate::error::{Error, FileError, PackageError, VaultError};
use crate::rules::RequirementKind;

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 14).expect("date")
}

fn quiet(_: Progress) {}

struct Fixture {
    dir: tempfile::TempDir,
    ws: Workspace,
    dossier: String,
}

impl Fixture {
    fn new(applicant: &str) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ws = Workspace::open(&dir.path().join("data")).expect("workspace");
        let dossier = ws
            .create_dossier("kz-ai-pilot", applicant, Utc::now())
            .expect("dossier")
            .id;
        fs::create_dir(dir.path().join("out")).expect("out folder");
        Fixture { dir, ws, dossier }
    }

    fn out(&self, name: &str) -> PathBuf {
        self.dir.path().join("out").join(name)
    }

    /// Attaches a distinct PDF to `requirement`; `extra` bytes make it bigger.
    fn attach(&mut self, requirement: &str, original_name: &str, extra: usize) -> PathBuf {
        let path = self.dir.path().join(original_name);
        let mut bytes = format!(
            "%PDF-1.4\n1 0 obj <</Type /Pages /Count 1>>\n2 0 obj <</Type /Page>>\n% {requirement}\n"
        )
        .into_bytes();
        bytes.extend((0..extra).map(|i| (i % 251) as u8));
        bytes.extend_from_slice(b"\n%%EOF\n");
        fs::write(&path, &bytes).expect("write fixture");
        self.ws
            .attach(&self.dossier, requirement, &path, Utc::now())
            .expect("attach");
        path
    }

    /// Attaches a file to every document of `stage` and confirms its steps.
    fn complete(&mut self, stage: &str) {
        let pack = self.ws.program("kz-ai-pilot").expect("pack").clone();
        let ids = pack.stage(stage).expect("stage").requirements.clone();
        for id in ids {
            let r = pack.requirement(&id).expect("requirement");
            match r.kind {
                RequirementKind::Document if !pack.accepts(r).contains(&FileKind::Pdf) => {
                    let path = self.dir.path().join(format!("{id}.jpg"));
                    let mut jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00".to_vec();
                    jpeg.extend_from_slice(id.as_bytes());
                    fs::write(&path, jpeg).expect("write fixture");
                    self.ws
                        .attach(&self.dossier, &id, &path, Utc::now())
                        .expect("attach");
                }
                RequirementKind::Document => {
                    // One file over several chunks, to cross buffer edges.
                    let extra = if id == "passport-copy" { 3 << 20 } else { 100 };
                    self.attach(&id, &format!("{id}.pdf"), extra);
                }
                RequirementKind::Step => {
                    self.ws
                        .confirm_step(&self.dossier, &id, date(), date(), Utc::now())
                        .expect("confirm");
                }
            }
            // A document under a validity rule is not ready until dated.
            let dated = r.rules.iter().any(|rule| {
                matches!(
                    rule,
                    crate::rules::Rule::MaxAge { .. }
                        | crate::rules::Rule::MinRemainingValidity { .. }
                )
            });
            if r.kind == RequirementKind::Document && dated {
                let dates = crate::store::DocumentDates {
                    issued_on: date().checked_sub_days(chrono::Days::new(10)),
                    expires_on: date().checked_add_days(chrono::Days::new(3650)),
                };
                self.ws
                    .set_document_dates(&self.dossier, &id, dates, date(), Utc::now())
                    .expect("dates");
            }
        }
    }

    fn options(&self, out: &Path, format: PackFormat) -> PackOptions {
        PackOptions {
            out: out.to_owned(),
            format,
            allow_incomplete: false,
            force: false,
            date: date(),
            lang: Lang::En,
        }
    }

    fn pack(&self, stage: &str, options: &PackOptions) -> Result<PackSummary> {
        self.ws.pack(
            &self.dossier,
            stage,
            options,
            &quiet,
            &AtomicBool::new(false),
        )
    }

    fn out_folder_entries(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.dir.path().join("out"))
            .expect("read out")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

fn zip_entry(path: &Path, name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(fs::File::open(path).expect("open")).expect("zip");
    let mut bytes = Vec::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the ZIP"))
        .read_to_end(&mut bytes)
        .expect("read entry");
    bytes
}

/// Copies a ZIP, leaving out `skip`, and adding or replacing `put`.
fn rewrite_zip(src: &Path, dst: &Path, skip: Option<&str>, put: Option<(&str, &[u8])>) {
    let mut archive = zip::ZipArchive::new(fs::File::open(src).expect("open")).expect("zip");
    let mut writer = zip::ZipWriter::new(fs::File::create(dst).expect("create"));
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).expect("entry");
        let name = entry.name().expect("name").into_owned();
        if Some(name.as_str()) == skip || put.is_some_and(|(n, _)| n == name) {
            continue;
        }
        writer.raw_copy_file(entry).expect("copy entry");
    }
    if let Some((name, bytes)) = put {
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        writer.write_all(bytes).expect("write");
    }
    writer.finish().expect("finish");
}

#[test]
fn packing_twice_with_the_same_date_gives_identical_bytes() {
    let mut f = Fixture::new("Ada Lovelace");
    f.complete("astana-hub");
    let a = f.out("a.zip");
    let b = f.out("b.zip");
    let summary = f
        .pack("astana-hub", &f.options(&a, PackFormat::Zip))
        .expect("pack a");
    f.pack("astana-hub", &f.options(&b, PackFormat::Zip))
        .expect("pack b");
    assert_eq!(
        fs::read(&a).expect("a"),
        fs::read(&b).expect("b"),
        "same dossier, same date: the same bytes, whatever the file is called"
    );
    assert!(summary.complete && summary.blockers.is_empty());
    assert_eq!(summary.files[0].path, "data/01-passport-copy.pdf");
    assert_eq!(summary.files[0].pages, Some(1), "one /Type /Page object");
    assert_eq!(summary.payload_files as usize, summary.files.len() + 1);
    assert_eq!(summary.package_bytes, fs::metadata(&a).expect("meta").len());

    let bag = "kz-ai-pilot - astana-hub - 2025-03-14";
    let info = String::from_utf8(zip_entry(&a, &format!("{bag}/bag-info.txt"))).expect("utf-8");
    for expected in [
        "Bagging-Date: 2025-03-14",
        &format!(
            "Payload-Oxum: {}.{}",
            summary.payload_bytes, summary.payload_files
        ),
        "Bag-Software-Agent: Qujat",
        "Qujat-Stage: astana-hub",
        "Qujat-Applicant: Ada Lovelace",
        "Qujat-Complete: yes",
    ] {
        assert!(
            info.contains(expected),
            "bag-info.txt lacks {expected}:\n{info}"
        );
    }
    let cover = zip_entry(&a, &format!("{bag}/data/{COVER_SHEET}"));
    assert!(cover.starts_with(b"%PDF-"), "the cover sheet is a PDF");
    let report = verify(&a).expect("verify");
    assert!(report.valid, "a fresh package verifies: {report:?}");
    assert_eq!(report.bag_name, bag);
    assert!(
        !summary.bag_name.contains("Ada") && !summary.bag_name.contains("Lovelace"),
        "the suggested name does not carry the applicant's name: {}",
        summary.bag_name
    );
    assert_eq!(report.files_checked as usize, summary.files.len() + 1 + 4);
}

#[test]
fn a_folder_package_holds_the_same_bag_with_an_upload_list() {
    let mut f = Fixture::new("Әлия Ғабитқызы");
    f.complete("ministry-notice");
    let zip = f.out("p.zip");
    let folder = f.out("p");
    f.pack("ministry-notice", &f.options(&zip, PackFormat::Zip))
        .expect("zip");
    let summary = f
        .pack("ministry-notice", &f.options(&folder, PackFormat::Folder))
        .expect("folder");
    assert_eq!(summary.format, PackFormat::Folder);
    let bag = "kz-ai-pilot - ministry-notice - 2025-03-14";
    for name in [
        "bagit.txt",
        "manifest-sha256.txt",
        "data/01-ministry-notice.pdf",
    ] {
        assert_eq!(
            fs::read(folder.join(name)).expect("in the folder"),
            zip_entry(&zip, &format!("{bag}/{name}")),
            "{name} is the same in both forms"
        );
    }
    let upload = fs::read_to_string(folder.join(UPLOAD_LIST)).expect("upload list");
    assert!(
        upload.contains("data/01-ministry-notice.pdf") && upload.contains("Ministry notice"),
        "the upload list pairs each file with its field:\n{upload}"
    );
    assert!(verify(&folder).expect("verify").valid);
    assert_eq!(
        f.out_folder_entries(),
        vec!["p", "p.zip"],
        "no temporary files are left next to the packages"
    );
}

#[test]
fn a_stage_with_blockers_is_refused_naming_them_and_nothing_is_written() {
    let mut f = Fixture::new("Ada");
    f.attach("cv", "cv.pdf", 10);
    let out = f.out("p.zip");
    match f.pack("astana-hub", &f.options(&out, PackFormat::Zip)) {
        Err(Error::Package(PackageError::StageIncomplete { stage, blockers })) => {
            assert_eq!(stage, "astana-hub");
            assert!(
                blockers.contains(&"passport-copy".to_owned()),
                "{blockers:?}"
            );
            assert!(!blockers.contains(&"cv".to_owned()), "cv is attached");
        }
        other => panic!("expected StageIncomplete, got {other:?}"),
    }
    assert!(f.out_folder_entries().is_empty(), "nothing written");
}

#[test]
fn allow_incomplete_packs_what_there_is_and_says_so() {
    let mut f = Fixture::new("Ada");
    f.attach("cv", "Резюме Ада.pdf", 10);
    let out = f.out("p.zip");
    let mut options = f.options(&out, PackFormat::Zip);
    options.allow_incomplete = true;
    let summary = f.pack("astana-hub", &options).expect("pack");
    assert!(!summary.complete);
    assert!(summary.blockers.contains(&"passport-copy".to_owned()));
    assert_eq!(summary.files.len(), 1, "only the attached file");
    assert_eq!(
        summary.files[0].path, "data/05-cv.pdf",
        "numbers follow the checklist"
    );
    assert_eq!(summary.files[0].original_name, "Резюме Ада.pdf");
    let info = String::from_utf8(zip_entry(
        &out,
        "kz-ai-pilot - astana-hub - 2025-03-14/bag-info.txt",
    ))
    .expect("utf-8");
    assert!(
        info.contains("Qujat-Complete: no; blockers:") && info.contains("passport-copy"),
        "the metadata says it is incomplete:\n{info}"
    );
    assert!(verify(&out).expect("verify").valid);
}

#[test]
fn cancel_from_the_progress_callback_leaves_no_file() {
    for format in [PackFormat::Zip, PackFormat::Folder] {
        let mut f = Fixture::new("Ada");
        f.complete("astana-hub");
        let out = f.out("p");
        let cancel = AtomicBool::new(false);
        let progress = |p: Progress| {
            if p.bytes_done > 0 {
                cancel.store(true, Ordering::Relaxed);
            }
        };
        let result = f.ws.pack(
            &f.dossier,
            "astana-hub",
            &f.options(&out, format),
            &progress,
            &cancel,
        );
        assert!(
            matches!(result, Err(Error::File(FileError::Cancelled))),
            "{format:?}: {result:?}"
        );
        assert!(
            f.out_folder_entries().is_empty(),
            "{format:?}: a cancelled pack leaves nothing, not even a temporary file"
        );
    }
}

#[test]
fn a_tampered_vault_file_stops_the_pack_with_its_requirement() {
    let mut f = Fixture::new("Ada");
    f.complete("ministry-notice");
    let doc = f.ws.store().documents(&f.dossier).expect("docs").remove(0);
    let object = f.ws.vault().path_of(&doc.sha256);
    let mut bytes = fs::read(&object).expect("vault object");
    let last = bytes.len() - 10;
    bytes[last] ^= 0xff;
    fs::write(&object, &bytes).expect("tamper, same size");
    for format in [PackFormat::Zip, PackFormat::Folder] {
        let out = f.out("p");
        match f.pack("ministry-notice", &f.options(&out, format)) {
            Err(Error::Vault(VaultError::VaultDamaged { requirement, .. })) => {
                assert_eq!(requirement, "ministry-notice")
            }
            other => panic!("expected VaultDamaged, got {other:?}"),
        }
        assert!(f.out_folder_entries().is_empty(), "nothing left behind");
    }
}

#[test]
fn an_existing_destination_is_kept_unless_forced() {
    let mut f = Fixture::new("Ada");
    f.complete("ministry-notice");
    for format in [PackFormat::Zip, PackFormat::Folder] {
        let out = f.out(&format!("{format:?}"));
        fs::create_dir_all(f.dir.path().join("out")).expect("out");
        if format == PackFormat::Zip {
            fs::write(&out, b"precious").expect("existing file");
        } else {
            fs::create_dir(&out).expect("existing folder");
            fs::write(out.join("note.txt"), b"precious").expect("file in it");
        }
        let mut options = f.options(&out, format);
        assert!(matches!(
            f.pack("ministry-notice", &options),
            Err(Error::File(FileError::DestinationExists { .. }))
        ));
        options.force = true;
        f.pack("ministry-notice", &options).expect("replaced");
        assert!(verify(&out).expect("verify").valid, "{format:?}");
        assert!(!out.join("note.txt").exists(), "the old folder is gone");
    }
    assert_eq!(f.out_folder_entries(), vec!["Folder", "Zip"]);
}

#[test]
fn a_destination_in_a_missing_folder_is_unwritable_and_leaves_nothing() {
    let mut f = Fixture::new("Ada");
    f.complete("ministry-notice");
    let out = f.dir.path().join("no-such-folder").join("p.zip");
    assert!(matches!(
        f.pack("ministry-notice", &f.options(&out, PackFormat::Zip)),
        Err(Error::File(FileError::Unwritable { .. }))
    ));
}

#[test]
fn verify_reports_altered_missing_and_extra_files_in_a_zip() {
    let mut f = Fixture::new("Ada");
    f.complete("ministry-notice");
    let good = f.out("good.zip");
    f.pack("ministry-notice", &f.options(&good, PackFormat::Zip))
        .expect("pack");
    let bag = "kz-ai-pilot - ministry-notice - 2025-03-14";
    let doc = format!("{bag}/data/01-ministry-notice.pdf");

    let altered = f.out("altered.zip");
    let mut bytes = zip_entry(&good, &doc);
    bytes[12] ^= 1;
    rewrite_zip(&good, &altered, None, Some((&doc, &bytes)));
    let report = verify(&altered).expect("verify");
    assert!(!report.valid);
    assert_eq!(report.altered, vec!["data/01-ministry-notice.pdf"]);

    let missing = f.out("missing.zip");
    rewrite_zip(&good, &missing, Some(&doc), None);
    let report = verify(&missing).expect("verify");
    assert_eq!(report.missing, vec!["data/01-ministry-notice.pdf"]);
    assert!(
        report
            .problems
            .iter()
            .any(|p| matches!(p, VerifyProblem::OxumMismatch { .. })),
        "the quick Oxum check notices too: {:?}",
        report.problems
    );

    let extra = f.out("extra.zip");
    rewrite_zip(
        &good,
        &extra,
        None,
        Some((&format!("{bag}/data/.DS_Store"), b"x")),
    );
    let report = verify(&extra).expect("verify");
    assert_eq!(report.extra, vec!["data/.DS_Store"]);
    assert!(!report.valid);
}

#[test]
fn verify_reports_altered_missing_and_extra_files_in_a_folder() {
    let mut f = Fixture::new("Ada");
    f.complete("ministry-notice");
    let out = f.out("p");
    f.pack("ministry-notice", &f.options(&out, PackFormat::Folder))
        .expect("pack");
    let doc = out.join("data/01-ministry-notice.pdf");
    let original = fs::read(&doc).expect("doc");

    let mut changed = original.clone();
    changed[12] ^= 1;
    fs::write(&doc, &changed).expect("alter");
    assert_eq!(
        verify(&out).expect("verify").altered,
        vec!["data/01-ministry-notice.pdf"]
    );

    fs::remove_file(&doc).expect("remove");
    assert_eq!(
        verify(&out).expect("verify").missing,
        vec!["data/01-ministry-notice.pdf"]
    );

    fs::write(&doc, &original).expect("restore");
    fs::write(out.join("data/notes.txt"), b"mine").expect("extra");
    let report = verify(&out).expect("verify");
    assert_eq!(report.extra, vec!["data/notes.txt"]);
    fs::remove_file(out.join("data/notes.txt")).expect("remove extra");
    assert!(
        verify(&out).expect("verify").valid,
        "restored, it verifies again"
    );
}

#[test]
fn anything_that_is_not_a_bag_is_not_a_package() {
    let dir = tempfile::tempdir().expect("temp");
    let text = dir.path().join("notes.txt");
    fs::write(&text, b"hello").expect("write");
    for path in [text.clone(), dir.path().to_owned()] {
        assert!(
            matches!(
                verify(&path),
                Err(Error::Package(PackageError::NotAPackage { .. }))
            ),
            "{} is not a package",
            path.display()
        );
    }
    let zip_without_bag = dir.path().join("other.zip");
    let mut w = zip::ZipWriter::new(fs::File::create(&zip_without_bag).expect("create"));
    w.start_file("readme.txt", zip::write::SimpleFileOptions::default())
        .expect("start");
    w.write_all(b"hi").expect("write");
    w.finish().expect("finish");
    assert!(matches!(
        verify(&zip_without_bag),
        Err(Error::Package(PackageError::NotAPackage { .. }))
    ));
    assert!(matches!(
        verify(&dir.path().join("nope.zip")),
        Err(Error::File(FileError::FileNotFound { .. }))
    ));
}

#[test]
fn entries_that_climb_out_of_the_package_are_reported_not_opened() {
    let mut f = Fixture::new("Ada");
    f.complete("ministry-notice");
    let good = f.out("good.zip");
    f.pack("ministry-notice", &f.options(&good, PackFormat::Zip))
        .expect("pack");
    let hostile = f.out("hostile.zip");
    rewrite_zip(&good, &hostile, None, Some(("../../evil.sh", b"rm -rf ~")));
    let report = verify(&hostile).expect("verify");
    assert!(!report.valid);
    assert!(
        report.problems.contains(&VerifyProblem::UnsafePath {
            path: "../../evil.sh".into()
        }),
        "{:?}",
        report.problems
    );
    assert!(
        !f.dir.path().join("evil.sh").exists(),
        "verify never extracts anything"
    );
}
