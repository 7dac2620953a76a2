//! The inspector process: the parent side ([`inspect_file`]) and the child's
//! entry point ([`child_main`]).
//!
//! The parent runs the adapter's own binary again ([`InspectorCommand`]: the
//! CLI as `qujat __inspect-child`, the app as `qujat-app
//! --qujat-inspect-child`), passes the limits and the file's path, and reads
//! one JSON line from its stdout. It enforces the wall-time limit itself
//! (polling `try_wait`, then killing), and the child caps its own memory and
//! CPU time as the very first thing it does, before it reads a byte of the
//! document:
//!
//! * Unix: `RLIMIT_AS` (address space: an allocation past it fails, and Rust
//!   aborts with "memory allocation of N bytes failed", which the parent
//!   recognises on the child's stderr as out-of-memory), `RLIMIT_CPU` as a
//!   backstop should the parent itself be stopped, and `RLIMIT_CORE` = 0 so a
//!   crash leaves no core file with document content on disk.
//! * Windows: not enforced yet; the design (a job object with
//!   `JOB_OBJECT_LIMIT_PROCESS_MEMORY` and `KILL_ON_JOB_CLOSE`, assigned by
//!   the parent right after spawning) is in ARCHITECTURE.md (Inspection, out of process). The wall-time
//!   limit holds everywhere.
//!
//! Setting the limits in the child rather than in a `pre_exec` hook keeps
//! the parent free of `unsafe`: the child has not touched the document yet
//! when they take effect, which is all that matters.
//!
//! A vault object is encrypted on disk, and its plaintext must not be
//! written anywhere to be inspected: [`inspect_content`] gives the child the
//! file name `-` and streams the decrypted bytes into its stdin from a
//! writer thread, capped at [`STDIN_CAP`]. A child that never reads them is
//! still killed at the wall-time limit; the writer then fails on the closed
//! pipe and ends. Files the user has not attached yet are passed by path.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::fix::{self, FixJob, FixProblem, FixRequest, Made};
use super::ocr::Budget;
use super::probe::probe_with;
use super::record::{parse_reply, reply_line, Verdict, REPLY_CAP};
use crate::error::{InspectError, Result};
use crate::kind;

/// The first argument that makes the desktop app's binary the inspector
/// child; its `main` checks for it before Tauri starts. Commands that
/// inspect pass `InspectorCommand::current_exe(&[APP_CHILD_FLAG])`.
pub const APP_CHILD_FLAG: &str = "--qujat-inspect-child";

/// How the adapter runs its own binary as the inspector: the program and
/// the arguments that select inspector mode. The parent appends the limits
/// and the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectorCommand {
    /// The program, usually the running executable.
    pub program: PathBuf,
    /// The arguments that put it into inspector mode.
    pub args: Vec<OsString>,
}

impl InspectorCommand {
    /// The running executable with `args`, e.g. `["__inspect-child"]`.
    pub fn current_exe(args: &[&str]) -> Result<InspectorCommand> {
        let program = std::env::current_exe().map_err(|e| InspectError::InspectorUnavailable {
            detail: e.to_string(),
        })?;
        if replaced(&program) {
            return Err(InspectError::AppUpdated.into());
        }
        Ok(InspectorCommand {
            program,
            args: args.iter().map(OsString::from).collect(),
        })
    }
}

/// Whether the running executable was replaced or removed since it started:
/// Linux then names it "<path> (deleted)", which cannot be run; the file now
/// at the path, if any, is another build, whose inspector may not speak this
/// one's protocol. Either way only a restart helps.
fn replaced(program: &std::path::Path) -> bool {
    program.to_string_lossy().ends_with(" (deleted)")
}

/// The limits one inspection runs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall time, after which the child is killed.
    pub wall_time: Duration,
    /// Address space the child may use, in MiB (Unix).
    pub memory_mib: u64,
}

impl Default for Limits {
    /// 60 s and 1 GiB: a 200-page PDF takes 0.3 s here and a real document
    /// a few tens of MiB, but reading a scan takes about 2.5 s a page (OCR
    /// reads up to 20 pages, within three quarters of this); a decompression
    /// bomb needs far more memory, and a runaway page is stopped by the
    /// child's own per-page budget first.
    fn default() -> Limits {
        Limits {
            wall_time: Duration::from_secs(60),
            memory_mib: 1024,
        }
    }
}

/// Most stderr the parent keeps from a child, enough to see an allocation
/// failure message; the rest is drained and dropped.
const STDERR_CAP: u64 = 4096;

/// Most bytes streamed to a child on stdin (the child reads no more from a
/// file either).
pub const STDIN_CAP: u64 = 1 << 31;

/// The file argument that makes the child read the document from stdin.
pub const STDIN_ARG: &str = "-";

/// The start of the lines a child writes on stderr before it reads each
/// page of a scan: `qujat-progress PAGE PAGES`.
const PROGRESS_PREFIX: &str = "qujat-progress ";

/// Told of each page a child starts reading (page from 1, pages), from the
/// thread that reads the child's stderr.
pub type PageProgress = std::sync::Arc<dyn Fn(u32, u32) + Send + Sync>;

/// Inspects the file at `path` in a child process and returns the verdict.
/// With `expected_sha256` (a vault file), a record of different bytes is
/// [`Verdict::Damaged`]. Fails only when no child can be started at all.
pub fn inspect_file(
    inspector: &InspectorCommand,
    path: &Path,
    limits: &Limits,
    expected_sha256: Option<&str>,
) -> Result<Verdict> {
    // A file named `-` is passed as `./-`: bare, the child would read its
    // standard input instead (see [`STDIN_ARG`]).
    let dashed;
    let path = if path.as_os_str() == STDIN_ARG {
        dashed = Path::new(".").join(path);
        dashed.as_path()
    } else {
        path
    };
    run_child(
        inspector,
        path.as_os_str(),
        None,
        limits,
        expected_sha256,
        None,
    )
}

/// Inspects the bytes `content` yields (a vault object, decrypted as it is
/// read) in a child process that reads them from its stdin; nothing is
/// written to disk. A content that fails to read (an encrypted object that
/// was changed or cut) is [`Verdict::Damaged`].
pub fn inspect_content(
    inspector: &InspectorCommand,
    content: Box<dyn Read + Send>,
    limits: &Limits,
    expected_sha256: Option<&str>,
) -> Result<Verdict> {
    run_child(
        inspector,
        OsStr::new(STDIN_ARG),
        Some(content),
        limits,
        expected_sha256,
        None,
    )
}

/// [`inspect_content`], telling `pages` of each page of a scan as the child
/// starts reading it, and killing the child as soon as `cancel` is set
/// (then `Ok(None)`: no verdict, the file was not judged).
pub fn inspect_content_with_pages(
    inspector: &InspectorCommand,
    content: Box<dyn Read + Send>,
    limits: &Limits,
    expected_sha256: Option<&str>,
    pages: Option<PageProgress>,
    cancel: &AtomicBool,
) -> Result<Option<Verdict>> {
    let verdict = run_child_cancellable(
        inspector,
        OsStr::new(STDIN_ARG),
        Some(content),
        limits,
        expected_sha256,
        pages,
        Some(cancel),
    )?;
    Ok(verdict)
}

fn run_child(
    inspector: &InspectorCommand,
    file_arg: &OsStr,
    content: Option<Box<dyn Read + Send>>,
    limits: &Limits,
    expected_sha256: Option<&str>,
    pages: Option<PageProgress>,
) -> Result<Verdict> {
    let never = AtomicBool::new(false);
    let verdict = run_child_cancellable(
        inspector,
        file_arg,
        content,
        limits,
        expected_sha256,
        pages,
        Some(&never),
    )?;
    // Without a cancel flag that can be set, there is always a verdict.
    Ok(verdict.unwrap_or(Verdict::Damaged))
}

fn run_child_cancellable(
    inspector: &InspectorCommand,
    file_arg: &OsStr,
    content: Option<Box<dyn Read + Send>>,
    limits: &Limits,
    expected_sha256: Option<&str>,
    pages: Option<PageProgress>,
    cancel: Option<&AtomicBool>,
) -> Result<Option<Verdict>> {
    let ran = run_raw(
        inspector,
        &[],
        file_arg,
        content,
        limits,
        REPLY_CAP as u64 + 1,
        pages,
        cancel,
    )?;
    let (status, stdout, stderr, fed) = match ran {
        Ran::Cancelled => return Ok(None),
        Ran::TimedOut => return Ok(Some(timed_out(limits))),
        Ran::Ended {
            status,
            stdout,
            stderr,
            fed,
        } => (status, stdout, stderr, fed),
    };
    let verdict = judge(status, &stdout, &stderr, limits);
    if fed == Some(Fed::Damaged) {
        return Ok(Some(Verdict::Damaged));
    }
    Ok(Some(match (verdict, expected_sha256) {
        (Verdict::Inspected(record), Some(expected)) if record.sha256 != expected => {
            Verdict::Damaged
        }
        (verdict, _) => verdict,
    }))
}

fn timed_out(limits: &Limits) -> Verdict {
    Verdict::TimedOut {
        limit_ms: u64::try_from(limits.wall_time.as_millis()).unwrap_or(u64::MAX),
    }
}

/// How a child run ended, before anything is judged.
enum Ran {
    /// Killed past the wall-time limit.
    TimedOut,
    /// Killed because the caller cancelled.
    Cancelled,
    /// Exited by itself (or by a signal not ours).
    Ended {
        status: std::process::ExitStatus,
        stdout: Vec<u8>,
        stderr: Vec<u8>,
        /// How feeding its stdin went, when it had content to read.
        fed: Option<Fed>,
    },
}

/// Runs the inspector child with `job_args` (empty for an inspection),
/// feeding it `content`, keeping at most `stdout_cap` bytes of its stdout.
#[allow(clippy::too_many_arguments)]
fn run_raw(
    inspector: &InspectorCommand,
    job_args: &[&str],
    file_arg: &OsStr,
    content: Option<Box<dyn Read + Send>>,
    limits: &Limits,
    stdout_cap: u64,
    pages: Option<PageProgress>,
    cancel: Option<&AtomicBool>,
) -> Result<Ran> {
    // The CPU backstop sits just past the wall-time limit: if the parent is
    // suspended or dies, the child still stops by itself.
    let cpu_secs = limits.wall_time.as_secs() + 2;
    let mut command = Command::new(&inspector.program);
    // The child parses hostile bytes: it gets none of our environment
    // (`QUJAT_PASSPHRASE`, `QUJAT_BACKUP_PASSPHRASE`, tokens of other
    // tools). It reads nothing from it: its limits and file come as
    // arguments, its answer is JSON in no language, and its program is a
    // full path, so no PATH is needed either.
    command.env_clear();
    // What the system needs to start the very binary the parent runs as:
    // where its shared libraries are, when the loader was told (a bundle
    // that ships its own); Windows processes need SystemRoot.
    // TESSDATA_PREFIX: where the user keeps Tesseract's models, if not
    // where the library looks by itself.
    for name in ["LD_LIBRARY_PATH", "SystemRoot", "TESSDATA_PREFIX"] {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    // Tesseract's OpenMP threads would fight the other inspection running
    // beside this one on two cores, and count twice against the CPU limit.
    command.env("OMP_THREAD_LIMIT", "1");
    let mut child = command
        .args(&inspector.args)
        .arg("--memory-mib")
        .arg(limits.memory_mib.to_string())
        .arg("--cpu-secs")
        .arg(cpu_secs.to_string())
        .args(job_args)
        .arg("--")
        .arg(file_arg)
        .stdin(if content.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| InspectError::InspectorUnavailable {
            detail: format!("{}: {e}", inspector.program.display()),
        })?;
    // Read both pipes on their own threads: a child writing more than a
    // pipe holds would otherwise block forever and look like a timeout.
    let stdout = child.stdout.take().map(|s| drain(s, stdout_cap));
    let stderr = child
        .stderr
        .take()
        .map(|s| drain_stderr(s, STDERR_CAP, pages));
    // Feed stdin on its own thread too: a child that stops reading must not
    // stop the parent from enforcing the wall time.
    let feeder = match (content, child.stdin.take()) {
        (Some(content), Some(stdin)) => Some(feed(content, stdin)),
        _ => None,
    };

    let Some(status) = wait_or_kill(&mut child, limits.wall_time, cancel) else {
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Ok(Ran::Cancelled);
        }
        // Not joined: the readers end by themselves once the pipes close,
        // and a grandchild holding them open must not hold the parent too.
        return Ok(Ran::TimedOut);
    };
    let stdout = stdout.and_then(|t| t.join().ok()).unwrap_or_default();
    let stderr = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
    // The child has exited, so the pipe is closed and the feeder ends.
    let fed = feeder.map(|t| t.join().unwrap_or(Fed::Broken));
    Ok(Ran::Ended {
        status,
        stdout,
        stderr,
        fed,
    })
}

/// One input of a fix: its bytes as they stream (a vault object decrypted
/// as it is read, or a file of the user's) and how many there are.
pub struct FixInput {
    /// The bytes.
    pub content: Box<dyn Read + Send>,
    /// How many bytes `content` yields.
    pub len: u64,
}

/// How a fix ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixRun {
    /// The file was made.
    Made(Made),
    /// The child refused, saying why (a wrong password, a damaged input,
    /// cannot fit above the floor…).
    Refused(FixProblem),
    /// The child failed as an inspection can: timed out, out of memory,
    /// crashed, garbage, or an input that failed to read (damaged).
    Failed(Box<Verdict>),
    /// The caller cancelled; the child was killed and nothing was made.
    Cancelled,
}

/// Runs `job` on `inputs` in the inspector child (`--job fix`) under
/// `limits`, telling `pages` of each step and killing the child as soon as
/// `cancel` is set. The request (with any password) and the inputs go
/// through the child's stdin, never its arguments or environment. Fails
/// only when no child can be started.
pub fn fix_inputs(
    inspector: &InspectorCommand,
    job: FixJob,
    inputs: Vec<FixInput>,
    limits: &Limits,
    pages: Option<PageProgress>,
    cancel: &AtomicBool,
) -> Result<FixRun> {
    let request = FixRequest {
        job,
        inputs: inputs.iter().map(|i| i.len).collect(),
    };
    let mut header = zeroize::Zeroizing::new(serde_json::to_vec(&request).unwrap_or_default());
    drop(request);
    header.push(b'\n');
    let mut content: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(header));
    for input in inputs {
        content = Box::new(content.chain(input.content.take(input.len)));
    }
    let ran = run_raw(
        inspector,
        &["--job", "fix"],
        OsStr::new(STDIN_ARG),
        Some(content),
        limits,
        fix::OUTPUT_CAP + REPLY_CAP as u64,
        pages,
        Some(cancel),
    )?;
    let (status, stdout, stderr, fed) = match ran {
        Ran::Cancelled => return Ok(FixRun::Cancelled),
        Ran::TimedOut => return Ok(FixRun::Failed(Box::new(timed_out(limits)))),
        Ran::Ended {
            status,
            stdout,
            stderr,
            fed,
        } => (status, stdout, stderr, fed),
    };
    if fed == Some(Fed::Damaged) {
        return Ok(FixRun::Failed(Box::new(Verdict::Damaged)));
    }
    if !status.success() {
        return Ok(FixRun::Failed(Box::new(judge(
            status,
            &[],
            &stderr,
            limits,
        ))));
    }
    Ok(match fix::parse_reply(&stdout) {
        Ok(Ok(made)) => FixRun::Made(made),
        Ok(Err(problem)) => FixRun::Refused(problem),
        Err(fix::Garbled(detail)) => FixRun::Failed(Box::new(Verdict::GarbageOutput {
            detail: detail.to_owned(),
        })),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fed {
    /// Every byte was handed over (or the child stopped reading early).
    Done,
    /// The content itself failed to read: changed or cut.
    Damaged,
    /// The feeder thread panicked.
    Broken,
}

fn feed(
    content: Box<dyn Read + Send>,
    mut stdin: std::process::ChildStdin,
) -> std::thread::JoinHandle<Fed> {
    std::thread::spawn(move || {
        let mut content = content.take(STDIN_CAP);
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match content.read(&mut buf) {
                Ok(0) => return Fed::Done,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return Fed::Damaged,
            };
            // A closed pipe: the child is done with it (or was killed).
            if stdin.write_all(&buf[..n]).is_err() {
                return Fed::Done;
            }
        }
        // Dropping stdin closes the pipe: the child sees the end.
    })
}

fn drain(mut pipe: impl Read + Send + 'static, cap: u64) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let _ = (&mut pipe).take(cap).read_to_end(&mut kept);
        // Keep reading so the child never blocks on a full pipe.
        let _ = std::io::copy(&mut pipe, &mut std::io::sink());
        kept
    })
}

/// Reads the child's stderr line by line: progress lines go to `pages`,
/// the first `cap` bytes of the rest are kept (to recognise an allocation
/// failure), and everything else is drained so the child never blocks.
fn drain_stderr(
    pipe: impl Read + Send + 'static,
    cap: u64,
    pages: Option<PageProgress>,
) -> std::thread::JoinHandle<Vec<u8>> {
    use std::io::BufRead;
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        // Lines are cut at 4 KiB: a child cannot make the parent buffer more.
        let mut reader = std::io::BufReader::new(pipe);
        let mut line = Vec::new();
        loop {
            line.clear();
            match (&mut reader).take(4096).read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            if let Some((page, of)) = progress_line(&line) {
                if let Some(pages) = &pages {
                    pages(page, of);
                }
                continue;
            }
            let room = (cap as usize).saturating_sub(kept.len());
            kept.extend_from_slice(&line[..line.len().min(room)]);
        }
        kept
    })
}

/// `qujat-progress PAGE PAGES` with 1 <= PAGE <= PAGES.
fn progress_line(line: &[u8]) -> Option<(u32, u32)> {
    let text = std::str::from_utf8(line).ok()?.trim_end();
    let mut numbers = text.strip_prefix(PROGRESS_PREFIX)?.split(' ');
    let page: u32 = numbers.next()?.parse().ok()?;
    let of: u32 = numbers.next()?.parse().ok()?;
    (numbers.next().is_none() && page >= 1 && page <= of).then_some((page, of))
}

/// Waits for the child up to `limit`; kills it past that, or as soon as
/// `cancel` is set, and returns `None`.
fn wait_or_kill(
    child: &mut Child,
    limit: Duration,
    cancel: Option<&AtomicBool>,
) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    // Most files take a few milliseconds: poll fast at first, then back off.
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) => {}
            Err(_) => break,
        }
        if start.elapsed() >= limit || cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            break;
        }
        std::thread::sleep(pause.min(limit.saturating_sub(start.elapsed())));
        pause = (pause * 2).min(Duration::from_millis(25));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// The verdict from how the child ended and what it wrote.
fn judge(
    status: std::process::ExitStatus,
    stdout: &[u8],
    stderr: &[u8],
    limits: &Limits,
) -> Verdict {
    let out_of_memory = Verdict::OutOfMemory {
        limit_mib: limits.memory_mib,
    };
    // Rust's allocation-failure message; the only stderr the parent reads.
    let alloc_failed = memchr::memmem::find(stderr, b"memory allocation of").is_some();
    if status.success() {
        return parse_reply(stdout);
    }
    if alloc_failed {
        return out_of_memory;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        const SIGKILL: i32 = 9;
        const SIGXCPU: i32 = 24;
        match status.signal() {
            Some(SIGXCPU) => {
                return Verdict::TimedOut {
                    limit_ms: u64::try_from(limits.wall_time.as_millis()).unwrap_or(u64::MAX),
                }
            }
            // Not our kill (that is the timeout, judged before): the
            // kernel's out-of-memory killer.
            Some(SIGKILL) => return out_of_memory,
            Some(signal) => {
                return Verdict::Crashed {
                    signal: Some(signal),
                    exit_code: None,
                }
            }
            None => {}
        }
    }
    Verdict::Crashed {
        signal: None,
        exit_code: status.code(),
    }
}

/// The inspector child's entry point, called by both binaries before
/// anything else when started in inspector mode. `args` are those after the
/// mode argument: `--memory-mib N --cpu-secs N -- FILE`.
///
/// Sets the limits, silences panics (their text names source files and may
/// quote document bytes; the parent only needs to know the child failed),
/// probes the file and prints one line. Exit status 0 whenever a line was
/// printed; 2 for arguments that are not ours.
pub fn child_main(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let Some(request) = ChildArgs::parse(args) else {
        return ExitCode::from(2);
    };
    set_own_limits(&request);
    std::panic::set_hook(Box::new(|_| {
        let _ = writeln!(std::io::stderr(), "qujat inspector: the parser gave up");
    }));
    if request.fix {
        return fix_main(&request);
    }
    let bytes = if request.file.as_os_str() == STDIN_ARG {
        read_stdin_capped()
    } else {
        read_capped(&request.file)
    };
    let verdict = match bytes {
        Ok(bytes) => {
            let budget = Budget::for_cpu_limit(request.cpu_secs);
            let mut progress = |page: usize, pages: usize| {
                let _ = writeln!(std::io::stderr(), "{PROGRESS_PREFIX}{page} {pages}");
            };
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                probe_with(&bytes, budget, &mut progress)
            }))
            .unwrap_or_else(|_| Verdict::Unreadable {
                kind: kind::detect(&bytes[..bytes.len().min(kind::SNIFF_LEN)]),
                detail: "the parser gave up on the file's structure".into(),
            })
        }
        Err(e) => Verdict::Unreadable {
            kind: kind::FileKind::Other,
            detail: format!("cannot be read: {}", e.kind()),
        },
    };
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{}", reply_line(&verdict)).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(1),
    }
}

struct ChildArgs {
    memory_mib: u64,
    cpu_secs: u64,
    /// `--job fix`: make a file ([`fix`]) instead of inspecting one.
    fix: bool,
    file: PathBuf,
}

/// The child's fix job: the request and inputs from stdin, one reply line
/// and the file made on stdout.
fn fix_main(request: &ChildArgs) -> ExitCode {
    let result = if request.file.as_os_str() != STDIN_ARG {
        Err(FixProblem::BadRequest {
            detail: "a fix reads its request from stdin".into(),
        })
    } else {
        match fix::read_request(&mut std::io::stdin().lock()) {
            Ok((job, inputs)) => {
                let mut progress = |step: usize, steps: usize| {
                    let _ = writeln!(std::io::stderr(), "{PROGRESS_PREFIX}{step} {steps}");
                };
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    fix::run(&job, &inputs, &mut progress)
                }))
                .unwrap_or(Err(FixProblem::InputUnreadable { input: 1 }))
            }
            Err(detail) => Err(FixProblem::BadRequest { detail }),
        }
    };
    let mut out = std::io::stdout().lock();
    let written = writeln!(out, "{}", fix::reply_line(&result))
        .and_then(|()| match &result {
            Ok(made) => out.write_all(&made.bytes),
            Err(_) => Ok(()),
        })
        .and_then(|()| out.flush());
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(1),
    }
}

impl ChildArgs {
    fn parse(args: impl IntoIterator<Item = OsString>) -> Option<ChildArgs> {
        let mut args = args.into_iter();
        let mut memory_mib = Limits::default().memory_mib;
        let mut cpu_secs = Limits::default().wall_time.as_secs() + 2;
        let mut fix = false;
        loop {
            let arg = args.next()?;
            match arg.to_str() {
                Some("--memory-mib") => memory_mib = args.next()?.to_str()?.parse().ok()?,
                Some("--cpu-secs") => cpu_secs = args.next()?.to_str()?.parse().ok()?,
                Some("--job") => {
                    fix = match args.next()?.to_str()? {
                        "fix" => true,
                        "inspect" => false,
                        _ => return None,
                    }
                }
                Some("--") => break,
                _ => return None,
            }
        }
        let file = PathBuf::from(args.next()?);
        args.next().is_none().then_some(ChildArgs {
            memory_mib,
            cpu_secs,
            fix,
            file,
        })
    }
}

/// Reads the file, refusing more than the memory limit could hold anyway.
fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(1 << 31)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads the document from stdin (a vault object the parent decrypts).
fn read_stdin_capped() -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(STDIN_CAP)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(unix)]
fn set_own_limits(request: &ChildArgs) {
    use rlimit::Resource;
    // Failing to set a limit is not a reason to refuse the file: the
    // parent's wall-time limit still holds. So errors are ignored.
    let bytes = request.memory_mib.saturating_mul(1024 * 1024);
    let _ = Resource::AS.set(bytes, bytes);
    let _ = Resource::CPU.set(request.cpu_secs, request.cpu_secs + 1);
    let _ = Resource::CORE.set(0, 0);
}

#[cfg(not(unix))]
fn set_own_limits(_request: &ChildArgs) {
    // Windows: the parent is to assign a job object (ARCHITECTURE.md).
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn progress_lines_are_told_apart_from_other_stderr() {
        assert_eq!(progress_line(b"qujat-progress 2 5\n"), Some((2, 5)));
        assert_eq!(progress_line(b"qujat-progress 6 5\n"), None);
        assert_eq!(progress_line(b"qujat-progress 0 5"), None);
        assert_eq!(progress_line(b"qujat-progress 1 2 3"), None);
        assert_eq!(progress_line(b"memory allocation of 5 bytes failed"), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_childs_page_progress_reaches_the_parent_and_stays_out_of_stderr() {
        use std::sync::{Arc, Mutex};
        let inspector = InspectorCommand {
            program: PathBuf::from("/bin/sh"),
            args: vec![
                "-c".into(),
                "echo 'qujat-progress 1 2' >&2; echo 'qujat-progress 2 2' >&2; \
                 echo 'memory allocation of 4096 bytes failed' >&2; kill -ABRT $$"
                    .into(),
            ],
        };
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let pages: PageProgress = Arc::new(move |page, of| {
            sink.lock().expect("lock").push((page, of));
        });
        let verdict = inspect_content_with_pages(
            &inspector,
            Box::new(std::io::empty()),
            &Limits::default(),
            None,
            Some(pages),
            &AtomicBool::new(false),
        )
        .expect("spawned")
        .expect("not cancelled");
        assert_eq!(*seen.lock().expect("lock"), [(1, 2), (2, 2)]);
        assert_eq!(verdict, Verdict::OutOfMemory { limit_mib: 1024 });
    }

    #[cfg(unix)]
    #[test]
    fn a_cancelled_inspection_kills_the_child_and_gives_no_verdict() {
        let inspector = InspectorCommand {
            program: PathBuf::from("/bin/sh"),
            args: vec!["-c".into(), "exec sleep 5".into()],
        };
        let cancel = std::sync::Arc::new(AtomicBool::new(false));
        let setter = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(150));
            setter.store(true, Ordering::Relaxed);
        });
        let start = Instant::now();
        let verdict = inspect_content_with_pages(
            &inspector,
            Box::new(std::io::empty()),
            &Limits::default(),
            None,
            None,
            &cancel,
        )
        .expect("spawned");
        assert_eq!(verdict, None);
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "killed, not waited for"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fix_is_cancelled_refused_or_failed_as_the_child_ends() {
        let run = |script: &str, cancel: bool| {
            let inspector = InspectorCommand {
                program: PathBuf::from("/bin/sh"),
                args: vec!["-c".into(), script.into()],
            };
            let flag = std::sync::Arc::new(AtomicBool::new(false));
            if cancel {
                let setter = flag.clone();
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(150));
                    setter.store(true, Ordering::Relaxed);
                });
            }
            let input = FixInput {
                content: Box::new(std::io::Cursor::new(b"%PDF-1.7".to_vec())),
                len: 8,
            };
            fix_inputs(
                &inspector,
                FixJob::Unlock { password: None },
                vec![input],
                &Limits::default(),
                None,
                &flag,
            )
            .expect("spawned")
        };
        let start = Instant::now();
        assert_eq!(run("exec sleep 5", true), FixRun::Cancelled);
        assert!(start.elapsed() < Duration::from_secs(2), "killed");
        // The child reads the request and the input, then refuses.
        let refused = format!(
            "cat >/dev/null; echo '{}'",
            fix::reply_line(&Err(FixProblem::WrongPassword))
        );
        assert_eq!(
            run(&refused, false),
            FixRun::Refused(FixProblem::WrongPassword)
        );
        assert!(matches!(
            run("cat >/dev/null; echo 'not a reply'", false),
            FixRun::Failed(v) if matches!(*v, Verdict::GarbageOutput { .. })
        ));
        assert!(matches!(
            run("kill -SEGV $$", false),
            FixRun::Failed(v) if matches!(*v, Verdict::Crashed { .. })
        ));
    }

    #[test]
    fn a_replaced_binary_is_told_apart() {
        assert!(replaced(std::path::Path::new(
            "/usr/bin/qujat-app (deleted)"
        )));
        assert!(!replaced(std::path::Path::new("/usr/bin/qujat-app")));
    }

    #[test]
    fn child_arguments_are_ours_or_refused() {
        let parse = |a: &[&str]| ChildArgs::parse(a.iter().map(OsString::from));
        let ok = parse(&["--memory-mib", "64", "--cpu-secs", "3", "--", "f.pdf"])
            .expect("well-formed arguments");
        assert_eq!((ok.memory_mib, ok.cpu_secs), (64, 3));
        assert_eq!(ok.file, PathBuf::from("f.pdf"));
        assert!(parse(&["--", "a", "b"]).is_none(), "one file only");
        assert!(parse(&["--memory-mib", "x", "--", "a"]).is_none());
        assert!(parse(&["f.pdf"]).is_none(), "the file comes after --");
    }

    #[cfg(unix)]
    #[test]
    fn a_child_that_never_reads_its_stdin_is_still_killed_at_the_wall_time() {
        let inspector = InspectorCommand {
            program: PathBuf::from("/bin/sh"),
            args: vec!["-c".into(), "exec sleep 5".into()],
        };
        let limits = Limits {
            wall_time: Duration::from_millis(200),
            memory_mib: 64,
        };
        // Far more than a pipe holds: the feeder blocks until the kill.
        let content: Box<dyn Read + Send> = Box::new(std::io::repeat(b'x').take(64 << 20));
        let start = Instant::now();
        let verdict = inspect_content(&inspector, content, &limits, None).expect("spawned");
        assert_eq!(verdict, Verdict::TimedOut { limit_ms: 200 });
        assert!(start.elapsed() < Duration::from_secs(2));
    }

    #[cfg(unix)]
    #[test]
    fn content_that_fails_to_read_is_damaged() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "tag"))
            }
        }
        let inspector = InspectorCommand {
            program: PathBuf::from("/bin/sh"),
            args: vec!["-c".into(), "cat >/dev/null; echo '{}'".into()],
        };
        let verdict = inspect_content(&inspector, Box::new(Failing), &Limits::default(), None)
            .expect("spawned");
        assert_eq!(verdict, Verdict::Damaged);
    }

    #[test]
    fn a_program_that_cannot_start_is_an_error_not_a_verdict() {
        let inspector = InspectorCommand {
            program: PathBuf::from("/nonexistent/qujat-inspector"),
            args: vec![],
        };
        let result = inspect_file(&inspector, Path::new("x"), &Limits::default(), None);
        assert!(matches!(
            result,
            Err(Error::Inspect(InspectError::InspectorUnavailable { .. }))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_child_that_overruns_is_killed_and_timed_out() {
        // `sleep` stands in for a runaway parser; `sh -c` takes our
        // arguments as its positional parameters and ignores them.
        let inspector = InspectorCommand {
            program: PathBuf::from("/bin/sh"),
            args: vec!["-c".into(), "exec sleep 5".into()],
        };
        let limits = Limits {
            wall_time: Duration::from_millis(200),
            memory_mib: 64,
        };
        let start = Instant::now();
        let verdict = inspect_file(&inspector, Path::new("x"), &limits, None).expect("spawned");
        assert_eq!(verdict, Verdict::TimedOut { limit_ms: 200 });
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "the parent does not wait for the child past the limit"
        );
    }

    #[cfg(unix)]
    #[test]
    fn crashes_garbage_and_allocation_failures_become_verdicts() {
        let run = |script: &str| {
            let inspector = InspectorCommand {
                program: PathBuf::from("/bin/sh"),
                args: vec!["-c".into(), script.into()],
            };
            inspect_file(&inspector, Path::new("x"), &Limits::default(), None).expect("spawned")
        };
        assert_eq!(
            run("kill -SEGV $$"),
            Verdict::Crashed {
                signal: Some(11),
                exit_code: None
            }
        );
        assert!(matches!(
            run("echo 'thread main panicked at x'"),
            Verdict::GarbageOutput { .. }
        ));
        assert_eq!(
            run("echo 'memory allocation of 4096 bytes failed' >&2; kill -ABRT $$"),
            Verdict::OutOfMemory { limit_mib: 1024 }
        );
        assert_eq!(
            run("exit 3"),
            Verdict::Crashed {
                signal: None,
                exit_code: Some(3)
            }
        );
    }
}
