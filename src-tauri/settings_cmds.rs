//! The Settings screen: a dossier as an encrypted backup and back, and the
//! rule packs with their signed updates.
//!
//! Backups are thin calls of `Workspace::export_dossier` and
//! `Workspace::import_dossier` on a blocking thread (scrypt alone takes a
//! second). The passphrase only passes through: it is never logged, never
//! stored, and never part of an error.
//!
//! A rule update downloads without holding the shared workspace's lock
//! (`qujat_update::download`), then offers each pack to the workspace every
//! command uses (`Workspace::offer_rule_pack`: signature, schema, version,
//! atomic switch), so the next command already sees a new pack, without a
//! restart. On any failure the pack in use stays and the outcome says why.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::Utc;
use qujat_core::backup::{ExportSummary, ImportSummary};
use qujat_core::rules::installed::{RulesStatus, RulesUpdate, TrustedKey};
use qujat_core::{Error, Workspace};
use qujat_update::{UpdateOptions, DEFAULT_URL, URL_ENV};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::commands::with_workspace;
use crate::package_cmds::blocking;
use crate::AppState;

type Result<T> = std::result::Result<T, Error>;

/// A minisign public key file to trust instead of the built-in key, as the
/// CLI's hidden `--trusted-key` (for testing a pack server; docs/cli.md).
const TRUSTED_KEY_ENV: &str = "QUJAT_RULES_TRUSTED_KEY";

/// The key rule packs must be signed with; the core decides what an
/// override means in this build (see `TrustedKey::for_this_build`).
pub(crate) fn trusted_key() -> Result<TrustedKey> {
    let from_env = std::env::var_os(TRUSTED_KEY_ENV).map(PathBuf::from);
    TrustedKey::for_this_build(from_env.as_deref())
}

/// The address used when the user has not typed one.
fn default_url() -> String {
    std::env::var(URL_ENV)
        .ok()
        .filter(|url| !url.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_URL.to_owned())
}

/// The rule packs in use and the update address.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RulesView {
    /// Every program's pack, where it came from, and skipped installed files.
    pub status: RulesStatus,
    /// The address the user set; empty when they use the default.
    pub url: String,
    /// The address used when `url` is empty.
    pub default_url: String,
}

/// What an update did for one program.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RulesOutcome {
    /// The program id.
    pub id: String,
    /// Installed or already up to date; absent when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub update: Option<RulesUpdate>,
    /// Why it failed; absent when it did not. The pack in use stays.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<Error>,
}

/// Every program's outcome and the packs in use afterwards.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RulesUpdateReport {
    /// One per program, in the order the programs are offered.
    pub outcomes: Vec<RulesOutcome>,
    /// The packs in use now.
    pub rules: RulesView,
}

/// The workspace, even after a command panicked holding it (see `with_workspace`).
fn lock(shared: &Mutex<Workspace>) -> MutexGuard<'_, Workspace> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

fn view(ws: &Workspace) -> Result<RulesView> {
    Ok(RulesView {
        status: ws.rules_status().clone(),
        url: ws.catalog().saved_update_url().unwrap_or_default(),
        default_url: default_url(),
    })
}

/// Writes dossier `dossier_id` to a new backup file at `path`, encrypted with
/// `passphrase`. An existing file is never replaced.
#[tauri::command]
pub async fn export_backup(
    state: State<'_, AppState>,
    dossier_id: String,
    path: PathBuf,
    passphrase: String,
) -> Result<ExportSummary> {
    with_workspace(state, move |ws| {
        ws.export_dossier(&dossier_id, &path, &passphrase, Utc::now())
    })
    .await
}

/// Imports the backup at `path`. Any problem with the file refuses the
/// whole import and changes nothing.
#[tauri::command]
pub async fn import_backup(
    state: State<'_, AppState>,
    path: PathBuf,
    passphrase: String,
) -> Result<ImportSummary> {
    with_workspace(state, move |ws| ws.import_dossier(&path, &passphrase)).await
}

/// The rule packs in use and the update address.
#[tauri::command]
pub async fn rules_status(state: State<'_, AppState>) -> Result<RulesView> {
    with_workspace(state, |ws| view(ws)).await
}

/// Remembers the update address (trimmed); empty returns to the default.
#[tauri::command]
pub async fn set_rules_url(state: State<'_, AppState>, url: String) -> Result<RulesView> {
    with_workspace(state, move |ws| {
        qujat_update::update_url(ws, Some(&url))?;
        view(ws)
    })
    .await
}

/// Remembers `url` as [`set_rules_url`] does, then fetches every program's
/// pack from it (or the default address) and installs those that are signed,
/// valid and newer. The packs in use change only for those, at once.
#[tauri::command]
pub async fn update_rules(state: State<'_, AppState>, url: String) -> Result<RulesUpdateReport> {
    let shared = state.workspace()?;
    blocking(move || {
        let key = trusted_key()?;
        let (base, ids): (String, Vec<String>) = {
            let mut ws = lock(&shared);
            let base = qujat_update::update_url(&mut *ws, Some(&url))?;
            (base, ws.programs().iter().map(|p| p.id.clone()).collect())
        };
        // Downloads take up to a minute when a server stalls: the workspace
        // stays free for the rest of the app meanwhile. The ids come from the
        // catalog, so none is unknown.
        let downloads =
            qujat_update::download_all(&base, ids, &UpdateOptions::default(), |_| Ok(()));
        // Checking and installing is quick: signature, schema, version, then
        // an atomic switch, in the workspace every command uses.
        let mut ws = lock(&shared);
        let outcomes = qujat_update::install_all(&mut *ws, downloads, &key)
            .into_iter()
            .map(|o| {
                let (update, error) = match o.result {
                    Ok(update) => (Some(update), None),
                    Err(error) => (None, Some(error)),
                };
                RulesOutcome {
                    id: o.id,
                    update,
                    error,
                }
            })
            .collect();
        Ok(RulesUpdateReport {
            outcomes,
            rules: view(&ws)?,
        })
    })
    .await
}
