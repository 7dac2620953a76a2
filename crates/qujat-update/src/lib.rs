//! Signed rule-pack updates over the network.
//!
//! This crate is the only part of Qujat with a network stack: the core stays
//! offline and only ever judges bytes (`qujat_core::rules::installed`), and
//! the CLI (and later the app) calls [`update`] when the user asks.
//!
//! The protocol is two static files per program under one base address:
//! ```text
//! <base>/<program-id>.toml           the pack
//! <base>/<program-id>.toml.minisig   its minisign signature
//! ```
//! Any static web server can publish them. Each download is bounded in time
//! (connect, and one deadline over connect, headers and body together, so a
//! server dripping a byte at a time cannot hold it longer) and in size
//! (enforced while the body streams in, so an endless body costs at most the
//! limit); a redirect is followed only within the same origin (scheme, host
//! and port), so a server cannot send Qujat to another host or into the
//! local network. The pack is only installed after its signature, its
//! schema and its version have been checked. On any failure the pack in use
//! stays, and the error says why.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use qujat_core::rules::installed::{RulesUpdate, TrustedKey, MAX_PACK_BYTES, MAX_SIGNATURE_BYTES};
use qujat_core::{Catalog, Error, RulesError};

/// Where packs are published unless `--url` or [`URL_ENV`] says otherwise:
/// the GitHub Pages site of the project's repository (github.com/qujat/qujat,
/// branch `gh-pages`, folder `rules/v1/`), as docs/rule-packs.md describes.
/// Pages serves the files from this origin itself; release assets would
/// redirect to another host, which the update refuses to follow. `v1` is
/// the publishing layout, not the pack format: a new layout gets `v2` and
/// the old folder stays for older Qujats.
pub const DEFAULT_URL: &str = "https://qujat.github.io/qujat/rules/v1";

/// The environment variable that overrides [`DEFAULT_URL`].
pub const URL_ENV: &str = "QUJAT_RULES_URL";

/// Limits of one update.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// Time allowed to connect to the server.
    pub connect_timeout: Duration,
    /// Time allowed for each download, from the request to the last byte
    /// (connect, headers and body together).
    pub timeout: Duration,
    /// Largest pack accepted.
    pub max_pack_bytes: u64,
    /// Largest signature accepted.
    pub max_signature_bytes: u64,
}

impl Default for UpdateOptions {
    fn default() -> Self {
        UpdateOptions {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_pack_bytes: MAX_PACK_BYTES,
            max_signature_bytes: MAX_SIGNATURE_BYTES,
        }
    }
}

/// The outcome for one program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackOutcome {
    /// The program id.
    pub id: String,
    /// Installed, already up to date, or why not.
    pub result: Result<RulesUpdate, Error>,
}

/// A pack's bytes and its signature's, as downloaded and not yet judged.
pub type Download = (Vec<u8>, Vec<u8>);

/// The address to update from: `asked` (a `--url`, or the app's field),
/// which is remembered in `catalog` for the next time (empty: back to the
/// default), else the one remembered, else [`DEFAULT_URL`]. The app and the
/// CLI both go through here, so an address set in one is used by the other.
pub fn update_url(catalog: &mut impl AsMut<Catalog>, asked: Option<&str>) -> Result<String, Error> {
    let catalog = catalog.as_mut();
    if let Some(asked) = asked {
        catalog.save_update_url(asked)?;
    }
    Ok(catalog
        .saved_update_url()
        .unwrap_or_else(|| DEFAULT_URL.to_owned()))
}

/// Fetches the pack of each program in `programs` (every program offered,
/// when empty) from `base_url`, and installs those that are validly signed
/// with `key` and newer than the pack in use. One program's failure does not
/// stop the others.
pub fn update(
    catalog: &mut impl AsMut<Catalog>,
    base_url: &str,
    programs: &[String],
    key: &TrustedKey,
    options: &UpdateOptions,
) -> Vec<PackOutcome> {
    let catalog = catalog.as_mut();
    let ids: Vec<String> = if programs.is_empty() {
        catalog.programs().iter().map(|p| p.id.clone()).collect()
    } else {
        programs.to_vec()
    };
    // An unknown id would otherwise become a request for any path.
    let downloads = download_all(base_url, ids, options, |id| catalog.program(id).map(|_| ()));
    install_all(catalog, downloads, key)
}

/// Downloads each program's pack from `base_url`, holding nothing else: the
/// app runs this with its workspace free for the rest of the window.
/// `known` refuses an id before any request is made for it.
pub fn download_all(
    base_url: &str,
    ids: Vec<String>,
    options: &UpdateOptions,
    known: impl Fn(&str) -> Result<(), Error>,
) -> Vec<(String, Result<Download, Error>)> {
    match client(options) {
        Ok(client) => ids
            .into_iter()
            .map(|id| {
                let got = known(&id).and_then(|()| download(&client, base_url, &id, options));
                (id, got)
            })
            .collect(),
        Err(e) => ids.into_iter().map(|id| (id, Err(e.clone()))).collect(),
    }
}

/// Offers each download to `catalog`, which checks the signature, the
/// schema and the version, and switches to a newer pack atomically.
pub fn install_all(
    catalog: &mut impl AsMut<Catalog>,
    downloads: Vec<(String, Result<Download, Error>)>,
    key: &TrustedKey,
) -> Vec<PackOutcome> {
    let catalog = catalog.as_mut();
    downloads
        .into_iter()
        .map(|(id, got)| {
            let result = got
                .and_then(|(pack, signature)| catalog.offer_rule_pack(&id, &pack, &signature, key));
            PackOutcome { id, result }
        })
        .collect()
}

/// Downloads program `id`'s pack and its signature from `base_url`, within
/// the limits of `options`, without judging them: hand both to
/// `Catalog::offer_rule_pack`, which checks and installs. `id` must be a
/// program's id (it becomes part of the address). Needs no workspace, so
/// the app downloads without holding its own.
pub fn download(
    client: &reqwest::blocking::Client,
    base_url: &str,
    id: &str,
    options: &UpdateOptions,
) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let url = format!("{}/{id}.toml", base_url.trim_end_matches('/'));
    let signature = fetch(
        client,
        &format!("{url}.minisig"),
        options.max_signature_bytes,
        options.timeout,
    )?;
    let pack = fetch(client, &url, options.max_pack_bytes, options.timeout)?;
    Ok((pack, signature))
}

/// Most redirects followed within one origin.
const MAX_REDIRECTS: usize = 5;

/// The HTTP client [`download`] needs, with the timeouts of `options`, and
/// following redirects only within the origin first asked.
pub fn client(options: &UpdateOptions) -> Result<reqwest::blocking::Client, Error> {
    reqwest::blocking::Client::builder()
        .connect_timeout(options.connect_timeout)
        // Per read; the overall deadline is enforced in `fetch`.
        .timeout(options.timeout)
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            let first = attempt.previous().first().unwrap_or(attempt.url());
            if !same_origin(first, attempt.url()) {
                let to = qujat_core::text::visible_capped(attempt.url().as_str(), 200);
                attempt.error(CrossOrigin(to))
            } else if attempt.previous().len() > MAX_REDIRECTS {
                attempt.error(TooManyRedirects)
            } else {
                attempt.follow()
            }
        }))
        .user_agent(concat!("qujat/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| {
            Error::from(RulesError::RulesUpdateOffline {
                url: DEFAULT_URL.into(),
                detail: e.to_string(),
            })
        })
}

fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// A redirect to another origin, refused; carries where it pointed.
#[derive(Debug)]
struct CrossOrigin(String);

impl std::fmt::Display for CrossOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "redirected to another origin: {}", self.0)
    }
}

impl std::error::Error for CrossOrigin {}

#[derive(Debug)]
struct TooManyRedirects;

impl std::fmt::Display for TooManyRedirects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more than {MAX_REDIRECTS} redirects")
    }
}

impl std::error::Error for TooManyRedirects {}

/// Downloads `url`, refusing more than `limit` bytes as soon as it is
/// announced or received, and anything that takes longer than `timeout`
/// from the request to the last byte.
///
/// The blocking client's timeout applies to each read, not to the whole: a
/// server sending headers and then body one byte just inside it each time
/// would hold a download for as long as it liked. So the download runs on
/// its own thread and this one waits for it until the deadline, no longer;
/// past it, the thread is told to stop and left to end at its next read.
pub fn fetch(
    client: &reqwest::blocking::Client,
    url: &str,
    limit: u64,
    timeout: Duration,
) -> Result<Vec<u8>, Error> {
    let started = Instant::now();
    let abandoned = Arc::new(AtomicBool::new(false));
    let (done, result) = mpsc::channel();
    {
        let (client, owned, abandoned) = (client.clone(), url.to_owned(), abandoned.clone());
        std::thread::Builder::new()
            .name("qujat-update-fetch".into())
            .spawn(move || {
                let _ = done.send(fetch_now(
                    &client, &owned, limit, timeout, started, &abandoned,
                ));
            })
            .map_err(|e| RulesError::RulesUpdateOffline {
                url: url.to_owned(),
                detail: e.to_string(),
            })?;
    }
    match result.recv_timeout(timeout.saturating_sub(started.elapsed())) {
        Ok(result) => result,
        Err(_) => {
            abandoned.store(true, Ordering::Relaxed);
            Err(timed_out(url, timeout))
        }
    }
}

/// [`fetch`]'s download itself, on its thread.
fn fetch_now(
    client: &reqwest::blocking::Client,
    url: &str,
    limit: u64,
    timeout: Duration,
    started: Instant,
    abandoned: &AtomicBool,
) -> Result<Vec<u8>, Error> {
    let mut response = client
        .get(url)
        .send()
        .map_err(|e| request_error(url, &e, timeout))?;
    let status = response.status();
    if !status.is_success() {
        return Err(RulesError::RulesUpdateHttp {
            url: url.to_owned(),
            status: status.as_u16(),
        }
        .into());
    }
    let announced = response.content_length();
    let too_large = || {
        Error::from(RulesError::RulesUpdateTooLarge {
            url: url.to_owned(),
            limit,
        })
    };
    if announced.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        // A server dribbling a byte at a time never trips the per-read
        // timeout; `fetch` has stopped waiting, so stop reading too.
        if started.elapsed() > timeout || abandoned.load(Ordering::Relaxed) {
            return Err(timed_out(url, timeout));
        }
        let n = match response.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(url, &e, timeout)),
        };
        if body.len() as u64 + n as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk[..n]);
    }
    if announced.is_some_and(|n| (body.len() as u64) < n) {
        return Err(RulesError::RulesUpdateTruncated {
            url: url.to_owned(),
        }
        .into());
    }
    Ok(body)
}

fn timed_out(url: &str, timeout: Duration) -> Error {
    Error::from(RulesError::RulesUpdateTimeout {
        url: url.to_owned(),
        seconds: timeout.as_secs().max(1),
    })
}

fn request_error(url: &str, e: &reqwest::Error, timeout: Duration) -> Error {
    if e.is_redirect() {
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            if let Some(CrossOrigin(to)) = s.downcast_ref::<CrossOrigin>() {
                return Error::from(RulesError::RulesUpdateRedirect {
                    url: url.to_owned(),
                    to: to.clone(),
                });
            }
            source = s.source();
        }
        return Error::from(RulesError::RulesUpdateOffline {
            url: url.to_owned(),
            detail: describe(e),
        });
    }
    if e.is_timeout() {
        timed_out(url, timeout)
    } else if e.is_body() || e.is_decode() {
        Error::from(RulesError::RulesUpdateTruncated {
            url: url.to_owned(),
        })
    } else {
        Error::from(RulesError::RulesUpdateOffline {
            url: url.to_owned(),
            detail: describe(e),
        })
    }
}

fn read_error(url: &str, e: &std::io::Error, timeout: Duration) -> Error {
    if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<reqwest::Error>()) {
        return request_error(url, inner, timeout);
    }
    match e.kind() {
        std::io::ErrorKind::TimedOut => timed_out(url, timeout),
        // The connection closed before the announced length: hyper reports
        // an incomplete message.
        _ => Error::from(RulesError::RulesUpdateTruncated {
            url: url.to_owned(),
        }),
    }
}

/// The error with its causes, e.g. "error sending request: dns error: …",
/// so "offline" can be told from "no such host".
fn describe(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod default_url_tests {
    use super::DEFAULT_URL;

    #[test]
    fn the_default_address_is_a_real_https_origin_of_the_project() {
        let url = reqwest::Url::parse(DEFAULT_URL).expect("a URL");
        assert_eq!(url.scheme(), "https");
        let host = url.host_str().expect("a host");
        assert!(
            !host.ends_with(".invalid") && !host.ends_with(".example"),
            "{host}"
        );
        assert_eq!(host, "qujat.github.io");
        assert!(
            !DEFAULT_URL.ends_with('/'),
            "packs are fetched as <URL>/<id>.toml"
        );
    }
}
