//! Generates a realistic dossier for `benches/inspect.sh`: 15 documents of
//! the AI pilot attached, as an applicant would have them: text PDFs of one
//! to thirty pages with compressed content streams (CV, letters,
//! certificates, a portfolio), image-only "scanned" PDFs, and JPEG photos
//! and scans of a few hundred KiB to 2 MiB.
//!
//! Usage: bench_inspect DATA_DIR [REQUIREMENT=FILE ...]  (prints the dossier id)
//!
//! A `REQUIREMENT=FILE` replaces that requirement's generated file with a
//! real one: `benches/ocr.sh` attaches rendered scans (a passport data page,
//! text pages as JPEG and as an image-only PDF), so the cold check reads
//! them with OCR, where the generated "scans" above are noise that no
//! decoder accepts.

use std::io::Write;
use std::path::PathBuf;

use chrono::Utc;
use qujat_core::Workspace;

/// Lines of plausible CV-like text, in English and Russian transliteration.
const WORDS: &[&str] = &[
    "machine",
    "learning",
    "engineer",
    "Almaty",
    "project",
    "model",
    "data",
    "pipeline",
    "Rust",
    "Python",
    "research",
    "team",
    "results",
    "2021",
    "production",
    "neural",
    "network",
    "deployment",
    "university",
    "certificate",
    "experience",
    "responsible",
    "analysis",
    "system",
    "design",
    "AI",
    "Kazakhstan",
    "issued",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn text_page(rng: &mut Rng, page: usize) -> String {
    let mut content = String::new();
    for line in 0..48 {
        let words: Vec<&str> = (0..11)
            .map(|_| WORDS[(rng.next() % WORDS.len() as u64) as usize])
            .collect();
        let text = if line == 0 {
            format!("Ada Lovelace - page {page} - 14.03.2025")
        } else {
            words.join(" ")
        };
        content.push_str(&format!(
            "BT /F1 10 Tf 50 {} Td ({text}) Tj ET\n",
            800 - 15 * line
        ));
    }
    content
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("in memory");
    e.finish().expect("in memory")
}

fn stream(data: &[u8], dict: &str) -> Vec<u8> {
    let mut out = format!("<< /Length {} {dict} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

fn assemble(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A text PDF of `pages` pages, Flate-compressed content.
fn text_pdf(rng: &mut Rng, pages: usize) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            (0..pages)
                .map(|i| format!("{} 0 R", 4 + 2 * i))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    for i in 0..pages {
        objects.push(
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>", 5 + 2 * i)
                .into_bytes(),
        );
        objects.push(stream(
            &deflate(text_page(rng, i + 1).as_bytes()),
            "/Filter /FlateDecode",
        ));
    }
    assemble(&objects)
}

/// Incompressible bytes standing in for JPEG scan data.
fn noise(rng: &mut Rng, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        out.extend_from_slice(&rng.next().to_le_bytes());
    }
    out.truncate(len);
    // No marker inside the "entropy-coded" data.
    for b in &mut out {
        if *b == 0xFF {
            *b = 0xFE;
        }
    }
    out
}

fn jpeg(rng: &mut Rng, width: u16, height: u16, len: usize) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    out.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    out.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
    out.extend_from_slice(&height.to_be_bytes());
    out.extend_from_slice(&width.to_be_bytes());
    out.extend_from_slice(&[0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
    out.extend_from_slice(&[
        0xFF, 0xDA, 0x00, 0x0C, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3F, 0x00,
    ]);
    out.extend(noise(rng, len));
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// A "scanned" PDF: each page one embedded JPEG image, no text layer.
fn scanned_pdf(rng: &mut Rng, pages: usize, image_len: usize) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            (0..pages)
                .map(|i| format!("{} 0 R", 3 + 3 * i))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .into_bytes(),
    ];
    for i in 0..pages {
        let first = 3 + 3 * i;
        objects.push(
            format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 {} 0 R >> >> /Contents {} 0 R >>", first + 1, first + 2)
                .into_bytes(),
        );
        objects.push(stream(
            &jpeg(rng, 2480, 3508, image_len),
            "/Type /XObject /Subtype /Image /Width 2480 /Height 3508 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode",
        ));
        objects.push(stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q", ""));
    }
    assemble(&objects)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let data_dir = PathBuf::from(
        args.next()
            .ok_or("usage: bench_inspect DATA_DIR [REQUIREMENT=FILE ...]")?,
    );
    let mut real: Vec<(String, PathBuf)> = Vec::new();
    for arg in args {
        let (requirement, file) = arg
            .split_once('=')
            .ok_or_else(|| format!("{arg}: expected REQUIREMENT=FILE"))?;
        real.push((requirement.to_owned(), PathBuf::from(file)));
    }
    let mut ws = Workspace::open(&data_dir)?;
    let dossier = ws
        .create_dossier("kz-ai-pilot", "Ada Lovelace", Utc::now())?
        .id;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("passport-copy", jpeg(&mut rng, 2480, 1748, 1_400_000)),
        ("biography", text_pdf(&mut rng, 2)),
        ("graduation-certificate", scanned_pdf(&mut rng, 2, 900_000)),
        ("portfolio", text_pdf(&mut rng, 30)),
        ("cv", text_pdf(&mut rng, 3)),
        ("training-certificate", text_pdf(&mut rng, 1)),
        ("photo", jpeg(&mut rng, 413, 531, 180_000)),
        ("motivation-letter", text_pdf(&mut rng, 1)),
        ("police-clearance", scanned_pdf(&mut rng, 1, 1_200_000)),
        ("ministry-notice", text_pdf(&mut rng, 2)),
        ("attested-passport-copy", scanned_pdf(&mut rng, 4, 700_000)),
        ("application-form", text_pdf(&mut rng, 4)),
        ("state-duty-receipt", text_pdf(&mut rng, 1)),
        ("medical-certificate", jpeg(&mut rng, 2480, 3508, 2_000_000)),
        ("rental-agreement", text_pdf(&mut rng, 6)),
    ];
    if let Some((unknown, _)) = real
        .iter()
        .find(|(r, _)| !files.iter().any(|(name, _)| name == r))
    {
        return Err(format!("{unknown} is not one of the generated requirements").into());
    }
    let scratch = data_dir.join("bench-source.tmp");
    for (requirement, bytes) in files {
        if let Some((_, file)) = real.iter().find(|(r, _)| r == requirement) {
            ws.attach(&dossier, requirement, file, Utc::now())?;
            continue;
        }
        std::fs::write(&scratch, &bytes)?;
        ws.attach(&dossier, requirement, &scratch, Utc::now())?;
    }
    std::fs::remove_file(&scratch)?;
    println!("{dossier}");
    Ok(())
}
