use chrono::NaiveDate;

use super::*;
use crate::inspect::{Inspection, PdfFacts, PixelSize, RECORD_VERSION};
use crate::rules::{builtin_packs, Keywords, MinImageSize, PageLimit, TextLength};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn moments() -> Moments {
    Moments {
        today: day(2025, 3, 1),
        application: day(2025, 3, 1),
        decision: day(2025, 4, 15),
        entry: day(2025, 5, 15),
    }
}

fn requirement(id: &str) -> Requirement {
    let packs = builtin_packs().expect("valid packs");
    packs[0].requirement(id).expect("requirement").clone()
}

fn record(text: &str) -> Inspection {
    Inspection {
        version: RECORD_VERSION,
        kind: FileKind::Pdf,
        size: 1000,
        sha256: "aa".into(),
        pdf: Some(PdfFacts {
            pages: 2,
            encrypted: false,
            needs_password: false,
            text_layer: !text.is_empty(),
        }),
        image: None,
        text: text.into(),
        text_truncated: false,
        words: text.split_whitespace().count() as u32,
        dates: vec![day(2024, 12, 1)],
        ocr: None,
        mrz: None,
        photo: None,
    }
}

fn codes(findings: &[Finding]) -> Vec<String> {
    findings.iter().map(Finding::code).collect()
}

fn findings_for(r: &Requirement, verdict: Option<&Verdict>, dates: DocumentDates) -> Vec<Finding> {
    let m = moments();
    document_findings(
        r,
        &DocumentFacts {
            verdict,
            dates,
            moments: &m,
            applicant_name: "Ada Lovelace",
        },
    )
}

#[test]
fn findings_serialise_with_severity_and_code() {
    let f: Finding = Found::TooManyPages { pages: 9, limit: 5 }.into();
    assert_eq!(
        serde_json::to_string(&f).expect("json"),
        r#"{"severity":"blocker","code":"too-many-pages","pages":9,"limit":5}"#,
        "the UI branches on code and severity and translates with the fields"
    );
}

#[test]
fn every_finding_reads_well_in_every_language() {
    let d = day(2025, 1, 2);
    let all = [
        Found::Unreadable {
            kind: FileKind::Pdf,
        },
        Found::InspectionTimedOut { seconds: 10 },
        Found::InspectionOutOfMemory { limit_mib: 1024 },
        Found::InspectorCrashed,
        Found::VaultDamaged,
        Found::PasswordProtected,
        Found::OverSizeLimit {
            size: 13_002_342,
            max_size: 10 << 20,
        },
        Found::Encrypted,
        Found::TooManyPages { pages: 9, limit: 5 },
        Found::ImageTooSmall {
            width: 10,
            height: 20,
            min_width: 1000,
            min_height: 700,
        },
        Found::NoTextLayer,
        Found::NotInspected,
        Found::Expired { expires_on: d },
        Found::TooOld {
            issued_on: d,
            age_days: 200,
            limit_days: 180,
        },
        Found::ValidityTooShort {
            expires_on: d,
            needed_until: d,
            days: 180,
        },
        Found::IssueDateNeeded {
            suggestions: vec![d],
        },
        Found::ExpiryDateNeeded {
            suggestions: vec![],
        },
        Found::KeywordsMissing {
            keywords: vec!["AI".into(), "machine learning".into()],
        },
        Found::TooFewWords { words: 3, min: 150 },
        Found::TooManyWords {
            words: 3000,
            max: 1000,
        },
        Found::NameNotFound {
            name: "Ada Lovelace".into(),
        },
        Found::DisguisedKind {
            kind: FileKind::Jpeg,
            named: "pdf".into(),
            extension: "jpg".into(),
        },
        Found::DisguisedKindRefused {
            kind: FileKind::Jpeg,
            named: "pdf".into(),
        },
        Found::ScanTooLarge {
            width: 60000,
            height: 60000,
        },
        Found::ScanImagesUnsupported {
            coding: "CCITTFaxDecode".into(),
        },
        Found::ScanNotRead { pages: 2 },
        Found::ScanPartlyRead {
            read: 20,
            total: 300,
        },
        Found::ScanWithoutText,
        Found::PhotoShape {
            width: 500,
            height: 500,
            width_mm: 35,
            height_mm: 45,
            basis: "b".into(),
        },
        Found::PhotoTooFewPixels {
            width: 300,
            height: 386,
            min_width: 413,
            min_height: 531,
            basis: "b".into(),
        },
        Found::PhotoBackground {
            dark: true,
            basis: "b".into(),
        },
        Found::PhotoNoFace { basis: "b".into() },
        Found::PhotoManyFaces {
            faces: 2,
            basis: "b".into(),
        },
        Found::PhotoHeadSize {
            percent: 40,
            min: 71,
            max: 80,
            basis: "b".into(),
        },
        Found::ExpiryDiffersFromMrz {
            entered: day(2027, 1, 2),
            mrz: day(2027, 2, 1),
        },
    ];
    for found in all {
        let f = Finding::from(found);
        for lang in Lang::ALL {
            for text in [f.message(lang), f.hint(lang)] {
                assert!(
                    !text.starts_with("finding.")
                        && !text.starts_with("hint.")
                        && !text.contains('{'),
                    "{} in {}: {text}",
                    f.code(),
                    lang.code()
                );
            }
        }
    }
}

#[test]
fn a_locked_pdf_is_a_blocker_and_nothing_else_is_read_from_it() {
    let mut locked = record("");
    locked.pdf = Some(PdfFacts {
        pages: 0,
        encrypted: true,
        needs_password: true,
        text_layer: false,
    });
    let r = requirement("cv");
    let found = findings_for(
        &r,
        Some(&Verdict::Inspected(locked)),
        DocumentDates::default(),
    );
    assert_eq!(codes(&found), ["password-protected"]);
    assert_eq!(found[0].severity, Severity::Blocker);
}

#[test]
fn a_scan_without_text_is_information_not_a_problem() {
    let r = requirement("passport-copy");
    let found = findings_for(
        &r,
        Some(&Verdict::Inspected(record(""))),
        DocumentDates::default(),
    );
    assert!(
        codes(&found).contains(&"no-text-layer".to_owned()),
        "{found:?}"
    );
    assert!(
        found.iter().all(|f| f.severity != Severity::Blocker),
        "a scan is how most passports are attached: {found:?}"
    );
}

#[test]
fn what_ocr_could_not_read_is_said_once_per_cause_and_read_text_counts() {
    use crate::inspect::{OcrFacts, OcrPage, OcrProblem};
    let r = requirement("passport-copy");
    let mut scan = record("");
    let mut read = OcrPage::unread(1, OcrProblem::NoImage);
    read.problem = None;
    read.text = "PASSPORT ERIKSSON ANNA MARIA UTOPIA".into();
    read.words = 5;
    read.confidence = 90;
    scan.text = read.text.clone();
    let fax = OcrProblem::UnsupportedImages {
        filter: "CCITTFaxDecode".into(),
    };
    scan.ocr = Some(OcrFacts {
        pages: vec![
            read,
            OcrPage::unread(2, fax.clone()),
            OcrPage::unread(3, fax),
            OcrPage::unread(4, OcrProblem::TimedOut { limit_ms: 20_000 }),
        ],
        pages_not_read: 280,
        languages: vec!["en".into()],
        problem: Some(OcrProblem::TooManyPages {
            read: 20,
            total: 300,
        }),
    });
    let found = findings_for(
        &r,
        Some(&Verdict::Inspected(scan.clone())),
        DocumentDates::default(),
    );
    let seen = codes(&found);
    assert!(
        !seen.contains(&"no-text-layer".to_owned()),
        "OCR read text: {seen:?}"
    );
    for code in [
        "scan-images-unsupported",
        "scan-partly-read",
        "scan-not-read",
    ] {
        assert_eq!(
            seen.iter().filter(|c| *c == code).count(),
            1,
            "{code} once: {seen:?}"
        );
    }
    assert!(!seen.contains(&"scan-without-text".to_owned()));
    assert!(
        found.iter().all(|f| f.severity != Severity::Blocker),
        "{found:?}"
    );

    // Pages read, but nothing legible on any.
    if let Some(ocr) = scan.ocr.as_mut() {
        ocr.pages.truncate(1);
        ocr.pages[0].confidence = 20;
        ocr.problem = None;
        ocr.pages_not_read = 0;
    }
    let found = findings_for(
        &r,
        Some(&Verdict::Inspected(scan.clone())),
        DocumentDates::default(),
    );
    assert_eq!(
        codes(&found)
            .iter()
            .filter(|c| c.starts_with("scan-"))
            .collect::<Vec<_>>(),
        ["scan-without-text"]
    );

    // A portrait has no text to read: a photo requirement says nothing of it.
    let pack = builtin_packs()
        .expect("valid packs")
        .into_iter()
        .find(|p| p.id == "kz-in-demand")
        .expect("the in-demand pack");
    let photo = pack.requirement("photo").expect("a photo requirement");
    let found = findings_for(
        photo,
        Some(&Verdict::Inspected(scan)),
        DocumentDates::default(),
    );
    assert!(
        !codes(&found).iter().any(|c| c.starts_with("scan-")),
        "{found:?}"
    );
}

#[test]
fn pages_pixels_keywords_length_and_name_follow_the_pack() {
    let mut r = requirement("cv");
    r.max_pages = Some(PageLimit {
        pages: 1,
        basis: "x".into(),
    });
    r.keywords = Some(Keywords {
        any: vec!["AI".into(), "machine learning".into()],
        basis: "x".into(),
    });
    r.text_length = Some(TextLength {
        min_words: 5,
        max_words: Some(50),
        basis: "x".into(),
    });
    r.name_must_appear = true;
    let found = findings_for(
        &r,
        Some(&Verdict::Inspected(record("I said hello"))),
        DocumentDates::default(),
    );
    assert_eq!(
        codes(&found),
        [
            "too-many-pages",
            "keywords-missing",
            "too-few-words",
            "name-not-found"
        ],
        "\"said\" does not mention AI; blockers come first"
    );
    let good = record("LOVELACE ADA: engineer, five years of CVMachine learning");
    let found = findings_for(
        &r,
        Some(&Verdict::Inspected(good)),
        DocumentDates::default(),
    );
    assert_eq!(
        codes(&found),
        ["too-many-pages"],
        "the name counts in any order and case, and a long keyword counts even where extraction ran lines together"
    );

    let mut photo = requirement("passport-copy");
    photo.min_image_px = Some(MinImageSize {
        width: 1000,
        height: 700,
        basis: "x".into(),
    });
    let mut image = record("");
    image.kind = FileKind::Jpeg;
    image.pdf = None;
    image.image = Some(PixelSize {
        width: 700,
        height: 1000,
    });
    let upright = findings_for(
        &photo,
        Some(&Verdict::Inspected(image.clone())),
        DocumentDates::default(),
    );
    assert!(
        !codes(&upright).contains(&"image-too-small".to_owned()),
        "a portrait photo of the right size is big enough"
    );
    image.image = Some(PixelSize {
        width: 640,
        height: 480,
    });
    let small = findings_for(
        &photo,
        Some(&Verdict::Inspected(image)),
        DocumentDates::default(),
    );
    let small = small
        .iter()
        .find(|f| f.code() == "image-too-small")
        .expect("too small");
    assert_eq!(small.severity, Severity::Warning);
}

#[test]
fn a_police_clearance_too_old_on_the_application_day_is_a_blocker_with_its_age() {
    let r = requirement("police-clearance");
    let issued = DocumentDates {
        issued_on: Some(day(2024, 8, 1)),
        expires_on: None,
    };
    let found = findings_for(&r, None, issued);
    let too_old = found
        .iter()
        .find(|f| f.code() == "too-old")
        .expect("too old");
    assert_eq!(
        too_old.found,
        Found::TooOld {
            issued_on: day(2024, 8, 1),
            age_days: 212,
            limit_days: 180
        }
    );
    assert!(
        too_old
            .hint(Lang::En)
            .contains("212 days old, the limit is 180"),
        "{}",
        too_old.hint(Lang::En)
    );
    let fresh = DocumentDates {
        issued_on: Some(day(2025, 2, 1)),
        expires_on: None,
    };
    assert!(!codes(&findings_for(&r, None, fresh)).contains(&"too-old".to_owned()));
}

#[test]
fn a_passport_must_outlast_the_expected_decision_plus_the_validity_asked_for() {
    let r = requirement("passport-copy");
    let dates = |expires| DocumentDates {
        issued_on: None,
        expires_on: Some(expires),
    };
    // Decision 2025-04-15 + 180 days = 2025-10-12.
    let short = findings_for(&r, None, dates(day(2025, 10, 11)));
    assert!(
        short.iter().any(|f| f.found
            == Found::ValidityTooShort {
                expires_on: day(2025, 10, 11),
                needed_until: day(2025, 10, 12),
                days: 180
            }),
        "{short:?}"
    );
    assert!(!codes(&findings_for(&r, None, dates(day(2025, 10, 12))))
        .contains(&"validity-too-short".to_owned()));
    let expired = findings_for(&r, None, dates(day(2025, 2, 28)));
    assert_eq!(
        codes(&expired)
            .iter()
            .filter(|c| c.starts_with("expired") || c.starts_with("validity"))
            .count(),
        1,
        "an expired passport is told once, as expired: {expired:?}"
    );
}

#[test]
fn missing_dates_are_asked_for_with_the_dates_found_as_suggestions() {
    let r = requirement("police-clearance");
    let found = findings_for(
        &r,
        Some(&Verdict::Inspected(record("issued 01.12.2024"))),
        DocumentDates::default(),
    );
    let ask = found
        .iter()
        .find(|f| f.code() == "issue-date-needed")
        .expect("asked");
    assert_eq!(
        ask.severity,
        Severity::Warning,
        "a missing date never blocks, but it is something to do"
    );
    assert_eq!(
        ask.found,
        Found::IssueDateNeeded {
            suggestions: vec![day(2024, 12, 1)]
        }
    );
}

#[test]
fn moments_come_from_the_packs_deadlines_and_recorded_events() {
    let packs = builtin_packs().expect("packs");
    let pilot = &packs[0];
    let today = day(2025, 3, 1);
    let before = Moments::of(pilot, &[], today);
    assert_eq!(
        before.application, today,
        "not submitted yet: at the earliest today"
    );
    assert_eq!(
        before.decision,
        day(2025, 4, 15),
        "today + the 45-day review"
    );
    let submitted = crate::timeline::Event {
        id: 1,
        kind: "egov-submitted".into(),
        date: day(2025, 2, 1),
        note: None,
        created_at: chrono::Utc::now(),
        updated_at: chrono::Utc::now(),
    };
    let after = Moments::of(pilot, &[submitted], today);
    assert_eq!(after.application, day(2025, 2, 1));
    assert_eq!(after.decision, day(2025, 3, 18));
}

fn name_findings(text: &str, applicant: &str) -> Vec<Finding> {
    let mut r = requirement("cv");
    r.name_must_appear = true;
    r.keywords = None;
    r.text_length = None;
    r.max_pages = None;
    let m = moments();
    document_findings(
        &r,
        &DocumentFacts {
            verdict: Some(&Verdict::Inspected(record(text))),
            dates: DocumentDates::default(),
            moments: &m,
            applicant_name: applicant,
        },
    )
    .into_iter()
    .filter(|f| f.code().starts_with("name-"))
    .collect()
}

#[test]
fn a_cyrillic_autobiography_does_not_miss_the_latin_name() {
    let text = "Автобиография. Я, Окафор Даниэль, родился в 1990 году в Лагосе.";
    assert_eq!(name_findings(text, "Daniel Chukwuemeka Okafor"), []);
}

#[test]
fn a_cv_signed_with_surname_and_one_given_name_carries_the_name() {
    let text = "Daniel Okafor\nSenior machine learning engineer";
    assert_eq!(name_findings(text, "Daniel Chukwuemeka Okafor"), []);
}

#[test]
fn another_surname_warns_with_what_was_found() {
    let found = name_findings("Daniel Smith\nEngineer", "Daniel Chukwuemeka Okafor");
    assert_eq!(
        found,
        [Finding::from(Found::NameDiffers {
            name: "Daniel Chukwuemeka Okafor".into(),
            found: "Daniel Smith".into(),
        })]
    );
    assert_eq!(found[0].severity, Severity::Warning);
    assert_eq!(
        found[0].message(Lang::En),
        "The text names “Daniel Smith”, not Daniel Chukwuemeka Okafor."
    );
    let missing = name_findings("Engineer, eight years", "Daniel Okafor");
    assert_eq!(codes(&missing), ["name-not-found"]);
}

const GERMAN_CERTIFICATE: &str = "Führungszeugnis\n\nHiermit wird bescheinigt, dass die \
    unten genannte Person im Bundeszentralregister keine Eintragungen hat und nicht \
    vorbestraft ist. Ausgestellt vom Bundesamt für Justiz.";
const RUSSIAN_CERTIFICATE: &str = "Справка о несудимости\n\nНастоящая справка выдана в том, \
    что гражданин не имеет судимости и не находится в розыске.";

fn translation_findings(requirement_id: &str, text: &str) -> Vec<Finding> {
    findings_for(
        &requirement(requirement_id),
        Some(&Verdict::Inspected(record(text))),
        DocumentDates::default(),
    )
    .into_iter()
    .filter(|f| f.code().contains("translation"))
    .collect()
}

#[test]
fn a_document_in_another_language_needs_the_translation_the_pack_asks_for() {
    let r = requirement("police-clearance");
    assert!(
        r.rules.iter().any(|rule| matches!(
            rule,
            Rule::Translation { notarized: true, into, .. } if into == &["kk", "ru"]
        )),
        "the pilot pack asks for a notarized translation into Kazakh or Russian"
    );
    let found = translation_findings("police-clearance", GERMAN_CERTIFICATE);
    assert_eq!(
        found,
        [Finding::from(Found::NeedsNotarizedTranslation {
            language: "de".into(),
            into: vec!["kk".into(), "ru".into()],
        })]
    );
    assert_eq!(
        found[0].message(Lang::En),
        "Written in German: needs a notarized translation into Kazakh or Russian."
    );
    assert_eq!(
        found[0].message(Lang::Ru),
        "Язык документа — Deutsch: нужен нотариально заверенный перевод на казахский или русский."
    );
}

#[test]
fn a_document_in_russian_or_too_short_to_tell_needs_no_translation() {
    assert_eq!(
        translation_findings("police-clearance", RUSSIAN_CERTIFICATE),
        []
    );
    assert_eq!(translation_findings("police-clearance", "Nr. 55/1"), []);
    // The CV has no translation rule: its language is never held against it.
    assert_eq!(translation_findings("cv", GERMAN_CERTIFICATE), []);
}

#[test]
fn where_the_pack_asks_for_an_apostille_its_heading_is_looked_for() {
    let r = requirement("police-clearance");
    assert!(r
        .rules
        .iter()
        .any(|rule| matches!(rule, Rule::Legalization { .. })));
    let with =
        format!("{RUSSIAN_CERTIFICATE}\n\nAPOSTILLE\n(Convention de La Haye du 5 octobre 1961)");
    let apostille = |text: &str| -> Vec<Finding> {
        findings_for(
            &r,
            Some(&Verdict::Inspected(record(text))),
            DocumentDates::default(),
        )
        .into_iter()
        .filter(|f| f.code().starts_with("apostille"))
        .collect()
    };
    assert_eq!(apostille(&with), [Finding::from(Found::ApostilleSeen)]);
    let without = apostille(RUSSIAN_CERTIFICATE);
    assert_eq!(without, [Finding::from(Found::ApostilleNotSeen)]);
    assert_eq!(without[0].severity, Severity::Info, "never a blocker");
    // A document the pack asks no apostille for hears nothing about one.
    let cv = findings_for(
        &requirement("cv"),
        Some(&Verdict::Inspected(record(RUSSIAN_CERTIFICATE))),
        DocumentDates::default(),
    );
    assert!(!codes(&cv).iter().any(|c| c.starts_with("apostille")));
}

#[test]
fn a_dossier_name_spelled_otherwise_than_the_passport_zone_warns_with_both() {
    let zone = crate::mrz::read_on(
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
        day(2026, 12, 4),
    );
    assert!(zone.as_ref().is_some_and(|z| z.valid));
    let mut passport = record("");
    passport.mrz = zone;
    let verdict = Verdict::Inspected(passport);
    let m = moments();
    let findings = |applicant: &str| {
        document_findings(
            &requirement("passport-copy"),
            &DocumentFacts {
                verdict: Some(&verdict),
                dates: DocumentDates::default(),
                moments: &m,
                applicant_name: applicant,
            },
        )
        .into_iter()
        .filter(|f| f.code() == "mrz-name-differs")
        .collect::<Vec<_>>()
    };
    assert_eq!(findings("Anna Maria Eriksson"), []);
    let differs = findings("Anna Maria Erikson");
    assert_eq!(
        differs,
        [Finding::from(Found::MrzNameDiffers {
            dossier: "Anna Maria Erikson".into(),
            mrz: "ERIKSSON ANNA MARIA".into(),
            suggestion: "Anna Maria Eriksson".into(),
        })]
    );
    assert_eq!(differs[0].severity, Severity::Warning);
    assert_eq!(
        differs[0].message(Lang::En),
        "The passport’s machine-readable zone spells the name “ERIKSSON ANNA MARIA”; the dossier has “Anna Maria Erikson”."
    );
}

#[test]
fn an_expiry_date_typed_otherwise_than_the_valid_zone_says_is_flagged_and_a_misread_zone_is_ignored(
) {
    // ICAO 9303's specimen: expires 15 April 2012, all check digits valid.
    let valid = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    // The same zone with the expiry's check digit broken.
    let broken = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204158ZE184226B<<<<<10";
    let m = moments();
    let differs = |zone: &str, expires_on: Option<NaiveDate>| {
        let mut passport = record("");
        passport.mrz = crate::mrz::read_on(zone, day(2010, 1, 1));
        let verdict = Verdict::Inspected(passport);
        document_findings(
            &requirement("passport-copy"),
            &DocumentFacts {
                verdict: Some(&verdict),
                dates: DocumentDates {
                    issued_on: None,
                    expires_on,
                },
                moments: &m,
                applicant_name: "Anna Maria Eriksson",
            },
        )
        .into_iter()
        .filter(|f| f.code() == "expiry-differs-from-mrz")
        .collect::<Vec<_>>()
    };
    assert_eq!(differs(valid, Some(day(2012, 4, 15))), []);
    assert_eq!(
        differs(valid, None),
        [],
        "nothing typed: offered, not flagged"
    );
    let typo = differs(valid, Some(day(2012, 4, 16)));
    assert_eq!(
        typo,
        [Finding::from(Found::ExpiryDiffersFromMrz {
            entered: day(2012, 4, 16),
            mrz: day(2012, 4, 15),
        })]
    );
    assert_eq!(typo[0].severity, Severity::Warning);
    assert_eq!(
        differs(broken, Some(day(2012, 4, 16))),
        [],
        "a misread zone says nothing"
    );
}

/// The inspector's verdict on a PNG of `image`, as the child measures it.
fn photo_verdict(image: &crate::inspect::fix::picture::Raster) -> Verdict {
    let facts = crate::inspect::photo::facts_of(image);
    let mut record = record("");
    record.kind = FileKind::Png;
    record.pdf = None;
    record.image = Some(PixelSize {
        width: facts.width,
        height: facts.height,
    });
    record.photo = Some(facts);
    Verdict::Inspected(record)
}

/// The photo findings of `image` as the photo requirement of either
/// built-in pack judges it.
fn photo_codes(image: &crate::inspect::fix::picture::Raster) -> Vec<String> {
    let verdict = photo_verdict(image);
    let mut seen: Option<Vec<String>> = None;
    for pack in builtin_packs().expect("valid packs") {
        let r = pack.requirement("photo").expect("a photo requirement");
        assert!(r.photo.is_some(), "{} has no photo block", pack.id);
        let found: Vec<String> = codes(&findings_for(r, Some(&verdict), DocumentDates::default()))
            .into_iter()
            .filter(|c| c.starts_with("photo-"))
            .collect();
        if let Some(seen) = &seen {
            assert_eq!(seen, &found, "the packs ask the same of a photo");
        }
        seen = Some(found);
    }
    seen.unwrap_or_default()
}

#[test]
fn each_photo_check_is_a_warning_that_comes_and_goes_with_what_it_checks() {
    use crate::inspect::photo::tests::{lay, portrait};
    let light = [236, 236, 232];
    let good = portrait(450, 579, light, 0.75, 0.5);
    assert_eq!(photo_codes(&good), Vec::<String>::new());
    // Each variant breaks one thing.
    let square = portrait(579, 579, light, 0.75, 0.5);
    assert_eq!(photo_codes(&square), ["photo-shape"]);
    let small = portrait(350, 450, light, 0.75, 0.5);
    assert_eq!(photo_codes(&small), ["photo-too-few-pixels"]);
    let dark = portrait(450, 579, [70, 80, 110], 0.75, 0.5);
    assert_eq!(photo_codes(&dark), ["photo-background"]);
    let at_the_edge = portrait(450, 579, light, 0.75, 0.12);
    assert_eq!(photo_codes(&at_the_edge), ["photo-background"]);
    let far = portrait(450, 579, light, 0.45, 0.5);
    assert_eq!(photo_codes(&far), ["photo-head-size"]);
    let nobody = portrait(450, 579, light, 0.0, 0.5);
    assert_eq!(photo_codes(&nobody), ["photo-no-face"]);
    let mut two = portrait(900, 579, light, 0.6, 0.27);
    let (face, _) = crate::inspect::fix::picture::decode_png(include_bytes!(
        "../../tests/fixtures/photo/face.png"
    ))
    .expect("fixture");
    lay(&mut two, &face, 0.6, 0.73);
    // Wider than 35:45 too; the faces are what this is about.
    assert_eq!(photo_codes(&two), ["photo-shape", "photo-many-faces"]);
    // All warnings: a measured photo never blocks the requirement.
    let f = Finding::from(Found::PhotoNoFace { basis: "b".into() });
    assert_eq!(f.severity, Severity::Warning);
    // A requirement without a photo block judges no photo.
    let mut record = record("");
    record.photo = Some(crate::inspect::photo::facts_of(&nobody));
    let passport = requirement("passport-copy");
    let found = codes(&findings_for(
        &passport,
        Some(&Verdict::Inspected(record)),
        DocumentDates::default(),
    ));
    assert!(!found.iter().any(|c| c.starts_with("photo-")), "{found:?}");
}

#[test]
fn a_photo_too_small_for_both_minimums_is_told_once_by_the_stricter() {
    use crate::inspect::photo::tests::portrait;
    let tiny = portrait(300, 386, [236, 236, 232], 0.75, 0.5);
    let verdict = photo_verdict(&tiny);
    for pack in builtin_packs().expect("valid packs") {
        let r = pack.requirement("photo").expect("a photo requirement");
        let all = codes(&findings_for(r, Some(&verdict), DocumentDates::default()));
        assert!(all.contains(&"photo-too-few-pixels".to_owned()), "{all:?}");
        assert!(!all.contains(&"image-too-small".to_owned()), "{all:?}");
        // A requirement with no photo block still says it is too small.
        let mut plain = r.clone();
        plain.photo = None;
        let all = codes(&findings_for(
            &plain,
            Some(&verdict),
            DocumentDates::default(),
        ));
        assert!(all.contains(&"image-too-small".to_owned()), "{all:?}");
    }
}
