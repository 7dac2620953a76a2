//! `qujat demo`: the embassy demo dossier, checked through `check --json`
//! and the sample files read back with `pdftotext` and `qpdf`. The PDF
//! tools are required (scripts/setup-debian.sh installs them): a missing
//! one fails the test instead of skipping it.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;
use sha2::Digest;

mod support;

use support::Env;

/// `check --json`, which exits 3 for the (always incomplete) demo.
fn check(env: &Env, id: &str) -> Value {
    let out = env
        .qujat()
        .args(["check", id, "--json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "the demo dossier is incomplete");
    serde_json::from_slice(&out.stdout).expect("check --json")
}

fn dossiers(env: &Env) -> Vec<Value> {
    let list: Value = serde_json::from_str(&env.stdout(&["list", "--json"])).expect("list --json");
    list.as_array().expect("an array").clone()
}

fn tool(name: &str, args: &[&str], file: &Path) -> std::process::Output {
    let file = file.to_str().expect("UTF-8 temp path");
    support::tool_output(name, &[args, &[file]].concat())
}

#[test]
fn demo_prints_its_id_and_a_mix_of_ok_warning_problem_and_missing() {
    let env = Env::new();
    let out = env.stdout(&["demo"]);
    let mut lines = out.lines();
    let id = lines
        .next()
        .expect("the id on the first line")
        .trim()
        .to_owned();
    assert_eq!(id.len(), 8, "a dossier id: {out}");
    let summary = lines.next().expect("a summary line");
    assert!(
        summary.starts_with(&format!("Demo dossier {id}:")),
        "{summary}"
    );

    let report = check(&env, &id);
    assert_eq!(
        report["dossier"]["isDemo"], true,
        "the dossier is marked as a demo"
    );
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut warned = 0;
    for r in report["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .flat_map(|s| s["requirements"].as_array().expect("requirements"))
    {
        *counts
            .entry(r["status"].as_str().expect("status").to_owned())
            .or_default() += 1;
        if r["findings"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["severity"] == "warning"))
        {
            warned += 1;
        }
    }
    for status in ["ok", "problem", "missing"] {
        assert!(
            counts.get(status).copied().unwrap_or(0) > 0,
            "the demo shows at least one {status} item: {counts:?}"
        );
    }
    assert!(warned > 0, "and at least one warning worth reading");
}

#[test]
fn every_sample_pdf_is_valid_and_watermarked_sample_in_three_languages() {
    let env = Env::new();
    let id = env.stdout(&["demo", "--json"]);
    let summary: Value = serde_json::from_str(&id).expect("demo --json");
    let id = summary["dossier"]["id"].as_str().expect("id").to_owned();
    let report = check(&env, &id);
    let mut pdfs = 0;
    for r in report["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .flat_map(|s| s["requirements"].as_array().expect("requirements"))
    {
        let Some(doc) = r.get("document") else {
            continue;
        };
        if doc["kind"] != "pdf" {
            continue;
        }
        let sha = doc["sha256"].as_str().expect("sha256");
        // Vault objects are encrypted: the tools read a decrypted copy.
        let ws = qujat_core::Workspace::open(
            qujat_core::OpenOptions::new(env.data_dir())
                .unlock(qujat_core::keys::Unlock::with_passphrase("test passphrase")),
        )
        .expect("open");
        let path = env.data_dir().join(format!("{sha}.pdf"));
        let requirement = r["id"].as_str().expect("requirement id");
        let (_, bytes) = ws
            .document_content(&id, requirement, u64::MAX)
            .expect("decrypt");
        assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), sha);
        std::fs::write(&path, bytes).expect("copy");
        let check = tool("qpdf", &["--check"], &path);
        assert!(
            check.status.success(),
            "{}: qpdf finds it broken: {}",
            r["id"],
            String::from_utf8_lossy(&check.stdout)
        );
        let text = tool("pdftotext", &["-enc", "UTF-8"], &path);
        assert!(text.status.success(), "pdftotext reads {}", r["id"]);
        let txt = path.with_extension("txt");
        let text = std::fs::read_to_string(&txt).expect("the extracted text");
        let _ = std::fs::remove_file(&txt);
        assert!(
            text.contains("SAMPLE — ОБРАЗЕЦ — ҮЛГІ"),
            "{} carries the SAMPLE watermark: {text:.200}",
            r["id"]
        );
        pdfs += 1;
    }
    assert!(pdfs >= 8, "the demo has its sample PDFs ({pdfs})");
}

#[test]
fn reset_and_remove_touch_demo_dossiers_only() {
    let env = Env::new();
    let real = env.stdout(&[
        "new",
        "--closed-program-ok",
        "--program",
        "kz-ai-pilot",
        "--name",
        "Aigerim Bekova",
    ]);
    let real = real.trim();
    env.stdout(&["demo"]);
    env.stdout(&["demo"]);
    assert_eq!(dossiers(&env).len(), 3);

    let fresh = env.stdout(&["demo", "--reset"]);
    let fresh = fresh.lines().next().expect("id").trim().to_owned();
    let ids: Vec<String> = dossiers(&env)
        .iter()
        .map(|d| d["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(
        ids.len(),
        2,
        "the two old demos went, one fresh came: {ids:?}"
    );
    assert!(ids.contains(&fresh) && ids.iter().any(|i| i == real));

    let removed = env.stdout(&["demo", "--remove"]);
    assert!(removed.contains("Removed 1 demo"), "{removed}");
    let left = dossiers(&env);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["id"], real, "the real dossier is never removed");
    assert_eq!(left[0]["isDemo"], false);
}
