//! `qujat checklist --pdf`: the printable checklist, read back with the
//! PDF tools a user has (poppler's `pdftotext`, `qpdf`). Those tools are
//! required: `scripts/setup-debian.sh` installs them, and a missing one
//! fails the test rather than skipping it, so CI cannot pass unchecked.

use std::path::Path;

use assert_cmd::Command;
use qujat_core::i18n::Lang;
use qujat_core::rules::builtin_packs;

mod support;

fn qujat(data: &Path) -> Command {
    support::qujat_at(data)
}

/// Runs a PDF tool, failing with how to install it when it is missing.
fn tool(name: &str, args: &[&str], pdf: &Path) -> std::process::Output {
    let pdf = pdf.to_str().expect("UTF-8 temp path");
    support::tool_output(name, &[args, &[pdf]].concat())
}

/// The PDF's text with every run of whitespace as one space, so a name
/// wrapped over two lines still matches.
fn text_of(pdf: &Path) -> String {
    let out = tool("pdftotext", &["-enc", "UTF-8"], pdf);
    assert!(out.status.success(), "pdftotext reads {}", pdf.display());
    // Given no output name, pdftotext writes FILE.txt next to the PDF.
    let txt = pdf.with_extension("txt");
    let text = std::fs::read_to_string(&txt).expect("pdftotext wrote the text");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_checklist_pdf_lists_every_requirement_of_every_stage_in_each_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    for pack in builtin_packs().expect("packs") {
        for lang in Lang::ALL {
            let pdf = dir.path().join(format!("{}-{}.pdf", pack.id, lang.code()));
            qujat(&data)
                .args([
                    "checklist",
                    "--program",
                    &pack.id,
                    "--lang",
                    lang.code(),
                    "--pdf",
                ])
                .arg(&pdf)
                .assert()
                .success();
            let check = tool("qpdf", &["--check"], &pdf);
            assert!(
                check.status.success(),
                "qpdf finds {} broken: {}",
                pdf.display(),
                String::from_utf8_lossy(&check.stdout)
            );
            let text = text_of(&pdf);
            assert!(
                text.contains(&squash(pack.name.get(lang))),
                "{}: the title is the program's name",
                pdf.display()
            );
            for stage in &pack.stages {
                assert!(
                    text.contains(&squash(stage.name.get(lang))),
                    "{}: stage {} is missing",
                    pdf.display(),
                    stage.id
                );
                for id in &stage.requirements {
                    let r = pack.requirement(id).expect("requirement");
                    assert!(
                        text.contains(&squash(r.name.get(lang))),
                        "{}: requirement {id} of {} is not in the printed text",
                        pdf.display(),
                        stage.id
                    );
                }
            }
            // Sources are listed by their title in the language (numbered,
            // no internal ids), with their standing; open questions too.
            for source in &pack.sources {
                assert!(
                    text.contains(&squash(source.title.get(lang))),
                    "{}: source {} is listed by its title",
                    pdf.display(),
                    source.id
                );
                assert!(
                    !text.contains(&source.id),
                    "{}: the id {} is printed",
                    pdf.display(),
                    source.id
                );
            }
            for unknown in &pack.unknowns {
                assert!(
                    text.contains(&squash(unknown.question.get(lang))),
                    "{}: open question {} is listed",
                    pdf.display(),
                    unknown.id
                );
            }
        }
    }
}

#[test]
fn the_kazakh_checklist_reads_back_as_kazakh_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = dir.path().join("тізім.pdf");
    qujat(&dir.path().join("data"))
        .args([
            "checklist",
            "--program",
            "kz-ai-pilot",
            "--lang",
            "kk",
            "--pdf",
        ])
        .arg(&pdf)
        .assert()
        .success()
        .stdout(predicates::str::contains("бет"));
    let text = text_of(&pdf);
    for phrase in [
        "ТЕКСЕРУ ПАРАҒЫ",
        "Төлқұжат көшірмесі",
        "міндетті",
        "Ашық сұрақтар",
    ] {
        assert!(
            text.contains(phrase),
            "the embedded font's ToUnicode map gives back {phrase}: {text:.300}"
        );
    }
    assert!(
        text.contains("беттің 1-беті"),
        "the footer numbers pages in Kazakh"
    );
}

#[test]
fn an_existing_file_is_refused_with_exit_2_unless_forced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let pdf = dir.path().join("checklist.pdf");
    std::fs::write(&pdf, b"my own file").expect("write");
    qujat(&data)
        .args(["checklist", "--program", "kz-ai-pilot", "--pdf"])
        .arg(&pdf)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("already exists"));
    assert_eq!(
        std::fs::read(&pdf).expect("read"),
        b"my own file",
        "a refused write leaves the file as it was"
    );
    qujat(&data)
        .args(["checklist", "--program", "kz-ai-pilot", "--force", "--pdf"])
        .arg(&pdf)
        .assert()
        .success();
    assert!(
        std::fs::read(&pdf).expect("read").starts_with(b"%PDF-"),
        "--force replaces it"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");
}

#[test]
fn an_unknown_program_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pdf = dir.path().join("x.pdf");
    qujat(&dir.path().join("data"))
        .args(["checklist", "--program", "nope", "--pdf"])
        .arg(&pdf)
        .assert()
        .code(2);
    assert!(!pdf.exists());
}
