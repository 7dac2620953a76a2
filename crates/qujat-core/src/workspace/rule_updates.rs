//! Opening a workspace with installed rule packs, and installing a newer
//! signed pack while the workspace is open (the network side lives in the
//! `qujat-update` crate; this is what it hands the bytes to).

use std::path::Path;

use super::Workspace;
use crate::error::Result;
use crate::rules::builtin_packs;
use crate::rules::installed::{self, RulesStatus, RulesUpdate, TrustedKey, RULES_DIR};

pub(super) fn open_trusting(
    data_dir: &Path,
    key: &TrustedKey,
    unlock: &crate::keys::Unlock,
) -> Result<Workspace> {
    let loaded = installed::load(&data_dir.join(RULES_DIR), key);
    // Leftovers of writes outside the data folder that a crash interrupted.
    crate::pending::clean(data_dir);
    let mut ws = Workspace::open_with(data_dir, builtin_packs()?, unlock)?;
    let (packs, mut status) = installed::merge(std::mem::take(&mut ws.packs), loaded.packs);
    status.notices = loaded.notices;
    ws.packs = packs;
    ws.rules_status = status;
    Ok(ws)
}

impl Workspace {
    /// The packs in use, where each came from, and installed pack files that
    /// were skipped with the reason (a bad signature, an invalid pack).
    pub fn rules_status(&self) -> &RulesStatus {
        &self.rules_status
    }

    /// The folder installed rule packs are kept in.
    pub fn rules_dir(&self) -> std::path::PathBuf {
        self.data_dir.join(RULES_DIR)
    }

    /// Installs `bytes` (a rule pack's TOML) for program `id` if `signature`
    /// signs it with `key`, it is a valid pack of that program, and it is
    /// newer than the pack in use; an equal version is nothing to do, an
    /// older one is refused. On any failure the pack in use stays, on disk
    /// and in this workspace.
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
            return Err(crate::Error::RulePack {
                file,
                field: "id".into(),
                problem: format!(
                    "is \"{}\", but the pack for \"{id}\" was asked for",
                    pack.id
                ),
            });
        }
        let index = self.packs.iter().position(|p| p.id == id);
        if let Some(same) = installed::compare(&pack, index.map(|i| &self.packs[i]))? {
            return Ok(same);
        }
        installed::install(&self.rules_dir(), &pack, bytes, signature)?;
        let to = pack.version.clone();
        let in_use = installed::PackInUse {
            id: id.to_owned(),
            version: to.clone(),
            origin: installed::PackOrigin::Installed,
        };
        let from = match index {
            Some(i) => {
                let old = std::mem::replace(&mut self.packs[i], pack);
                if let Some(s) = self.rules_status.packs.iter_mut().find(|p| p.id == id) {
                    *s = in_use;
                }
                Some(old.version)
            }
            None => {
                self.packs.push(pack);
                self.rules_status.packs.push(in_use);
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
