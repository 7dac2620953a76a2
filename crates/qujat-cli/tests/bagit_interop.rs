//! `qujat verify` and bagit-python (the Library of Congress's reference
//! implementation of RFC 8493) judge the same folder bags the same way.
//!
//! The bags are made by bagit-python itself (`--md5`, `--sha1`, `--sha512`,
//! over names with spaces, Cyrillic, `%`, a line break, a `.DS_Store` and a
//! bag nested in the payload), then changed by hand into the cases RFC 8493
//! and issue #16 name: other encodings, `fetch.txt`, `./` paths, a line
//! listed twice, and the invalid ones (altered, extra, omitted, outside,
//! absolute, bad whitespace, a wrong Payload-Oxum, a changed tag file).
//! bagit-python validates folders only, so the ZIP attacks where Qujat must
//! be stricter are in `verify_hostile.rs`.
//!
//! bagit.py comes from `QUJAT_BAGIT_PY`, which scripts/test.sh sets after
//! installing the pinned wheel; under CI the test fails without it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

mod support;

/// The NFD form of the one name this test decomposes ("й" is "и" and a
/// combining breve), without a Unicode dependency for the test.
fn nfd(text: &str) -> String {
    text.replace('й', "и\u{306}")
}

fn bagit_py() -> Option<PathBuf> {
    match std::env::var_os("QUJAT_BAGIT_PY") {
        Some(path) => Some(PathBuf::from(path)),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("QUJAT_BAGIT_PY is not set: scripts/test.sh installs bagit-python and sets it")
        }
        None => None,
    }
}

fn run(bagit: &Path, args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(bagit)
        .args(args)
        .arg(dir)
        .output()
        .expect("run bagit.py")
}

/// A payload folder, then made a bag by bagit-python with `algorithm`.
fn make_bag(bagit: &Path, root: &Path, name: &str, algorithm: &str) -> PathBuf {
    let dir = root.join(name);
    fs::create_dir_all(dir.join("sub/inner/data")).expect("payload");
    for (path, bytes) in [
        ("a b.txt", &b"hello"[..]),
        ("Әлия Ғабитқызы.pdf", b"%PDF-1.4\n%%EOF\n"),
        ("100%.txt", b"percent"),
        ("line\nbreak.txt", b"newline in the name"),
        (".DS_Store", b"\0\0\0\x01Bud1"),
        ("sub/Кирилл й.txt", b"cyrillic"),
        // A bag inside the payload is just payload.
        (
            "sub/inner/bagit.txt",
            b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        ),
        ("sub/inner/manifest-md5.txt", b"0  data/nothing\n"),
        ("sub/inner/data/x.txt", b"x"),
    ] {
        fs::write(dir.join(path), bytes).expect("payload file");
    }
    let out = run(bagit, &["--quiet", &format!("--{algorithm}")], &dir);
    assert!(
        out.status.success(),
        "bagit.py --{algorithm}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = fs::read_to_string(path).expect("read");
    fs::write(path, f(text)).expect("write");
}

/// The manifest of `bag` (its only payload manifest).
fn manifest(bag: &Path) -> PathBuf {
    fs::read_dir(bag)
        .expect("bag")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("manifest-"))
        })
        .expect("a manifest")
}

fn line_for<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle}"))
}

/// Removes `tagmanifest-*` so hand edits of tag files are not what is tested.
fn drop_tagmanifests(bag: &Path) {
    for e in fs::read_dir(bag).expect("bag").flatten() {
        if e.file_name().to_string_lossy().starts_with("tagmanifest-") {
            fs::remove_file(e.path()).expect("remove");
        }
    }
}

#[test]
fn qujat_and_bagit_python_agree_on_every_bag() {
    let Some(bagit) = bagit_py() else {
        eprintln!("QUJAT_BAGIT_PY is not set; scripts/test.sh sets it. Not compared.");
        return;
    };
    let root = tempfile::tempdir().expect("temp dir");
    let root = root.path();
    let data_dir = root.join("qujat-data");
    let mut cases: Vec<(String, PathBuf, bool)> = Vec::new();
    // One bag per algorithm from bagit-python, copied for each case (its
    // start-up is most of this test's time).
    let bases: Vec<(&str, PathBuf)> = ["md5", "sha1", "sha256", "sha512"]
        .into_iter()
        .map(|a| (a, make_bag(&bagit, root, &format!("base-{a}"), a)))
        .collect();
    let mut case = |name: &str, algorithm: &str, valid: bool, change: &dyn Fn(&Path)| {
        let base = &bases.iter().find(|(a, _)| *a == algorithm).expect("base").1;
        let bag = root.join(name);
        copy_dir(base, &bag);
        change(&bag);
        cases.push((name.to_owned(), bag, valid));
    };

    for algorithm in ["md5", "sha1", "sha512", "sha256"] {
        case(&format!("plain-{algorithm}"), algorithm, true, &|_| {});
    }
    case("dot-slash-paths", "sha256", true, &|bag| {
        edit(&manifest(bag), |t| t.replace("  data/", "  ./data/"));
        drop_tagmanifests(bag);
    });
    case("nfd-name-on-disk", "sha256", true, &|bag| {
        let nfc = bag.join("data/sub/Кирилл й.txt");
        fs::rename(&nfc, bag.join(nfd("data/sub/Кирилл й.txt"))).expect("rename");
    });
    case("latin1-tag-files", "sha256", true, &|bag| {
        // Only what Latin-1 can write: the Cyrillic files go.
        fs::remove_file(bag.join("data/Әлия Ғабитқызы.pdf")).expect("remove");
        fs::remove_file(bag.join("data/sub/Кирилл й.txt")).expect("remove");
        edit(&manifest(bag), |t| {
            t.lines()
                .filter(|l| l.is_ascii())
                .map(|l| format!("{l}\n"))
                .collect()
        });
        fs::write(bag.join("data/café.txt"), b"latin").expect("file");
        fs::write(
            bag.join("bagit.txt"),
            "BagIt-Version: 0.97\nTag-File-Character-Encoding: ISO-8859-1\n",
        )
        .expect("bagit.txt");
        let mut bytes = fs::read(manifest(bag)).expect("manifest");
        bytes.extend_from_slice(hex::encode(Sha256::digest(b"latin")).as_bytes());
        bytes.extend_from_slice(b"  data/caf\xe9.txt\n");
        fs::write(manifest(bag), bytes).expect("manifest");
        fs::remove_file(bag.join("bag-info.txt")).expect("no Oxum to update");
        drop_tagmanifests(bag);
    });
    case("utf16-tag-files", "sha256", true, &|bag| {
        fs::write(
            bag.join("bagit.txt"),
            "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-16\n",
        )
        .expect("bagit.txt");
        let text = fs::read_to_string(manifest(bag)).expect("manifest");
        let mut utf16 = vec![0xff, 0xfe];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        fs::write(manifest(bag), utf16).expect("manifest");
        fs::remove_file(bag.join("bag-info.txt")).expect("bag-info");
        drop_tagmanifests(bag);
    });
    case("fetch-complete", "sha256", true, &|bag| {
        fs::write(
            bag.join("fetch.txt"),
            "https://example.org/a%20b.txt 5 data/a b.txt\n",
        )
        .expect("fetch.txt");
    });
    case("fetch-holey", "sha256", false, &|bag| {
        fs::write(
            bag.join("fetch.txt"),
            "https://example.org/a%20b.txt 5 data/a b.txt\n",
        )
        .expect("fetch.txt");
        fs::remove_file(bag.join("data/a b.txt")).expect("remove");
        fs::remove_file(bag.join("bag-info.txt")).expect("bag-info");
        drop_tagmanifests(bag);
    });
    case("listed-twice-0.97", "sha256", true, &|bag| {
        fs::write(
            bag.join("bagit.txt"),
            "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n",
        )
        .expect("bagit.txt");
        edit(&manifest(bag), |t| {
            let line = line_for(&t, "a b.txt").to_owned();
            format!("{t}{line}\n")
        });
        drop_tagmanifests(bag);
    });
    case("altered", "md5", false, &|bag| {
        fs::write(bag.join("data/a b.txt"), b"jello").expect("alter");
    });
    case("extra", "sha512", false, &|bag| {
        fs::write(bag.join("data/stray.txt"), b"").expect("extra");
        fs::remove_file(bag.join("bag-info.txt")).expect("no Oxum");
        drop_tagmanifests(bag);
    });
    case("omits-a-payload-file", "sha256", false, &|bag| {
        edit(&manifest(bag), |t| {
            let line = line_for(&t, "a b.txt").to_owned();
            t.replace(&format!("{line}\n"), "")
        });
        drop_tagmanifests(bag);
    });
    case("path-outside", "sha256", false, &|bag| {
        fs::write(root.join("outside.txt"), b"hello").expect("outside");
        edit(&manifest(bag), |t| {
            let line = line_for(&t, "a b.txt").to_owned();
            let sum = line.split_whitespace().next().unwrap_or_default();
            format!("{t}{sum}  data/../../outside.txt\n")
        });
        drop_tagmanifests(bag);
    });
    case("absolute-path", "sha256", false, &|bag| {
        edit(&manifest(bag), |t| {
            let line = line_for(&t, "a b.txt").to_owned();
            let sum = line.split_whitespace().next().unwrap_or_default();
            format!("{t}{sum}  /etc/hostname\n")
        });
        drop_tagmanifests(bag);
    });
    case("bad-whitespace", "sha256", false, &|bag| {
        edit(&manifest(bag), |t| {
            let line = line_for(&t, "a b.txt").to_owned();
            t.replace(&line, &line.replacen("  ", "", 1))
        });
        drop_tagmanifests(bag);
    });
    case("wrong-oxum", "sha256", false, &|bag| {
        edit(&bag.join("bag-info.txt"), |t| {
            let line = line_for(&t, "Payload-Oxum").to_owned();
            t.replace(&line, "Payload-Oxum: 1.1")
        });
        drop_tagmanifests(bag);
    });
    case("tag-file-changed", "sha256", false, &|bag| {
        edit(&bag.join("bag-info.txt"), |t| {
            format!("{t}Note: added later\n")
        });
    });
    case("no-bagit-txt", "sha256", false, &|bag| {
        fs::remove_file(bag.join("bagit.txt")).expect("remove");
    });

    let mut disagreements = Vec::new();
    for (name, bag, expected) in &cases {
        // Both at once: the two judges do not share anything.
        let (python, qujat) = std::thread::scope(|s| {
            let python = s.spawn(|| run(&bagit, &["--validate"], bag));
            let qujat = support::qujat_process(&data_dir)
                .arg("verify")
                .arg(bag)
                .output()
                .expect("run qujat");
            (python.join().expect("bagit.py"), qujat)
        });
        let qujat_stdout = String::from_utf8_lossy(&qujat.stdout);
        assert!(
            matches!(qujat.status.code(), Some(0..=2)),
            "{name}: qujat crashed: {}",
            String::from_utf8_lossy(&qujat.stderr)
        );
        let (by_python, by_qujat) = (python.status.success(), qujat.status.success());
        if by_python != by_qujat || by_qujat != *expected {
            disagreements.push(format!(
                "{name}: expected {expected}, bagit-python {by_python}, qujat {by_qujat}\n  bagit: {}\n  qujat: {}{}",
                String::from_utf8_lossy(&python.stderr).trim(),
                qujat_stdout.trim(),
                String::from_utf8_lossy(&qujat.stderr).trim()
            ));
        }
        if name == "plain-md5" {
            assert!(
                qujat_stdout.contains("only MD5 checksums"),
                "MD5 bags pass with the note: {qujat_stdout}"
            );
        }
        if name == "fetch-holey" {
            assert!(
                qujat_stdout.contains("to be fetched (fetch.txt): data/a b.txt")
                    && !qujat_stdout.contains("missing:"),
                "{qujat_stdout}"
            );
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} bags judged differently:\n{}",
        disagreements.len(),
        cases.len(),
        disagreements.join("\n")
    );
}
