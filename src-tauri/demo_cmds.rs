//! The embassy demo, the printable checklist and undoing a removal: thin
//! commands over the core's demo, checklist PDF and vault.

use std::path::PathBuf;

use chrono::Utc;
use qujat_core::checklist_pdf;
use qujat_core::demo::DemoSummary;
use qujat_core::i18n::Lang;
use qujat_core::report::DossierReport;
use qujat_core::Error;
use tauri::ipc::Response;
use tauri::State;

use crate::commands::{today, with_workspace};
use crate::AppState;

type Result<T> = std::result::Result<T, Error>;

/// The largest attached image the preview reads into the window.
const PREVIEW_LIMIT: u64 = 10 * 1024 * 1024;

/// Creates a demo dossier with sample documents in `lang` and returns how
/// its items stand. Earlier demo dossiers stay (see `reset_demo`).
#[tauri::command]
pub async fn create_demo(state: State<'_, AppState>, lang: Lang) -> Result<DemoSummary> {
    with_workspace(state, move |ws| ws.create_demo(lang, Utc::now(), today())).await
}

/// Deletes every demo dossier (never a real one) and creates a fresh demo.
#[tauri::command]
pub async fn reset_demo(state: State<'_, AppState>, lang: Lang) -> Result<DemoSummary> {
    with_workspace(state, move |ws| {
        ws.reset_demo()?;
        ws.create_demo(lang, Utc::now(), today())
    })
    .await
}

/// Writes the program's checklist in `lang` as a PDF to `path` (chosen in
/// the save dialog, which already asked before replacing a file); returns
/// its number of pages.
#[tauri::command]
pub async fn save_checklist_pdf(
    state: State<'_, AppState>,
    program_id: String,
    lang: Lang,
    path: PathBuf,
) -> Result<usize> {
    with_workspace(state, move |ws| {
        let pack = ws.program(&program_id)?;
        checklist_pdf::write_checklist_pdf(pack, lang, today(), &path, true)
    })
    .await
}

/// Puts back a document that was just removed: the same content, from the vault.
#[tauri::command]
pub async fn reattach_document(
    state: State<'_, AppState>,
    dossier_id: String,
    requirement_id: String,
    sha256: String,
    original_name: String,
) -> Result<DossierReport> {
    with_workspace(state, move |ws| {
        ws.reattach(
            &dossier_id,
            &requirement_id,
            &sha256,
            &original_name,
            Utc::now(),
        )?;
        ws.report(&dossier_id, None, today())
    })
    .await
}

/// The bytes of the image attached to a requirement, for an in-app preview
/// (JPEG or PNG of at most 10 MiB; anything else is refused as too large
/// or not a document to show).
#[tauri::command]
pub async fn document_image(
    state: State<'_, AppState>,
    dossier_id: String,
    requirement_id: String,
) -> Result<Response> {
    with_workspace(state, move |ws| {
        let dossier = ws.dossier(&dossier_id)?;
        let doc = ws
            .store()
            .documents(&dossier.id)?
            .into_iter()
            .find(|d| d.requirement_id == requirement_id)
            .ok_or_else(|| Error::NotAttached {
                id: requirement_id.clone(),
            })?;
        let path = ws.vault().path_of(&doc.sha256);
        let image = matches!(
            doc.kind,
            qujat_core::kind::FileKind::Jpeg | qujat_core::kind::FileKind::Png
        );
        if !image || doc.size > PREVIEW_LIMIT {
            return Err(Error::FileTooLarge {
                path: doc.original_name,
                size: doc.size,
                limit: PREVIEW_LIMIT,
            });
        }
        let bytes = ws
            .vault()
            .read(&doc.sha256, PREVIEW_LIMIT)
            .map_err(|_| Error::VaultDamaged {
                requirement: requirement_id.clone(),
                path: path.display().to_string(),
            })?;
        Ok(Response::new(bytes))
    })
    .await
}
