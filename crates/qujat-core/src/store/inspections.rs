//! The inspection cache and the dates entered on documents (migration
//! `0003_inspections.sql`).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::fields::INSPECTION_JSON;
use super::Store;
use crate::error::Result;
use crate::inspect::{Verdict, RECORD_VERSION};

/// A cached verdict and when it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedVerdict {
    /// The verdict.
    pub verdict: Verdict,
    /// When the inspection ran.
    pub inspected_at: DateTime<Utc>,
}

/// The dates the user read off a document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DocumentDates {
    /// Day of issue.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub issued_on: Option<NaiveDate>,
    /// Last day of validity.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub expires_on: Option<NaiveDate>,
}

impl Store {
    /// The current-version verdicts cached for these contents; contents
    /// without one (or with an older record version) are left out.
    pub fn inspections<'a>(
        &self,
        shas: impl IntoIterator<Item = &'a str>,
    ) -> Result<HashMap<String, CachedVerdict>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT json, inspected_at FROM inspections WHERE sha256 = ?1 AND record_version = ?2",
        )?;
        let mut found = HashMap::new();
        for sha in shas {
            let row: Option<(String, DateTime<Utc>)> = stmt
                .query_row(params![sha, RECORD_VERSION], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            // A row that no longer parses (or opens) is as good as none:
            // inspect again.
            let row = row.and_then(|(json, at)| {
                self.fields()
                    .open(INSPECTION_JSON, json)
                    .ok()
                    .map(|json| (json, at))
            });
            if let Some((json, inspected_at)) = row {
                if let Ok(verdict) = serde_json::from_str::<Verdict>(&json) {
                    found.insert(
                        sha.to_owned(),
                        CachedVerdict {
                            verdict,
                            inspected_at,
                        },
                    );
                }
            }
        }
        Ok(found)
    }

    /// Caches the verdict on a content, replacing an older one.
    pub fn put_inspection(
        &self,
        sha256: &str,
        verdict: &Verdict,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let json = self.fields().seal(
            INSPECTION_JSON,
            &serde_json::to_string(verdict).unwrap_or_default(),
        );
        self.conn.execute(
            "INSERT INTO inspections (sha256, record_version, verdict, json, inspected_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (sha256) DO UPDATE SET record_version = excluded.record_version,
               verdict = excluded.verdict, json = excluded.json, inspected_at = excluded.inspected_at",
            params![sha256, RECORD_VERSION, verdict.code(), json, now],
        )?;
        Ok(())
    }

    /// Forgets the verdict on a content, so it is inspected again.
    pub fn forget_inspection(&self, sha256: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM inspections WHERE sha256 = ?1", [sha256])?;
        Ok(())
    }

    /// The dates entered for a dossier's documents: requirement id to the
    /// file they were entered for and the dates.
    pub fn document_dates(
        &self,
        dossier_id: &str,
    ) -> Result<HashMap<String, (String, DocumentDates)>> {
        let mut stmt = self.conn.prepare(
            "SELECT requirement_id, sha256, issued_on, expires_on FROM document_dates WHERE dossier_id = ?1",
        )?;
        let rows = stmt.query_map([dossier_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (
                    r.get::<_, String>(1)?,
                    DocumentDates {
                        issued_on: r.get(2)?,
                        expires_on: r.get(3)?,
                    },
                ),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records the dates of the file `sha256` attached to a requirement.
    pub fn set_document_dates(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        sha256: &str,
        dates: DocumentDates,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.change_dossier(dossier_id, now, |tx| {
            tx.execute(
                "INSERT INTO document_dates (dossier_id, requirement_id, sha256, issued_on, expires_on, entered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (dossier_id, requirement_id) DO UPDATE SET sha256 = excluded.sha256,
                   issued_on = excluded.issued_on, expires_on = excluded.expires_on, entered_at = excluded.entered_at",
                params![dossier_id, requirement_id, sha256, dates.issued_on, dates.expires_on, now],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::FileKind;
    use crate::store::Dossier;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("q.sqlite3")).expect("open");
        (dir, store)
    }

    #[test]
    fn a_cached_verdict_is_found_by_its_hash_until_forgotten() {
        let (_dir, store) = store();
        let verdict = Verdict::Unreadable {
            kind: FileKind::Pdf,
            detail: "cut short".into(),
        };
        let now = Utc::now();
        store.put_inspection("aa", &verdict, now).expect("put");
        let found = store.inspections(["aa", "bb"]).expect("read");
        assert_eq!(found.len(), 1, "only the inspected content is found");
        assert_eq!(found["aa"].verdict, verdict);
        store.forget_inspection("aa").expect("forget");
        assert!(store.inspections(["aa"]).expect("read").is_empty());
    }

    #[test]
    fn a_record_of_another_version_counts_as_not_inspected() {
        let (_dir, store) = store();
        store
            .put_inspection("aa", &Verdict::Damaged, Utc::now())
            .expect("put");
        store
            .conn
            .execute("UPDATE inspections SET record_version = 0", [])
            .expect("age the row");
        assert!(
            store.inspections(["aa"]).expect("read").is_empty(),
            "an older probe's record is inspected again"
        );
    }

    #[test]
    fn document_dates_are_kept_per_requirement_and_go_with_the_dossier() {
        let (_dir, mut store) = store();
        let now = Utc::now();
        store
            .insert_dossier(&Dossier {
                id: "d1".into(),
                program_id: "kz-ai-pilot".into(),
                applicant_name: "Ada".into(),
                created_at: now,
                updated_at: now,
                is_demo: false,
            })
            .expect("dossier");
        let dates = DocumentDates {
            issued_on: NaiveDate::from_ymd_opt(2025, 1, 2),
            expires_on: None,
        };
        store
            .set_document_dates("d1", "police-clearance", "aa", dates, now)
            .expect("set");
        assert_eq!(
            store.document_dates("d1").expect("read")["police-clearance"],
            ("aa".to_owned(), dates)
        );
        store.delete_dossier("d1").expect("delete");
        assert!(store.document_dates("d1").expect("read").is_empty());
    }
}
