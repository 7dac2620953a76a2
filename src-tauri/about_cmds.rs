//! The About screen's command: open the data folder in the system's file
//! manager. It takes no path from the UI, so the webview can open nothing
//! but the folder the workspace really uses; the opener plugin's own
//! `open_path` permission, which would take any path in a scope, stays off.

use qujat_core::{Error, FileError};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::commands::with_workspace;
use crate::AppState;

/// Opens the data folder (store and vault) in the file manager.
#[tauri::command]
pub async fn open_data_dir(app: AppHandle, state: State<'_, AppState>) -> Result<(), Error> {
    let dir = with_workspace(state, |ws| Ok(ws.data_dir().to_owned())).await?;
    let shown = dir.display().to_string();
    // No file manager (a bare desktop, a test display): the UI says where the folder is instead.
    app.opener()
        .open_path(shown.clone(), None::<&str>)
        .map_err(|e| {
            Error::from(FileError::Unreadable {
                path: shown,
                detail: e.to_string(),
            })
        })
}
