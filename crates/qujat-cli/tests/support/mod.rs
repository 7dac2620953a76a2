//! Files the inspection tests make at test time: small valid PDFs written
//! by hand (byte offsets computed), hostile ones built from them, a JPEG
//! header with a size, and the `qujat` command on a temporary data folder.
#![allow(dead_code)] // each test file uses its own part of the support

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The real `qujat` binary on the data folder `data`, as every CLI test
/// runs it: no variable of the developer's shell leaks in (data folder,
/// inspection log, rule-pack key and address, backup passphrase), messages
/// in English, and a passphrase-protected data key, so the tests never
/// touch the developer's keychain (keychain.rs tests the real one).
pub fn qujat_process(data: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("qujat"));
    cmd.arg("--data-dir").arg(data);
    for leaked in [
        "QUJAT_DATA_DIR",
        "QUJAT_INSPECT_LOG",
        "QUJAT_BACKUP_PASSPHRASE",
        "QUJAT_NEW_PASSPHRASE",
        "QUJAT_RULES_TRUSTED_KEY",
        "QUJAT_RULES_URL",
    ] {
        cmd.env_remove(leaked);
    }
    cmd.env("LANG", "C")
        .env("QUJAT_PASSPHRASE", "test passphrase");
    cmd
}

/// [`qujat_process`] with assert_cmd's assertions.
pub fn qujat_at(data: &Path) -> Command {
    Command::from_std(qujat_process(data))
}

/// The arguments that start a dossier on the AI pilot (closed since 2026,
/// hence the confirmation) for `name`.
pub fn new_dossier_args(name: &str) -> [&str; 6] {
    [
        "new",
        "--closed-program-ok",
        "--program",
        "kz-ai-pilot",
        "--name",
        name,
    ]
}

/// Starts a dossier for `name` with `cmd` (a `qujat` on some data folder)
/// and returns its id.
pub fn new_dossier_with(mut cmd: Command, name: &str) -> String {
    succeed(cmd.args(new_dossier_args(name))).trim().to_owned()
}

/// Runs `cmd`, failing the test with its error output unless it succeeds;
/// its standard output.
pub fn succeed(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run qujat");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn qujat(&self) -> Command {
        qujat_at(&self.data_dir())
    }

    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        fs::write(&path, bytes).expect("write fixture");
        path
    }

    pub fn new_dossier(&self, name: &str) -> String {
        new_dossier_with(self.qujat(), name)
    }

    /// `qujat ARGS`, which must succeed; its standard output.
    pub fn stdout(&self, args: &[&str]) -> String {
        succeed(self.qujat().args(args))
    }

    pub fn attach(&self, dossier: &str, requirement: &str, file: &Path) {
        let out = self
            .qujat()
            .args(["add", dossier, requirement])
            .arg(file)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "add failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A PDF with one page per text, in Helvetica, valid byte offsets.
pub fn pdf(pages: &[&str]) -> Vec<u8> {
    let n = pages.len();
    // Objects: 1 catalog, 2 pages, 3 font, then per page: page, content.
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {n} >>",
            (0..n)
                .map(|i| format!("{} 0 R", 4 + 2 * i))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    for (i, text) in pages.iter().enumerate() {
        let content = text
            .lines()
            .enumerate()
            .map(|(l, line)| {
                format!(
                    "BT /F1 11 Tf 56 {} Td ({}) Tj ET\n",
                    780 - 14 * l,
                    escape(line)
                )
            })
            .collect::<String>();
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            )
            .into_bytes(),
        );
        objects.push(stream(content.as_bytes(), ""));
    }
    assemble(&objects)
}

/// A stream object's bytes with an optional extra dictionary entry.
pub fn stream(data: &[u8], extra: &str) -> Vec<u8> {
    let mut out = format!("<< /Length {} {extra} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

/// Numbers the objects from 1 and writes header, objects, xref and trailer.
pub fn assemble(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).expect("write");
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").expect("write");
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .expect("write");
    out
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('(', "\\(")
        .replace(')', "\\)")
}

/// A JPEG with a JFIF header and a baseline frame of `width` × `height`
/// (no image data: enough for a header reader, as a renamed photo would be).
pub fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    out.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    out.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
    out.extend_from_slice(&height.to_be_bytes());
    out.extend_from_slice(&width.to_be_bytes());
    out.extend_from_slice(&[0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// A small deterministic generator, so every run makes the same corpus.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// `qpdf --encrypt USER OWNER 256` on `input`: a PDF that needs a password.
/// Panics with a clear message when qpdf is missing: the encrypted case must
/// be tested, not silently skipped (scripts/setup-debian.sh installs it).
pub fn encrypt_with_qpdf(input: &Path, output: &Path) {
    let status = std::process::Command::new("qpdf")
        .args(["--encrypt", "user-pw", "owner-pw", "256", "--"])
        .arg(input)
        .arg(output)
        .status()
        .unwrap_or_else(|e| {
            panic!("qpdf is needed to make an encrypted PDF ({e}); install it (apt-get install qpdf, or scripts/setup-debian.sh)")
        });
    assert!(status.success(), "qpdf --encrypt failed: {status}");
}

/// `check --json` of a dossier, whatever the exit code (3 when incomplete).
pub fn check_json(env: &Env, dossier: &str) -> serde_json::Value {
    let out = env
        .qujat()
        .args(["check", dossier, "--json"])
        .output()
        .expect("run");
    serde_json::from_slice(&out.stdout).expect("check --json prints JSON")
}

/// The requirement `id` in a `check --json` report.
pub fn requirement<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .flat_map(|s| s["requirements"].as_array().expect("requirements"))
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no requirement {id} in the report"))
}

/// The finding codes of one requirement in a `check --json` report.
pub fn codes(requirement: &serde_json::Value) -> Vec<String> {
    requirement["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// A tool we did not write (poppler, qpdf, ImageMagick, Tesseract), run to
/// make or read back a file; a missing tool says how to install it.
pub fn tool_output(program: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed (scripts/setup-debian.sh): {e}"))
}
