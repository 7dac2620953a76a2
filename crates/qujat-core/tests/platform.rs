//! What differs between Linux, Windows and macOS, tested where it can be:
//! data folders and files whose paths have spaces and non-Latin letters,
//! names typed on macOS (decomposed, NFD) packed for Windows, line endings of
//! every generated text file, and no home-folder path written into the code.
//!
//! File names themselves (reserved device names, trailing dots and spaces,
//! forbidden characters) are tested next to `package/names.rs`; the data
//! folder's platform convention through the real CLI in
//! `crates/qujat-cli/tests/platform.rs`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use chrono::{NaiveDate, TimeZone, Utc};
use qujat_core::i18n::Lang;
use qujat_core::package::{PackFormat, PackOptions};
use qujat_core::report::Status;
use qujat_core::{OpenOptions, Workspace};
use unicode_normalization::UnicodeNormalization;

/// Opens the workspace with a passphrase-protected key, so these tests never
/// touch the developer's keychain (the CLI's keychain tests do that).
fn open(data_dir: &Path) -> qujat_core::Result<Workspace> {
    Workspace::open(
        OpenOptions::new(data_dir).unlock(qujat_core::keys::Unlock::with_passphrase(
            "platform test lantern orbit",
        )),
    )
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date")
}

/// A data folder and a scan folder with spaces, Cyrillic and Kazakh letters.
fn awkward_places(root: &Path) -> (PathBuf, PathBuf) {
    let data_dir = root.join("Мои документы").join("Qujat данные");
    let scans = root.join("Сканы 2026 — Әлия");
    std::fs::create_dir_all(&scans).expect("scan folder");
    (data_dir, scans)
}

#[test]
fn a_data_folder_and_files_named_in_any_script_work_end_to_end() {
    let root = tempfile::tempdir().expect("temp dir");
    let (data_dir, scans) = awkward_places(root.path());
    let passport = scans.join("Паспорт Әлия.pdf");
    std::fs::write(&passport, PDF).expect("fixture");
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();

    let dossier_id = {
        let mut ws = open(&data_dir).expect("workspace in a Cyrillic folder");
        let dossier = ws
            .create_dossier("kz-ai-pilot", "Әлия Ғабитқызы", now)
            .expect("dossier");
        let doc = ws
            .attach(&dossier.id, "cv", &passport, now)
            .expect("attach from a folder with spaces and Kazakh letters");
        assert_eq!(
            doc.original_name, "Паспорт Әлия.pdf",
            "the original name is kept, letters and all"
        );
        dossier.id
    };

    // Reopened, as after a restart: the store found its way back.
    let ws = open(&data_dir).expect("reopen");
    let report = ws.report(&dossier_id, None, day()).expect("report");
    let cv = report
        .stages
        .iter()
        .flat_map(|s| &s.requirements)
        .find(|r| r.id == "cv")
        .expect("the cv requirement");
    assert_ne!(cv.status, Status::Missing, "the attached file is there");
    assert_eq!(
        cv.document.as_ref().map(|d| d.original_name.as_str()),
        Some("Паспорт Әлия.pdf")
    );
    assert_eq!(report.dossier.applicant_name, "Әлия Ғабитқызы");
}

#[test]
fn names_typed_on_macos_are_packed_composed_with_lf_tag_files() {
    let root = tempfile::tempdir().expect("temp dir");
    let (data_dir, scans) = awkward_places(root.path());
    // "Резюме Айгерим" as macOS writes it: й as и + combining breve.
    let nfd_name: String = "Резюме Айгерим.pdf".nfd().collect();
    assert_ne!(
        nfd_name, "Резюме Айгерим.pdf",
        "the fixture really is decomposed"
    );
    let cv = scans.join(&nfd_name);
    std::fs::write(&cv, PDF).expect("fixture");
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();

    let mut ws = open(&data_dir).expect("workspace");
    let applicant: String = "Айгерим Бекова".nfd().collect();
    let dossier = ws
        .create_dossier("kz-ai-pilot", &applicant, now)
        .expect("dossier");
    ws.attach(&dossier.id, "cv", &cv, now).expect("attach");

    let out = root
        .path()
        .join("Пакеты для портала")
        .join("astana hub.zip");
    std::fs::create_dir_all(out.parent().unwrap()).expect("out folder");
    let options = PackOptions {
        out: out.clone(),
        format: PackFormat::Zip,
        allow_incomplete: true,
        force: false,
        date: day(),
        lang: Lang::Ru,
    };
    ws.pack(
        &dossier.id,
        "astana-hub",
        &options,
        &|_| {},
        &AtomicBool::new(false),
    )
    .expect("pack into a folder with spaces and Cyrillic letters");

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).expect("zip")).expect("a ZIP");
    let mut tag_files = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().expect("a UTF-8 name").into_owned();
        assert!(
            name.nfc().eq(name.chars()),
            "{name:?}: every name in the package is NFC, so it matches on Windows and Linux"
        );
        assert!(
            !name.ends_with('.') && !name.ends_with(' ') && !name.contains(['\\', ':']),
            "{name:?}: storable on Windows"
        );
        if name.ends_with(".txt") {
            tag_files += 1;
            let mut text = String::new();
            entry.read_to_string(&mut text).expect("UTF-8 tag file");
            assert!(
                !text.contains('\r'),
                "{name}: tag files end lines with LF alone (RFC 8493 allows it; the same bytes on every OS)"
            );
            assert!(text.ends_with('\n'), "{name}: ends with a line end");
            let composed: String = text.nfc().collect();
            assert_eq!(text, composed, "{name}: the manifest lists NFC paths");
        }
    }
    assert!(
        tag_files >= 5,
        "bagit, bag-info, two manifests and the upload list"
    );
    // The package's names carry no applicant's name any more (issue #17);
    // bag-info.txt does, composed, as typed on any system.
    let info_name = zip
        .file_names()
        .map(|n| n.expect("a UTF-8 name").into_owned())
        .find(|n| n.ends_with("/bag-info.txt"))
        .expect("bag-info.txt");
    let mut info = String::new();
    zip.by_name(&info_name)
        .expect("bag-info.txt")
        .read_to_string(&mut info)
        .expect("UTF-8");
    assert!(
        info.contains("Айгерим"),
        "the applicant's composed name stays readable: {info}"
    );
}

#[test]
fn the_calendar_export_uses_crlf_everywhere_as_rfc_5545_requires() {
    let root = tempfile::tempdir().expect("temp dir");
    let (data_dir, _) = awkward_places(root.path());
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let mut ws = open(&data_dir).expect("workspace");
    let dossier = ws
        .create_dossier("kz-ai-pilot", "Әлия Ғабитқызы", now)
        .expect("dossier");
    // An approval gives the last day to enter: a calendar with entries.
    for (kind, day) in [
        ("astana-hub-submitted", 2),
        ("ministry-notice-received", 10),
        ("egov-submitted", 12),
        ("approved", 20),
    ] {
        let day = NaiveDate::from_ymd_opt(2026, 2, day).expect("day");
        ws.record_event(&dossier.id, kind, day, None, day, now)
            .expect("event");
    }
    let ics = root.path().join("Календарь Әлия.ics");
    ws.export_deadlines(&dossier.id, &ics, Lang::Kk, now)
        .expect("export into a Cyrillic file name");
    let text = std::fs::read_to_string(&ics).expect("UTF-8 calendar");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    let bare_lf = text
        .match_indices('\n')
        .filter(|(i, _)| !text[..*i].ends_with('\r'))
        .count();
    assert_eq!(bare_lf, 0, "no line ends with LF alone");
    assert!(!text.contains("\r\r"), "no doubled CR");
}

#[test]
fn the_default_data_folder_comes_from_the_platform_not_a_written_path() {
    // Whatever the user's home is called, the folder is the platform's data
    // folder plus the app identifier, the one Tauri's `app_data_dir` names.
    if std::env::var_os(qujat_core::DATA_DIR_ENV).is_none() {
        let dir = Workspace::default_data_dir().expect("a data folder on a desktop");
        let platform = dirs::data_dir().expect("the platform's data folder");
        assert_eq!(dir, platform.join(qujat_core::APP_IDENTIFIER));
        assert!(dir.is_absolute(), "{}", dir.display());
    }

    // And no source file writes a home-folder path of its own.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut offenders = Vec::new();
    scan(&root.join("src-tauri"), &mut offenders);
    for krate in std::fs::read_dir(root.join("crates"))
        .expect("crates")
        .flatten()
    {
        let src = krate.path().join("src");
        if src.is_dir() {
            scan(&src, &mut offenders);
        }
    }
    assert!(
        offenders.is_empty(),
        "home-folder paths written into the code (use dirs / Tauri's path API):\n{}",
        offenders.join("\n")
    );
}

/// Records lines of code (not comments, not tests) that spell out a home folder.
fn scan(dir: &Path, offenders: &mut Vec<String>) {
    const LITERALS: [&str; 7] = [
        "\"/home/",
        "\"/Users/",
        "C:\\\\Users",
        "\"~/",
        ".local/share",
        "Library/Application Support",
        "AppData\\\\Roaming",
    ];
    for entry in std::fs::read_dir(dir).expect("source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            scan(&path, offenders);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source file");
        // Unit tests sit at the end of a file, after `#[cfg(test)]`.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") {
                continue;
            }
            if LITERALS.iter().any(|l| line.contains(l)) || line.contains("var(\"HOME\")") {
                offenders.push(format!("{}:{}: {}", path.display(), n + 1, trimmed));
            }
        }
    }
}
