//! `qujat inspect` over scans, through the real binary: the inspector child
//! reads them with Tesseract, and `--json` carries `ocr` and `mrz`. The
//! scans are rendered here by ImageMagick (DejaVu Sans, OCR-B) with known
//! text, and wrapped in PDFs by img2pdf (scripts/setup-debian.sh installs
//! both); a missing tool fails the test.

mod support;

use std::path::{Path, PathBuf};

use serde_json::Value;
use support::Env;

#[path = "../../../tests/fixtures/scans.rs"]
mod scans;
use scans::{img2pdf, text_page};

fn inspect_json(env: &Env, file: &Path) -> Value {
    let out = env
        .qujat()
        .args(["inspect", "--json"])
        .arg(file)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn a_scanned_pdf_turned_sideways_is_read_in_russian_with_its_dates() {
    let env = Env::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "СПРАВКА С МЕСТА РАБОТЫ\nВыдана: Ада Лавлейс, инженер-программист\n\
                Дата выдачи: 01.09.2025\nТОО «Астана Хаб», город Астана";
    let jpeg = text_page(
        dir.path(),
        "p.jpg",
        text,
        300,
        &["-rotate", "90", "-quality", "70"],
    );
    let pdf = img2pdf(&[&jpeg], &dir.path().join("scan.pdf"));

    let record = inspect_json(&env, &pdf);
    assert_eq!(record["pdf"]["textLayer"], false);
    let ocr = &record["ocr"];
    assert_eq!(ocr["languages"], serde_json::json!(["ru"]));
    let first = &ocr["pages"][0];
    assert_eq!(first["page"], 1);
    assert_eq!(first["rotation"], 270);
    assert!(
        first["confidence"].as_u64().expect("confidence") >= 70,
        "{first}"
    );
    assert!(
        first["text"].as_str().expect("text").contains("Лавлейс"),
        "{first}"
    );
    assert_eq!(record["dates"], serde_json::json!(["2025-09-01"]));
    assert!(record["text"].as_str().expect("text").contains("Астана"));

    // The human output says it was read by OCR, in the chosen language.
    let out = env
        .qujat()
        .args(["--lang", "kk", "inspect"])
        .arg(&pdf)
        .output()
        .expect("run");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("OCR арқылы оқылды: 1 бет"), "{shown}");
}

/// A passport data page scanned at 300 dpi with ICAO 9303's specimen zone
/// (Anna Maria Eriksson, L898902C3, expires 15 April 2012) in OCR-B. The
/// visual zone prints the names, as every passport does.
fn specimen_passport(dir: &Path) -> PathBuf {
    scans::passport_page(
        dir,
        "passport.jpg",
        &[
            "PASSPORT  UTOPIA",
            "Surname: ERIKSSON",
            "Given names: ANNA MARIA",
        ],
        scans::SPECIMEN_ZONE,
        &["-attenuate", "0.3", "+noise", "Gaussian", "-quality", "80"],
    )
}

#[test]
fn a_passport_scan_gives_its_zone_and_a_heic_says_it_cannot_be_read() {
    let env = Env::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let passport = specimen_passport(dir.path());
    let record = inspect_json(&env, &passport);
    let zone = record["ocr"]["pages"][0]["zone"]
        .as_str()
        .expect("zone read");
    assert!(zone.starts_with("P<UTO"), "{zone}");
    // The specimen's fields, every check digit verified (a character OCR
    // doubled in the zone is found by them).
    let mrz = &record["mrz"];
    assert_eq!(mrz["format"], "td3", "{record}");
    assert_eq!(mrz["valid"], true, "{record}");
    assert_eq!(mrz["surname"], "ERIKSSON");
    assert_eq!(mrz["givenNames"], "ANNA MARIA");
    assert_eq!(mrz["documentNumber"], "L898902C3");
    assert_eq!(mrz["birthDate"], "1974-08-12");
    assert_eq!(mrz["expiryDate"], "2012-04-15");

    // A HEIC (its `ftyp` box is all the kind check needs) has no decoder.
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    heic.extend_from_slice(&[0; 64]);
    let file = env.file("photo.heic", &heic);
    let record = inspect_json(&env, &file);
    assert_eq!(record["kind"], "heic");
    assert_eq!(
        record["ocr"]["problem"],
        serde_json::json!({ "code": "no-decoder", "format": "HEIC" })
    );
}

#[test]
fn the_zones_expiry_is_offered_never_entered_and_a_typed_date_that_differs_is_flagged() {
    let env = Env::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let passport = specimen_passport(dir.path());
    let id = env.new_dossier("Anna Maria Eriksson");
    env.attach(&id, "passport-copy", &passport);
    let check = |env: &Env| -> Value {
        let out = env
            .qujat()
            .args(["check", &id, "--json"])
            .output()
            .expect("run");
        let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        report["stages"]
            .as_array()
            .expect("stages")
            .iter()
            .flat_map(|s| s["requirements"].as_array().expect("requirements").clone())
            .find(|r| r["id"] == "passport-copy")
            .expect("passport-copy")
    };
    let passport_copy = check(&env);
    assert_eq!(
        passport_copy["expiryFromMrz"], "2012-04-15",
        "{passport_copy}"
    );
    assert_eq!(
        passport_copy["status"], "needs-date",
        "offered, not entered"
    );
    assert_eq!(passport_copy["dates"], serde_json::json!({}));

    let out = env
        .qujat()
        .args(["dates", &id, "passport-copy"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Valid until 2012-04-15: read from the passport’s machine-readable zone, check digits valid"),
        "{text}"
    );

    env.qujat()
        .args(["dates", &id, "passport-copy", "--expires", "2012-04-16"])
        .output()
        .expect("run");
    let passport_copy = check(&env);
    let differs: Vec<&Value> = passport_copy["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "expiry-differs-from-mrz")
        .collect();
    assert_eq!(
        differs,
        [&serde_json::json!({
            "severity": "warning",
            "code": "expiry-differs-from-mrz",
            "entered": "2012-04-16",
            "mrz": "2012-04-15"
        })],
        "{passport_copy}"
    );
}
