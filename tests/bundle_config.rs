//! The installers' identity in `tauri.conf.json`, kept consistent with the
//! code: the same version and licence as Cargo's package, the identifier the
//! core names the data folder after, and every file the bundles pick up.

use std::path::Path;

use serde_json::Value;

fn config() -> Value {
    serde_json::from_str(include_str!("../tauri.conf.json")).expect("tauri.conf.json is JSON")
}

#[test]
fn the_installers_say_what_cargo_and_the_core_say() {
    let conf = config();
    assert_eq!(
        conf["identifier"],
        qujat_core::APP_IDENTIFIER,
        "Tauri's app_data_dir (the app) and the core's default data folder (the CLI) are both named after it"
    );
    assert_eq!(conf["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(conf["bundle"]["license"], env!("CARGO_PKG_LICENSE"));
    assert_eq!(
        conf["mainBinaryName"], "qujat-app",
        "the binary the .deb installs to /usr/bin"
    );
}

#[test]
fn every_file_the_bundles_name_exists() {
    let conf = config();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<&str> = conf["bundle"]["icon"]
        .as_array()
        .expect("icons")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for format in ["deb", "rpm"] {
        let extra = conf["bundle"]["linux"][format]["files"]
            .as_object()
            .expect("licence files in the Linux packages");
        files.extend(extra.values().filter_map(Value::as_str));
    }
    assert!(files.contains(&"LICENSE-MIT") && files.contains(&"LICENSE-APACHE"));
    for file in files {
        assert!(
            root.join(file).is_file(),
            "{file} is named in tauri.conf.json but missing"
        );
    }
}
