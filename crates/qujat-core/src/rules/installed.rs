//! Rule packs installed by an update: kept in the data folder, signed, and
//! checked again every time they are loaded.
//!
//! Layout under the data folder:
//! ```text
//! rules/<id>@<version>.toml           the pack, exactly the bytes that were signed
//! rules/<id>@<version>.toml.minisig   its minisign signature
//! rules/.<name>.<uuid>.part           a write in progress (removed by the next update)
//! ```
//! The version is part of the file name so that installing a new version
//! never overwrites the files in use: the new pair is written next to the old
//! one (signature first, then the pack, each by write-sync-rename), and only a
//! complete, validly signed pair is ever loaded. A crash between the two
//! renames leaves a signature without its pack, which is ignored; the last
//! good pack stays in use. Older versions are removed once the new one is in
//! place.
//!
//! A pack on disk is trusted only as far as its signature: on every load it
//! is verified against the trusted public key, parsed and validated like a
//! built-in pack, and its id and version must match its file name. Anything
//! else is skipped with a [`RulesNotice`] saying why, and the built-in pack
//! (or an older valid installed one) is used instead.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Read;
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::{parse_pack, RulePack};
use crate::durable::{sync_dir, write_atomically};
use crate::error::{Error, Result, RulesError, VaultError};

/// The folder under the data folder that holds installed packs.
pub const RULES_DIR: &str = "rules";

/// The largest pack file accepted, from disk or from the network. The
/// built-in packs are about 60 KiB; a pack a hundred times that is not a
/// pack.
pub const MAX_PACK_BYTES: u64 = 4 << 20;

/// The largest signature file accepted (a minisign signature is ~300 bytes).
pub const MAX_SIGNATURE_BYTES: u64 = 4096;

/// The public key, in minisign's format, that signs Qujat's rule packs. Only
/// the public half is in the repository; the secret key stays with whoever
/// publishes packs.
const BUILTIN_KEY: &str = include_str!("../../keys/rules.pub");

/// A public key that rule packs must be signed with.
#[derive(Clone)]
pub struct TrustedKey {
    key: minisign_verify::PublicKey,
}

impl std::fmt::Debug for TrustedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TrustedKey(..)")
    }
}

impl TrustedKey {
    /// The key compiled into this build.
    pub fn builtin() -> Result<TrustedKey> {
        TrustedKey::parse(BUILTIN_KEY)
    }

    /// The key packs must be signed with in this build: the built-in one,
    /// or, in a development build only (the end-to-end and CLI tests), the
    /// minisign `.pub` file `override_file` names (`--trusted-key`,
    /// `QUJAT_RULES_TRUSTED_KEY`). A release build refuses an override: user
    /// malware that cannot touch the installed binary must not be able to
    /// make it trust other packs through the environment, and saying so
    /// beats silently ignoring what the user asked for.
    pub fn for_this_build(override_file: Option<&std::path::Path>) -> Result<TrustedKey> {
        match override_file.filter(|p| !p.as_os_str().is_empty()) {
            None => TrustedKey::builtin(),
            Some(_) if !cfg!(debug_assertions) => Err(RulesError::RulesKeyInvalid {
                detail: "--trusted-key (QUJAT_RULES_TRUSTED_KEY) works only in development builds"
                    .into(),
            }
            .into()),
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).map_err(|e| RulesError::RulesKeyInvalid {
                        detail: format!("{}: {e}", path.display()),
                    })?;
                TrustedKey::parse(&text)
            }
        }
    }

    /// Reads a minisign public key: the two-line `.pub` file, or just its
    /// base64 line.
    pub fn parse(text: &str) -> Result<TrustedKey> {
        let line = text
            .lines()
            .map(str::trim)
            .rfind(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
            .unwrap_or_default();
        minisign_verify::PublicKey::from_base64(line)
            .map(|key| TrustedKey { key })
            .map_err(|e| {
                Error::from(RulesError::RulesKeyInvalid {
                    detail: e.to_string(),
                })
            })
    }

    /// Checks that `signature` (a `.minisig` file's text) signs `bytes`.
    /// `file` names the pack in the error.
    pub fn verify(&self, file: &str, bytes: &[u8], signature: &[u8]) -> Result<()> {
        let invalid = || {
            Error::from(RulesError::RulesSignatureInvalid {
                file: file.to_owned(),
            })
        };
        let text = std::str::from_utf8(signature).map_err(|_| invalid())?;
        let signature = minisign_verify::Signature::decode(text).map_err(|_| invalid())?;
        // Legacy (non-prehashed) signatures are refused: every current
        // minisign signs prehashed, and accepting both only widens the door.
        match self.key.verify(bytes, &signature, false) {
            Ok(()) => Ok(()),
            Err(minisign_verify::Error::UnexpectedKeyId) => Err(RulesError::RulesWrongKey {
                file: file.to_owned(),
            }
            .into()),
            Err(_) => Err(invalid()),
        }
    }
}

/// A pack version, `YYYY.N`, compared as numbers (2026.10 is after 2026.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PackVersion {
    year: u32,
    number: u32,
}

impl PackVersion {
    /// Parses `YYYY.N`; `None` for anything else.
    pub fn parse(text: &str) -> Option<PackVersion> {
        let (year, number) = text.split_once('.')?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(PackVersion {
            year: year.parse().ok()?,
            number: number.parse().ok()?,
        })
    }

    /// The version of a validated pack (validation guarantees the form).
    fn of(pack: &RulePack) -> PackVersion {
        PackVersion::parse(&pack.version).unwrap_or(PackVersion { year: 0, number: 0 })
    }
}

/// Where a pack in use comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum PackOrigin {
    /// Compiled into this build of Qujat.
    BuiltIn,
    /// Installed by a signed update into the data folder.
    Installed,
}

/// An installed pack file that was not used, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RulesNotice {
    /// The file in the rules folder.
    pub file: String,
    /// Why it was skipped (a bad signature, an invalid pack, …).
    pub error: Error,
}

/// One program in use: its pack's id, version and origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PackInUse {
    /// The program id.
    pub id: String,
    /// The pack version in use.
    pub version: String,
    /// Built in, or installed by an update.
    pub origin: PackOrigin,
}

/// The packs in use and the installed files that were skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RulesStatus {
    /// Every program offered, in order.
    pub packs: Vec<PackInUse>,
    /// Installed files not used, each with its reason.
    pub notices: Vec<RulesNotice>,
}

/// What an offered pack did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "outcome",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum RulesUpdate {
    /// The pack was newer and is now in use.
    Installed {
        /// The program id.
        id: String,
        /// The version used before.
        from: Option<String>,
        /// The version now in use.
        to: String,
    },
    /// The pack offered is the one in use: nothing to do.
    UpToDate {
        /// The program id.
        id: String,
        /// The version in use.
        version: String,
    },
}

/// Installed packs that passed every check, and notices for those that did not.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The newest valid installed pack of each program.
    pub packs: Vec<RulePack>,
    /// Files skipped, with the reason.
    pub notices: Vec<RulesNotice>,
}

/// Loads the installed packs in `rules_dir`, verifying each against `key`.
/// Never fails: a missing folder means nothing is installed, and a bad file
/// becomes a notice.
pub fn load(rules_dir: &Path, key: &TrustedKey) -> Loaded {
    let mut loaded = Loaded::default();
    let Ok(entries) = fs::read_dir(rules_dir) else {
        return loaded;
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| n.ends_with(".toml") && !n.starts_with('.'))
        .collect();
    names.sort();
    let mut newest: BTreeMap<String, RulePack> = BTreeMap::new();
    for name in names {
        match load_one(rules_dir, &name, key) {
            Ok(pack) => {
                let newer = newest
                    .get(&pack.id)
                    .is_none_or(|p| PackVersion::of(&pack) > PackVersion::of(p));
                if newer {
                    newest.insert(pack.id.clone(), pack);
                }
            }
            Err(error) => loaded.notices.push(RulesNotice { file: name, error }),
        }
    }
    loaded.packs = newest.into_values().collect();
    loaded
}

fn load_one(dir: &Path, name: &str, key: &TrustedKey) -> Result<RulePack> {
    let pack_bytes = read_capped(&dir.join(name), MAX_PACK_BYTES)?;
    let signature = read_capped(&dir.join(format!("{name}.minisig")), MAX_SIGNATURE_BYTES)?;
    let pack = check_offer(key, name, &pack_bytes, &signature)?;
    let expected = file_name(&pack);
    if name != expected {
        return Err(RulesError::RulePack {
            file: name.to_owned(),
            field: "(file)".into(),
            problem: format!(
                "holds {} {}, so it must be named {expected}",
                pack.id, pack.version
            ),
        }
        .into());
    }
    Ok(pack)
}

/// Verifies the signature of an offered pack, then parses and validates it.
/// `file` names it in errors.
pub fn check_offer(
    key: &TrustedKey,
    file: &str,
    bytes: &[u8],
    signature: &[u8],
) -> Result<RulePack> {
    // The signature first: nothing unsigned reaches the TOML parser.
    key.verify(file, bytes, signature)?;
    let text = std::str::from_utf8(bytes).map_err(|_| RulesError::RulePack {
        file: file.to_owned(),
        field: "(file)".into(),
        problem: "not UTF-8 text".into(),
    })?;
    Ok(parse_pack(file, text)?)
}

/// The packs to offer: each built-in pack, replaced by an installed one of
/// the same program when that is newer; installed packs of programs this
/// build does not have come after the built-in ones.
pub fn merge(builtin: Vec<RulePack>, installed: Vec<RulePack>) -> (Vec<RulePack>, RulesStatus) {
    let mut packs = builtin;
    let mut origins = vec![PackOrigin::BuiltIn; packs.len()];
    for pack in installed {
        match packs.iter().position(|p| p.id == pack.id) {
            Some(i) if PackVersion::of(&pack) > PackVersion::of(&packs[i]) => {
                packs[i] = pack;
                origins[i] = PackOrigin::Installed;
            }
            // This build already has that version or a newer one.
            Some(_) => {}
            None => {
                packs.push(pack);
                origins.push(PackOrigin::Installed);
            }
        }
    }
    let status = RulesStatus {
        packs: packs
            .iter()
            .zip(origins)
            .map(|(p, origin)| PackInUse {
                id: p.id.clone(),
                version: p.version.clone(),
                origin,
            })
            .collect(),
        notices: Vec::new(),
    };
    (packs, status)
}

/// Decides what to do with a validly signed `offered` pack given the one in
/// use: newer is installed, equal is nothing to do, older is refused.
pub fn compare(offered: &RulePack, in_use: Option<&RulePack>) -> Result<Option<RulesUpdate>> {
    let Some(current) = in_use else {
        return Ok(None);
    };
    let (new, old) = (PackVersion::of(offered), PackVersion::of(current));
    if new > old {
        Ok(None)
    } else if new == old {
        Ok(Some(RulesUpdate::UpToDate {
            id: offered.id.clone(),
            version: current.version.clone(),
        }))
    } else {
        Err(RulesError::RulesDowngrade {
            id: offered.id.clone(),
            offered: offered.version.clone(),
            installed: current.version.clone(),
        }
        .into())
    }
}

/// Writes a checked pack and its signature into `rules_dir`, each
/// atomically, the signature first; then removes older installed versions of
/// the same program and any unfinished writes.
pub fn install(rules_dir: &Path, pack: &RulePack, bytes: &[u8], signature: &[u8]) -> Result<()> {
    fs::create_dir_all(rules_dir).map_err(|e| Error::writing(rules_dir, e))?;
    remove_unfinished(rules_dir);
    let name = file_name(pack);
    write_atomically(&rules_dir.join(format!("{name}.minisig")), signature)?;
    write_atomically(&rules_dir.join(&name), bytes)?;
    sync_dir(rules_dir);
    // Only now is the new pair complete; older versions can go.
    let prefix = format!("{}@", pack.id);
    if let Ok(entries) = fs::read_dir(rules_dir) {
        for entry in entries.flatten() {
            let Some(other) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if other.starts_with(&prefix) && other != name && other != format!("{name}.minisig") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    sync_dir(rules_dir);
    Ok(())
}

/// `<id>@<version>.toml`.
fn file_name(pack: &RulePack) -> String {
    format!("{}@{}.toml", pack.id, pack.version)
}

/// Removes temporary files a crashed update left. Only an update writes in
/// this folder, so at the start of one every `.part` file is an orphan.
fn remove_unfinished(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') && name.ends_with(".part") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let file = File::open(path).map_err(|e| Error::reading(path, e))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::reading(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(VaultError::FileTooLarge {
            path: path.display().to_string(),
            size: bytes.len() as u64,
            limit,
        }
        .into());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests;
