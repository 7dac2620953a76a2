//! `qujat inspect` over scans, through the real binary: the inspector child
//! reads them with Tesseract, and `--json` carries `ocr` and `mrz`. The
//! scans are rendered here by ImageMagick (DejaVu Sans, OCR-B) with known
//! text, and wrapped in PDFs by img2pdf (scripts/setup-debian.sh installs
//! both); a missing tool fails the test.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::Env;

const SANS: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const OCR_B: &str = "/usr/share/fonts/opentype/ocr-b/OCRB.otf";

fn run(program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed (scripts/setup-debian.sh): {e}"));
    assert!(
        out.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn page(dir: &Path, name: &str, text: &str, effects: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let caption = format!("caption:{text}");
    let target = out.to_string_lossy().into_owned();
    let mut args = vec![
        "-density",
        "300",
        "-units",
        "PixelsPerInch",
        "-size",
        "2200x",
        "-background",
        "white",
        "-fill",
        "black",
        "-font",
        SANS,
        "-pointsize",
        "13",
        &caption,
        "-bordercolor",
        "white",
        "-border",
        "150",
    ];
    args.extend_from_slice(effects);
    args.push(&target);
    run("convert", &args);
    out
}

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
    let jpeg = page(
        dir.path(),
        "p.jpg",
        text,
        &["-rotate", "90", "-quality", "70"],
    );
    let pdf = dir.path().join("scan.pdf");
    run(
        "img2pdf",
        &[&jpeg.to_string_lossy(), "-o", &pdf.to_string_lossy()],
    );

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

#[test]
fn a_passport_scan_gives_its_zone_and_a_heic_says_it_cannot_be_read() {
    let env = Env::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let passport = dir.path().join("passport.jpg");
    run(
        "convert",
        &[
            "-density",
            "300",
            "-size",
            "1476x1039",
            "xc:white",
            "-font",
            SANS,
            "-pointsize",
            "9",
            "-annotate",
            "+60+90",
            "PASSPORT  UTOPIA",
            "-font",
            OCR_B,
            "-pointsize",
            "12",
            "-annotate",
            "+50+900",
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "-annotate",
            "+50+980",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
            "-attenuate",
            "0.3",
            "+noise",
            "Gaussian",
            "-quality",
            "80",
            &passport.to_string_lossy(),
        ],
    );
    let record = inspect_json(&env, &passport);
    let zone = record["ocr"]["pages"][0]["zone"]
        .as_str()
        .expect("zone read");
    assert!(zone.contains("L898902C3"), "{zone}");
    // `mrz` is whatever the parser makes of the zone: present exactly when
    // it recognised one, with the layout it found.
    match qujat_core::mrz::read(zone) {
        Some(mrz) => assert_eq!(record["mrz"], serde_json::to_value(&mrz).expect("json")),
        None => assert!(record.get("mrz").is_none(), "{record}"),
    }

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
