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
        ]),
    ))
    .expect("failed to run tauri-build");
}
