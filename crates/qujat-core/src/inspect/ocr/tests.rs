//! OCR over scans made here, with known truth: text rendered by ImageMagick
//! in DejaVu Sans (and the zone in OCR-B) from Debian's font packages, then
//! turned, skewed, blurred, noised and JPEG-compressed as scanners and
//! phones do; PDFs wrapped around them by img2pdf. The tools come from
//! `scripts/setup-debian.sh`; a missing tool fails the test (never skips).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::inspect::probe::probe;
use crate::inspect::record::{Inspection, OcrProblem, Verdict};
use crate::inspect::test_pdf::assemble;

#[path = "../../../../../tests/fixtures/scans.rs"]
mod scans;
use scans::{img2pdf, text_page, tool as run};

/// The specimen passport's data page, its dates printed too, then
/// `effects`.
pub(crate) fn passport_page(dir: &Path, name: &str, effects: &[&str]) -> PathBuf {
    scans::passport_page(
        dir,
        name,
        &[
            "PASSPORT   Type P   Code UTO   Passport No. L898902C3",
            "Surname: ERIKSSON",
            "Given names: ANNA MARIA",
            "Date of birth: 12.08.1974",
            "Date of expiry: 15.04.2012",
        ],
        scans::SPECIMEN_ZONE,
        effects,
    )
}

/// Scanner-like damage: a small skew, noise, blur.
pub(crate) const SCANNED: &[&str] = &[
    "-background",
    "white",
    "-rotate",
    "1.5",
    "-attenuate",
    "0.4",
    "+noise",
    "Gaussian",
    "-blur",
    "0x0.6",
];

fn inspect(path: &Path) -> Inspection {
    let bytes = std::fs::read(path).expect("scan written");
    match probe(&bytes) {
        Verdict::Inspected(record) => record,
        other => panic!("{} not inspected: {other:?}", path.display()),
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

const ENGLISH: &str = "RESIDENCE PERMIT APPLICATION\nApplicant: Ada Lovelace\n\
    Date of issue: 14.03.2025\nEmployer: Astana Hub, software engineer\n\
    The applicant has worked in machine learning for seven years.";
const RUSSIAN: &str = "ЗАЯВЛЕНИЕ О ВЫДАЧЕ РАЗРЕШЕНИЯ\nЗаявитель: Ада Лавлейс\n\
    Дата выдачи: 14 марта 2025 г.\nРаботодатель: Астана Хаб, инженер-программист\n\
    Заявитель работает в области машинного обучения семь лет.";
const KAZAKH: &str = "ТҰРУҒА РҰҚСАТ БЕРУ ТУРАЛЫ ӨТІНІШ\nӨтініш беруші: Ада Лавлейс\n\
    Берілген күні: 2025 жылғы 14 наурыз\nЖұмыс беруші: Астана Хаб, бағдарламашы\n\
    Өтініш беруші машиналық оқыту саласында жеті жыл жұмыс істейді.";

#[test]
fn an_english_png_is_read_with_its_dates_and_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    let record = inspect(&text_page(dir.path(), "en.png", ENGLISH, 300, &[]));
    let ocr = record.ocr.as_ref().expect("an image is read");
    assert_eq!(ocr.pages.len(), 1);
    let page = &ocr.pages[0];
    assert!(page.text.contains("Ada Lovelace"), "{:?}", page.text);
    assert!(page.confidence >= 80, "clean print: {}", page.confidence);
    assert_eq!(page.rotation, 0);
    assert_eq!(ocr.languages, ["en"]);
    assert_eq!(page.dates, [day(2025, 3, 14)]);
    // The record's text, words and dates are the scan's, for the findings.
    assert_eq!(record.text, page.text);
    assert_eq!(record.dates, [day(2025, 3, 14)]);
    assert!(record.words >= 20, "{}", record.words);
}

#[test]
fn an_upside_down_noisy_russian_jpeg_is_turned_and_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut effects = SCANNED.to_vec();
    effects.extend_from_slice(&["-rotate", "180", "-quality", "60"]);
    let record = inspect(&text_page(dir.path(), "ru.jpg", RUSSIAN, 300, &effects));
    let ocr = record.ocr.as_ref().expect("read");
    let page = &ocr.pages[0];
    assert_eq!(page.rotation, 180, "{page:?}");
    assert!(page.text.contains("Лавлейс"), "{:?}", page.text);
    assert!(
        ocr.languages.contains(&"ru".to_owned()),
        "{:?}",
        ocr.languages
    );
    assert!(page.dates.contains(&day(2025, 3, 14)), "{:?}", page.dates);
}

#[test]
fn a_sideways_skewed_kazakh_scan_at_150_dpi_is_read_as_kazakh() {
    let dir = tempfile::tempdir().expect("temp dir");
    let record = inspect(&text_page(
        dir.path(),
        "kk.png",
        KAZAKH,
        150,
        &["-background", "white", "-rotate", "-2", "-rotate", "90"],
    ));
    let ocr = record.ocr.as_ref().expect("read");
    let page = &ocr.pages[0];
    assert_eq!(page.rotation, 270, "turned back a quarter: {page:?}");
    assert!(page.text.contains("Өтініш"), "{:?}", page.text);
    assert_eq!(ocr.languages, ["kk"], "{:?}", page.text);
}

#[test]
fn a_passport_scan_has_its_zone_read_by_the_zone_pass() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A phone scan: a little skew, sensor noise, JPEG.
    let effects = [
        "-background",
        "white",
        "-rotate",
        "1",
        "-attenuate",
        "0.3",
        "+noise",
        "Gaussian",
        "-quality",
        "85",
    ];
    let record = inspect(&passport_page(dir.path(), "passport.jpg", &effects));
    let page = &record.ocr.as_ref().expect("read").pages[0];
    let zone = page.zone.as_deref().expect("the zone's lines were found");
    assert!(
        zone.lines().all(|l| l
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '<' || c == ' ')),
        "only the zone's alphabet: {zone:?}"
    );
    let Some(mrz) = record.mrz.as_ref() else {
        panic!("no zone parsed from {zone:?}");
    };
    assert!(
        mrz.valid,
        "every check digit verified: {mrz:?} from {zone:?}"
    );
    assert_eq!(mrz.document_number, "L898902C3");
    assert_eq!(mrz.surname, "ERIKSSON");
    assert_eq!(mrz.given_names, "ANNA MARIA");
    assert_eq!(mrz.expiry_date, Some(day(2012, 4, 15)));
}

#[test]
fn an_upside_down_passport_zone_is_cut_out_and_turned() {
    let dir = tempfile::tempdir().expect("temp dir");
    let record = inspect(&passport_page(
        dir.path(),
        "passport.png",
        &["-rotate", "180"],
    ));
    let page = &record.ocr.as_ref().expect("read").pages[0];
    assert_eq!(page.rotation, 180);
    let zone = page.zone.as_deref().expect("zone found on a turned page");
    let mrz = record.mrz.as_ref().expect("the zone parsed");
    assert!(mrz.valid, "{mrz:?} from {zone:?}");
    assert_eq!(mrz.document_number, "L898902C3");
    assert_eq!(
        mrz.given_names, "ANNA MARIA",
        "the printed names explain the zone's"
    );
}

#[test]
fn scanned_pdfs_with_jpeg_and_flate_pages_are_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let jpeg = text_page(dir.path(), "p1.jpg", ENGLISH, 200, &["-quality", "75"]);
    let png = text_page(dir.path(), "p2.png", RUSSIAN, 200, &[]);
    let pdf = img2pdf(&[&jpeg, &png], &dir.path().join("scan.pdf"));
    let record = inspect(&pdf);
    let facts = record.pdf.expect("pdf");
    assert!(!facts.text_layer, "a scan has no text layer");
    let ocr = record.ocr.as_ref().expect("a scanned PDF is read");
    assert_eq!(ocr.pages.len(), 2);
    assert!(ocr.pages[0].text.contains("Lovelace"), "{:?}", ocr.pages[0]);
    assert!(ocr.pages[1].text.contains("Лавлейс"), "{:?}", ocr.pages[1]);
    assert_eq!(ocr.languages, ["en", "ru"]);
    assert!(record.text.contains("Lovelace") && record.text.contains("Лавлейс"));
}

/// A PDF of `pages` pages, each showing the same image XObject.
fn pdf_of_images(pages: usize, image: &str) -> Vec<u8> {
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", i + 4)).collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        ),
        image.to_owned(),
    ];
    for _ in 0..pages {
        objects.push(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 3 0 R >> >> >>"
                .to_owned(),
        );
    }
    assemble(&objects)
}

#[test]
fn fax_coded_pages_are_reported_not_skipped() {
    let data = "x".repeat(64);
    let image = format!(
        "<< /Type /XObject /Subtype /Image /Width 1700 /Height 2200 /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /CCITTFaxDecode /Length {} >>\nstream\n{data}\nendstream",
        data.len()
    );
    let Verdict::Inspected(record) = probe(&pdf_of_images(2, &image)) else {
        panic!("still a readable PDF");
    };
    let ocr = record.ocr.expect("tried");
    assert_eq!(ocr.pages.len(), 2);
    for page in &ocr.pages {
        assert_eq!(
            page.problem,
            Some(OcrProblem::UnsupportedImages {
                filter: "CCITTFaxDecode".into()
            })
        );
    }
}

#[test]
fn a_pdf_with_hundreds_of_image_pages_is_read_in_part_and_says_so() {
    // 16x16 uncompressed grey pixels, all the same.
    let data = "~".repeat(256);
    let image = format!(
        "<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /BitsPerComponent 8 /ColorSpace /DeviceGray /Length {} >>\nstream\n{data}\nendstream",
        data.len()
    );
    let Verdict::Inspected(record) = probe(&pdf_of_images(300, &image)) else {
        panic!("a readable PDF");
    };
    let ocr = record.ocr.expect("tried");
    assert_eq!(ocr.pages.len(), super::MAX_PAGES);
    assert_eq!(ocr.pages_not_read, 300 - super::MAX_PAGES as u32);
    assert_eq!(
        ocr.problem,
        Some(OcrProblem::TooManyPages {
            read: super::MAX_PAGES as u32,
            total: 300
        })
    );
}

#[test]
fn an_image_bomb_is_a_finding_not_an_allocation() {
    // A 1x1 PNG whose header is changed to claim 60000 x 60000 pixels.
    let dir = tempfile::tempdir().expect("temp dir");
    let small = dir.path().join("small.png");
    run(
        "convert",
        &["-size", "1x1", "xc:white", &small.to_string_lossy()],
    );
    let mut png = std::fs::read(&small).expect("png");
    png[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    png[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    let crc = crc32fast::hash(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    let Verdict::Inspected(record) = probe(&png) else {
        panic!("the header is fine; only the size is absurd");
    };
    let ocr = record.ocr.expect("tried");
    assert_eq!(
        ocr.pages[0].problem,
        Some(OcrProblem::TooLarge {
            width: 60_000,
            height: 60_000
        })
    );
}

#[test]
fn a_scan_of_pure_noise_reads_as_nothing_within_its_budget() {
    let dir = tempfile::tempdir().expect("temp dir");
    let noise = dir.path().join("noise.png");
    run(
        "convert",
        &[
            "-size",
            "1200x1600",
            "xc:",
            "+noise",
            "Random",
            "-colorspace",
            "Gray",
            &noise.to_string_lossy(),
        ],
    );
    let start = std::time::Instant::now();
    let record = inspect(&noise);
    let page = &record.ocr.as_ref().expect("tried").pages[0];
    assert!(
        page.problem.is_some() || page.confidence < 60 || page.words < 5,
        "noise is not text: {page:?}"
    );
    assert!(start.elapsed() < super::Budget::default().total + std::time::Duration::from_secs(2));
}

#[test]
fn languages_are_told_by_script() {
    use super::languages_of;
    assert_eq!(languages_of(ENGLISH), ["en"]);
    assert_eq!(languages_of(RUSSIAN), ["ru"]);
    assert_eq!(languages_of(KAZAKH), ["kk"]);
    assert_eq!(languages_of(&format!("{ENGLISH}\n{KAZAKH}")), ["en", "kk"]);
    assert!(languages_of("p. 3").is_empty(), "crumbs are no language");
}

#[test]
fn budgets_follow_the_cpu_limit() {
    let b = super::Budget::for_cpu_limit(62);
    assert_eq!(b.total, std::time::Duration::from_secs(45));
    assert_eq!(b.per_page, std::time::Duration::from_secs(20));
    let small = super::Budget::for_cpu_limit(6);
    assert_eq!(small.total, std::time::Duration::from_secs(3));
    assert_eq!(small.per_page, small.total);
}

#[test]
fn a_badly_damaged_zone_is_read_right_or_marked_unverified_never_read_wrong() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut effects = SCANNED.to_vec();
    effects.extend_from_slice(&["-quality", "70"]);
    let record = inspect(&passport_page(dir.path(), "passport.jpg", &effects));
    let page = &record.ocr.as_ref().expect("read").pages[0];
    assert!(page.zone.is_some(), "the zone's lines were found");
    if let Some(mrz) = record.mrz.as_ref().filter(|m| m.valid) {
        assert_eq!(mrz.document_number, "L898902C3");
        assert_eq!(mrz.expiry_date, Some(day(2012, 4, 15)));
        assert_eq!(mrz.birth_date, Some(day(1974, 8, 12)));
    }
}
