//! Generates Tauri's context and one allow/deny permission per app command,
//! so commands are denied unless a capability in `tauri.conf.json` lists them.

fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "programs",
            "list_dossiers",
            "create_dossier",
            "delete_dossier",
            "dossier_report",
            "attach_document",
            "detach_document",
            "confirm_step",
            "unconfirm_step",
            "settings",
            "set_language",
            "set_theme",
            "open_data_dir",
            "package_name",
            "pack_stage",
            "verify_package",
            "cancel_pack",
            "inspect_dossier",
            "document_dates",
            "set_document_dates",
            "timeline",
            "deadlines",
            "record_event",
            "correct_event",
            "remove_event",
            "export_deadlines",
            "create_demo",
            "reset_demo",
            "save_checklist_pdf",
            "reattach_document",
            "document_image",
        ]),
    ))
    .expect("failed to run tauri-build");
}
