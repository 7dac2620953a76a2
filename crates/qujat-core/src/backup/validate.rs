//! Judging a backup's manifest against this build before any of its files
//! is read or any row is written: the rows must be ones Qujat itself could
//! have made, or the import is refused whole.
//!
//! The store would catch some of this late (a duplicate row fails its
//! transaction after the files are already in the vault), and some not at
//! all: an id of another shape, an event kind the program does not have, a
//! day decades ahead, a file larger than its requirement accepts.

use std::collections::{BTreeMap, HashSet};

use chrono::{Days, NaiveDate};

use super::archive::SHOWN;
use super::manifest::DossierSnapshot;
use crate::error::{BackupError, DossierError, Result};
use crate::rules::{RequirementKind, RulePack};
use crate::text::visible_capped;

/// Days past today a date from a backup may be: the computer that wrote it
/// may be a time zone ahead, nothing more (Qujat refuses future events and
/// steps when they are recorded).
const DAYS_AHEAD: u64 = 1;

/// Whether `id` has the shape [`crate::workspace::Workspace`] gives new
/// dossiers: eight lowercase hex digits.
pub(super) fn is_dossier_id(id: &str) -> bool {
    id.len() == 8 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Checks `dossier` against `pack` and returns the size limit of each file
/// it needs (by SHA-256): the vault's hard cap, as when a file is attached
/// (a file over its requirement's own limit is kept, and reported, there
/// as here).
pub(super) fn file_limits(
    dossier: &DossierSnapshot,
    pack: &RulePack,
    today: NaiveDate,
) -> Result<BTreeMap<String, u64>> {
    if !is_dossier_id(&dossier.id) {
        return Err(BackupError::BackupBadDossierId {
            id: shown(&dossier.id),
        }
        .into());
    }
    // A profile is taken in only as one Qujat would record: known country
    // codes in canonical form (an unknown one names itself in the error).
    if let Some(profile) = &dossier.profile {
        let canonical =
            crate::profile::Profile::new(&profile.citizenships, profile.residence.as_deref())?;
        if canonical != *profile {
            return Err(DossierError::UnknownCountry {
                country: shown(&profile.citizenships.join(",")),
            }
            .into());
        }
    }
    let latest = today
        .checked_add_days(Days::new(DAYS_AHEAD))
        .unwrap_or(today);
    let not_future = |date: NaiveDate| {
        if date > latest {
            Err(BackupError::BackupFutureDate {
                date: date.to_string(),
            })
        } else {
            Ok(())
        }
    };
    let requirement = |id: &str, kind: RequirementKind| match pack.requirement(id) {
        Some(r) if r.kind == kind => Ok(r),
        _ => Err(BackupError::BackupUnknownRequirement {
            id: shown(id),
            program: pack.id.clone(),
        }),
    };

    let mut limits: BTreeMap<String, u64> = BTreeMap::new();
    let mut seen = HashSet::new();
    for d in &dossier.documents {
        // A requirement the program has, once.
        requirement(&d.requirement_id, RequirementKind::Document)?;
        once(&mut seen, &d.requirement_id)?;
        limits.insert(d.sha256.clone(), crate::vault::HARD_CAP);
    }
    let mut seen = HashSet::new();
    for c in &dossier.confirmations {
        requirement(&c.step_id, RequirementKind::Step)?;
        once(&mut seen, &c.step_id)?;
        not_future(c.done_on)?;
    }
    let mut seen = HashSet::new();
    for d in &dossier.document_dates {
        requirement(&d.requirement_id, RequirementKind::Document)?;
        once(&mut seen, &d.requirement_id)?;
        if let Some(issued) = d.issued_on {
            not_future(issued)?;
        }
    }
    let event_kind = |kind: &str| {
        if pack.events.iter().any(|e| e.id == kind) {
            Ok(())
        } else {
            Err(BackupError::BackupUnknownEvent {
                kind: shown(kind),
                program: pack.id.clone(),
            })
        }
    };
    let (mut kinds, mut numbers) = (HashSet::new(), HashSet::new());
    for e in &dossier.events {
        event_kind(&e.kind)?;
        once(&mut kinds, &e.kind)?;
        if !numbers.insert(e.id) {
            return Err(BackupError::BackupDuplicateRecord {
                id: e.id.to_string(),
            }
            .into());
        }
        not_future(e.happened_on)?;
    }
    for h in &dossier.history {
        for kind in [&h.old_kind, &h.new_kind].into_iter().flatten() {
            event_kind(kind)?;
        }
        for date in [h.old_date, h.new_date].into_iter().flatten() {
            not_future(date)?;
        }
    }
    Ok(limits)
}

/// Refuses the second row with the same key.
fn once<'a>(seen: &mut HashSet<&'a str>, key: &'a str) -> Result<()> {
    if seen.insert(key) {
        Ok(())
    } else {
        Err(BackupError::BackupDuplicateRecord { id: shown(key) }.into())
    }
}

fn shown(text: &str) -> String {
    visible_capped(text, SHOWN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_ids_qujat_makes_are_dossier_ids() {
        assert!(is_dossier_id("64d14666"));
        for bad in ["64d1", "64D14666", "../../x", "64d1466g", "", "64d146661"] {
            assert!(!is_dossier_id(bad), "{bad}");
        }
        assert!(!is_dossier_id(&"a".repeat(1 << 20)));
    }
}
