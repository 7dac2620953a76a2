//! Hostile backups against the real `qujat import`, generated at test time:
//! header bombs (with the importer's peak memory measured), lies in the
//! manifest (kind, size, ids, duplicate rows, unknown events, far-future
//! dates) and escape sequences in names. Each refusal is exit 2 with a
//! short message and nothing changed in the data folder.
//!
//! The app imports in its own process, not in a limited child: the bounds
//! proven here (metadata entries refused from their header, sizes counted
//! as they stream, names cut and escaped) are what protect its window too.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

mod support;

const PASS: &str = "a long passphrase";
/// A fast scrypt for the hand-made backups (real ones use 2^18).
const FAST: u8 = 10;

fn qujat(data: &Path) -> Command {
    let mut cmd = support::qujat_at(data);
    cmd.env("QUJAT_BACKUP_PASSPHRASE", PASS);
    cmd
}

/// A real backup's content: the manifest as JSON, and its files by name.
struct Content {
    manifest: Value,
    files: Vec<(String, Vec<u8>)>,
}

/// A data folder with one dossier (a CV and an event), exported and read
/// back: the raw material every hostile backup below is made from.
struct Fixture {
    dir: tempfile::TempDir,
    data: PathBuf,
    id: String,
    content: Content,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let id = support::new_dossier_with(support::qujat_at(&data), "Ada Lovelace");
        let cv = dir.path().join("cv.pdf");
        fs::write(&cv, b"%PDF-1.4\nCV\n%%EOF\n").expect("cv");
        support::qujat_at(&data)
            .args(["add", &id, "cv"])
            .arg(&cv)
            .assert()
            .success();
        support::qujat_at(&data)
            .args(["event", &id, "astana-hub-submitted", "--date", "2025-01-10"])
            .assert()
            .success();
        let backup = dir.path().join("real.qujat");
        qujat(&data)
            .args(["export", &id, "--out"])
            .arg(&backup)
            .assert()
            .success();
        let content = unpack(&fs::read(&backup).expect("backup"));
        Fixture {
            dir,
            data,
            id,
            content,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A fresh, empty data folder to import into.
    fn elsewhere(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `content` as a backup named `name`.
    fn backup(&self, name: &str, content: &Content) -> PathBuf {
        let path = self.path(name);
        fs::write(&path, pack(content)).expect("write backup");
        path
    }
}

/// Decrypts and unpacks a backup (age, gzip, tar; the 16-byte trailer cut).
fn unpack(bytes: &[u8]) -> Content {
    let age_part = &bytes[..bytes.len() - 16];
    let decryptor = age::Decryptor::new(age_part).expect("age");
    let identity = age::scrypt::Identity::new(PASS.to_owned().into());
    let plain = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .expect("decrypt");
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(plain));
    let mut manifest = Value::Null;
    let mut files = Vec::new();
    for entry in archive.entries().expect("entries") {
        let mut entry = entry.expect("entry");
        let name = entry.path().expect("path").display().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read");
        if name == "manifest.json" {
            manifest = serde_json::from_slice(&data).expect("manifest");
        } else {
            files.push((name, data));
        }
    }
    Content { manifest, files }
}

/// A plain tar entry's header.
fn header(name: &str, size: u64, kind: tar::EntryType) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
    h.set_size(size);
    h.set_mode(0o600);
    h.set_entry_type(kind);
    h.set_cksum();
    h
}

/// Packs `content` as Qujat does: tar, gzip, age with a passphrase, trailer.
fn pack(content: &Content) -> Vec<u8> {
    let json = serde_json::to_vec(&content.manifest).expect("json");
    seal_tar(|tar| {
        tar.append(
            &header("manifest.json", json.len() as u64, tar::EntryType::Regular),
            json.as_slice(),
        )?;
        for (name, data) in &content.files {
            tar.append(
                &header(name, data.len() as u64, tar::EntryType::Regular),
                data.as_slice(),
            )?;
        }
        Ok(())
    })
}

/// Gzips and encrypts whatever `build` appends, streaming: a tar of
/// hundreds of MB never sits in this process's memory either.
fn seal_tar(
    build: impl FnOnce(&mut tar::Builder<flate2::write::GzEncoder<Vec<u8>>>) -> std::io::Result<()>,
) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    build(&mut tar).expect("tar");
    let compressed = tar.into_inner().expect("tar").finish().expect("gzip");
    let mut recipient = age::scrypt::Recipient::new(PASS.to_owned().into());
    recipient.set_work_factor(FAST);
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .expect("encryptor");
    let mut out = Vec::new();
    let mut w = encryptor.wrap_output(&mut out).expect("wrap");
    w.write_all(&compressed).expect("encrypt");
    w.finish().expect("finish");
    let len = out.len() as u64;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(b"QJBKEND1");
    out
}

/// `n` bytes of `byte`, produced as they are read.
struct Repeat {
    left: u64,
    byte: u8,
}

impl Read for Repeat {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (buf.len() as u64).min(self.left) as usize;
        buf[..n].fill(self.byte);
        self.left -= n as u64;
        Ok(n)
    }
}

/// Everything in a data folder that an import could have changed: the
/// dossiers listed and the files in the vault.
fn state(data: &Path) -> (String, usize) {
    let list = support::qujat_at(data)
        .args(["list"])
        .output()
        .expect("list");
    let objects = count_files(&data.join("vault/objects"));
    (String::from_utf8_lossy(&list.stdout).into_owned(), objects)
}

fn count_files(dir: &Path) -> usize {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        count_files(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// Imports `backup` into `data`, expects exit 2 with `message` in stderr and
/// nothing changed; returns stderr.
fn refused(data: &Path, backup: &Path, message: &str) -> String {
    let before = state(data);
    let out = qujat(data)
        .args(["import"])
        .arg(backup)
        .output()
        .expect("import");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "exit 2: {stderr}");
    assert!(stderr.contains(message), "{message:?} not in: {stderr}");
    assert_eq!(state(data), before, "nothing changed in the data folder");
    stderr
}

/// Runs the real `qujat import` on `backup` and returns its exit status,
/// stderr (at most 1 MiB kept) and peak resident memory in bytes.
///
/// The peak is the kernel's high-water mark of the process's own memory
/// (`VmHWM` in `/proc/<pid>/status`), read every millisecond while it runs.
/// Not `ru_maxrss`: for a child spawned with vfork (as std does) it also
/// counts the parent's memory at the spawn, here a test binary full of
/// bombs being built.
#[cfg(target_os = "linux")]
fn import_measured(data: &Path, backup: &Path) -> (Option<i32>, String, u64) {
    use std::process::Stdio;
    let mut cmd = support::qujat_process(data);
    cmd.env("QUJAT_BACKUP_PASSPHRASE", PASS)
        .arg("import")
        .arg(backup)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut stderr = stderr;
        let _ = (&mut stderr).take(1 << 20).read_to_end(&mut kept);
        // Drain the rest, so a child printing more never blocks on the pipe.
        let _ = std::io::copy(&mut stderr, &mut std::io::sink());
        String::from_utf8_lossy(&kept).into_owned()
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    let started = std::time::Instant::now();
    let status = loop {
        if let Ok(text) = fs::read_to_string(&status_file) {
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
            if let Some(kib) = hwm {
                peak = peak.max(kib * 1024);
            }
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!("the import ran for two minutes");
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    };
    let stderr = reader.join().expect("stderr reader");
    (status.code(), stderr, peak)
}

/// 200 MiB: the importer's whole peak, its own code and SQLite included.
#[cfg(target_os = "linux")]
const RSS_BOUND: u64 = 200 << 20;

#[cfg(target_os = "linux")]
#[test]
fn long_name_and_pax_bombs_are_refused_unread_within_bounded_memory() {
    let f = Fixture::new();
    let manifest = serde_json::to_vec(&f.content.manifest).expect("json");
    // 268 MB of name or PAX records: ~262 KB once compressed. The tar crate
    // alone would read it whole, and print it back in its error.
    let claimed: u64 = 268 << 20;
    for (kind, name, code) in [
        (tar::EntryType::GNULongName, "././@LongLink", "L"),
        (tar::EntryType::XHeader, "PaxHeaders/files", "x"),
    ] {
        let bomb = seal_tar(|tar| {
            tar.append(
                &header(
                    "manifest.json",
                    manifest.len() as u64,
                    tar::EntryType::Regular,
                ),
                manifest.as_slice(),
            )?;
            tar.append(
                &header(name, claimed, kind),
                Repeat {
                    left: claimed,
                    byte: b'A',
                },
            )?;
            tar.append(&header("files/x", 1, tar::EntryType::Regular), &b"x"[..])
        });
        assert!(bomb.len() < 2 << 20, "{} bytes on disk", bomb.len());
        let path = f.path(&format!("bomb-{code}.qujat"));
        fs::write(&path, &bomb).expect("bomb");

        let data = f.elsewhere(&format!("bombed-{code}"));
        let (status, stderr, peak) = import_measured(&data, &path);
        eprintln!(
            "{kind:?} bomb: {} KB on disk, exit {status:?}, peak RSS {} MiB",
            bomb.len() / 1024,
            peak >> 20
        );
        assert_eq!(status, Some(2), "refused as bad input: {stderr}");
        assert!(
            stderr.contains("extended tar header"),
            "says what it refused: {stderr}"
        );
        assert!(
            stderr.len() < 1024,
            "a short message: {} bytes",
            stderr.len()
        );
        assert!(
            peak < RSS_BOUND,
            "peak RSS {} MiB is over {} MiB",
            peak >> 20,
            RSS_BOUND >> 20
        );
        assert_eq!(state(&data).1, 0, "nothing in the vault");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_past_the_hard_cap_is_stopped_within_bounded_memory() {
    let f = Fixture::new();
    let mut manifest = f.content.manifest.clone();
    // 128 MiB, past the vault's 100 MiB hard cap (a file over its
    // requirement's own limit is kept, as when attached), declared as 18
    // bytes; a 2 MB backup once put 2.1 GB into a vault this way.
    let size: u64 = 128 << 20;
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(vec![0u8; size as usize]))
    };
    manifest["dossier"]["documents"][0]["sha256"] = sha.clone().into();
    manifest["dossier"]["documentDates"] = Value::Array(vec![]);
    let json = serde_json::to_vec(&manifest).expect("json");
    let big = seal_tar(|tar| {
        tar.append(
            &header("manifest.json", json.len() as u64, tar::EntryType::Regular),
            json.as_slice(),
        )?;
        tar.append(
            &header(&format!("files/{sha}"), size, tar::EntryType::Regular),
            Repeat {
                left: size,
                byte: 0,
            },
        )
    });
    assert!(big.len() < 1 << 20);
    let path = f.path("big.qujat");
    fs::write(&path, &big).expect("write");
    let data = f.elsewhere("big");
    let (status, stderr, peak) = import_measured(&data, &path);
    eprintln!(
        "oversize file: exit {status:?}, peak RSS {} MiB",
        peak >> 20
    );
    assert_eq!(status, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("files/{sha} in the backup unpacks to more than")),
        "{stderr}"
    );
    assert!(peak < RSS_BOUND);
    assert_eq!(state(&data).1, 0, "nothing in the vault");
}

#[test]
fn an_executable_declared_as_a_pdf_is_imported_as_what_it_is() {
    let f = Fixture::new();
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&exe))
    };
    let mut content = Content {
        manifest: f.content.manifest.clone(),
        files: vec![(format!("files/{sha}"), exe)],
    };
    let doc = &mut content.manifest["dossier"]["documents"][0];
    assert_eq!(doc["requirementId"], "cv");
    doc["sha256"] = sha.into();
    doc["kind"] = "pdf".into();
    doc["size"] = 4096.into();
    content.manifest["dossier"]["documentDates"] = Value::Array(vec![]);
    let path = f.backup("exe.qujat", &content);

    let data = f.elsewhere("exe");
    qujat(&data).args(["import"]).arg(&path).assert().success();
    let report = support::qujat_at(&data)
        .args(["check", &f.id, "--json"])
        .output()
        .expect("check");
    let report: Value = serde_json::from_slice(&report.stdout).expect("json");
    let cv = report["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .flat_map(|s| s["requirements"].as_array().expect("requirements"))
        .find(|r| r["id"] == "cv")
        .expect("cv");
    assert_eq!(cv["document"]["kind"], "other", "the kind of its bytes");
    assert_eq!(cv["document"]["size"], 14, "the size of its bytes");
    assert_ne!(cv["status"], "ok", "an executable is not an ok CV");
}

#[test]
fn duplicate_rows_are_refused_with_nothing_changed() {
    let f = Fixture::new();
    let data = f.elsewhere("dup");
    let mut content = Content {
        manifest: f.content.manifest.clone(),
        files: f.content.files.clone(),
    };
    let docs = content.manifest["dossier"]["documents"]
        .as_array_mut()
        .expect("documents");
    docs.push(docs[0].clone());
    let path = f.backup("dup.qujat", &content);
    refused(&data, &path, "lists “cv” twice");
}

#[test]
fn only_dossier_ids_qujat_makes_are_accepted_and_none_hijacks_another() {
    let f = Fixture::new();
    let prefix = f.id[..4].to_owned();
    for (name, id) in [
        ("climb", "../../x".to_owned()),
        ("huge", "a".repeat(1 << 20)),
        ("prefix", prefix.clone()),
    ] {
        let mut content = Content {
            manifest: f.content.manifest.clone(),
            files: f.content.files.clone(),
        };
        content.manifest["dossier"]["id"] = id.into();
        let path = f.backup(&format!("{name}.qujat"), &content);
        let stderr = refused(&f.data, &path, "is not one Qujat makes");
        assert!(stderr.len() < 1024, "{name}: {} bytes", stderr.len());
    }
    // The user's dossier still answers to its prefix.
    support::qujat_at(&f.data)
        .args(["check", &prefix])
        .assert()
        .stdout(predicate::str::contains(f.id.as_str()));

    // Its own id, imported here again, gets a new one and says so.
    let same = f.backup("same.qujat", &f.content);
    qujat(&f.data)
        .args(["import"])
        .arg(&same)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "A dossier {} exists already",
            f.id
        )));
}

#[test]
fn unknown_event_kinds_and_far_future_dates_are_refused() {
    let f = Fixture::new();
    let data = f.elsewhere("events");
    let mut unknown = Content {
        manifest: f.content.manifest.clone(),
        files: f.content.files.clone(),
    };
    unknown.manifest["dossier"]["events"][0]["kind"] = "deported".into();
    refused(
        &data,
        &f.backup("kind.qujat", &unknown),
        "event of kind “deported”, which the kz-ai-pilot program does not have",
    );
    let mut future = Content {
        manifest: f.content.manifest.clone(),
        files: f.content.files.clone(),
    };
    future.manifest["dossier"]["events"][0]["happenedOn"] = "2099-01-01".into();
    refused(
        &data,
        &f.backup("future.qujat", &future),
        "a date in the future (2099-01-01)",
    );
}

#[test]
fn names_from_a_backup_reach_the_terminal_escaped() {
    let f = Fixture::new();
    let data = f.elsewhere("names");
    let mut content = Content {
        manifest: f.content.manifest.clone(),
        files: f.content.files.clone(),
    };
    content.manifest["dossier"]["applicantName"] = "Ada\u{1b}[2K\rEve".into();
    content.manifest["dossier"]["documents"][0]["originalName"] = "cv\u{202e}fdp.exe".into();
    qujat(&data)
        .args(["import"])
        .arg(f.backup("names.qujat", &content))
        .assert()
        .success();
    for args in [vec!["list"], vec!["check", f.id.as_str()]] {
        let out = support::qujat_at(&data).args(&args).output().expect("run");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(text.contains("Ada\\u{1b}[2K\\rEve"), "{args:?}: {text}");
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{args:?}: no raw control character: {text:?}"
        );
    }
    let out = support::qujat_at(&data)
        .args(["check", f.id.as_str()])
        .output()
        .expect("check");
    assert!(String::from_utf8_lossy(&out.stdout).contains("cv\\u{202e}fdp.exe"));
}
