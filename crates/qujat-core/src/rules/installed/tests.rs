//! Installed packs: signed, validated and never downgraded, on install and
//! on every load.

use super::*;
use crate::error::RulesError;
use crate::{OpenOptions, Workspace};

const PILOT: &str = include_str!("../../../rules/kz-ai-pilot.toml");

#[path = "../../../../../tests/fixtures/publisher.rs"]
mod publisher;
use publisher::Publisher;

/// The built-in AI-pilot pack with its version set to `version`.
fn pilot_at(version: &str) -> Vec<u8> {
    let builtin = format!("version = \"{}\"", ver(0));
    assert!(
        PILOT.contains(&builtin),
        "the fixture finds the built-in version line"
    );
    PILOT
        .replacen(&builtin, &format!("version = \"{version}\""), 1)
        .into_bytes()
}

/// A version `offset` steps after (or before) the built-in pilot pack's, read
/// from the pack itself so that raising the built-in version needs no test edit.
fn ver(offset: i64) -> String {
    let line = PILOT
        .lines()
        .find(|l| l.starts_with("version = "))
        .expect("the pack has a version line");
    let current = line.trim_start_matches("version = ").trim_matches('"');
    let (year, n) = current.split_once('.').expect("YYYY.N");
    let n: i64 = n.parse().expect("N");
    let year: i64 = year.parse().expect("YYYY");
    if n + offset >= 1 {
        format!("{year}.{}", n + offset)
    } else {
        format!("{}.{}", year - 1, 90 + n + offset)
    }
}

fn version_in_use(ws: &Workspace) -> String {
    ws.program("kz-ai-pilot").expect("pilot").version.clone()
}

#[test]
fn versions_compare_as_numbers_not_text() {
    let v = |t| PackVersion::parse(t).expect(t);
    assert!(v("2026.10") > v("2026.9"), "10 comes after 9");
    assert!(v("2027.1") > v("2026.99"));
    assert_eq!(v("2026.2"), v("2026.02"));
    for bad in ["2026", "26.1", "2026.", "2026.1a", "x026.1", ""] {
        assert_eq!(PackVersion::parse(bad), None, "{bad} is not YYYY.N");
    }
}

#[test]
fn the_builtin_key_is_a_valid_minisign_key() {
    TrustedKey::builtin().expect("keys/rules.pub must parse");
    assert!(matches!(
        TrustedKey::parse("not a key"),
        Err(Error::Rules(RulesError::RulesKeyInvalid { .. }))
    ));
}

#[test]
fn a_newer_signed_pack_is_installed_and_used_after_reopening() {
    let dir = tempfile::tempdir().expect("temp dir");
    let publisher = Publisher::new();
    let key = publisher.key();
    let mut ws = Workspace::open(OpenOptions::new(dir.path()).trusting(&key)).expect("open");
    let bytes = pilot_at(&ver(1));
    let outcome = ws
        .offer_rule_pack("kz-ai-pilot", &bytes, &publisher.sign(&bytes), &key)
        .expect("installed");
    assert_eq!(
        outcome,
        RulesUpdate::Installed {
            id: "kz-ai-pilot".into(),
            from: Some(ver(0)),
            to: ver(1)
        }
    );
    assert_eq!(version_in_use(&ws), ver(1), "in use at once");
    let ws = Workspace::open(OpenOptions::new(dir.path()).trusting(&key)).expect("reopen");
    assert_eq!(version_in_use(&ws), ver(1), "and after reopening");
    assert_eq!(
        ws.rules_status().packs[0].origin,
        PackOrigin::Installed,
        "the status says where the pack came from"
    );
    assert!(ws.rules_status().notices.is_empty());
}

#[test]
fn an_equal_version_is_nothing_to_do_and_an_older_one_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let publisher = Publisher::new();
    let key = publisher.key();
    let mut ws = Workspace::open(OpenOptions::new(dir.path()).trusting(&key)).expect("open");
    let same = pilot_at(&ver(0));
    assert_eq!(
        ws.offer_rule_pack("kz-ai-pilot", &same, &publisher.sign(&same), &key)
            .expect("same version"),
        RulesUpdate::UpToDate {
            id: "kz-ai-pilot".into(),
            version: ver(0)
        }
    );
    let older = pilot_at("2025.9");
    let refused = ws.offer_rule_pack("kz-ai-pilot", &older, &publisher.sign(&older), &key);
    assert!(
        matches!(refused, Err(Error::Rules(RulesError::RulesDowngrade { ref offered, ref installed, .. })) if offered == "2025.9" && *installed == ver(0)),
        "packs never go back: {refused:?}"
    );
    assert!(
        fs::read_dir(ws.rules_dir()).map_or(true, |d| d.count() == 0),
        "nothing was written"
    );
}

#[test]
fn a_bad_signature_or_a_foreign_key_installs_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let publisher = Publisher::new();
    let key = publisher.key();
    let mut ws = Workspace::open(OpenOptions::new(dir.path()).trusting(&key)).expect("open");
    let bytes = pilot_at(&ver(1));
    let mut altered = bytes.clone();
    altered.extend_from_slice(b"\n# one more line\n");
    assert!(matches!(
        ws.offer_rule_pack("kz-ai-pilot", &altered, &publisher.sign(&bytes), &key),
        Err(Error::Rules(RulesError::RulesSignatureInvalid { .. }))
    ));
    let stranger = Publisher::new();
    assert!(matches!(
        ws.offer_rule_pack("kz-ai-pilot", &bytes, &stranger.sign(&bytes), &key),
        Err(Error::Rules(RulesError::RulesWrongKey { .. }))
    ));
    assert!(matches!(
        ws.offer_rule_pack("kz-ai-pilot", &bytes, b"not a signature", &key),
        Err(Error::Rules(RulesError::RulesSignatureInvalid { .. }))
    ));
    assert_eq!(
        version_in_use(&ws),
        ver(0),
        "the built-in pack stays in use"
    );
}

#[test]
fn a_signed_pack_of_another_program_is_refused_under_this_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let publisher = Publisher::new();
    let key = publisher.key();
    let mut ws = Workspace::open(OpenOptions::new(dir.path()).trusting(&key)).expect("open");
    let bytes = pilot_at(&ver(1));
    let refused = ws.offer_rule_pack("kz-in-demand", &bytes, &publisher.sign(&bytes), &key);
    assert!(
        matches!(refused, Err(Error::Rules(RulesError::RulePack { ref field, .. })) if field == "id"),
        "a validly signed pack cannot replace another program: {refused:?}"
    );
}

#[test]
fn a_pack_changed_on_disk_falls_back_to_the_builtin_with_a_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let publisher = Publisher::new();
    let key = publisher.key();
    let mut ws = Workspace::open(OpenOptions::new(dir.path()).trusting(&key)).expect("open");
    let bytes = pilot_at(&ver(1));
    ws.offer_rule_pack("kz-ai-pilot", &bytes, &publisher.sign(&bytes), &key)
        .expect("installed");
    let file = ws.rules_dir().join(format!("kz-ai-pilot@{}.toml", ver(1)));
    let tampered = String::from_utf8(bytes).expect("utf-8").replacen(
        "max-size-mib = 10",
        "max-size-mib = 999",
        1,
    );
    fs::write(&file, tampered).expect("tamper");

    let ws = Workspace::open(OpenOptions::new(dir.path()).trusting(&key)).expect("reopen");
    assert_eq!(version_in_use(&ws), ver(0), "the built-in pack is used");
    assert_eq!(
        ws.rules_status().notices,
        vec![RulesNotice {
            file: format!("kz-ai-pilot@{}.toml", ver(1)),
            error: Error::from(RulesError::RulesSignatureInvalid {
                file: format!("kz-ai-pilot@{}.toml", ver(1))
            })
        }],
        "and the user can be told why"
    );
    assert_eq!(ws.rules_status().packs[0].origin, PackOrigin::BuiltIn);
}

#[test]
fn a_crash_between_the_two_renames_keeps_the_last_good_pack() {
    let dir = tempfile::tempdir().expect("temp dir");
    let publisher = Publisher::new();
    let key = publisher.key();
    let mut ws = Workspace::open(OpenOptions::new(dir.path()).trusting(&key)).expect("open");
    let good = pilot_at(&ver(1));
    ws.offer_rule_pack("kz-ai-pilot", &good, &publisher.sign(&good), &key)
        .expect("installed");
    // The next update wrote its signature, then died before its pack.
    let next = pilot_at(&ver(2));
    let rules = ws.rules_dir();
    fs::write(
        rules.join(format!("kz-ai-pilot@{}.toml.minisig", ver(2))),
        publisher.sign(&next),
    )
    .expect("signature");
    fs::write(
        rules.join(format!(".kz-ai-pilot@{}.toml.0123.part", ver(2))),
        &next[..100],
    )
    .expect("part");

    let mut ws = Workspace::open(OpenOptions::new(dir.path()).trusting(&key)).expect("reopen");
    assert_eq!(version_in_use(&ws), ver(1), "the last good pack");
    assert!(
        ws.rules_status().notices.is_empty(),
        "a lone signature is no pack"
    );
    ws.offer_rule_pack("kz-ai-pilot", &next, &publisher.sign(&next), &key)
        .expect("the retry installs");
    let mut left: Vec<String> = fs::read_dir(&rules)
        .expect("rules dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            format!("kz-ai-pilot@{}.toml", ver(2)),
            format!("kz-ai-pilot@{}.toml.minisig", ver(2))
        ],
        "older versions and unfinished writes are removed"
    );
}

#[test]
fn an_installed_pack_older_than_the_builtin_one_is_not_used() {
    let dir = tempfile::tempdir().expect("temp dir");
    let publisher = Publisher::new();
    let key = publisher.key();
    // An update installed long ago is older than the pack this build ships.
    let old = pilot_at(&ver(-1));
    let rules = dir.path().join(RULES_DIR);
    fs::create_dir_all(&rules).expect("rules dir");
    fs::write(rules.join(format!("kz-ai-pilot@{}.toml", ver(-1))), &old).expect("pack");
    fs::write(
        rules.join(format!("kz-ai-pilot@{}.toml.minisig", ver(-1))),
        publisher.sign(&old),
    )
    .expect("sig");
    let ws = Workspace::open(OpenOptions::new(dir.path()).trusting(&key)).expect("open");
    assert_eq!(version_in_use(&ws), ver(0));
    assert_eq!(ws.rules_status().packs[0].origin, PackOrigin::BuiltIn);
}

#[test]
fn a_validly_signed_pack_under_a_misleading_name_is_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let publisher = Publisher::new();
    let key = publisher.key();
    let bytes = pilot_at(&ver(1));
    let rules = dir.path().join(RULES_DIR);
    fs::create_dir_all(&rules).expect("rules dir");
    fs::write(rules.join("kz-ai-pilot@2099.1.toml"), &bytes).expect("pack");
    fs::write(
        rules.join("kz-ai-pilot@2099.1.toml.minisig"),
        publisher.sign(&bytes),
    )
    .expect("sig");
    let ws = Workspace::open(OpenOptions::new(dir.path()).trusting(&key)).expect("open");
    assert_eq!(version_in_use(&ws), ver(0));
    assert!(matches!(
        ws.rules_status().notices.as_slice(),
        [RulesNotice {
            error: Error::Rules(RulesError::RulePack { .. }),
            ..
        }]
    ));
}
