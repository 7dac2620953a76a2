//! The Qujat desktop app's entry point; everything else is in `lib.rs`.

// Without a console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    // Before Tauri starts anything: the inspector child opens no window,
    // loads no webview and never touches the store.
    let mut args = std::env::args_os().skip(1);
    if args
        .next()
        .is_some_and(|a| a == qujat_core::inspect::APP_CHILD_FLAG)
    {
        return qujat_core::inspect::child_main(args);
    }
    qujat_app::run();
    std::process::ExitCode::SUCCESS
}
