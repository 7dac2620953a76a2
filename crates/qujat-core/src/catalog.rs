//! The programs on offer: the built-in rule packs, replaced by newer
//! installed ones signed with the trusted key. This is the public half of a
//! data folder. It holds nothing about the applicant, so reading it needs no
//! data key: listing programs, printing a checklist, checking rule updates
//! work on a machine with no keychain and no passphrase. A [`Workspace`]
//! (the private half) holds one.
//!
//! [`Workspace`]: crate::Workspace

use std::path::{Path, PathBuf};

use crate::error::{DossierError, Error, FileError, Result, RulesError, StoreError};
use crate::rules::installed::{self, RulesStatus, RulesUpdate, TrustedKey, RULES_DIR};
use crate::rules::{builtin_packs, RulePack};

/// The file in the rules folder that holds the saved update address.
const UPDATE_URL_FILE: &str = "update-url";

impl AsMut<Catalog> for Catalog {
    fn as_mut(&mut self) -> &mut Catalog {
        self
    }
}

/// The rule packs in use and where each came from.
#[derive(Debug, Clone)]
pub struct Catalog {
    packs: Vec<RulePack>,
    status: RulesStatus,
    /// Where installed packs live; `None` for a catalog of given packs
    /// until a workspace places it in its data folder.
    rules_dir: Option<PathBuf>,
}

impl Catalog {
    /// The built-in packs, with newer installed ones from `data_dir` that
    /// `key` signed. Installed packs are read once, here; a bad one is
    /// skipped with a notice in [`Catalog::rules_status`]. Creates nothing
    /// on disk.
    pub fn open(data_dir: &Path, key: &TrustedKey) -> Result<Catalog> {
        let rules_dir = data_dir.join(RULES_DIR);
        let loaded = installed::load(&rules_dir, key);
        let (packs, mut status) = installed::merge(builtin_packs()?, loaded.packs);
        status.notices = loaded.notices;
        Ok(Catalog {
            packs,
            status,
            rules_dir: Some(rules_dir),
        })
    }

    /// Exactly these packs (tests, and workspaces opened with given packs).
    pub fn with_packs(packs: Vec<RulePack>) -> Catalog {
        let (packs, status) = installed::merge(packs, Vec::new());
        Catalog {
            packs,
            status,
            rules_dir: None,
        }
    }

    /// This catalog, installing updates into `data_dir` if it was made of
    /// given packs.
    pub(crate) fn in_folder(mut self, data_dir: &Path) -> Catalog {
        self.rules_dir
            .get_or_insert_with(|| data_dir.join(RULES_DIR));
        self
    }

    /// The update address the user last asked for (in the app's field or
    /// with `qujat rules update --url`), if any. Kept beside the installed
    /// packs, not in the store: it is public, and updates run with no key.
    pub fn saved_update_url(&self) -> Option<String> {
        let path = self.rules_dir.as_ref()?.join(UPDATE_URL_FILE);
        let text = std::fs::read_to_string(path).ok()?;
        let url = text.trim();
        (!url.is_empty()).then(|| url.to_owned())
    }

    /// Remembers `url` (trimmed) as the update address; an empty one
    /// returns to the default. Written atomically.
    pub fn save_update_url(&mut self, url: &str) -> Result<()> {
        let Some(rules_dir) = &self.rules_dir else {
            return Err(StoreError::Store {
                detail: "this catalog has no data folder to keep an address in".into(),
            }
            .into());
        };
        let path = rules_dir.join(UPDATE_URL_FILE);
        let url = url.trim();
        if url.is_empty() {
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(FileError::Unwritable {
                    path: path.display().to_string(),
                    detail: e.to_string(),
                }
                .into()),
                _ => Ok(()),
            };
        }
        std::fs::create_dir_all(rules_dir).map_err(|e| Error::writing(rules_dir, e))?;
        crate::durable::write_atomically(&path, url.as_bytes())
    }

    /// The programs available, in the order they are offered.
    pub fn programs(&self) -> &[RulePack] {
        &self.packs
    }

    /// The program with this id.
    pub fn program(&self, id: &str) -> Result<&RulePack> {
        self.packs.iter().find(|p| p.id == id).ok_or_else(|| {
            Error::from(DossierError::UnknownProgram {
                id: id.to_owned(),
                known: self.packs.iter().map(|p| p.id.clone()).collect(),
            })
        })
    }

    /// The packs in use, where each came from, and installed pack files that
    /// were skipped with the reason (a bad signature, an invalid pack).
    pub fn rules_status(&self) -> &RulesStatus {
        &self.status
    }

    /// Installs `bytes` (a rule pack's TOML) for program `id` if `signature`
    /// signs it with `key`, it is a valid pack of that program, and it is
    /// newer than the pack in use; an equal version is nothing to do, an
    /// older one is refused. On any failure the pack in use stays, on disk
    /// and here.
    pub fn offer_rule_pack(
        &mut self,
        id: &str,
        bytes: &[u8],
        signature: &[u8],
        key: &TrustedKey,
    ) -> Result<RulesUpdate> {
        let file = format!("{id}.toml");
        let pack = installed::check_offer(key, &file, bytes, signature)?;
        if pack.id != id {
            return Err(RulesError::RulePack {
                file,
                field: "id".into(),
                problem: format!(
                    "is \"{}\", but the pack for \"{id}\" was asked for",
                    pack.id
                ),
            }
            .into());
        }
        let index = self.packs.iter().position(|p| p.id == id);
        if let Some(same) = installed::compare(&pack, index.map(|i| &self.packs[i]))? {
            return Ok(same);
        }
        let Some(rules_dir) = &self.rules_dir else {
            return Err(StoreError::Store {
                detail: "this catalog has no data folder to install packs into".into(),
            }
            .into());
        };
        installed::install(rules_dir, &pack, bytes, signature)?;
        let to = pack.version.clone();
        let in_use = installed::PackInUse {
            id: id.to_owned(),
            version: to.clone(),
            origin: installed::PackOrigin::Installed,
        };
        let from = match index {
            Some(i) => {
                let old = std::mem::replace(&mut self.packs[i], pack);
                if let Some(s) = self.status.packs.iter_mut().find(|p| p.id == id) {
                    *s = in_use;
                }
                Some(old.version)
            }
            None => {
                self.packs.push(pack);
                self.status.packs.push(in_use);
                None
            }
        };
        Ok(RulesUpdate::Installed {
            id: id.to_owned(),
            from,
            to,
        })
    }
}
