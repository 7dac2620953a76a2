//! `qujat combine` and `qujat fix`, through the real binary, judged by tools
//! Qujat did not write: `qpdf --check` (structure), `pdfinfo` (pages, page
//! sizes, encryption), `pdfimages -list` (how each image is coded) and
//! `pdftoppm` (every page renders, and looks like its source). Inputs are
//! made by ImageMagick and `qpdf --encrypt`. A missing tool fails the test
//! (scripts/setup-debian.sh installs them all).
//!
//! The file made is read back through `qujat pack --folder`, the way a
//! user gets it out.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::Env;

#[path = "../../../tests/fixtures/scans.rs"]
mod scans;
use scans::{arg as path, tool};

/// A photo with a dark block in its top-left corner and a word on it, so a
/// page turned the wrong way shows.
fn photo(dir: &Path, name: &str, size: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let (w, h) = size.split_once('x').expect("WxH");
    let corner = format!(
        "rectangle 0,0 {},{}",
        w.parse::<u32>().expect("width") / 4,
        h.parse::<u32>().expect("height") / 4
    );
    let mut args = vec![
        "-size",
        size,
        "gradient:#f0f0ff-#a0a0c0",
        "-fill",
        "#202020",
        "-draw",
        &corner,
    ];
    args.extend_from_slice(extra);
    args.push(path(&out));
    tool("convert", &args);
    out
}

/// The dossier's files as `pack --folder` writes them.
fn packed(env: &Env, id: &str) -> PathBuf {
    let folder = env.dir.path().join(format!(
        "pack-{}",
        fs::read_dir(env.dir.path()).expect("dir").count()
    ));
    let out = env
        .qujat()
        .args([
            "pack",
            id,
            "--stage",
            "astana-hub",
            "--allow-incomplete",
            "--folder",
            "--out",
        ])
        .arg(&folder)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "pack: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    folder
}

/// The packed file of the passport copy.
fn passport_file(folder: &Path) -> PathBuf {
    let mut found = Vec::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("read").flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().to_lowercase().contains("passport"))
            {
                found.push(p);
            }
        }
    }
    assert_eq!(found.len(), 1, "one passport file in {folder:?}: {found:?}");
    found.remove(0)
}

fn json_of(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "qujat failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// `pdfinfo`'s "Pages:" and whether it says "Encrypted: no".
fn pdfinfo(file: &Path) -> (u32, bool, String) {
    let info = tool("pdfinfo", &["-l", "-1", path(file)]);
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("a page count");
    let plain = info
        .lines()
        .any(|l| l.starts_with("Encrypted:") && l.trim_end().ends_with("no"));
    (pages, plain, info)
}

/// The mean absolute difference (0–255) between two images of the same
/// size, grey, through ImageMagick.
fn difference(a: &Path, b: &Path, size: &str) -> f64 {
    let grey = |p: &Path| -> Vec<u8> {
        let out = Command::new("convert")
            .arg(p)
            .args([
                "-resize",
                &format!("{size}!"),
                "-colorspace",
                "Gray",
                "-depth",
                "8",
                "gray:-",
            ])
            .output()
            .expect("convert");
        assert!(out.status.success());
        out.stdout
    };
    let (a, b) = (grey(a), grey(b));
    assert_eq!(a.len(), b.len());
    let sum: u64 = a
        .iter()
        .zip(&b)
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    sum as f64 / a.len() as f64
}

#[test]
fn photos_and_a_pdf_become_one_pdf_that_other_tools_accept() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    let dir = env.dir.path();
    // A 300 dpi scan, a phone photo stored sideways with EXIF orientation
    // 6 (turn clockwise to show), a PNG with transparency, a PDF of two pages.
    let scan = photo(
        dir,
        "scan.jpg",
        "600x900",
        &["-density", "300", "-units", "PixelsPerInch"],
    );
    let upright = photo(dir, "upright.jpg", "400x300", &[]);
    // Stored turned a quarter counter-clockwise, with the EXIF tag a phone
    // writes to say "turn it clockwise to show" (ImageMagick 6 writes no
    // EXIF block of its own, so the tag is put in here).
    let stored = dir.join("stored.jpg");
    tool(
        "convert",
        &[path(&upright), "-rotate", "-90", path(&stored)],
    );
    let sideways = env.file(
        "sideways.jpg",
        &with_exif_orientation(&fs::read(&stored).expect("stored"), 6),
    );
    let png = photo(
        dir,
        "alpha.png",
        "300x200",
        &["-alpha", "set", "-channel", "A", "-evaluate", "set", "60%"],
    );
    let pdf = env.file("two.pdf", &support::pdf(&["First page", "Second page"]));

    let out = env
        .qujat()
        .args(["combine", &id, "passport-copy"])
        .args([&scan, &sideways, &png, &pdf])
        .arg("--json")
        .output()
        .expect("run");
    let outcome = json_of(&out);
    assert_eq!(outcome["facts"]["pages"], 5);
    assert_eq!(outcome["facts"]["kind"], "pdf");
    assert_eq!(outcome["document"]["originalName"], "scan.pdf");

    let made = passport_file(&packed(&env, &id));
    tool("qpdf", &["--check", path(&made)]);
    let (pages, plain, info) = pdfinfo(&made);
    assert_eq!(pages, 5);
    assert!(plain, "not encrypted: {info}");
    // Page 1: 600 x 900 pixels at 300 dpi is 2 x 3 inches, 144 x 216 pt.
    assert_eq!(page_line(&info, 1, "size"), "144 x 216 pts", "{info}");
    // Page 2: no resolution, so A4, turned to the photo as shown
    // (landscape, though stored portrait).
    assert_eq!(
        page_line(&info, 2, "size"),
        "841.89 x 595.28 pts (A4)",
        "{info}"
    );

    // The JPEGs are embedded as they are: DCT-coded, the same bytes.
    let images = tool("pdfimages", &["-list", path(&made)]);
    let codings: Vec<&str> = images
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().nth(8))
        .collect();
    assert_eq!(codings, ["jpeg", "jpeg", "image"], "{images}");
    let extracted = dir.join("extracted");
    tool("pdfimages", &["-j", path(&made), path(&extracted)]);
    assert_eq!(
        fs::read(dir.join("extracted-000.jpg")).expect("first image"),
        fs::read(&scan).expect("scan"),
        "the scan's own bytes"
    );
    assert_eq!(
        fs::read(dir.join("extracted-001.jpg")).expect("second image"),
        fs::read(&sideways).expect("photo"),
        "the photo's own bytes, not turned by re-encoding"
    );

    // Every page renders, and the pages look like their sources.
    let render = dir.join("page");
    tool(
        "pdftoppm",
        &["-png", "-r", "50", path(&made), path(&render)],
    );
    for page in 1..=5 {
        assert!(
            dir.join(format!("page-{page}.png")).is_file(),
            "page {page} rendered"
        );
    }
    assert!(difference(&dir.join("page-1.png"), &scan, "60x90") < 12.0);
    // The sideways photo stands upright again: like the upright original.
    let shown = dir.join("page-2-photo.png");
    tool(
        "convert",
        &[path(&dir.join("page-2.png")), "-trim", path(&shown)],
    );
    assert!(difference(&shown, &upright, "80x60") < 16.0);
    assert!(
        difference(&shown, &sideways, "80x60") > 30.0,
        "not as stored"
    );
}

#[test]
fn pages_can_be_picked_reordered_and_turned() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    let pdf = env.file("three.pdf", &support::pdf(&["One", "Two", "Three"]));
    let out = env
        .qujat()
        .args(["combine", &id, "passport-copy"])
        .arg(&pdf)
        .args(["--page", "1:3", "--page", "1:1:90", "--json"])
        .output()
        .expect("run");
    assert_eq!(json_of(&out)["facts"]["pages"], 2);
    let made = passport_file(&packed(&env, &id));
    tool("qpdf", &["--check", path(&made)]);
    let text = tool("pdftotext", &["-layout", path(&made), "-"]);
    let three = text.find("Three").expect("page 3 first");
    let one = text.find("One").expect("then page 1");
    assert!(three < one, "{text}");
    let info = tool("pdfinfo", &["-f", "2", "-l", "2", path(&made)]);
    assert_eq!(page_line(&info, 2, "rot"), "90", "{info}");

    // A page that is not there, a damaged file: clear errors, nothing kept.
    let damaged = env.file("damaged.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog");
    env.qujat()
        .args(["combine", &id, "passport-copy"])
        .arg(&pdf)
        .args(["--page", "1:4"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no page 4"));
    env.qujat()
        .args(["combine", &id, "passport-copy"])
        .arg(&pdf)
        .arg(&damaged)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("File 2 cannot be read"));
}

#[test]
fn a_password_pdf_is_unlocked_with_its_password_and_never_without() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    let plain = env.file("plain.pdf", &support::pdf(&["Secret page", "Another"]));
    let locked = env.dir.path().join("locked.pdf");
    support::encrypt_with_qpdf(&plain, &locked);
    env.attach(&id, "passport-copy", &locked);

    let fix = |stdin: Option<&str>| {
        let mut cmd = env.qujat();
        cmd.args(["fix", &id, "passport-copy", "--unlock"]);
        if let Some(password) = stdin {
            cmd.arg("--password-stdin").write_stdin(password);
        }
        cmd.assert()
    };
    fix(None)
        .code(2)
        .stderr(predicates::str::contains("needs its password"));
    fix(Some("not-it\n"))
        .code(2)
        .stderr(predicates::str::contains("does not open"));
    fix(Some("user-pw\n"))
        .success()
        .stdout(predicates::str::contains("locked.pdf"));

    let made = passport_file(&packed(&env, &id));
    tool("qpdf", &["--check", path(&made)]);
    let (pages, plain_now, info) = pdfinfo(&made);
    assert_eq!(pages, 2);
    assert!(plain_now, "{info}");
    let text = tool("pdftotext", &[path(&made), "-"]);
    assert!(text.contains("Secret page"), "the same content: {text}");
    // The password went through a pipe: nothing of it is in the data folder.
    for entry in walk(&env.data_dir()) {
        let bytes = fs::read(&entry).unwrap_or_default();
        assert!(
            memchr_find(&bytes, b"user-pw").is_none(),
            "the password is in {entry:?}"
        );
    }
}

#[test]
fn a_pdf_with_restrictions_only_is_saved_without_them() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    let plain = env.file("plain.pdf", &support::pdf(&["Restricted"]));
    let restricted = env.dir.path().join("restricted.pdf");
    tool(
        "qpdf",
        &[
            "--encrypt",
            "",
            "owner-only",
            "256",
            "--print=none",
            "--modify=none",
            "--",
            path(&plain),
            path(&restricted),
        ],
    );
    env.attach(&id, "passport-copy", &restricted);
    let out = env
        .qujat()
        .args(["fix", &id, "passport-copy", "--unlock", "--json"])
        .output()
        .expect("run");
    let outcome = json_of(&out);
    assert_eq!(outcome["replaced"]["originalName"], "restricted.pdf");
    let made = passport_file(&packed(&env, &id));
    tool("qpdf", &["--check", path(&made)]);
    assert!(pdfinfo(&made).1, "no longer encrypted");
    // Unlocking what is not locked says so.
    env.qujat()
        .args(["fix", &id, "passport-copy", "--unlock"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not encrypted"));
}

#[test]
fn a_file_over_the_limit_is_kept_said_too_large_and_made_to_fit() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    let dir = env.dir.path();
    // Three A4 pages of 300 dpi noise (what JPEG squeezes least): far over
    // the 10 MB limit, more than re-encoding alone can shed; resampled
    // (never below 200 dpi) they fit.
    let scan = dir.join("scan.jpg");
    tool(
        "convert",
        &[
            "-size",
            "2480x3508",
            "xc:white",
            "+noise",
            "Random",
            "-blur",
            "0x0.6",
            "-quality",
            "95",
            "-density",
            "300",
            "-units",
            "PixelsPerInch",
            path(&scan),
        ],
    );
    let big = dir.join("big.pdf");
    let out = env
        .qujat()
        .args(["combine", &id, "passport-copy"])
        .args([&scan, &scan, &scan])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = passport_file(&packed(&env, &id));
    fs::copy(&before, &big).expect("copy");
    let size = fs::metadata(&big).expect("size").len();
    assert!(size > 10 << 20, "the test scan is over the limit: {size}");

    // Attached on its own, it is kept, with the finding and its sizes.
    env.attach(&id, "cv", &big);
    // Exit 3: the dossier is incomplete, as it is.
    let out = env
        .qujat()
        .args(["check", &id, "--json"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let cv = report["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .flat_map(|s| s["requirements"].as_array().expect("requirements"))
        .find(|r| r["id"] == "cv")
        .expect("cv");
    assert_eq!(cv["status"], "problem");
    assert!(
        cv["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["code"] == "over-size-limit" && f["size"] == size),
        "{cv}"
    );
    env.qujat()
        .args(["check", &id])
        .assert()
        .stdout(predicates::str::contains(
            "this requirement accepts at most 10 MB",
        ));

    // Made smaller: under the limit, every page still there, not below
    // 200 dpi (A4 at 200 dpi is 1654 x 2339).
    let out = env
        .qujat()
        .args(["fix", &id, "passport-copy", "--shrink", "--json"])
        .output()
        .expect("run");
    let outcome = json_of(&out);
    assert!(outcome["facts"]["size"].as_u64().expect("size") <= 10 << 20);
    let dpi = outcome["facts"]["dpi"].as_u64().expect("dpi");
    assert!((200..=300).contains(&dpi), "{dpi}");
    let made = passport_file(&packed(&env, &id));
    tool("qpdf", &["--check", path(&made)]);
    assert_eq!(pdfinfo(&made).0, 3);
    let images = tool("pdfimages", &["-list", path(&made)]);
    for line in images.lines().skip(2) {
        let width: u32 = line
            .split_whitespace()
            .nth(3)
            .and_then(|w| w.parse().ok())
            .expect("width");
        assert!(width >= 1654, "{line}");
    }
    tool(
        "pdftoppm",
        &["-png", "-r", "30", path(&made), path(&dir.join("small"))],
    );
    assert!(dir.join("small-3.png").is_file());
}

/// `jpeg` with an EXIF block (APP1) holding only the orientation tag,
/// after its JFIF header.
fn with_exif_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    // Big-endian TIFF: header, one IFD of one entry (0x0112, SHORT, 1).
    let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01".to_vec();
    tiff.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1]);
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let len = u16::try_from(app1.len() + 2).expect("short");
    // SOI, then APP0 (JFIF) as ImageMagick writes it.
    let app0_end = 4 + usize::from(u16::from_be_bytes([jpeg[4], jpeg[5]]));
    let mut out = jpeg[..app0_end].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[app0_end..]);
    out
}

/// What `pdfinfo -l` says of one page: `Page    N KEY:  VALUE`.
fn page_line(info: &str, page: u32, key: &str) -> String {
    info.lines()
        .find_map(|l| {
            let rest = l.strip_prefix("Page")?.trim_start();
            let rest = rest.strip_prefix(&page.to_string())?;
            rest.trim_start().strip_prefix(&format!("{key}:"))
        })
        .map(|v| v.trim().to_owned())
        .unwrap_or_default()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files
}

fn memchr_find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A photo of a real face (the fixture the core's photo tests use, a crop
/// of a public-domain photograph) made by ImageMagick: the head and
/// shoulders (from the top of the hair down: above it the fixture shows
/// other people) enlarged and laid on a plain light background of `size`.
fn portrait(dir: &Path, name: &str, size: &str, resize: &str) -> PathBuf {
    let face =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../qujat-core/tests/fixtures/photo/face.png");
    let out = dir.join(name);
    tool(
        "convert",
        &[
            path(&face),
            "-crop",
            "70x121+17+9",
            "+repage",
            "-resize",
            resize,
            "-background",
            "#ececE8",
            "-gravity",
            "center",
            "-extent",
            size,
            "-quality",
            "95",
            path(&out),
        ],
    );
    out
}

/// The findings `check --json` gives for `requirement`.
fn findings(env: &Env, id: &str, requirement: &str) -> Vec<String> {
    support::codes(support::requirement(
        &support::check_json(env, id),
        requirement,
    ))
}

/// The packed file whose name contains `part`.
fn packed_file(folder: &Path, part: &str) -> PathBuf {
    let found: Vec<PathBuf> = walk(folder)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().to_lowercase().contains(part))
        })
        .collect();
    assert_eq!(found.len(), 1, "one {part} file in {folder:?}: {found:?}");
    found[0].clone()
}

#[test]
fn a_photo_is_checked_cropped_to_35_by_45_and_checked_again() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    let dir = env.dir.path();
    // A landscape phone photo, the head well under half its height.
    let wide = portrait(dir, "me.jpg", "1600x1200", "560%");
    env.attach(&id, "photo", &wide);
    let before = findings(&env, &id, "photo");
    assert!(before.contains(&"photo-shape".to_owned()), "{before:?}");
    assert!(before.contains(&"photo-head-size".to_owned()), "{before:?}");
    assert!(!before.contains(&"photo-no-face".to_owned()), "{before:?}");

    let out = env
        .qujat()
        .args(["fix", &id, "photo", "--crop-photo", "--json"])
        .output()
        .expect("run");
    // Progress on stderr, one line a step; stdout is the JSON alone.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("step 3 of 3"), "{stderr}");
    let outcome = json_of(&out);
    assert_eq!(outcome["facts"]["kind"], "jpeg");
    assert_eq!(outcome["facts"]["dpi"], 300);
    assert_eq!(outcome["document"]["originalName"], "me.jpg");
    assert_eq!(outcome["replaced"]["originalName"], "me.jpg");

    // ImageMagick reads what was made: a 413 x 531 JPEG at 300 dpi.
    let made = packed_file(&packed(&env, &id), "photo");
    let identified = tool(
        "identify",
        &[
            "-units",
            "PixelsPerInch",
            "-format",
            "%m %w %h %x",
            path(&made),
        ],
    );
    assert_eq!(identified.trim(), "JPEG 413 531 300");
    // The same checks again, on the new file: one face, the head in
    // range, the shape and size right, the background untouched (light).
    let after = findings(&env, &id, "photo");
    assert!(!after.iter().any(|c| c.starts_with("photo-")), "{after:?}");
    // The photo facts are part of the cached record: checking again
    // inspects nothing.
    let log = dir.join("inspections.log");
    env.qujat()
        .env("QUJAT_INSPECT_LOG", &log)
        .args(["check", &id])
        .output()
        .expect("run");
    assert_eq!(fs::read_to_string(&log).unwrap_or_default(), "");
    // Never retouched: the corner is the background the photo had, as
    // ImageMagick reads both.
    let corner = |file: &Path| -> i32 {
        tool(
            "convert",
            &[
                path(file),
                "-crop",
                "8x8+0+0",
                "-format",
                "%[fx:int(255*mean)]",
                "info:",
            ],
        )
        .trim()
        .parse()
        .expect("a number")
    };
    let (was, is) = (corner(&wide), corner(&made));
    assert!((was - is).abs() <= 3, "corner {was} became {is}");
}

#[test]
fn a_photo_without_one_face_or_pixels_enough_is_refused_in_every_language() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    let dir = env.dir.path();
    let wall = dir.join("wall.jpg");
    tool("convert", &["-size", "900x900", "xc:#e0e0e0", path(&wall)]);
    env.attach(&id, "photo", &wall);
    assert!(findings(&env, &id, "photo").contains(&"photo-no-face".to_owned()));
    for (lang, says) in [
        ("en", "found 0 faces"),
        ("ru", "нашёл на этом фото лиц: 0"),
        ("kk", "фотодан 0 бет тапты"),
    ] {
        let out = env
            .qujat()
            .args(["fix", &id, "photo", "--crop-photo", "--lang", lang])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{lang}: {stderr}");
    }
    // A small photo: framed around the face, fewer than 413 x 531 pixels.
    let small = portrait(dir, "small.jpg", "500x400", "250%");
    env.attach(&id, "photo", &small);
    let out = env
        .qujat()
        .args(["fix", &id, "photo", "--crop-photo"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Qujat does not enlarge photos"), "{stderr}");
    // A requirement that is not a photo is not cropped.
    env.attach(&id, "cv", &small);
    let out = env
        .qujat()
        .args(["fix", &id, "cv", "--crop-photo"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("passport-style photo"));
}

#[test]
fn a_heic_photo_to_combine_is_refused_with_how_to_export_jpeg() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    // The start of an iPhone HEIC file: its `ftyp` box, brand heic.
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.extend_from_slice(&[0u8; 64]);
    let heic = env.file("IMG_0001.HEIC", &heic);
    let jpeg = photo(env.dir.path(), "page.jpg", "200x300", &[]);
    for (lang, says) in [
        ("en", "Settings → Camera → Formats → Most Compatible"),
        ("ru", "Настройки → Камера → Форматы → Наиболее совместимый"),
        ("kk", "Параметрлер → Камера → Пішімдер → Ең үйлесімді"),
    ] {
        let out = env
            .qujat()
            .args(["combine", &id, "passport-copy"])
            .args([&jpeg, &heic])
            .args(["--lang", lang])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{lang}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{lang}: {stderr}");
        assert!(stderr.contains('2'), "names the second file: {stderr}");
    }
}

#[test]
fn combining_prints_each_page_on_stderr_and_keeps_stdout_json() {
    let env = Env::new();
    let id = env.new_dossier("Ada Lovelace");
    let dir = env.dir.path();
    let a = photo(dir, "a.jpg", "200x300", &[]);
    let b = photo(dir, "b.png", "200x300", &[]);
    let out = env
        .qujat()
        .args(["combine", &id, "passport-copy"])
        .args([&a, &b, &a])
        .arg("--json")
        .output()
        .expect("run");
    let outcome = json_of(&out);
    assert_eq!(outcome["facts"]["pages"], 3);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for step in 1..=3 {
        assert!(
            stderr.contains(&format!("step {step} of 3")),
            "{step}: {stderr}"
        );
    }
    assert!(!String::from_utf8_lossy(&out.stdout).contains("step"));
}
