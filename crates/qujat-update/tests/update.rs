//! Rule-pack updates against a real HTTP server on 127.0.0.1 (an ephemeral
//! port, a few lines of `std::net` below), one test per way an update can
//! go wrong. Each checks the exact error and that the last good pack is
//! still in use, in the open workspace and after reopening it.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use qujat_core::rules::installed::{RulesUpdate, TrustedKey};
use qujat_core::{Error, OpenOptions, RulesError, Workspace};
use qujat_update::{update, UpdateOptions};

const PILOT: &str = include_str!("../../qujat-core/rules/kz-ai-pilot.toml");
const ID: &str = "kz-ai-pilot";
/// A version `offset` steps after (or before) the built-in pilot pack's, read
/// from the pack itself so that raising the built-in version needs no test edit.
fn ver(offset: i64) -> String {
    let line = PILOT
        .lines()
        .find(|l| l.starts_with("version = "))
        .expect("the pack has a version line");
    let current = line.trim_start_matches("version = ").trim_matches('"');
    let (year, n) = current.split_once('.').expect("YYYY.N");
    let n: i64 = n.parse().expect("N");
    let year: i64 = year.parse().expect("YYYY");
    if n + offset >= 1 {
        format!("{year}.{}", n + offset)
    } else {
        format!("{}.{}", year - 1, 90 + n + offset)
    }
}

/// What the server answers for one path.
#[derive(Clone)]
enum Reply {
    Ok(Vec<u8>),
    Status(u16),
    /// Announces the full length, sends only the first `sent` bytes, hangs up.
    Truncated {
        body: Vec<u8>,
        sent: usize,
    },
    /// No length announced; sends zeros until the client hangs up (or 64 MiB).
    Endless,
    /// Sends the headers, then one byte of `body` every `every`.
    Dribble {
        body: Vec<u8>,
        every: Duration,
    },
    /// Accepts and answers nothing for `wait`.
    Stall {
        wait: Duration,
    },
    /// Sends the headers after `every`, then one byte of `body` every
    /// `every`: each wait just inside a per-read timeout.
    Late {
        body: Vec<u8>,
        every: Duration,
    },
    /// `302 Found` to `Location`.
    Redirect(String),
}

/// A tiny HTTP/1.1 server with a fixed route table. It serves until the
/// test drops it, and at most 60 seconds, so it always stops by itself.
struct Server {
    base: String,
    routes: Arc<Mutex<Vec<(String, Reply)>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}/packs", listener.local_addr().expect("addr"));
        listener.set_nonblocking(true).expect("nonblocking");
        let routes: Arc<Mutex<Vec<(String, Reply)>>> = Arc::default();
        let table = Arc::clone(&routes);
        thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline && Arc::strong_count(&table) > 1 {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let table = Arc::clone(&table);
                        thread::spawn(move || serve(stream, &table));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server { base, routes }
    }

    fn route(&self, name: &str, reply: Reply) {
        let path = format!("/packs/{name}");
        let mut routes = self.routes.lock().expect("routes");
        routes.retain(|(p, _)| *p != path);
        routes.push((path, reply));
    }

    /// Publishes `pack` and its signature.
    fn publish(&self, pack: &[u8], signature: &[u8]) {
        self.route(&format!("{ID}.toml"), Reply::Ok(pack.to_vec()));
        self.route(&format!("{ID}.toml.minisig"), Reply::Ok(signature.to_vec()));
    }
}

fn serve(stream: TcpStream, routes: &Mutex<Vec<(String, Reply)>>) {
    let _ = stream.set_nonblocking(false);
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .to_owned();
    let reply = routes
        .lock()
        .expect("routes")
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, r)| r.clone())
        .unwrap_or(Reply::Status(404));
    let mut out = stream;
    let head = |status: &str, length: Option<usize>| {
        let length = length.map_or(String::new(), |n| format!("Content-Length: {n}\r\n"));
        format!("HTTP/1.1 {status}\r\n{length}Connection: close\r\n\r\n")
    };
    let _ = match reply {
        Reply::Ok(body) => out
            .write_all(head("200 OK", Some(body.len())).as_bytes())
            .and_then(|_| out.write_all(&body)),
        Reply::Status(code) => {
            let reason = if code == 404 {
                "Not Found"
            } else {
                "Internal Server Error"
            };
            out.write_all(head(&format!("{code} {reason}"), Some(0)).as_bytes())
        }
        Reply::Truncated { body, sent } => out
            .write_all(head("200 OK", Some(body.len())).as_bytes())
            .and_then(|_| out.write_all(&body[..sent])),
        Reply::Endless => {
            let zeros = vec![0u8; 64 * 1024];
            let _ = out.write_all(head("200 OK", None).as_bytes());
            for _ in 0..1024 {
                if out.write_all(&zeros).is_err() {
                    break;
                }
            }
            Ok(())
        }
        Reply::Dribble { body, every } => {
            let _ = out.write_all(head("200 OK", Some(body.len())).as_bytes());
            for byte in body.iter().take(200) {
                thread::sleep(every);
                if out.write_all(&[*byte]).and_then(|_| out.flush()).is_err() {
                    break;
                }
            }
            Ok(())
        }
        Reply::Stall { wait } => {
            thread::sleep(wait);
            Ok(())
        }
        Reply::Late { body, every } => {
            thread::sleep(every);
            let _ = out.write_all(head("200 OK", Some(body.len())).as_bytes());
            for byte in body.iter().take(20) {
                thread::sleep(every);
                if out.write_all(&[*byte]).and_then(|_| out.flush()).is_err() {
                    break;
                }
            }
            Ok(())
        }
        Reply::Redirect(location) => out.write_all(
            format!(
                "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        ),
    };
}

#[path = "../../../tests/fixtures/publisher.rs"]
mod publisher;
use publisher::Publisher;

fn pilot_at(version: &str) -> Vec<u8> {
    let builtin = format!("version = \"{}\"", ver(0));
    assert!(PILOT.contains(&builtin));
    PILOT
        .replacen(&builtin, &format!("version = \"{version}\""), 1)
        .into_bytes()
}

struct Case {
    _dir: tempfile::TempDir,
    data: std::path::PathBuf,
    server: Server,
    publisher: Publisher,
    ws: Workspace,
}

impl Case {
    fn new() -> Case {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let publisher = Publisher::new();
        let ws = Workspace::open(OpenOptions::new(&data).trusting(&publisher.key())).expect("open");
        Case {
            _dir: dir,
            data,
            server: Server::start(),
            publisher,
            ws,
        }
    }

    fn run(&mut self, options: &UpdateOptions) -> Result<RulesUpdate, Error> {
        let outcomes = update(
            &mut self.ws,
            &self.server.base,
            &[ID.to_owned()],
            &self.publisher.key(),
            options,
        );
        assert_eq!(outcomes.len(), 1);
        outcomes
            .into_iter()
            .next()
            .map(|o| o.result)
            .expect("one outcome")
    }

    fn update(&mut self) -> Result<RulesUpdate, Error> {
        self.run(&quick())
    }

    /// A good newer pack is installed first, so "the last good pack" is an
    /// installed one, not just the built-in.
    fn with_good_update(mut self) -> Case {
        let good = pilot_at(&ver(1));
        self.server.publish(&good, &self.publisher.sign(&good));
        self.update().expect("the good update installs");
        self
    }

    /// The pack in use, now and after reopening the data folder.
    fn assert_in_use(&self, version: &str, why: &str) {
        let now = &self.ws.program(ID).expect("pilot").version;
        assert_eq!(now, version, "{why} (open workspace)");
        let reopened =
            Workspace::open(OpenOptions::new(&self.data).trusting(&self.publisher.key()))
                .expect("reopen");
        assert_eq!(
            reopened.program(ID).expect("pilot").version,
            version,
            "{why} (after reopening)"
        );
        assert!(
            reopened.rules_status().notices.is_empty(),
            "nothing broken was left on disk: {:?}",
            reopened.rules_status().notices
        );
    }
}

fn quick() -> UpdateOptions {
    UpdateOptions {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(2),
        max_pack_bytes: 256 * 1024,
        ..UpdateOptions::default()
    }
}

#[test]
fn a_good_update_is_verified_installed_and_used() {
    let mut case = Case::new();
    case.assert_in_use(&ver(0), "the built-in pack before the update");
    let good = pilot_at(&ver(1));
    case.server.publish(&good, &case.publisher.sign(&good));
    assert_eq!(
        case.update(),
        Ok(RulesUpdate::Installed {
            id: ID.into(),
            from: Some(ver(0)),
            to: ver(1)
        })
    );
    case.assert_in_use(&ver(1), "the update is in use");
    assert_eq!(
        case.update(),
        Ok(RulesUpdate::UpToDate {
            id: ID.into(),
            version: ver(1)
        }),
        "the same version again is nothing to do"
    );
}

#[test]
fn a_bad_signature_is_refused() {
    let mut case = Case::new().with_good_update();
    let next = pilot_at(&ver(2));
    let mut altered = next.clone();
    altered.extend_from_slice(b"\n# slipped in after signing\n");
    case.server.publish(&altered, &case.publisher.sign(&next));
    assert_eq!(
        case.update(),
        Err(RulesError::RulesSignatureInvalid {
            file: format!("{ID}.toml")
        }
        .into())
    );
    case.assert_in_use(&ver(1), "the last good pack stays");
}

#[test]
fn a_pack_signed_with_another_key_is_refused() {
    let mut case = Case::new().with_good_update();
    let next = pilot_at(&ver(2));
    case.server.publish(&next, &Publisher::new().sign(&next));
    assert_eq!(
        case.update(),
        Err(RulesError::RulesWrongKey {
            file: format!("{ID}.toml")
        }
        .into())
    );
    case.assert_in_use(&ver(1), "the last good pack stays");
}

#[test]
fn a_truncated_body_is_refused() {
    let mut case = Case::new().with_good_update();
    let next = pilot_at(&ver(2));
    let signature = case.publisher.sign(&next);
    case.server.publish(&next, &signature);
    case.server.route(
        &format!("{ID}.toml"),
        Reply::Truncated {
            sent: next.len() / 2,
            body: next,
        },
    );
    let url = format!("{}/{ID}.toml", case.server.base);
    assert_eq!(
        case.update(),
        Err(RulesError::RulesUpdateTruncated { url }.into())
    );
    case.assert_in_use(&ver(1), "the last good pack stays");
}

#[test]
fn an_oversized_body_is_stopped_while_it_streams() {
    let mut case = Case::new().with_good_update();
    let next = pilot_at(&ver(2));
    case.server.publish(&next, &case.publisher.sign(&next));
    case.server.route(&format!("{ID}.toml"), Reply::Endless);
    let started = Instant::now();
    let url = format!("{}/{ID}.toml", case.server.base);
    assert_eq!(
        case.update(),
        Err(RulesError::RulesUpdateTooLarge {
            url,
            limit: 256 * 1024
        }
        .into())
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "stopped at the limit, not after reading the 64 MiB the server offers"
    );
    case.assert_in_use(&ver(1), "the last good pack stays");
}

#[test]
fn a_server_that_answers_too_slowly_times_out() {
    let mut case = Case::new().with_good_update();
    let next = pilot_at(&ver(2));
    case.server.publish(&next, &case.publisher.sign(&next));
    let options = UpdateOptions {
        timeout: Duration::from_secs(1),
        ..quick()
    };
    let url = format!("{}/{ID}.toml", case.server.base);

    // First a server that says nothing at all…
    case.server.route(
        &format!("{ID}.toml"),
        Reply::Stall {
            wait: Duration::from_secs(4),
        },
    );
    let started = Instant::now();
    assert_eq!(
        case.run(&options),
        Err(RulesError::RulesUpdateTimeout {
            url: url.clone(),
            seconds: 1
        }
        .into())
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "gave up on time"
    );

    // …then one that sends a byte now and then, never enough to trip a
    // per-read timeout, but far past the overall one.
    case.server.route(
        &format!("{ID}.toml"),
        Reply::Dribble {
            body: next,
            every: Duration::from_millis(200),
        },
    );
    let started = Instant::now();
    assert_eq!(
        case.run(&options),
        Err(RulesError::RulesUpdateTimeout { url, seconds: 1 }.into())
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "gave up on time"
    );
    case.assert_in_use(&ver(1), "the last good pack stays");
}

#[test]
fn a_missing_pack_is_http_404() {
    let mut case = Case::new().with_good_update();
    case.server.route(&format!("{ID}.toml"), Reply::Status(404));
    let url = format!("{}/{ID}.toml", case.server.base);
    assert_eq!(
        case.update(),
        Err(RulesError::RulesUpdateHttp { url, status: 404 }.into())
    );
    case.assert_in_use(&ver(1), "the last good pack stays");
}

#[test]
fn a_server_error_is_http_500() {
    let mut case = Case::new().with_good_update();
    case.server
        .route(&format!("{ID}.toml.minisig"), Reply::Status(500));
    let url = format!("{}/{ID}.toml.minisig", case.server.base);
    assert_eq!(
        case.update(),
        Err(RulesError::RulesUpdateHttp { url, status: 500 }.into())
    );
    case.assert_in_use(&ver(1), "the last good pack stays");
}

#[test]
fn an_older_version_is_never_installed() {
    let mut case = Case::new().with_good_update();
    let older = pilot_at(&ver(-1));
    case.server.publish(&older, &case.publisher.sign(&older));
    assert_eq!(
        case.update(),
        Err(RulesError::RulesDowngrade {
            id: ID.into(),
            offered: ver(-1),
            installed: ver(1)
        }
        .into())
    );
    case.assert_in_use(&ver(1), "the last good pack stays");
}

#[test]
fn an_invalid_pack_with_a_good_signature_is_refused() {
    let mut case = Case::new().with_good_update();
    let broken = pilot_at(&ver(2))
        .iter()
        .copied()
        .chain(b"\nunknown-field = 1\n".iter().copied())
        .collect::<Vec<u8>>();
    case.server.publish(&broken, &case.publisher.sign(&broken));
    assert!(
        matches!(
            case.update(),
            Err(Error::Rules(RulesError::RulePack { .. }))
        ),
        "the schema is checked after the signature"
    );
    case.assert_in_use(&ver(1), "the last good pack stays");
}

#[test]
fn no_server_at_all_is_offline() {
    let mut case = Case::new().with_good_update();
    // A port nothing listens on: bind one, then free it.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let outcomes = update(
        &mut case.ws,
        &format!("http://127.0.0.1:{port}/packs"),
        &[ID.to_owned()],
        &case.publisher.key(),
        &quick(),
    );
    assert!(
        matches!(
            outcomes[0].result,
            Err(Error::Rules(RulesError::RulesUpdateOffline { .. }))
        ),
        "{:?}",
        outcomes[0].result
    );
    case.assert_in_use(&ver(1), "the last good pack stays");
}

#[test]
fn one_deadline_bounds_headers_and_body_together() {
    let mut case = Case::new().with_good_update();
    let next = pilot_at(&ver(2));
    case.server.publish(&next, &case.publisher.sign(&next));
    let options = UpdateOptions {
        timeout: Duration::from_secs(1),
        ..quick()
    };
    let url = format!("{}/{ID}.toml.minisig", case.server.base);
    // Headers at 0.9 s, then a byte every 0.9 s: no single read waits past
    // the 1 s limit, and a check before each read alone would let it run
    // to 1.8 s (to 60 s with the real 30 s limit).
    case.server.route(
        &format!("{ID}.toml.minisig"),
        Reply::Late {
            body: case.publisher.sign(&next),
            every: Duration::from_millis(900),
        },
    );
    let started = Instant::now();
    assert_eq!(
        case.run(&options),
        Err(RulesError::RulesUpdateTimeout { url, seconds: 1 }.into())
    );
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(1400),
        "the deadline held: {took:?}"
    );
    case.assert_in_use(&ver(1), "the last good pack stays");
}

#[test]
fn a_redirect_to_another_server_is_refused_unfollowed() {
    let mut case = Case::new().with_good_update();
    let next = pilot_at(&ver(2));
    case.server.publish(&next, &case.publisher.sign(&next));
    let url = format!("{}/{ID}.toml.minisig", case.server.base);
    // Another server that would serve the same good files: a redirect there
    // is refused all the same (another port is another origin)…
    let other = Server::start();
    other.publish(&next, &case.publisher.sign(&next));
    let elsewhere = format!("{}/{ID}.toml.minisig", other.base);
    // …and so is the cloud metadata address, never contacted.
    let link_local = "http://169.254.169.254/latest/meta-data".to_owned();
    for to in [elsewhere, link_local] {
        case.server
            .route(&format!("{ID}.toml.minisig"), Reply::Redirect(to.clone()));
        assert_eq!(
            case.update(),
            Err(RulesError::RulesUpdateRedirect {
                url: url.clone(),
                to
            }
            .into())
        );
        case.assert_in_use(&ver(1), "the last good pack stays");
    }
}

#[test]
fn a_redirect_within_the_same_server_is_followed() {
    let mut case = Case::new();
    let good = pilot_at(&ver(1));
    case.server.publish(&good, &case.publisher.sign(&good));
    case.server.route("moved.toml", Reply::Ok(good.clone()));
    case.server.route(
        &format!("{ID}.toml"),
        Reply::Redirect("/packs/moved.toml".into()),
    );
    assert!(case.update().is_ok(), "a same-origin redirect is followed");
    case.assert_in_use(&ver(1), "the redirected pack is installed");
}
