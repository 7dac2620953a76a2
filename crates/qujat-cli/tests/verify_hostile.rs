#![cfg(unix)]
//! `qujat verify` against hostile packages, through the real binary: ZIPs
//! built byte by byte at test time (overlapping entries, links by mode bits,
//! duplicate names, lying local headers, ZIP64 sizes near 2^64, manifest
//! bombs), FIFOs, and names carrying terminal escapes. Where memory was the
//! problem, the peak RSS of the `qujat` process is measured with `wait4`.
//!
//! The app runs the same `package::verify_with_progress` in its own process
//! (src-tauri/package_cmds.rs); these bounds are what keeps its window up.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

mod support;

/// What a verify of any of these packages may use, at most (a plain verify
/// of a small bag takes about 10 MiB; if `verify` opens the data key first,
/// its Argon2id's 64 MiB are inside the bound too).
const RSS_BOUND_KIB: u64 = 200 * 1024;

/// One entry of a hand-made ZIP.
struct Entry {
    /// The name in the central directory.
    name: String,
    /// The name in the local header, when it lies.
    local_name: Option<String>,
    data: Vec<u8>,
    /// Unix mode bits (type and permissions).
    mode: u32,
    /// Point the central record at an earlier entry's local header.
    same_bytes_as: Option<usize>,
    /// Declared uncompressed size, through a ZIP64 extra field.
    zip64_size: Option<u64>,
    /// Deflate the data (stored otherwise).
    deflate: bool,
}

impl Entry {
    fn file(name: &str, data: &[u8]) -> Entry {
        Entry {
            name: name.to_owned(),
            local_name: None,
            data: data.to_vec(),
            mode: 0o100_644,
            same_bytes_as: None,
            zip64_size: None,
            deflate: false,
        }
    }
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = flate2::Crc::new();
    crc.update(data);
    crc.sum()
}

fn deflated(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).expect("deflate");
    enc.finish().expect("deflate")
}

/// Lays out `entries` as a ZIP, exactly as described (no checks).
fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let mut offsets: Vec<u32> = Vec::new();
    for e in entries {
        let body = if e.deflate {
            deflated(&e.data)
        } else {
            e.data.clone()
        };
        let method: u16 = if e.deflate { 8 } else { 0 };
        let crc = crc32(&e.data);
        let offset = match e.same_bytes_as {
            Some(i) => offsets[i],
            None => {
                let offset = out.len() as u32;
                let local = e.local_name.as_deref().unwrap_or(&e.name);
                out.extend_from_slice(b"PK\x03\x04");
                for v in [20u16, 0x0800, method, 0, 0x21] {
                    out.extend_from_slice(&v.to_le_bytes());
                }
                out.extend_from_slice(&crc.to_le_bytes());
                out.extend_from_slice(&(body.len() as u32).to_le_bytes());
                out.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
                out.extend_from_slice(&(local.len() as u16).to_le_bytes());
                out.extend_from_slice(&0u16.to_le_bytes());
                out.extend_from_slice(local.as_bytes());
                out.extend_from_slice(&body);
                offset
            }
        };
        offsets.push(offset);
        let (size, extra) = match e.zip64_size {
            Some(size) => {
                let mut extra = vec![0x01, 0x00, 16, 0];
                extra.extend_from_slice(&size.to_le_bytes());
                extra.extend_from_slice(&(body.len() as u64).to_le_bytes());
                (u32::MAX, extra)
            }
            None => (e.data.len() as u32, Vec::new()),
        };
        let csize = if e.zip64_size.is_some() {
            u32::MAX
        } else {
            body.len() as u32
        };
        central.extend_from_slice(b"PK\x01\x02");
        for v in [(3u16 << 8) | 45, 45, 0x0800, method, 0, 0x21] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&csize.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
        central.extend_from_slice(&(extra.len() as u16).to_le_bytes());
        for v in [0u16, 0, 0] {
            central.extend_from_slice(&v.to_le_bytes());
        }
        central.extend_from_slice(&(e.mode << 16).to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(e.name.as_bytes());
        central.extend_from_slice(&extra);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    let n = entries.len() as u16;
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn sha256(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// A valid bag's entries under `bag/`, with `payload` files.
fn bag_entries(payload: &[(&str, &[u8])]) -> Vec<Entry> {
    let manifest: String = payload
        .iter()
        .map(|(p, d)| format!("{}  {p}\n", sha256(d)))
        .collect();
    let mut entries = vec![
        Entry::file(
            "bag/bagit.txt",
            b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        ),
        Entry::file("bag/manifest-sha256.txt", manifest.as_bytes()),
    ];
    for (p, d) in payload {
        entries.push(Entry::file(&format!("bag/{p}"), d));
    }
    entries
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Peak resident memory of the `qujat` process, KiB.
    max_rss_kib: u64,
}

/// Runs `qujat verify PATH` and waits for exactly that process with
/// `wait4`, which gives its own peak RSS (not the largest of every child
/// this test binary ever had, as `RUSAGE_CHILDREN` would). Killed after 60 s
/// so a hang fails the test instead of hanging it.
// Reaped by wait4 below; a `Child::wait` after it could reap a reused pid
// of another test's child.
#[allow(clippy::zombie_processes)]
fn verify(data: &Path, package: &Path) -> Run {
    let mut child = support::qujat_process(data)
        .arg("verify")
        .arg(package)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start qujat");
    let pid = child.id() as libc::pid_t;
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: wait4 on our own child's pid, with valid out-pointers.
        let got = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if got == pid {
            break;
        }
        assert!(got == 0, "wait4 failed");
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("qujat verify {} hung for 60 s", package.display());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Run {
        code,
        stdout: out_reader.join().expect("stdout"),
        stderr: err_reader.join().expect("stderr"),
        max_rss_kib: usage.ru_maxrss as u64,
    }
}

struct Corpus {
    dir: tempfile::TempDir,
}

impl Corpus {
    fn new() -> Corpus {
        Corpus {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn zip(&self, name: &str, entries: &[Entry]) -> PathBuf {
        let path = self.dir.path().join(name);
        fs::write(&path, zip(entries)).expect("write zip");
        path
    }

    fn verify(&self, path: &Path) -> Run {
        let run = verify(&self.data(), path);
        assert!(
            !run.stderr.contains("panicked"),
            "{}: qujat panicked: {}",
            path.display(),
            run.stderr
        );
        run
    }
}

#[test]
fn a_well_formed_crafted_bag_verifies_so_the_refusals_below_mean_something() {
    let c = Corpus::new();
    let mut entries = bag_entries(&[("data/a.txt", b"hello"), ("data/b.txt", b"world")]);
    entries[3].deflate = true;
    let run = c.verify(&c.zip("good.zip", &entries));
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
}

#[test]
fn zip_attacks_are_refused_each_with_its_reason() {
    let c = Corpus::new();
    let payload: &[(&str, &[u8])] = &[("data/a.txt", b"hello")];
    let cases: Vec<(&str, Vec<Entry>, &str)> = vec![
        (
            "overlap.zip",
            {
                // One stored block listed again under a second name: both
                // names' bytes are the same bytes of the file.
                let mut e = bag_entries(&[("data/a.txt", b"hello"), ("data/b.txt", b"hello")]);
                e[3].same_bytes_as = Some(2);
                e
            },
            "share the same bytes",
        ),
        (
            "symlink.zip",
            {
                let mut e = bag_entries(payload);
                e.push(Entry {
                    mode: 0o120_777,
                    ..Entry::file("bag/data/link", b"/etc/passwd")
                });
                e
            },
            "not a regular file",
        ),
        (
            "duplicate.zip",
            {
                let mut e = bag_entries(payload);
                e.push(Entry::file("bag/data/a.txt", b"other"));
                e
            },
            "same name twice",
        ),
        (
            "local-name.zip",
            {
                let mut e = bag_entries(payload);
                e[2].local_name = Some("../../x.txt".into());
                e
            },
            "another name in its local header",
        ),
    ];
    for (name, entries, reason) in cases {
        let run = c.verify(&c.zip(name, &entries));
        assert_eq!(run.code, Some(1), "{name}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stdout.contains("NOT valid") && run.stdout.contains(reason),
            "{name}: {}",
            run.stdout
        );
    }
}

#[test]
fn zip64_sizes_near_2_pow_64_do_not_overflow() {
    let c = Corpus::new();
    let mut entries = bag_entries(&[("data/a.txt", b"hello"), ("data/b.txt", b"world")]);
    entries.push(Entry::file("bag/bag-info.txt", b"Payload-Oxum: 10.2\n"));
    entries[2].zip64_size = Some(u64::MAX - 1);
    entries[3].zip64_size = Some(u64::MAX / 2 + 7);
    let run = c.verify(&c.zip("zip64.zip", &entries));
    assert!(
        matches!(run.code, Some(1) | Some(2)),
        "refused, not valid and not crashed: {:?} {}{}",
        run.code,
        run.stdout,
        run.stderr
    );
}

#[test]
fn manifest_bombs_stay_within_bounds() {
    let c = Corpus::new();
    // 1. One line repeated: ~31 MiB of manifest deflated to ~30 KiB (before,
    // one hasher per line took 1.8 GB).
    let line = format!("{}  data/a.txt\n", sha256(b"hello"));
    let repeated = line.repeat((31 << 20) / line.len());
    let mut entries = bag_entries(&[("data/a.txt", b"hello")]);
    entries[1].data = repeated.into_bytes();
    entries[1].deflate = true;
    let bomb = c.zip("repeated-line.zip", &entries);
    assert!(fs::metadata(&bomb).expect("bomb").len() < 200 << 10);
    let run = c.verify(&bomb);
    eprintln!("repeated-line bomb: peak RSS {} KiB", run.max_rss_kib);
    assert_eq!(
        run.code,
        Some(0),
        "a line listed twice is a warning: {}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains("warning: manifest-sha256.txt lists data/a.txt twice"));
    assert!(
        run.max_rss_kib < RSS_BOUND_KIB,
        "peak RSS {} KiB over {} KiB",
        run.max_rss_kib,
        RSS_BOUND_KIB
    );

    // 2. Distinct lines past the cap: 300,000 entries naming missing files.
    let distinct: String = (0..300_000)
        .map(|i| format!("{}  data/{i:06}\n", sha256(b"x")))
        .collect();
    let mut entries = bag_entries(&[("data/a.txt", b"hello")]);
    entries[1].data = format!("{line}{distinct}").into_bytes();
    entries[1].deflate = true;
    let run = c.verify(&c.zip("distinct-lines.zip", &entries));
    eprintln!("distinct-lines bomb: peak RSS {} KiB", run.max_rss_kib);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout.contains("more than 200000 files"),
        "the cap is named"
    );
    assert!(
        run.max_rss_kib < RSS_BOUND_KIB,
        "peak RSS {} KiB over {} KiB",
        run.max_rss_kib,
        RSS_BOUND_KIB
    );
}

#[test]
fn an_escape_in_a_manifest_path_cannot_print_a_fake_valid() {
    let c = Corpus::new();
    // Erase the line, move up, print a fake verdict: the classic.
    let evil = "data/x\u{1b}[2K\r\u{1b}[1A\u{1b}[2Kbag.zip: valid. 1 files match.";
    let mut entries = bag_entries(&[("data/a.txt", b"hello")]);
    entries[1]
        .data
        .extend_from_slice(format!("{}  {evil}\n", sha256(b"x")).as_bytes());
    let run = c.verify(&c.zip("escape.zip", &entries));
    assert_eq!(run.code, Some(1));
    assert!(
        !run.stdout.contains('\u{1b}') && !run.stdout.contains('\r'),
        "no control character reaches the terminal: {:?}",
        run.stdout
    );
    assert!(run.stdout.starts_with(&format!(
        "{}: NOT valid.",
        c.dir.path().join("escape.zip").display()
    )));
    assert!(
        run.stdout.contains("missing: data/x\\u{1b}[2K\\r"),
        "the name is shown, inert: {}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn fifos_are_refused_without_hanging() {
    let c = Corpus::new();
    let mkfifo = |path: &Path| {
        let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
        assert!(status.success());
    };
    // A FIFO given as the package: "not a package", at once.
    let fifo = c.dir.path().join("package.zip");
    mkfifo(&fifo);
    let run = c.verify(&fifo);
    assert_eq!(run.code, Some(2), "{}", run.stderr);

    // A FIFO inside a folder bag's payload, listed in its manifest.
    let bag = c.dir.path().join("bag");
    fs::create_dir_all(bag.join("data")).expect("bag");
    fs::write(
        bag.join("bagit.txt"),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    )
    .expect("bagit.txt");
    fs::write(
        bag.join("manifest-sha256.txt"),
        format!("{}  data/pipe\n", sha256(b"")),
    )
    .expect("manifest");
    mkfifo(&bag.join("data/pipe"));
    let run = c.verify(&bag);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("not a regular file (a link, FIFO or device), not opened: data/pipe"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_data_folder_of_a_package_points_to_the_folder_above() {
    let c = Corpus::new();
    let bag = c.dir.path().join("bag");
    fs::create_dir_all(bag.join("data")).expect("bag");
    fs::write(
        bag.join("bagit.txt"),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    )
    .expect("bagit.txt");
    let run = c.verify(&bag.join("data"));
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr
            .contains("is the data folder of a package; choose the folder above it"),
        "{}",
        run.stderr
    );
}
