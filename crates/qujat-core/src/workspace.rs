//! The workspace: one data folder holding the store and the vault, with the
//! rule packs loaded. Every user action is a method here, called alike by the
//! desktop app and the CLI.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, NaiveDate, Utc};

use crate::catalog::Catalog;
use crate::check::{self, Facts};
use crate::data_folder::SetupLock;
use crate::deadlines::{self, Deadlines};
use crate::error::{DossierError, Error, Result, TimelineError, VaultError};
use crate::i18n::Lang;
use crate::ics;
use crate::keys::{self, DataKey};
use crate::profile::Profile;
use crate::report::DossierReport;
use crate::rules::{ProgramStatus, RequirementKind, RulePack};
use crate::store::{Document, Dossier, Store};
use crate::timeline::{self, Event, EventCorrection, EventValues, Timeline};
use crate::vault::Vault;

mod fix;
mod inspect;
mod migrate;
mod open;
mod preferences;
#[cfg(test)]
mod profile_tests;
mod rule_updates;
mod undo;
pub use fix::{FixOutcome, FixProposal, FixRunner, FixSource, Secret};
pub use inspect::{DatesView, InspectProgress, InspectSummary, PagesRead, ReadingView};
pub use open::OpenOptions;
pub use preferences::{Preference, Preferences, Theme};

/// The application identifier; the data folder is named after it, as Tauri
/// names the app's data folder, so the CLI and the app share one store.
pub const APP_IDENTIFIER: &str = "kz.qujat.desktop";

/// The environment variable that overrides the data folder.
pub const DATA_DIR_ENV: &str = "QUJAT_DATA_DIR";

/// An open data folder.
#[derive(Debug)]
pub struct Workspace {
    data_dir: PathBuf,
    store: Store,
    vault: Vault,
    /// The unlocked data key the vault and the store's sealed fields use.
    key: DataKey,
    /// The programs: built-in and installed rule packs.
    catalog: Catalog,
}

impl Workspace {
    /// The data folder to use: `QUJAT_DATA_DIR` if set, else the platform's
    /// per-user application data folder (`~/.local/share/kz.qujat.desktop` on
    /// Linux, `~/Library/Application Support/…` on macOS, `%APPDATA%\…` on
    /// Windows).
    pub fn default_data_dir() -> Option<PathBuf> {
        match std::env::var_os(DATA_DIR_ENV) {
            Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
            _ => dirs::data_dir().map(|d| d.join(APP_IDENTIFIER)),
        }
    }

    /// What a long job (inspecting, packing) needs to open its own
    /// connection to this data folder on another thread, so the job never
    /// holds the workspace the rest of the window uses: the folder, the
    /// packs in use and the unlocked key. Cheap; nothing is opened yet.
    pub fn for_job(&self) -> JobWorkspace {
        JobWorkspace {
            data_dir: self.data_dir.clone(),
            catalog: self.catalog.clone(),
            key: self.key.clone(),
        }
    }

    fn assemble(
        data_dir: &Path,
        mut store: Store,
        catalog: Catalog,
        key: DataKey,
    ) -> Result<Workspace> {
        // Files of removed documents and deleted dossiers are deleted here,
        // on the first open with no other Qujat process around, and their
        // cached verdicts (which may quote the document) with them.
        let (mut vault, swept) = Vault::open_sweeping(&data_dir.join("vault"), || {
            store.referenced_objects().map(Some)
        })?;
        for sha256 in &swept {
            store.forget_inspection(sha256)?;
        }
        store.set_cipher(key.fields().clone());
        vault.set_key(key.clone());
        migrate::ensure_encrypted(&mut store, &vault, &key)?;
        Ok(Workspace {
            data_dir: data_dir.to_owned(),
            store,
            vault,
            key,
            catalog: catalog.in_folder(data_dir),
        })
    }

    /// The unlocked data key, for a background job's own workspace
    /// ([`Workspace::for_job`]).
    pub fn data_key(&self) -> &DataKey {
        &self.key
    }

    /// Keeps the data key as `protection` says from now on: a new
    /// passphrase, or a move between the keychain and a passphrase (see
    /// [`keys::protect`]). Nothing is re-encrypted.
    pub fn protect_key(&self, protection: &keys::Protection) -> Result<()> {
        keys::protect(
            &self.data_dir,
            &self.key,
            protection,
            &*keys::default_secret_store(),
        )
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The store, for the workspace's own modules.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// A fresh 8-hex-digit dossier id that no dossier has: short enough to
    /// type, and checked for collisions.
    pub(crate) fn new_dossier_id(&self) -> Result<String> {
        loop {
            let candidate = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();
            if !self.store.dossier_exists(&candidate)? {
                return Ok(candidate);
            }
        }
    }

    /// The store, for changes the workspace's own modules make (the demo).
    pub(crate) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The document vault, for the workspace's own modules.
    pub(crate) fn vault(&self) -> &Vault {
        &self.vault
    }

    /// The documents attached to a dossier, one per requirement row.
    pub fn documents(&self, dossier_id: &str) -> Result<Vec<Document>> {
        let dossier = self.dossier(dossier_id)?;
        self.store.documents(&dossier.id)
    }

    /// The content of the document attached to a requirement, decrypted,
    /// if it is at most `limit` bytes: larger content is refused with
    /// `file-too-large` before anything is read, and content that no
    /// longer decrypts or matches its hash is `vault-damaged`. Content is
    /// read through the vault, never through a path the caller gives.
    pub fn document_content(
        &self,
        dossier_id: &str,
        requirement_id: &str,
        limit: u64,
    ) -> Result<(Document, Vec<u8>)> {
        let doc = self
            .documents(dossier_id)?
            .into_iter()
            .find(|d| d.requirement_id == requirement_id)
            .ok_or_else(|| DossierError::NotAttached {
                id: requirement_id.to_owned(),
            })?;
        if doc.size > limit {
            return Err(VaultError::FileTooLarge {
                path: doc.original_name,
                size: doc.size,
                limit,
            }
            .into());
        }
        let bytes = self
            .vault
            .read(&doc.sha256, limit)
            .map_err(|_| VaultError::VaultDamaged {
                requirement: requirement_id.to_owned(),
                path: self.vault.path_of(&doc.sha256).display().to_string(),
            })?;
        Ok((doc, bytes))
    }

    /// The programs available, in the order they are offered.
    pub fn programs(&self) -> &[RulePack] {
        self.catalog.programs()
    }

    /// The programs on offer and where their packs came from.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }
}

/// Rule updates go to the workspace's catalog: the packs it checks with.
impl AsMut<Catalog> for Workspace {
    fn as_mut(&mut self) -> &mut Catalog {
        &mut self.catalog
    }
}

impl Workspace {
    /// The program with this id.
    pub fn program(&self, id: &str) -> Result<&RulePack> {
        self.catalog.program(id)
    }

    /// Starts a new dossier, as the app and `qujat new` do: a program that
    /// is closed on `today` (its pack says so, or its window has passed)
    /// needs `closed_program_ok`, the user's confirmation that they know it
    /// is closed. Existing dossiers of a closed program are never affected.
    /// A non-empty `profile` is recorded with it.
    pub fn start_dossier(
        &mut self,
        program_id: &str,
        applicant_name: &str,
        profile: &Profile,
        closed_program_ok: bool,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Dossier> {
        let pack = self.program(program_id)?;
        if !closed_program_ok && pack.status_on(today) == ProgramStatus::Closed {
            return Err(DossierError::ProgramClosed {
                id: pack.id.clone(),
                closes: pack.window.as_ref().and_then(|w| w.closes),
            }
            .into());
        }
        self.create_dossier_with_profile(program_id, applicant_name, profile, now)
    }

    /// Creates a dossier for `program_id` in the name of `applicant_name`
    /// whatever the program's status: for tests and internal callers that
    /// already decided. Adapters start dossiers with [`Self::start_dossier`].
    pub fn create_dossier(
        &mut self,
        program_id: &str,
        applicant_name: &str,
        now: DateTime<Utc>,
    ) -> Result<Dossier> {
        self.insert_dossier(program_id, applicant_name, now, false)
    }

    /// Creates a dossier, real or a demo one (`crate::demo`).
    pub(crate) fn insert_dossier(
        &mut self,
        program_id: &str,
        applicant_name: &str,
        now: DateTime<Utc>,
        is_demo: bool,
    ) -> Result<Dossier> {
        self.program(program_id)?;
        let name = applicant_name_of(applicant_name)?;
        let id = self.new_dossier_id()?;
        let dossier = Dossier {
            id,
            program_id: program_id.to_owned(),
            applicant_name: name,
            created_at: now,
            updated_at: now,
            is_demo,
        };
        self.store.insert_dossier(&dossier)?;
        Ok(dossier)
    }

    /// Creates a dossier with the applicant's profile, in one go for the
    /// adapters' "new dossier" forms.
    pub fn create_dossier_with_profile(
        &mut self,
        program_id: &str,
        applicant_name: &str,
        profile: &Profile,
        now: DateTime<Utc>,
    ) -> Result<Dossier> {
        let dossier = self.insert_dossier(program_id, applicant_name, now, false)?;
        if !profile.is_empty() {
            self.store.set_profile(&dossier.id, profile, now)?;
        }
        Ok(dossier)
    }

    /// The applicant's profile recorded for a dossier (empty if none).
    pub fn profile(&self, dossier_id: &str) -> Result<Profile> {
        let dossier = self.dossier(dossier_id)?;
        self.store.profile(&dossier.id)
    }

    /// Records (replacing) the applicant's profile; an empty one clears it.
    pub fn set_profile(
        &mut self,
        dossier_id: &str,
        profile: &Profile,
        now: DateTime<Utc>,
    ) -> Result<Profile> {
        let dossier = self.dossier(dossier_id)?;
        self.store.set_profile(&dossier.id, profile, now)?;
        Ok(profile.clone())
    }

    /// All dossiers, newest first.
    pub fn dossiers(&self) -> Result<Vec<Dossier>> {
        self.store.dossiers()
    }

    /// The dossier with this id, or the only one whose id starts with it.
    pub fn dossier(&self, id: &str) -> Result<Dossier> {
        let all = self.store.dossiers()?;
        if let Some(d) = all.iter().find(|d| d.id == id) {
            return Ok(d.clone());
        }
        let matches: Vec<&Dossier> = if id.is_empty() {
            vec![]
        } else {
            all.iter().filter(|d| d.id.starts_with(id)).collect()
        };
        match matches.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(DossierError::UnknownDossier {
                id: id.to_owned(),
                known: all.iter().map(|d| d.id.clone()).collect(),
            }
            .into()),
            many => Err(DossierError::AmbiguousDossier {
                id: id.to_owned(),
                matches: many.iter().map(|d| d.id.clone()).collect(),
            }
            .into()),
        }
    }

    /// Writes the applicant's name otherwise, e.g. as the passport's
    /// machine-readable zone spells it, and returns the dossier.
    pub fn rename_dossier(
        &mut self,
        id: &str,
        applicant_name: &str,
        now: DateTime<Utc>,
    ) -> Result<Dossier> {
        let dossier = self.dossier(id)?;
        let name = applicant_name_of(applicant_name)?;
        self.store.rename_dossier(&dossier.id, &name, now)?;
        self.dossier(&dossier.id)
    }

    /// Deletes a dossier with its records. Vault files stay (another dossier
    /// may share them).
    pub fn delete_dossier(&mut self, id: &str) -> Result<()> {
        let dossier = self.dossier(id)?;
        self.store.delete_dossier(&dossier.id)
    }

    /// Copies the file at `path` into the vault and attaches it to the
    /// requirement, replacing any file attached before. The original is left
    /// untouched and may be moved or deleted afterwards. A file over the
    /// requirement's size limit is kept (the report says it is too large
    /// and it can be made smaller); only one over [`crate::vault::HARD_CAP`]
    /// is refused.
    pub fn attach(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        path: &Path,
        now: DateTime<Utc>,
    ) -> Result<Document> {
        let dossier = self.dossier(dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        // An unknown requirement, or a step, is refused before any copying.
        requirement_of(pack, requirement_id, RequirementKind::Document)?;
        let stored = self
            .vault
            .put_file(path, crate::vault::HARD_CAP)
            .map_err(|e| match e {
                Error::Vault(VaultError::FileTooLarge { path, size, limit }) => {
                    Error::from(VaultError::FileBeyondHardCap {
                        path,
                        size,
                        cap: limit,
                    })
                }
                other => other,
            })?;
        let original_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let document = Document {
            // The row as asked: a per-country row ("police-clearance@RU")
            // keeps its country, which the requirement's own id has not.
            requirement_id: requirement_id.to_owned(),
            sha256: stored.sha256,
            size: stored.size,
            kind: stored.kind,
            original_name,
            attached_at: now,
        };
        self.store.put_document(&dossier.id, &document)?;
        // The vault copy was just written afresh: a "damaged" verdict on
        // the old copy no longer holds.
        let cached = self.store.inspections([document.sha256.as_str()])?;
        if cached
            .get(&document.sha256)
            .is_some_and(|c| c.verdict == crate::inspect::Verdict::Damaged)
        {
            self.store.forget_inspection(&document.sha256)?;
        }
        Ok(document)
    }

    /// Removes the file attached to a requirement; returns whether there was one.
    pub fn detach(
        &mut self,
        dossier_id: &str,
        requirement_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let dossier = self.dossier(dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        requirement_of(pack, requirement_id, RequirementKind::Document)?;
        let id = requirement_id.to_owned();
        self.store.remove_document(&dossier.id, &id, now)
    }

    /// Confirms that a step was done on `date`, which must not be after `today`.
    pub fn confirm_step(
        &mut self,
        dossier_id: &str,
        step_id: &str,
        date: NaiveDate,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let dossier = self.dossier(dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        let step = requirement_of(pack, step_id, RequirementKind::Step)?;
        if date > today {
            return Err(DossierError::FutureDate {
                date: date.to_string(),
            }
            .into());
        }
        let id = step.id.clone();
        self.store.confirm_step(&dossier.id, &id, date, now)
    }

    /// Withdraws a step confirmation; returns whether there was one.
    pub fn unconfirm_step(
        &mut self,
        dossier_id: &str,
        step_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let dossier = self.dossier(dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        let id = requirement_of(pack, step_id, RequirementKind::Step)?
            .id
            .clone();
        self.store.unconfirm_step(&dossier.id, &id, now)
    }

    /// Checks the dossier, or one stage of it.
    pub fn report(
        &self,
        dossier_id: &str,
        stage: Option<&str>,
        today: NaiveDate,
    ) -> Result<DossierReport> {
        let dossier = self.dossier(dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        if let Some(stage) = stage {
            if pack.stage(stage).is_none() {
                return Err(DossierError::UnknownStage {
                    id: stage.to_owned(),
                    known: pack.stages.iter().map(|s| s.id.clone()).collect(),
                }
                .into());
            }
        }
        let documents = self.store.documents(&dossier.id)?;
        let confirmations = self.store.confirmations(&dossier.id)?;
        let in_vault = |sha: &str| self.vault.contains(sha);
        let verdicts: HashMap<String, crate::inspect::Verdict> = self
            .store
            .inspections(documents.iter().map(|d| d.sha256.as_str()))?
            .into_iter()
            .map(|(sha, cached)| (sha, cached.verdict))
            .collect();
        let dates = self.store.document_dates(&dossier.id)?;
        let events = self.store.events(&dossier.id)?;
        let profile = self.store.profile(&dossier.id)?;
        let facts = Facts {
            dossier: &dossier,
            documents: &documents,
            confirmations: &confirmations,
            in_vault: &in_vault,
            today,
            verdicts: &verdicts,
            dates: &dates,
            moments: crate::findings::Moments::of(pack, &events, today),
            profile: &profile,
            treaties: crate::rules::builtin_treaties()?,
        };
        Ok(check::check(pack, &facts, stage))
    }

    /// Records that an event of `kind` happened on `date`. Refused if `date`
    /// is after `today` (the caller's latest "today": where the user is, or
    /// in the program's zone if that is ahead) or if the pack's order of
    /// events forbids it; nothing is written then.
    pub fn record_event(
        &mut self,
        dossier_id: &str,
        kind: &str,
        date: NaiveDate,
        note: Option<&str>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Event> {
        let dossier = self.dossier(dossier_id)?;
        let pack = self.program(&dossier.program_id)?.clone();
        let values = EventValues {
            kind: kind.to_owned(),
            date,
            note: note.map(str::to_owned),
        };
        self.store.change_events(&dossier.id, now, |current| {
            timeline::plan_add(&pack, current, values, today)
        })
    }

    /// Corrects event `event_id`: what `correction` leaves out stays as it was.
    pub fn correct_event(
        &mut self,
        dossier_id: &str,
        event_id: i64,
        correction: EventCorrection,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Event> {
        let dossier = self.dossier(dossier_id)?;
        let pack = self.program(&dossier.program_id)?.clone();
        self.store.change_events(&dossier.id, now, |current| {
            timeline::plan_correct(&pack, current, event_id, correction, today)
        })
    }

    /// Removes event `event_id` and returns it as it was; its history stays.
    pub fn remove_event(
        &mut self,
        dossier_id: &str,
        event_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Event> {
        let dossier = self.dossier(dossier_id)?;
        let pack = self.program(&dossier.program_id)?.clone();
        self.store.change_events(&dossier.id, now, |current| {
            timeline::plan_remove(&pack, current, event_id)
        })
    }

    /// The latest day it is at `now` for this user: their own, or the
    /// program zone's when that is already tomorrow. Something that happened
    /// "today" in Kazakhstan is never refused as future from New York, nor the
    /// other way round. Both adapters record and show events against it.
    pub fn latest_today(&self, dossier_id: &str, now: DateTime<Utc>) -> Result<NaiveDate> {
        let dossier = self.dossier(dossier_id)?;
        let zone = deadlines::zone_of(self.program(&dossier.program_id)?);
        let local = now.with_timezone(&Local).date_naive();
        Ok(local.max(deadlines::today_in(zone, now)))
    }

    /// The dossier's timeline: stages, events and the history of changes.
    pub fn timeline(&self, dossier_id: &str, today: NaiveDate) -> Result<Timeline> {
        let dossier = self.dossier(dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        let events = self.store.events(&dossier.id)?;
        let history = self.store.event_history(&dossier.id)?;
        Ok(timeline::build(pack, dossier, &events, history, today))
    }

    /// The dossier's deadlines at the instant `now`, counted in the
    /// program's time zone.
    pub fn deadlines(&self, dossier_id: &str, now: DateTime<Utc>) -> Result<Deadlines> {
        let dossier = self.dossier(dossier_id)?;
        let pack = self.program(&dossier.program_id)?;
        let events = self.store.events(&dossier.id)?;
        let mut found = deadlines::compute(pack, &dossier.id, &events, now);
        // Dates count only for the file they were entered for.
        let documents = self.store.documents(&dossier.id)?;
        let dates = self.store.document_dates(&dossier.id)?;
        let dated: Vec<deadlines::DatedDocument<'_>> = documents
            .iter()
            .filter_map(|doc| {
                let (sha, dates) = dates.get(&doc.requirement_id)?;
                (*sha == doc.sha256).then(|| deadlines::DatedDocument {
                    row: &doc.requirement_id,
                    country: crate::rules::split_row_id(&doc.requirement_id)
                        .map(|(_, cc)| cc.to_ascii_uppercase()),
                    dates: *dates,
                })
            })
            .collect();
        found
            .deadlines
            .extend(deadlines::document_deadlines(pack, &dated, &events, now));
        found
            .deadlines
            .extend(deadlines::stay_deadlines(pack, &events, now));
        Ok(found)
    }

    /// What to do next in the dossier's case, from its requirements on
    /// `today` (the user's day), its recorded events and its deadlines at
    /// `now` (counted in the program's zone).
    pub fn next_step(
        &self,
        dossier_id: &str,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<crate::next_step::NextStep> {
        let report = self.report(dossier_id, None, today)?;
        let pack = self.program(&report.program.id)?;
        let events = self.store.events(&report.dossier.id)?;
        let deadlines = deadlines::compute(pack, &report.dossier.id, &events, now);
        Ok(crate::next_step::next_step(
            pack,
            &report,
            &events,
            &deadlines.deadlines,
        ))
    }

    /// Writes the dossier's deadlines to `path` as an iCalendar file
    /// (atomically) and returns them.
    pub fn export_deadlines(
        &self,
        dossier_id: &str,
        path: &Path,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> Result<Deadlines> {
        let dossier = self.dossier(dossier_id)?;
        let deadlines = self.deadlines(&dossier.id, now)?;
        // Deadlines count from recorded events: before the first, a file
        // would hold no entry and only puzzle whoever imports it.
        if ics::count_summary(&deadlines).0 == 0 {
            return Err(TimelineError::NothingToExport.into());
        }
        let revision = self.store.event_revision(&dossier.id)?;
        let text = ics::calendar(&deadlines, &dossier, lang, now, revision);
        ics::write_atomically(path, text.as_bytes())?;
        Ok(deadlines)
    }
}

/// A name as typed, with its spaces tidied; an empty one is refused.
fn applicant_name_of(typed: &str) -> Result<String> {
    let name = typed.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(DossierError::EmptyName.into());
    }
    Ok(name)
}

/// Parses a `YYYY-MM-DD` date typed by a user.
pub fn parse_date(value: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        Error::from(DossierError::InvalidDate {
            value: value.to_owned(),
        })
    })
}

fn requirement_of<'p>(
    pack: &'p RulePack,
    id: &str,
    kind: RequirementKind,
) -> Result<&'p crate::rules::Requirement> {
    let ids_of = |k: RequirementKind| {
        pack.requirements
            .iter()
            .filter(|r| r.kind == k)
            .map(|r| r.id.clone())
            .collect()
    };
    match pack.requirement(id) {
        Some(r) if r.kind == kind => Ok(r),
        Some(_) if kind == RequirementKind::Document => Err(DossierError::NotADocument {
            id: id.to_owned(),
            known: ids_of(RequirementKind::Document),
        }
        .into()),
        Some(_) => Err(DossierError::NotAStep {
            id: id.to_owned(),
            known: ids_of(RequirementKind::Step),
        }
        .into()),
        None => Err(DossierError::UnknownRequirement {
            id: id.to_owned(),
            known: ids_of(kind),
        }
        .into()),
    }
}

/// A workspace to be opened by a background job (see [`Workspace::for_job`]).
pub struct JobWorkspace {
    data_dir: PathBuf,
    catalog: Catalog,
    key: DataKey,
}

impl JobWorkspace {
    /// Opens the job's own connection, with the same packs and key.
    pub fn open(self) -> Result<Workspace> {
        let setup = SetupLock::take(&self.data_dir)?;
        let store = Store::open(&self.data_dir.join("qujat.sqlite3"))?;
        let ws = Workspace::assemble(&self.data_dir, store, self.catalog, self.key)?;
        setup.finish();
        Ok(ws)
    }
}
