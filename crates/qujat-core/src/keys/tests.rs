use super::secret_store::MemoryStore;
use super::*;

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn a_keychain_key_is_made_once_and_found_again() {
    let d = dir();
    let secrets = MemoryStore::default();
    let first = unlock(d.path(), &Unlock::default(), &secrets, None).expect("created");
    let record = KeyRecord::read(d.path()).expect("read").expect("written");
    assert_eq!(record.id, first.id());
    assert!(
        matches!(record.protector, Protector::Keychain { ref account, .. } if *account == format!("data-key-{}", first.id()))
    );
    let json = fs::read_to_string(d.path().join(KEY_FILE)).expect("key.json");
    assert!(!json.contains("AGE-SECRET-KEY"), "no secret in key.json");
    let again = unlock(d.path(), &Unlock::default(), &secrets, Some(first.id())).expect("again");
    assert_eq!(again.recipient().to_string(), first.recipient().to_string());
}

#[test]
fn a_passphrase_key_needs_the_passphrase_and_refuses_a_wrong_one() {
    let d = dir();
    let secrets = MemoryStore {
        unreachable: true,
        ..MemoryStore::default()
    };
    let first = unlock(
        d.path(),
        &Unlock::with_passphrase("correct horse"),
        &secrets,
        None,
    )
    .expect("created without a keychain");
    let json = fs::read_to_string(d.path().join(KEY_FILE)).expect("key.json");
    assert!(json.contains("\"protector\": \"passphrase\""), "{json}");
    assert!(json.contains("argon2id"));
    assert!(matches!(
        unlock(d.path(), &Unlock::default(), &secrets, None),
        Err(Error::PassphraseRequired)
    ));
    assert!(matches!(
        unlock(d.path(), &Unlock::with_passphrase("wrong"), &secrets, None),
        Err(Error::WrongPassphrase)
    ));
    let again = unlock(
        d.path(),
        &Unlock::with_passphrase("correct horse"),
        &secrets,
        None,
    )
    .expect("the right one");
    assert_eq!(again.recipient().to_string(), first.recipient().to_string());
    assert_eq!(
        again
            .fields()
            .open("t.c", &first.fields().seal("t.c", "Ada"))
            .expect("open"),
        "Ada",
        "the same field key"
    );
}

#[test]
fn no_keychain_and_no_passphrase_writes_nothing_and_says_why() {
    let d = dir();
    let secrets = MemoryStore {
        unreachable: true,
        ..MemoryStore::default()
    };
    let err = unlock(d.path(), &Unlock::default(), &secrets, None).expect_err("no keychain");
    assert!(matches!(err, Error::KeychainUnavailable { .. }));
    assert!(
        err.localized(crate::i18n::Lang::En).contains("passphrase"),
        "the message offers a passphrase"
    );
    assert!(!d.path().join(KEY_FILE).exists());
}

#[test]
fn a_deleted_keychain_entry_or_key_record_is_a_missing_key_not_a_new_one() {
    let d = dir();
    let secrets = MemoryStore::default();
    let key = unlock(d.path(), &Unlock::default(), &secrets, None).expect("created");
    secrets
        .delete(&format!("data-key-{}", key.id()))
        .expect("delete");
    assert!(matches!(
        unlock(d.path(), &Unlock::default(), &secrets, Some(key.id())),
        Err(Error::DataKeyMissing { .. })
    ));
    fs::remove_file(d.path().join(KEY_FILE)).expect("remove record");
    assert!(matches!(
        unlock(d.path(), &Unlock::default(), &secrets, Some(key.id())),
        Err(Error::DataKeyMissing { .. })
    ));
    assert!(
        !d.path().join(KEY_FILE).exists(),
        "no new key over old data"
    );
}

#[test]
fn sealed_fields_are_bound_to_their_column_and_detect_changes() {
    let key = DataKey::generate();
    let f = key.fields();
    let sealed = f.seal("dossiers.applicant_name", "Ada Lovelace");
    assert!(sealed.starts_with("enc1:"));
    assert!(!sealed.contains("Ada"));
    assert_ne!(
        sealed,
        f.seal("dossiers.applicant_name", "Ada Lovelace"),
        "random nonce"
    );
    assert_eq!(
        f.open("dossiers.applicant_name", &sealed).expect("open"),
        "Ada Lovelace"
    );
    assert!(f.open("documents.original_name", &sealed).is_err(), "AAD");
    let mut bytes = sealed.into_bytes();
    let last = bytes.len() - 2;
    bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
    assert!(f
        .open(
            "dossiers.applicant_name",
            &String::from_utf8(bytes).expect("utf-8")
        )
        .is_err());
    assert_eq!(
        f.open("x.y", "plain legacy").expect("plain"),
        "plain legacy"
    );
    assert!(DataKey::generate()
        .fields()
        .open("t.c", &f.seal("t.c", "x"))
        .is_err());
}

#[test]
fn a_key_record_from_a_newer_qujat_is_refused() {
    let d = dir();
    fs::write(
        d.path().join(KEY_FILE),
        r#"{"format":9,"id":"x","protector":"keychain","service":"Qujat","account":"a"}"#,
    )
    .expect("write");
    assert!(matches!(
        KeyRecord::read(d.path()),
        Err(Error::KeyRecordInvalid { .. })
    ));
}
