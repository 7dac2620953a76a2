//! The commands the UI invokes. Each is a few lines: take the workspace, call
//! one core method on a blocking thread (hashing a scan must never freeze the
//! window), return core types or a typed core error.

use std::path::PathBuf;

use chrono::{Local, NaiveDate, Utc};
use qujat_core::i18n::Lang;
use qujat_core::profile::Profile;
use qujat_core::report::DossierReport;
use qujat_core::rules::{offered_order, ProgramListing, RulePack};
use qujat_core::{Error, InternalError, Preference, Theme, Workspace};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::AppState;

type Result<T> = std::result::Result<T, Error>;

/// Runs `f` with the workspace on a blocking thread.
pub(crate) async fn with_workspace<T, F>(state: State<'_, AppState>, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&mut Workspace) -> Result<T> + Send + 'static,
{
    let shared = state.workspace()?;
    tauri::async_runtime::spawn_blocking(move || {
        // A poisoned lock means an earlier command panicked mid-way; SQLite
        // transactions kept the store consistent, so carry on with it.
        let mut ws = shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut ws)
    })
    .await
    .map_err(|e| InternalError::Internal {
        detail: e.to_string(),
    })?
}

pub(crate) fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// The programs (built-in and installed rule packs) in the order they are
/// offered, open ones first: public data, so they are shown even while the
/// data folder is locked.
#[tauri::command]
pub async fn programs(state: State<'_, AppState>) -> Result<Vec<RulePack>> {
    let offered = |packs: &[RulePack]| -> Vec<RulePack> {
        offered_order(packs, today()).into_iter().cloned().collect()
    };
    if state.workspace().is_ok() {
        return with_workspace(state, move |ws| Ok(offered(ws.programs()))).await;
    }
    Ok(offered(state.catalog.clone()?.programs()))
}

/// Each program's status and review dates for today, in the order they are
/// offered: what `qujat programs --json` prints.
#[tauri::command]
pub async fn program_listings(state: State<'_, AppState>) -> Result<Vec<ProgramListing>> {
    let listings = |packs: &[RulePack]| -> Vec<ProgramListing> {
        let today = today();
        offered_order(packs, today)
            .into_iter()
            .map(|p| ProgramListing::of(p, today))
            .collect()
    };
    if state.workspace().is_ok() {
        return with_workspace(state, move |ws| Ok(listings(ws.programs()))).await;
    }
    Ok(listings(state.catalog.clone()?.programs()))
}

/// Every dossier, checked, newest first.
#[tauri::command]
pub async fn list_dossiers(state: State<'_, AppState>) -> Result<Vec<DossierReport>> {
    if state.before_first_key() {
        return Ok(Vec::new());
    }
    with_workspace(state, |ws| {
        let today = today();
        ws.dossiers()?
            .iter()
            .map(|d| ws.report(&d.id, None, today))
            .collect()
    })
    .await
}

/// Creates a dossier and returns its (empty) checklist.
#[tauri::command]
pub async fn create_dossier(
    state: State<'_, AppState>,
    program_id: String,
    applicant_name: String,
    closed_program_ok: bool,
) -> Result<DossierReport> {
    with_workspace(state, move |ws| {
        // The profile is chosen on the dossier's header once it exists.
        let dossier = ws.start_dossier(
            &program_id,
            &applicant_name,
            &qujat_core::profile::Profile::default(),
            closed_program_ok,
            today(),
            Utc::now(),
        )?;
        ws.report(&dossier.id, None, today())
    })
    .await
}

/// Writes the applicant's name otherwise and returns the checklist (its
/// findings compare the new name).
#[tauri::command]
pub async fn rename_dossier(
    state: State<'_, AppState>,
    dossier_id: String,
    applicant_name: String,
) -> Result<DossierReport> {
    with_workspace(state, move |ws| {
        ws.rename_dossier(&dossier_id, &applicant_name, Utc::now())?;
        ws.report(&dossier_id, None, today())
    })
    .await
}

/// Deletes a dossier.
#[tauri::command]
pub async fn delete_dossier(state: State<'_, AppState>, dossier_id: String) -> Result<()> {
    with_workspace(state, move |ws| ws.delete_dossier(&dossier_id)).await
}

/// Records (replacing) the applicant's profile, ISO 3166-1 alpha-2 codes;
/// no citizenship and no residence clears it. Returns the checklist fitted
/// to it.
#[tauri::command]
pub async fn set_profile(
    state: State<'_, AppState>,
    dossier_id: String,
    citizenships: Vec<String>,
    residence: Option<String>,
) -> Result<DossierReport> {
    with_workspace(state, move |ws| {
        let profile = Profile::new(&citizenships, residence.as_deref())?;
        ws.set_profile(&dossier_id, &profile, Utc::now())?;
        ws.report(&dossier_id, None, today())
    })
    .await
}

/// The checklist of one dossier with every status.
#[tauri::command]
pub async fn dossier_report(
    state: State<'_, AppState>,
    dossier_id: String,
) -> Result<DossierReport> {
    with_workspace(state, move |ws| ws.report(&dossier_id, None, today())).await
}

/// Attaches the file at `path` (from the file dialog or a drop) to a requirement.
#[tauri::command]
pub async fn attach_document(
    state: State<'_, AppState>,
    dossier_id: String,
    requirement_id: String,
    path: PathBuf,
) -> Result<DossierReport> {
    with_workspace(state, move |ws| {
        ws.attach(&dossier_id, &requirement_id, &path, Utc::now())?;
        ws.report(&dossier_id, None, today())
    })
    .await
}

/// Removes the file attached to a requirement.
#[tauri::command]
pub async fn detach_document(
    state: State<'_, AppState>,
    dossier_id: String,
    requirement_id: String,
) -> Result<DossierReport> {
    with_workspace(state, move |ws| {
        ws.detach(&dossier_id, &requirement_id, Utc::now())?;
        ws.report(&dossier_id, None, today())
    })
    .await
}

/// Confirms a step as done on `date` (YYYY-MM-DD).
#[tauri::command]
pub async fn confirm_step(
    state: State<'_, AppState>,
    dossier_id: String,
    step_id: String,
    date: String,
) -> Result<DossierReport> {
    with_workspace(state, move |ws| {
        let date = qujat_core::parse_date(&date)?;
        ws.confirm_step(&dossier_id, &step_id, date, today(), Utc::now())?;
        ws.report(&dossier_id, None, today())
    })
    .await
}

/// Withdraws a step confirmation.
#[tauri::command]
pub async fn unconfirm_step(
    state: State<'_, AppState>,
    dossier_id: String,
    step_id: String,
) -> Result<DossierReport> {
    with_workspace(state, move |ws| {
        ws.unconfirm_step(&dossier_id, &step_id, Utc::now())?;
        ws.report(&dossier_id, None, today())
    })
    .await
}

/// The user's preferences and where their data lives.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Settings {
    /// The chosen UI language; `None` until the user picks one (the UI then
    /// follows the system language).
    #[ts(optional)]
    pub language: Option<Lang>,
    /// The chosen colour theme; `system` (the default) follows the system's
    /// light or dark preference.
    pub theme: Theme,
    /// The data folder (store and vault).
    pub data_dir: String,
    /// Qujat's version.
    pub version: String,
    /// Qujat's licence, as an SPDX expression.
    pub license: String,
}

/// The user's preferences.
#[tauri::command]
pub async fn settings(state: State<'_, AppState>) -> Result<Settings> {
    let data_dir = state.data_dir.display().to_string();
    let chosen = if state.before_first_key() {
        state.early_preferences()
    } else {
        with_workspace(state, |ws| ws.preferences()).await?
    };
    Ok(Settings {
        language: chosen.language,
        theme: chosen.theme,
        data_dir,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        license: env!("CARGO_PKG_LICENSE").to_owned(),
    })
}

/// Saves a preference; before the first key exists it is kept until the
/// unlock that makes one (`unlock_cmds::unlock`), so a language chosen on
/// the first screen is not lost.
async fn remember(state: State<'_, AppState>, choice: Preference) -> Result<()> {
    if state.before_first_key() {
        state.keep_early(choice);
        return Ok(());
    }
    with_workspace(state, move |ws| ws.set_preference(choice)).await
}

/// Remembers the UI language.
#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, language: Lang) -> Result<()> {
    remember(state, Preference::Language(language)).await
}

/// Remembers the colour theme.
#[tauri::command]
pub async fn set_theme(state: State<'_, AppState>, theme: Theme) -> Result<()> {
    remember(state, Preference::Theme(theme)).await
}
