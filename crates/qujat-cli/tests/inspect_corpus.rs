//! Hostile and broken files, generated here, each inspected through the real
//! `qujat inspect` (which runs the inspector child with its limits):
//! truncated, byte-flipped, zero-length, random, encrypted, a JPEG named
//! .pdf, a thousand pages, deeply nested arrays and a decompression bomb.
//! Every file must get a verdict within the limit (plus start-up margin),
//! the parent must exit normally (0 inspected, 1 not), and no panic text may
//! reach the user.

mod support;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{assemble, encrypt_with_qpdf, jpeg, pdf, stream, Env, Rng};

const TIME_LIMIT_SECS: u64 = 10;
/// Spawning, the JSON round trip and a loaded CI machine.
const MARGIN: Duration = Duration::from_secs(5);

struct Case {
    name: String,
    path: PathBuf,
    memory_mib: u64,
}

fn cv_pages() -> Vec<String> {
    (1..=3)
        .map(|p| {
            format!(
                "Ada Lovelace - Curriculum vitae, page {p}\nMachine learning engineer since 01.09.2019\nIssued 14 March 2025 in Almaty\nSkills: AI, Rust, statistics"
            )
        })
        .collect()
}

fn corpus(env: &Env) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut add = |name: String, bytes: &[u8], memory_mib: u64| {
        let path = env.file(&format!("{name}.pdf"), bytes);
        cases.push(Case {
            name,
            path,
            memory_mib,
        });
    };
    let pages = cv_pages();
    let valid = pdf(&pages.iter().map(String::as_str).collect::<Vec<_>>());
    add("valid".into(), &valid, 1024);
    add("zero-length".into(), b"", 1024);
    add("jpeg-as-pdf".into(), &jpeg(1200, 900), 1024);

    for cut in [10, 50, 200, valid.len() / 2, valid.len() - 30] {
        add(format!("truncated-at-{cut}"), &valid[..cut], 1024);
    }
    let mut rng = Rng(0x5EED);
    for seed in 0..40 {
        let mut bytes = valid.clone();
        for _ in 0..=rng.below(8) {
            let at = rng.below(bytes.len());
            bytes[at] = (rng.next() & 0xFF) as u8;
        }
        add(format!("flipped-{seed}"), &bytes, 1024);
    }
    for seed in 0..6 {
        let mut bytes: Vec<u8> = (0..4096).map(|_| (rng.next() & 0xFF) as u8).collect();
        if seed % 2 == 0 {
            // Random bytes that claim to be a PDF reach the parser.
            bytes[..9].copy_from_slice(b"%PDF-1.7\n");
        }
        add(format!("random-{seed}"), &bytes, 1024);
    }

    let thousand: Vec<String> = (1..=1000)
        .map(|p| format!("Page {p} of the annex"))
        .collect();
    add(
        "thousand-pages".into(),
        &pdf(&thousand.iter().map(String::as_str).collect::<Vec<_>>()),
        1024,
    );

    // 100,000 nested arrays in the catalog: recursive parsers overflow.
    let depth = 100_000;
    let mut deep = b"<< /Type /Catalog /Pages 2 0 R /Deep ".to_vec();
    deep.extend(std::iter::repeat_n(b'[', depth));
    deep.extend(std::iter::repeat_n(b']', depth));
    deep.extend_from_slice(b" >>");
    let page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec();
    add(
        "deeply-nested".into(),
        &assemble(&[
            deep,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            page.clone(),
            stream(b"BT ET", ""),
        ]),
        1024,
    );

    // 768 MiB of zeros in a ~750 KiB FlateDecode content stream, against
    // a 256 MiB memory limit.
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..768 {
        encoder.write_all(&zeros).expect("compress");
    }
    let bomb = encoder.finish().expect("compress");
    add(
        "flate-bomb".into(),
        &assemble(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            page,
            stream(&bomb, "/Filter /FlateDecode"),
        ]),
        256,
    );

    let plain = env.file("to-encrypt.pdf", &valid);
    let locked = env.dir.path().join("encrypted.pdf");
    encrypt_with_qpdf(&plain, &locked);
    cases.push(Case {
        name: "encrypted".into(),
        path: locked,
        memory_mib: 1024,
    });
    cases
}

#[test]
fn every_hostile_file_gets_a_verdict_within_the_limit_and_no_panic_reaches_the_user() {
    let env = Env::new();
    let cases = corpus(&env);
    let mut verdicts: BTreeMap<String, Value> = BTreeMap::new();
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    let mut slowest = (Duration::ZERO, String::new());
    for case in &cases {
        let start = Instant::now();
        let out = env
            .qujat()
            .args(["inspect", "--json", "--time-limit"])
            .arg(TIME_LIMIT_SECS.to_string())
            .arg("--memory-limit")
            .arg(case.memory_mib.to_string())
            .arg(&case.path)
            .output()
            .expect("run qujat inspect");
        let took = start.elapsed();
        if took > slowest.0 {
            slowest = (took, case.name.clone());
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}: the parent must end normally with 0 or 1, not {:?}; stderr: {stderr}",
            case.name,
            out.status
        );
        assert!(
            took < Duration::from_secs(TIME_LIMIT_SECS) + MARGIN,
            "{}: took {took:?}, over the {TIME_LIMIT_SECS} s limit plus margin",
            case.name
        );
        for text in [&stdout, &stderr] {
            assert!(
                !text.contains("panicked at") && !text.contains("RUST_BACKTRACE"),
                "{}: panic text reached the user: {text}",
                case.name
            );
        }
        let verdict: Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{}: --json prints the verdict ({e}): {stdout}", case.name));
        let code = verdict["verdict"].as_str().unwrap_or("?").to_owned();
        assert_eq!(
            out.status.code() == Some(0),
            code == "inspected",
            "{}: exit 0 exactly when inspected ({code})",
            case.name
        );
        *tally.entry(code).or_default() += 1;
        verdicts.insert(case.name.clone(), verdict);
    }
    eprintln!(
        "{} files, verdicts {tally:?}, slowest {} in {:?}",
        cases.len(),
        slowest.1,
        slowest.0
    );

    let v = |name: &str| &verdicts[name];
    assert_eq!(v("valid")["verdict"], "inspected");
    assert_eq!(v("valid")["pdf"]["pages"], 3);
    assert_eq!(v("valid")["pdf"]["textLayer"], true);
    assert_eq!(v("zero-length")["verdict"], "unreadable");
    assert_eq!(
        (
            v("jpeg-as-pdf")["verdict"].as_str(),
            v("jpeg-as-pdf")["kind"].as_str()
        ),
        (Some("inspected"), Some("jpeg")),
        "a JPEG named .pdf is a JPEG"
    );
    assert_eq!(v("jpeg-as-pdf")["image"]["width"], 1200);
    for cut in ["truncated-at-10", "truncated-at-50", "truncated-at-200"] {
        assert_eq!(v(cut)["verdict"], "unreadable", "{cut}: {}", v(cut));
    }
    assert_eq!(
        v("thousand-pages")["pdf"]["pages"],
        1000,
        "a thousand pages are counted within the limit: {}",
        v("thousand-pages")["verdict"]
    );
    assert_eq!(v("encrypted")["verdict"], "inspected");
    assert_eq!(
        v("encrypted")["pdf"]["needsPassword"],
        true,
        "qpdf's user password locks it: {}",
        v("encrypted")
    );
    assert_ne!(
        v("flate-bomb")["verdict"],
        "inspected",
        "768 MiB of content cannot be read in 256 MiB"
    );
}
