//! Undoing a removal: the vault keeps a file after it is detached (until
//! cleaned), so "Undo" puts the same content back under the same name,
//! without the user finding the file again.

use chrono::{DateTime, Utc};

use super::{requirement_of, Workspace};
use crate::error::{Result, VaultError};
use crate::rules::RequirementKind;
use crate::store::Document;
use crate::vault::Integrity;

impl Workspace {
    /// Attaches the vault's content `sha256` to a document requirement again,
    /// under `original_name` (what a removal took away), replacing whatever
    /// is attached now. Refused with [`crate::VaultError::VaultDamaged`] when the vault
    /// no longer holds that content intact; then nothing changes.
    pub fn reattach(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        sha256: &str,
        original_name: &str,
        now: DateTime<Utc>,
    ) -> Result<Document> {
        let dossier = self.dossier(dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        // Checked against the pack; the id kept may be a per-citizenship row.
        requirement_of(pack, requirement_id, RequirementKind::Document)?;
        let requirement_id = requirement_id.to_owned();
        let valid_hash = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
        // Read through (decrypting): intact, and its plaintext size and kind.
        let examined = valid_hash.then(|| self.vault.examine(sha256));
        let Some(examined) = examined.filter(|e| e.integrity == Integrity::Intact) else {
            return Err(VaultError::VaultDamaged {
                requirement: requirement_id,
                path: self.vault.path_of(sha256).display().to_string(),
            }
            .into());
        };
        let (size, kind) = (examined.size, examined.kind);
        let document = Document {
            requirement_id,
            sha256: sha256.to_owned(),
            size,
            kind,
            original_name: original_name.to_owned(),
            attached_at: now,
        };
        self.store.put_document(&dossier.id, &document)?;
        Ok(document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn a_removed_document_comes_back_from_the_vault() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ws = Workspace::open(&dir.path().join("data")).expect("open");
        let dossier = ws
            .create_dossier("kz-ai-pilot", "Test Person", now())
            .expect("dossier");
        let file = dir.path().join("passport.pdf");
        std::fs::write(&file, b"%PDF-1.4\n%test\n").expect("write");
        let attached = ws
            .attach(&dossier.id, "passport-copy", &file, now())
            .expect("attach");
        std::fs::remove_file(&file).expect("the original may go");
        assert!(ws
            .detach(&dossier.id, "passport-copy", now())
            .expect("detach"));
        assert!(ws.store().documents(&dossier.id).expect("docs").is_empty());

        let back = ws
            .reattach(
                &dossier.id,
                "passport-copy",
                &attached.sha256,
                &attached.original_name,
                now(),
            )
            .expect("reattach");
        assert_eq!(back.sha256, attached.sha256);
        assert_eq!(back.size, attached.size);
        assert_eq!(back.kind, attached.kind);
        assert_eq!(back.original_name, "passport.pdf");
        assert_eq!(ws.store().documents(&dossier.id).expect("docs"), vec![back]);
    }

    #[test]
    fn files_of_a_deleted_dossier_leave_the_vault_at_the_next_open() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let mut ws = Workspace::open(&data).expect("open");
        let gone = ws
            .create_dossier("kz-ai-pilot", "Test Person", now())
            .expect("dossier");
        let stays = ws
            .create_dossier("kz-ai-pilot", "Other Person", now())
            .expect("dossier");
        let only_gone = dir.path().join("cv.pdf");
        std::fs::write(
            &only_gone,
            b"%PDF-1.4
%only in the deleted one
",
        )
        .expect("write");
        let shared = dir.path().join("passport.pdf");
        std::fs::write(
            &shared,
            b"%PDF-1.4
%in both
",
        )
        .expect("write");
        let cv = ws
            .attach(&gone.id, "cv", &only_gone, now())
            .expect("attach");
        let passport = ws
            .attach(&gone.id, "passport-copy", &shared, now())
            .expect("attach");
        ws.attach(&stays.id, "passport-copy", &shared, now())
            .expect("attach");
        ws.delete_dossier(&gone.id).expect("delete");
        assert!(
            ws.vault().contains(&cv.sha256),
            "kept while this workspace is open"
        );
        drop(ws);

        let ws = Workspace::open(&data).expect("reopen");
        assert!(!ws.vault().contains(&cv.sha256), "its own file is deleted");
        assert_eq!(
            ws.vault().verify(&passport.sha256),
            Integrity::Intact,
            "a file another dossier uses stays"
        );
    }

    #[test]
    fn content_gone_from_the_vault_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ws = Workspace::open(dir.path()).expect("open");
        let dossier = ws
            .create_dossier("kz-ai-pilot", "Test Person", now())
            .expect("dossier");
        for hash in ["0".repeat(64), "../../etc/passwd".to_owned()] {
            let err = ws
                .reattach(&dossier.id, "passport-copy", &hash, "x.pdf", now())
                .expect_err("nothing to restore");
            assert!(
                matches!(err, Error::Vault(VaultError::VaultDamaged { .. })),
                "{err:?}"
            );
        }
        assert!(ws.store().documents(&dossier.id).expect("docs").is_empty());
    }
}
