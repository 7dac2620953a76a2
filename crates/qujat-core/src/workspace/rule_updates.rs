//! Installed rule packs while the workspace is open: their status, and
//! installing a newer signed pack (the network side lives in the
//! `qujat-update` crate; this is what it hands the bytes to).

use super::Workspace;
use crate::error::Result;
use crate::rules::installed::{RulesStatus, RulesUpdate, TrustedKey, RULES_DIR};

impl Workspace {
    /// Versions up to 0.1 kept the app's update address in the store, where
    /// the keyless `qujat rules update` could not read it; it now lives with
    /// the installed packs (see [`Catalog::saved_update_url`]). Moved once.
    pub(super) fn move_saved_update_url(&mut self) -> Result<()> {
        const OLD_KEY: &str = "rules.update-url";
        let Some(old) = self.store.setting(OLD_KEY)? else {
            return Ok(());
        };
        if !old.trim().is_empty() && self.catalog.saved_update_url().is_none() {
            self.catalog.save_update_url(&old)?;
        }
        self.store.remove_setting(OLD_KEY)
    }

    /// The packs in use, where each came from, and installed pack files that
    /// were skipped with the reason (a bad signature, an invalid pack).
    pub fn rules_status(&self) -> &RulesStatus {
        self.catalog.rules_status()
    }

    /// The folder installed rule packs are kept in.
    pub fn rules_dir(&self) -> std::path::PathBuf {
        self.data_dir.join(RULES_DIR)
    }

    /// Installs a newer signed rule pack and uses it from now on (see
    /// [`Catalog::offer_rule_pack`]).
    pub fn offer_rule_pack(
        &mut self,
        id: &str,
        bytes: &[u8],
        signature: &[u8],
        key: &TrustedKey,
    ) -> Result<RulesUpdate> {
        self.catalog.offer_rule_pack(id, bytes, signature, key)
    }
}
