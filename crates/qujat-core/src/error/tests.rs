use super::*;

#[test]
fn errors_cross_the_boundary_as_code_and_fields() {
    let e = Error::from(DossierError::UnknownProgram {
        id: "x".into(),
        known: vec!["kz-ai-pilot".into()],
    });
    assert_eq!(
        serde_json::to_string(&e).expect("serialises"),
        r#"{"code":"unknown-program","id":"x","known":["kz-ai-pilot"]}"#,
        "the UI branches on `code` and translates with the fields"
    );
    assert_eq!(e.code(), "unknown-program");
}

#[test]
fn a_broken_invariant_is_neither_the_users_fault_nor_a_store_failure() {
    let internal = Error::from(InternalError::Internal {
        detail: "worker panicked".into(),
    });
    assert!(!internal.is_bad_input());
    assert_eq!(internal.code(), "internal");
    assert!(internal.localized(Lang::Ru).contains("Qujat"));
    assert!(Error::from(DossierError::UnknownProgram {
        id: "x".into(),
        known: vec![]
    })
    .is_bad_input());
    assert!(!Error::from(FileError::DiskFull { path: "x".into() }).is_bad_input());
}

#[test]
fn every_error_has_a_message_in_every_language() {
    let samples: Vec<Error> = vec![
        DossierError::UnknownProgram {
            id: "x".into(),
            known: vec![],
        }
        .into(),
        DossierError::UnknownDossier {
            id: "x".into(),
            known: vec![],
        }
        .into(),
        DossierError::ProgramClosed {
            id: "kz-ai-pilot".into(),
            closes: chrono::NaiveDate::from_ymd_opt(2025, 12, 31),
        }
        .into(),
        DossierError::AmbiguousDossier {
            id: "x".into(),
            matches: vec![],
        }
        .into(),
        DossierError::UnknownRequirement {
            id: "x".into(),
            known: vec![],
        }
        .into(),
        DossierError::UnknownStage {
            id: "x".into(),
            known: vec![],
        }
        .into(),
        DossierError::NotADocument {
            id: "x".into(),
            known: vec![],
        }
        .into(),
        DossierError::NotAStep {
            id: "x".into(),
            known: vec![],
        }
        .into(),
        DossierError::EmptyName.into(),
        DossierError::UnknownCountry {
            country: "x".into(),
        }
        .into(),
        DossierError::InvalidDate { value: "x".into() }.into(),
        DossierError::FutureDate { date: "x".into() }.into(),
        TimelineError::UnknownEventKind {
            id: "x".into(),
            known: vec![],
        }
        .into(),
        TimelineError::UnknownEvent {
            id: 1,
            known: vec![],
        }
        .into(),
        TimelineError::EventAlreadyRecorded {
            kind: "x".into(),
            id: 1,
        }
        .into(),
        TimelineError::FutureEvent {
            kind: "x".into(),
            date: "d".into(),
        }
        .into(),
        TimelineError::MissingPrerequisite {
            kind: "x".into(),
            requires: "y".into(),
        }
        .into(),
        TimelineError::EventOutOfOrder {
            kind: "x".into(),
            date: "d".into(),
            requires: "y".into(),
            requires_date: "e".into(),
        }
        .into(),
        TimelineError::EventStillNeeded {
            kind: "x".into(),
            needed_by: "y".into(),
        }
        .into(),
        TimelineError::EventsExclusive {
            kind: "x".into(),
            other: "y".into(),
        }
        .into(),
        FileError::FileNotFound { path: "x".into() }.into(),
        FileError::NotAFile { path: "x".into() }.into(),
        FileError::FileIsPipe { path: "x".into() }.into(),
        FileError::FileIsDevice { path: "x".into() }.into(),
        VaultError::FileTooLarge {
            path: "x".into(),
            size: 2,
            limit: 1,
        }
        .into(),
        FileError::Unreadable {
            path: "x".into(),
            detail: "d".into(),
        }
        .into(),
        FileError::DiskFull { path: "x".into() }.into(),
        FileError::Unwritable {
            path: "x".into(),
            detail: "d".into(),
        }
        .into(),
        RulesError::RulePack {
            file: "f".into(),
            field: "x".into(),
            problem: "p".into(),
        }
        .into(),
        StoreError::Store { detail: "d".into() }.into(),
        InternalError::Internal { detail: "d".into() }.into(),
        StoreError::StoreTooNew { found: 9, known: 1 }.into(),
        PackageError::StageIncomplete {
            stage: "s".into(),
            blockers: vec!["a".into(), "b".into()],
        }
        .into(),
        FileError::DestinationExists { path: "x".into() }.into(),
        VaultError::VaultDamaged {
            requirement: "r".into(),
            path: "x".into(),
        }
        .into(),
        FileError::Cancelled.into(),
        PackageError::NotAPackage {
            path: "x".into(),
            detail: "d".into(),
        }
        .into(),
        PackageError::PackageDataFolder { path: "x".into() }.into(),
        RulesError::RulesKeyInvalid { detail: "d".into() }.into(),
        RulesError::RulesSignatureInvalid { file: "f".into() }.into(),
        RulesError::RulesWrongKey { file: "f".into() }.into(),
        RulesError::RulesDowngrade {
            id: "x".into(),
            offered: "2025.1".into(),
            installed: "2026.1".into(),
        }
        .into(),
        RulesError::RulesUpdateOffline {
            url: "u".into(),
            detail: "d".into(),
        }
        .into(),
        RulesError::RulesUpdateTimeout {
            url: "u".into(),
            seconds: 30,
        }
        .into(),
        RulesError::RulesUpdateHttp {
            url: "u".into(),
            status: 404,
        }
        .into(),
        RulesError::RulesUpdateTooLarge {
            url: "u".into(),
            limit: 1,
        }
        .into(),
        RulesError::RulesUpdateTruncated { url: "u".into() }.into(),
        RulesError::RulesUpdateRedirect {
            url: "u".into(),
            to: "t".into(),
        }
        .into(),
        BackupError::NotABackup {
            path: "x".into(),
            detail: "d".into(),
        }
        .into(),
        BackupError::BackupWrongPassphrase.into(),
        BackupError::BackupTampered { detail: "d".into() }.into(),
        BackupError::BackupTruncated.into(),
        BackupError::BackupTooNew { found: 2, known: 1 }.into(),
        BackupError::BackupUnsafePath { path: "x".into() }.into(),
        BackupError::BackupAbsolutePath { path: "x".into() }.into(),
        BackupError::BackupLink { path: "x".into() }.into(),
        BackupError::BackupDuplicateEntry { path: "x".into() }.into(),
        BackupError::BackupUndeclaredEntry { path: "x".into() }.into(),
        BackupError::BackupMissingEntry { path: "x".into() }.into(),
        BackupError::BackupTooLarge {
            path: "x".into(),
            limit: 1,
        }
        .into(),
        BackupError::BackupExtendedHeader {
            path: "x".into(),
            size: 1,
        }
        .into(),
        BackupError::BackupBadDossierId { id: "x".into() }.into(),
        BackupError::BackupDuplicateRecord { id: "x".into() }.into(),
        BackupError::BackupUnknownRequirement {
            id: "x".into(),
            program: "p".into(),
        }
        .into(),
        BackupError::BackupUnknownEvent {
            kind: "x".into(),
            program: "p".into(),
        }
        .into(),
        BackupError::BackupFutureDate { date: "d".into() }.into(),
        KeyError::PassphraseEmpty.into(),
        TimelineError::NothingToExport.into(),
        InspectError::AppUpdated.into(),
        VaultError::FileBeyondHardCap {
            path: "x".into(),
            size: 2,
            cap: 1,
        }
        .into(),
        InspectError::FixInputUnreadable { input: 2 }.into(),
        InspectError::FixStale {
            requirement: "r".into(),
        }
        .into(),
        InspectError::FixInputUnsupported {
            input: 2,
            kind: crate::kind::FileKind::Docx,
        }
        .into(),
        InspectError::FixInputHeic { input: 2 }.into(),
        InspectError::FixInputLocked { input: 2 }.into(),
        InspectError::FixImageTooLarge {
            input: 2,
            width: 100_000,
            height: 100_000,
        }
        .into(),
        InspectError::FixNoSuchPage {
            input: 2,
            page: 3,
            pages: 1,
        }
        .into(),
        InspectError::FixTooManyPages {
            pages: 2000,
            most: 1000,
        }
        .into(),
        InspectError::FixBadRequest { detail: "d".into() }.into(),
        InspectError::FixNotEncrypted.into(),
        InspectError::FixNeedsPassword.into(),
        InspectError::FixWrongPassword.into(),
        InspectError::FixAlreadyFits { size: 1, limit: 2 }.into(),
        InspectError::FixCannotFit {
            limit: 1,
            smallest: 2,
            min_dpi: 200,
        }
        .into(),
        InspectError::FixNoImages {
            limit: 1,
            smallest: 2,
        }
        .into(),
        InspectError::FixNoFloor {
            requirement: "x".into(),
        }
        .into(),
        InspectError::FixOutputTooLarge { size: 2 }.into(),
        InspectError::FixTimedOut { seconds: 60 }.into(),
        InspectError::FixOutOfMemory { limit_mib: 1024 }.into(),
        InspectError::FixCrashed { detail: "d".into() }.into(),
        InspectError::FixNoSingleFace { faces: 2 }.into(),
        InspectError::FixPhotoTooSmall {
            width: 300,
            height: 386,
            min_width: 413,
            min_height: 531,
        }
        .into(),
        InspectError::FixNotAPhoto {
            requirement: "x".into(),
        }
        .into(),
        KeyError::PassphraseWeak {
            reason: crate::strength::WeakReason::Common,
        }
        .into(),
        KeyError::PassphraseRequired.into(),
        KeyError::WrongPassphrase.into(),
        KeyError::KeychainUnavailable { detail: "d".into() }.into(),
        KeyError::DataKeyMissing { detail: "d".into() }.into(),
        KeyError::KeyRecordInvalid {
            path: "x".into(),
            detail: "d".into(),
        }
        .into(),
        InspectError::InspectorUnavailable { detail: "d".into() }.into(),
        DossierError::NotAttached { id: "x".into() }.into(),
        VaultError::PreviewUnavailable {
            name: "x".into(),
            kind: "k".into(),
        }
        .into(),
        DossierError::IssuedInFuture { date: "d".into() }.into(),
        DossierError::DatesOutOfOrder {
            issued: "a".into(),
            expires: "b".into(),
        }
        .into(),
    ];
    for e in samples {
        for lang in Lang::ALL {
            let text = e.localized(lang);
            assert!(
                !text.starts_with("error."),
                "error.{} has no {} message",
                e.code(),
                lang.code()
            );
            assert!(
                !text.contains('{'),
                "error.{} in {} leaves a placeholder: {text}",
                e.code(),
                lang.code()
            );
            // The technical detail ("d" in the samples) never is the message.
            if let Some(detail) = e.detail() {
                assert!(
                    !text.contains(&format!("({detail})")),
                    "error.{} in {} puts its detail in the message: {text}",
                    e.code(),
                    lang.code()
                );
            }
        }
    }
}

#[test]
fn the_technical_detail_is_a_separate_translated_line() {
    let e = Error::from(RulesError::RulesUpdateOffline {
        url: "https://example.org/rules".into(),
        detail: "error sending request: dns error: failed to lookup address information".into(),
    });
    let ru = e.localized(Lang::Ru);
    assert!(!ru.contains("dns error"), "{ru}");
    assert!(ru.contains("Qujat не может связаться"), "{ru}");
    let terminal = e.localized_with_detail(Lang::Ru);
    let (first, second) = terminal.split_once('\n').expect("two lines");
    assert_eq!(first, ru);
    assert!(
        second.contains("Подробности:") && second.contains("dns error"),
        "{second}"
    );
    assert_eq!(Error::from(FileError::Cancelled).detail(), None);
    assert_eq!(
        Error::from(FileError::Cancelled).localized_with_detail(Lang::En),
        Error::from(FileError::Cancelled).localized(Lang::En)
    );
}

/// One error of each area as it crosses IPC and is shown: the literals are
/// what the single enum this module replaced produced, so splitting it by
/// area changed nothing the UI, the CLI or a saved log sees.
#[test]
fn every_area_keeps_the_wire_format_and_the_text() {
    use serde_json::json;
    let date = chrono::NaiveDate::from_ymd_opt(2025, 12, 31);
    let cases: Vec<(Error, serde_json::Value, &str)> = vec![
        (
            DossierError::ProgramClosed {
                id: "kz-ai-pilot".into(),
                closes: date,
            }
            .into(),
            json!({ "code": "program-closed", "id": "kz-ai-pilot", "closes": "2025-12-31" }),
            "the program \"kz-ai-pilot\" is closed; confirm that you know this to start a dossier on it",
        ),
        (
            DossierError::ProgramClosed {
                id: "kz-ai-pilot".into(),
                closes: None,
            }
            .into(),
            json!({ "code": "program-closed", "id": "kz-ai-pilot" }),
            "the program \"kz-ai-pilot\" is closed; confirm that you know this to start a dossier on it",
        ),
        (
            DossierError::EmptyName.into(),
            json!({ "code": "empty-name" }),
            "the applicant's name must not be empty",
        ),
        (
            TimelineError::EventOutOfOrder {
                kind: "entry".into(),
                date: "2026-01-02".into(),
                requires: "visa".into(),
                requires_date: "2026-01-05".into(),
            }
            .into(),
            json!({
                "code": "event-out-of-order",
                "kind": "entry",
                "date": "2026-01-02",
                "requires": "visa",
                "requiresDate": "2026-01-05"
            }),
            "entry on 2026-01-02 cannot come before visa on 2026-01-05",
        ),
        (
            FileError::Unwritable {
                path: "/data".into(),
                detail: "permission denied".into(),
            }
            .into(),
            json!({ "code": "unwritable", "path": "/data", "detail": "permission denied" }),
            "/data: cannot be written: permission denied",
        ),
        (
            FileError::Cancelled.into(),
            json!({ "code": "cancelled" }),
            "cancelled; nothing was written",
        ),
        (
            FileError::DestinationExists {
                path: "out.zip".into(),
            }
            .into(),
            json!({ "code": "destination-exists", "path": "out.zip" }),
            "out.zip exists already; choose another name or replace it (--force)",
        ),
        (
            VaultError::FileTooLarge {
                path: "scan.pdf".into(),
                size: 2048,
                limit: 1024,
            }
            .into(),
            json!({ "code": "file-too-large", "path": "scan.pdf", "size": 2048, "limit": 1024 }),
            "scan.pdf: 2048 bytes is over the 1024-byte limit for this requirement",
        ),
        (
            VaultError::VaultDamaged {
                requirement: "passport".into(),
                path: "vault/ab".into(),
            }
            .into(),
            json!({ "code": "vault-damaged", "requirement": "passport", "path": "vault/ab" }),
            "Qujat's copy of the file for passport is damaged or gone (vault/ab); attach the document again",
        ),
        (
            StoreError::StoreTooNew { found: 9, known: 4 }.into(),
            json!({ "code": "store-too-new", "found": 9, "known": 4 }),
            "the local store is from a newer Qujat (schema 9, this one knows 4); update Qujat",
        ),
        (
            KeyError::PassphraseWeak {
                reason: crate::strength::WeakReason::Common,
            }
            .into(),
            json!({ "code": "passphrase-weak", "reason": "common" }),
            "this passphrase is too easy to guess (Common); use a few random words",
        ),
        (
            KeyError::PassphraseRequired.into(),
            json!({ "code": "passphrase-required" }),
            "this data folder is locked with a passphrase; enter it (or set QUJAT_PASSPHRASE)",
        ),
        (
            RulesError::RulesUpdateHttp {
                url: "https://example.org/r".into(),
                status: 404,
            }
            .into(),
            json!({ "code": "rules-update-http", "url": "https://example.org/r", "status": 404 }),
            "https://example.org/r answered HTTP 404",
        ),
        (
            PackageError::StageIncomplete {
                stage: "submit".into(),
                blockers: vec!["passport".into(), "photo".into()],
            }
            .into(),
            json!({ "code": "stage-incomplete", "stage": "submit", "blockers": ["passport", "photo"] }),
            "stage submit is not ready to submit: passport, photo; finish these or pack with --allow-incomplete",
        ),
        (
            BackupError::BackupTooNew { found: 3, known: 2 }.into(),
            json!({ "code": "backup-too-new", "found": 3, "known": 2 }),
            "the backup is from a newer Qujat (format 3, this one reads 2); update Qujat",
        ),
        (
            BackupError::BackupWrongPassphrase.into(),
            json!({ "code": "backup-wrong-passphrase" }),
            "the passphrase does not open this backup",
        ),
        (
            InspectError::FixPhotoTooSmall {
                width: 300,
                height: 386,
                min_width: 413,
                min_height: 531,
            }
            .into(),
            json!({
                "code": "fix-photo-too-small",
                "width": 300,
                "height": 386,
                "minWidth": 413,
                "minHeight": 531
            }),
            "framed around the face, the photo is 300 x 386 pixels; at least 413 x 531 are needed",
        ),
        (
            InspectError::FixInputUnsupported {
                input: 2,
                kind: crate::kind::FileKind::Docx,
            }
            .into(),
            json!({ "code": "fix-input-unsupported", "input": 2, "kind": "docx" }),
            "file 2 is a Docx, which cannot be made into a PDF page",
        ),
        (
            InternalError::Internal {
                detail: "worker panicked".into(),
            }
            .into(),
            json!({ "code": "internal", "detail": "worker panicked" }),
            "internal error: worker panicked",
        ),
    ];
    for (error, wire, text) in cases {
        assert_eq!(serde_json::to_value(&error).expect("serialises"), wire);
        assert_eq!(error.to_string(), text);
        assert_eq!(Some(error.code().as_str()), wire["code"].as_str());
    }
}

/// Every code of every area, read from the TypeScript the UI narrows on
/// (so a variant added to an area is counted without listing it here).
fn codes_by_area() -> Vec<(String, Vec<String>)> {
    let cfg = ts_rs::Config::default();
    let decls = [
        ("DossierError", DossierError::decl(&cfg)),
        ("TimelineError", TimelineError::decl(&cfg)),
        ("FileError", FileError::decl(&cfg)),
        ("VaultError", VaultError::decl(&cfg)),
        ("StoreError", StoreError::decl(&cfg)),
        ("KeyError", KeyError::decl(&cfg)),
        ("RulesError", RulesError::decl(&cfg)),
        ("PackageError", PackageError::decl(&cfg)),
        ("BackupError", BackupError::decl(&cfg)),
        ("InspectError", InspectError::decl(&cfg)),
        ("InternalError", InternalError::decl(&cfg)),
    ];
    decls
        .into_iter()
        .map(|(area, decl)| {
            let codes = decl
                .split("\"code\": \"")
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .map(str::to_owned)
                .collect();
            (area.to_owned(), codes)
        })
        .collect()
}

#[test]
fn every_code_is_unique_across_areas_and_translated() {
    let areas = codes_by_area();
    // The wrapper's union must name every area, or the UI could not
    // narrow on a code of the one left out.
    let union = Error::decl(&ts_rs::Config::default());
    let mut seen = std::collections::BTreeMap::new();
    for (area, codes) in &areas {
        assert!(union.contains(area.as_str()), "{area} missing from {union}");
        assert!(!codes.is_empty(), "{area}: no codes read");
        for code in codes {
            if let Some(other) = seen.insert(code.clone(), area.clone()) {
                panic!("{code} is a code of both {other} and {area}");
            }
        }
    }
    assert_eq!(seen.len(), 104, "the codes there were before the split");
    for (lang, catalogue) in [
        ("en", include_str!("../../locales/en.json")),
        ("ru", include_str!("../../locales/ru.json")),
        ("kk", include_str!("../../locales/kk.json")),
    ] {
        let keys: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(catalogue).expect("a catalogue is a JSON object");
        for code in seen.keys() {
            let key = format!("error.{code}");
            assert!(
                keys.get(&key)
                    .and_then(|v| v.as_str())
                    .is_some_and(|t| !t.trim().is_empty()),
                "{key} has no {lang} message"
            );
        }
    }
}
