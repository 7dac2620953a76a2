//! The one error type of the core.
//!
//! Every variant is something a caller branches on or a user must be told, and
//! carries plain data so it can cross the IPC boundary and be translated: the
//! UI and the CLI show `error.<code>` from the message catalogue, filled with
//! the variant's fields. No variant wraps a bare English string as its meaning.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::i18n::{message, Lang};

/// What went wrong. Serialises as `{ "code": "unknown-program", ...fields }`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, TS)]
#[serde(
    tag = "code",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum Error {
    /// No program with this id; `known` lists the valid ones.
    #[error("unknown program \"{id}\"; the programs are: {}", known.join(", "))]
    UnknownProgram {
        /// What was asked for.
        id: String,
        /// The valid ids.
        known: Vec<String>,
    },
    /// A new dossier was asked for on a closed program without the user's
    /// confirmation that they know it is closed.
    #[error("the program \"{id}\" is closed; confirm that you know this to start a dossier on it")]
    ProgramClosed {
        /// The program.
        id: String,
        /// Its last day, if the sources give one.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[ts(optional, type = "string")]
        closes: Option<chrono::NaiveDate>,
    },
    /// No dossier with this id (or the prefix matches none).
    #[error("unknown dossier \"{id}\"; the dossiers are: {}", known.join(", "))]
    UnknownDossier {
        /// What was asked for.
        id: String,
        /// The valid ids.
        known: Vec<String>,
    },
    /// A dossier id prefix matches more than one dossier.
    #[error("\"{id}\" matches several dossiers: {}", matches.join(", "))]
    AmbiguousDossier {
        /// What was asked for.
        id: String,
        /// The dossiers it matches.
        matches: Vec<String>,
    },
    /// No requirement with this id in the dossier's program.
    #[error("unknown requirement \"{id}\"; the requirements are: {}", known.join(", "))]
    UnknownRequirement {
        /// What was asked for.
        id: String,
        /// The valid ids.
        known: Vec<String>,
    },
    /// No stage with this id in the dossier's program.
    #[error("unknown stage \"{id}\"; the stages are: {}", known.join(", "))]
    UnknownStage {
        /// What was asked for.
        id: String,
        /// The valid ids.
        known: Vec<String>,
    },
    /// A file was given for a step, which is confirmed with a date instead.
    #[error("\"{id}\" is a step, confirmed with a date, not a document; the documents are: {}", known.join(", "))]
    NotADocument {
        /// The step's id.
        id: String,
        /// The document requirement ids.
        known: Vec<String>,
    },
    /// A date was given for a document, which is attached instead.
    #[error("\"{id}\" is a document to attach, not a step; the steps are: {}", known.join(", "))]
    NotAStep {
        /// The document's id.
        id: String,
        /// The step requirement ids.
        known: Vec<String>,
    },
    /// The applicant's name is empty.
    #[error("the applicant's name must not be empty")]
    EmptyName,
    /// Not an ISO 3166-1 alpha-2 country code.
    #[error("\"{country}\" is not a country code (ISO 3166-1 alpha-2, e.g. DE, RU, KZ)")]
    UnknownCountry {
        /// What was given.
        country: String,
    },
    /// The date is not a calendar date in YYYY-MM-DD form.
    #[error("\"{value}\" is not a date in the form YYYY-MM-DD")]
    InvalidDate {
        /// What was given.
        value: String,
    },
    /// The date of a completed step lies in the future.
    #[error("{date} is in the future; a step is confirmed on or after the day it was done")]
    FutureDate {
        /// The date given.
        date: String,
    },
    /// No event kind with this id in the dossier's program.
    #[error("unknown event \"{id}\"; the events are: {}", known.join(", "))]
    UnknownEventKind {
        /// What was asked for.
        id: String,
        /// The valid event ids.
        known: Vec<String>,
    },
    /// No recorded event with this number in the dossier.
    #[error("the dossier has no event #{id}; its events are: {}", known.join(", "))]
    UnknownEvent {
        /// The number asked for.
        #[ts(type = "number")]
        id: i64,
        /// The dossier's event numbers.
        known: Vec<String>,
    },
    /// An event of this kind is already recorded; it is corrected, not added twice.
    #[error("{kind} is already recorded as event #{id}; correct that one instead")]
    EventAlreadyRecorded {
        /// The event kind.
        kind: String,
        /// The recorded event's number.
        #[ts(type = "number")]
        id: i64,
    },
    /// An event was dated in the future; events are recorded once they happened.
    #[error("{kind} on {date}: that day is in the future; record an event once it has happened")]
    FutureEvent {
        /// The event kind.
        kind: String,
        /// The date given.
        date: String,
    },
    /// An event needs another one that is not recorded.
    #[error("{kind} needs {requires} to be recorded first")]
    MissingPrerequisite {
        /// The event kind.
        kind: String,
        /// The event it needs.
        requires: String,
    },
    /// An event is dated before an event that must come first.
    #[error("{kind} on {date} cannot come before {requires} on {requires_date}")]
    EventOutOfOrder {
        /// The event kind.
        kind: String,
        /// Its date.
        date: String,
        /// The event that must come on or before it.
        requires: String,
        /// That event's date.
        requires_date: String,
    },
    /// Removing or re-kinding an event would leave a later one without its prerequisite.
    #[error("{kind} cannot be removed or changed: {needed_by} depends on it")]
    EventStillNeeded {
        /// The event being removed or changed.
        kind: String,
        /// The recorded event that needs it.
        needed_by: String,
    },
    /// Two events that exclude each other (an approval and a refusal).
    #[error("{kind} cannot be recorded together with {other}")]
    EventsExclusive {
        /// The event being recorded.
        kind: String,
        /// The recorded event it excludes.
        other: String,
    },
    /// The file does not exist.
    #[error("{path}: no such file")]
    FileNotFound {
        /// The path given.
        path: String,
    },
    /// The path is a directory.
    #[error("{path}: a folder, not a file")]
    NotAFile {
        /// The path given.
        path: String,
    },
    /// The path is a named pipe (FIFO); it is never opened.
    #[error("{path}: not a regular file but a named pipe (FIFO)")]
    FileIsPipe {
        /// The path given.
        path: String,
    },
    /// The path is a device or socket; it is never opened.
    #[error("{path}: not a regular file but a device or socket")]
    FileIsDevice {
        /// The path given.
        path: String,
    },
    /// The file is larger than its requirement accepts.
    #[error("{path}: {size} bytes is over the {limit}-byte limit for this requirement")]
    FileTooLarge {
        /// The path given.
        path: String,
        /// The file's size in bytes.
        #[ts(type = "number")]
        size: u64,
        /// The limit in bytes.
        #[ts(type = "number")]
        limit: u64,
    },
    /// The file or folder cannot be read (permissions, I/O error).
    #[error("{path}: cannot be read: {detail}")]
    Unreadable {
        /// The path.
        path: String,
        /// The operating system's explanation, for the log and for support.
        detail: String,
    },
    /// The disk holding the data folder is full; nothing was changed.
    #[error("{path}: the disk is full; nothing was changed")]
    DiskFull {
        /// Where the write failed.
        path: String,
    },
    /// The data folder cannot be written.
    #[error("{path}: cannot be written: {detail}")]
    Unwritable {
        /// The path.
        path: String,
        /// The operating system's explanation.
        detail: String,
    },
    /// A built-in or installed rule pack is invalid.
    #[error("rule pack {file}: {field}: {problem}")]
    RulePack {
        /// The pack's file name.
        file: String,
        /// The field path.
        field: String,
        /// What is wrong.
        problem: String,
    },
    /// The local store cannot be opened or is damaged.
    #[error("the local store failed: {detail}")]
    Store {
        /// SQLite's explanation.
        detail: String,
    },
    /// A broken invariant inside Qujat, such as a worker thread that
    /// panicked: not the user's doing and not the machine's. Whatever the
    /// work was writing was left as its transaction or rename left it.
    #[error("internal error: {detail}")]
    Internal {
        /// What broke, in the program's words.
        detail: String,
    },
    /// The store was written by a newer Qujat.
    #[error("the local store is from a newer Qujat (schema {found}, this one knows {known}); update Qujat")]
    StoreTooNew {
        /// Schema version found on disk.
        #[ts(type = "number")]
        found: i64,
        /// Newest schema this build knows.
        #[ts(type = "number")]
        known: i64,
    },
    /// A stage cannot be packed while requirements are missing or have problems.
    #[error("stage {stage} is not ready to submit: {}; finish these or pack with --allow-incomplete", blockers.join(", "))]
    StageIncomplete {
        /// The stage.
        stage: String,
        /// The blocking requirement ids, in checklist order.
        blockers: Vec<String>,
    },
    /// The package's destination exists already; nothing was written.
    #[error("{path} exists already; choose another name or replace it (--force)")]
    DestinationExists {
        /// The destination.
        path: String,
    },
    /// A vault file no longer has the content recorded when it was attached.
    #[error("Qujat's copy of the file for {requirement} is damaged or gone ({path}); attach the document again")]
    VaultDamaged {
        /// The requirement the file was attached to.
        requirement: String,
        /// The vault file.
        path: String,
    },
    /// The user cancelled; nothing was left behind.
    #[error("cancelled; nothing was written")]
    Cancelled,
    /// The document inspector (this program run again) cannot be started.
    #[error("the document inspector cannot be started: {detail}")]
    InspectorUnavailable {
        /// The operating system's explanation.
        detail: String,
    },
    /// Dates were given for a requirement with no file attached.
    #[error("nothing is attached to \"{id}\"; attach the document before entering its dates")]
    NotAttached {
        /// The requirement.
        id: String,
    },
    /// The app cannot show this kind of file (only PDF, JPEG and PNG).
    #[error("the preview shows PDF, JPEG and PNG files; \"{name}\" ({kind}) is none of them")]
    PreviewUnavailable {
        /// The file's original name.
        name: String,
        /// Its kind as detected from the content.
        kind: String,
    },
    /// A document's day of issue lies in the future.
    #[error("issued on {date}: that day is in the future")]
    IssuedInFuture {
        /// The date given.
        date: String,
    },
    /// A document expires before it was issued.
    #[error("expires on {expires}, before it was issued on {issued}")]
    DatesOutOfOrder {
        /// Day of issue.
        issued: String,
        /// Day of expiry.
        expires: String,
    },
    /// The path is neither a ZIP file nor a folder holding a BagIt bag.
    #[error("{path} is not a package: {detail}")]
    NotAPackage {
        /// The path given.
        path: String,
        /// What was found instead.
        detail: String,
    },
    /// The folder given is the `data` folder inside a bag: the package is
    /// the folder above it.
    #[error("{path} is the data folder of a package; choose the folder above it")]
    PackageDataFolder {
        /// The path given.
        path: String,
    },
    /// The trusted key for rule packs is not a minisign public key.
    #[error("the trusted rule-pack key is not a minisign public key: {detail}")]
    RulesKeyInvalid {
        /// What is wrong with it.
        detail: String,
    },
    /// A rule pack's signature is missing, malformed or does not match its content.
    #[error("rule pack {file}: the signature does not match; the pack was not used")]
    RulesSignatureInvalid {
        /// The pack file.
        file: String,
    },
    /// A rule pack is signed, but not with the key this Qujat trusts.
    #[error(
        "rule pack {file} is signed with a key this Qujat does not trust; the pack was not used"
    )]
    RulesWrongKey {
        /// The pack file.
        file: String,
    },
    /// The pack offered is older than the one in use; packs never go back.
    #[error(
        "rule pack {id} {offered} is older than {installed}, which is in use; kept {installed}"
    )]
    RulesDowngrade {
        /// The program id.
        id: String,
        /// The version offered.
        offered: String,
        /// The version in use.
        installed: String,
    },
    /// The update server cannot be reached (offline, no such host, refused).
    #[error("cannot reach {url}: {detail}")]
    RulesUpdateOffline {
        /// What was fetched.
        url: String,
        /// The network's explanation.
        detail: String,
    },
    /// The update server did not answer in time.
    #[error("{url} did not answer within {seconds} s")]
    RulesUpdateTimeout {
        /// What was fetched.
        url: String,
        /// The time allowed.
        #[ts(type = "number")]
        seconds: u64,
    },
    /// The update server answered with an HTTP error.
    #[error("{url} answered HTTP {status}")]
    RulesUpdateHttp {
        /// What was fetched.
        url: String,
        /// The HTTP status code.
        status: u16,
    },
    /// The download is larger than any rule pack can be; it was stopped.
    #[error("{url} sent more than {limit} bytes; stopped")]
    RulesUpdateTooLarge {
        /// What was fetched.
        url: String,
        /// The most accepted, in bytes.
        #[ts(type = "number")]
        limit: u64,
    },
    /// The download ended before the size the server announced.
    #[error("{url}: the download ended early")]
    RulesUpdateTruncated {
        /// What was fetched.
        url: String,
    },
    /// The server redirected to another origin (host, port or scheme),
    /// which is never followed.
    #[error("{url}: redirected to {to}, another server; not followed")]
    RulesUpdateRedirect {
        /// What was fetched.
        url: String,
        /// Where the server pointed.
        to: String,
    },
    /// The file is not a Qujat backup (or not an encrypted one).
    #[error("{path} is not a Qujat backup: {detail}")]
    NotABackup {
        /// The path given.
        path: String,
        /// What was found instead.
        detail: String,
    },
    /// The passphrase does not open the backup.
    #[error("the passphrase does not open this backup")]
    BackupWrongPassphrase,
    /// The backup was changed after it was written (a failed authentication or hash).
    #[error("the backup was changed or damaged after it was written: {detail}")]
    BackupTampered {
        /// What did not match.
        detail: String,
    },
    /// The backup ends early (an interrupted copy or download).
    #[error("the backup is cut short (an interrupted copy?)")]
    BackupTruncated,
    /// The backup was written by a newer Qujat.
    #[error(
        "the backup is from a newer Qujat (format {found}, this one reads {known}); update Qujat"
    )]
    BackupTooNew {
        /// The backup's format version.
        #[ts(type = "number")]
        found: u32,
        /// The newest format this build reads.
        #[ts(type = "number")]
        known: u32,
    },
    /// An entry's path climbs out of the archive (`..`).
    #[error("the backup holds an entry that climbs out of its folder: {path}")]
    BackupUnsafePath {
        /// The entry's path.
        path: String,
    },
    /// An entry's path is absolute.
    #[error("the backup holds an entry with an absolute path: {path}")]
    BackupAbsolutePath {
        /// The entry's path.
        path: String,
    },
    /// An entry is a link, folder or device instead of a file.
    #[error("the backup holds a link or special entry instead of a file: {path}")]
    BackupLink {
        /// The entry's path.
        path: String,
    },
    /// The same entry appears twice.
    #[error("the backup holds {path} twice")]
    BackupDuplicateEntry {
        /// The entry's path.
        path: String,
    },
    /// An entry the backup's manifest does not declare.
    #[error("the backup holds {path}, which its manifest does not list")]
    BackupUndeclaredEntry {
        /// The entry's path.
        path: String,
    },
    /// A file the manifest lists is not in the backup.
    #[error("the backup lacks {path}, which its manifest lists")]
    BackupMissingEntry {
        /// The entry's path.
        path: String,
    },
    /// An entry, or the whole backup, expands past the limit (a decompression bomb?).
    #[error("{path} expands past {limit} bytes; refused")]
    BackupTooLarge {
        /// The entry's path, or `(backup)` for the total.
        path: String,
        /// The limit in bytes.
        #[ts(type = "number")]
        limit: u64,
    },
    /// A GNU long-name or PAX header entry, which Qujat never writes; refused unread.
    #[error(
        "the backup holds an extended tar header ({path}, {size} bytes) that Qujat never writes"
    )]
    BackupExtendedHeader {
        /// The header entry's own short name.
        path: String,
        /// The size it declares.
        #[ts(type = "number")]
        size: u64,
    },
    /// The backup's dossier id is not one Qujat makes.
    #[error("the backup's dossier id {id} is not one Qujat makes")]
    BackupBadDossierId {
        /// The id, cut and escaped.
        id: String,
    },
    /// Two rows of the backup have the same key (a requirement, step, event).
    #[error("the backup lists {id} twice")]
    BackupDuplicateRecord {
        /// The repeated key.
        id: String,
    },
    /// A requirement or step the backup's program does not have.
    #[error("the backup refers to {id}, which the {program} program does not have")]
    BackupUnknownRequirement {
        /// The requirement or step id.
        id: String,
        /// The program.
        program: String,
    },
    /// An event of a kind the backup's program does not have.
    #[error("the backup holds an event of kind {kind}, which the {program} program does not have")]
    BackupUnknownEvent {
        /// The event kind.
        kind: String,
        /// The program.
        program: String,
    },
    /// A date in the backup lies in the future.
    #[error("the backup holds a date in the future ({date})")]
    BackupFutureDate {
        /// The date.
        date: String,
    },
    /// An empty passphrase was given.
    #[error("the passphrase must not be empty")]
    PassphraseEmpty,
    /// No deadline has a date yet (they count from recorded events), so a
    /// calendar file would be empty; none is written.
    #[error("there are no dated deadlines to put in a calendar yet")]
    NothingToExport,
    /// The app's own binary was replaced while it runs (an upgrade): the
    /// inspector, which is that binary, cannot be started from it any more.
    #[error("Qujat was updated while it was open; restart it")]
    AppUpdated,
    /// A new passphrase is too easy to guess (see [`crate::strength`]).
    #[error("this passphrase is too easy to guess ({reason:?}); use a few random words")]
    PassphraseWeak {
        /// What makes it easy to guess.
        reason: crate::strength::WeakReason,
    },
    /// The data is protected by a passphrase and none was given.
    #[error("this data folder is locked with a passphrase; enter it (or set QUJAT_PASSPHRASE)")]
    PassphraseRequired,
    /// The passphrase does not unlock the data key.
    #[error("this passphrase does not unlock the data folder")]
    WrongPassphrase,
    /// The operating system's keychain cannot be reached.
    #[error("the system keychain cannot be reached ({detail}); on a computer without one, set a passphrase instead (QUJAT_PASSPHRASE)")]
    KeychainUnavailable {
        /// The keychain's explanation (never a secret).
        detail: String,
    },
    /// The data key is gone (its keychain entry or `key.json`), so the
    /// encrypted data cannot be read.
    #[error("the key that encrypts this data folder is missing ({detail}); the data cannot be read without it: restore a backup")]
    DataKeyMissing {
        /// What is missing.
        detail: String,
    },
    /// `key.json` cannot be read as a key record.
    #[error("{path} is not a valid key record: {detail}")]
    KeyRecordInvalid {
        /// The record's path.
        path: String,
        /// What is wrong.
        detail: String,
    },
    /// The file is so large that it cannot be a document for any portal
    /// (see [`crate::vault::HARD_CAP`]); files over the requirement's own
    /// limit are kept, with a finding and "Make it smaller".
    #[error("{path}: {size} bytes is more than any portal takes ({cap} bytes)")]
    FileBeyondHardCap {
        /// The path given.
        path: String,
        /// The file's size in bytes.
        #[ts(type = "number")]
        size: u64,
        /// The cap in bytes.
        #[ts(type = "number")]
        cap: u64,
    },
    /// An input of a fix cannot be read: damaged or cut short.
    #[error("file {input} cannot be read: it is damaged or cut short")]
    FixInputUnreadable {
        /// The input, from 1, in the order given.
        input: u32,
    },
    /// An input of a fix is of a kind that cannot become a PDF page.
    #[error("file {input} is a {kind:?}, which cannot be made into a PDF page")]
    FixInputUnsupported {
        /// The input, from 1.
        input: u32,
        /// Its kind.
        kind: crate::kind::FileKind,
    },
    /// An input is a HEIC photo, which this build cannot decode.
    #[error("file {input} is a HEIC photo, which Qujat cannot read; export it as JPEG")]
    FixInputHeic {
        /// The input, from 1.
        input: u32,
    },
    /// An input PDF needs a password (unlock it first).
    #[error("file {input} is a PDF that needs a password; unlock it first")]
    FixInputLocked {
        /// The input, from 1.
        input: u32,
    },
    /// An image has more pixels than Qujat decodes.
    #[error("file {input} claims {width} x {height} pixels, more than Qujat reads")]
    FixImageTooLarge {
        /// The input, from 1.
        input: u32,
        /// Width in pixels.
        #[ts(type = "number")]
        width: u64,
        /// Height in pixels.
        #[ts(type = "number")]
        height: u64,
    },
    /// A page asked for is not in its file.
    #[error("file {input} has {pages} pages; there is no page {page}")]
    FixNoSuchPage {
        /// The input, from 1.
        input: u32,
        /// The page asked for.
        page: u32,
        /// The pages it has.
        pages: u32,
    },
    /// More pages than one combined PDF may have.
    #[error("{pages} pages is more than one PDF may have here ({most})")]
    FixTooManyPages {
        /// Pages asked for.
        pages: u32,
        /// The most allowed.
        most: u32,
    },
    /// The fix was asked for in a way that makes no sense (a caller's bug).
    #[error("the file cannot be made as asked: {detail}")]
    FixBadRequest {
        /// What is wrong.
        detail: String,
    },
    /// "Unlock" on a PDF that is not encrypted.
    #[error("this PDF is not encrypted: there is nothing to unlock")]
    FixNotEncrypted,
    /// "Unlock" on a PDF that needs a password, without one.
    #[error("this PDF needs its password to be unlocked")]
    FixNeedsPassword,
    /// The password given does not open the PDF.
    #[error("this password does not open the PDF")]
    FixWrongPassword,
    /// "Make it smaller" on a file within its limit.
    #[error("the file is {size} bytes, already within the {limit}-byte limit")]
    FixAlreadyFits {
        /// Its size in bytes.
        #[ts(type = "number")]
        size: u64,
        /// The limit in bytes.
        #[ts(type = "number")]
        limit: u64,
    },
    /// The file cannot fit its limit without an image going below the
    /// resolution floor.
    #[error("the file cannot be made {limit} bytes or less above {min_dpi} dpi (at best {smallest} bytes)")]
    FixCannotFit {
        /// The limit in bytes.
        #[ts(type = "number")]
        limit: u64,
        /// The smallest size reached at the floor, in bytes.
        #[ts(type = "number")]
        smallest: u64,
        /// The floor, in dots per inch.
        min_dpi: u32,
    },
    /// The file has no images to make smaller (text and drawings only).
    #[error(
        "the file has no images to make smaller; at best {smallest} bytes, the limit is {limit}"
    )]
    FixNoImages {
        /// The limit in bytes.
        #[ts(type = "number")]
        limit: u64,
        /// The smallest size reached, in bytes.
        #[ts(type = "number")]
        smallest: u64,
    },
    /// The rule pack sets no resolution floor, so nothing is made smaller.
    #[error("the rule pack sets no resolution floor (min-dpi) for {requirement}")]
    FixNoFloor {
        /// The requirement.
        requirement: String,
    },
    /// The file made would be larger than Qujat keeps.
    #[error("the file made would be {size} bytes, more than Qujat keeps")]
    FixOutputTooLarge {
        /// Its size in bytes.
        #[ts(type = "number")]
        size: u64,
    },
    /// Making the file took longer than the limit.
    #[error("making the file took longer than {seconds} seconds")]
    FixTimedOut {
        /// The limit in seconds.
        #[ts(type = "number")]
        seconds: u64,
    },
    /// Making the file needed more memory than the limit.
    #[error("making the file needed more than {limit_mib} MiB of memory")]
    FixOutOfMemory {
        /// The limit in MiB.
        #[ts(type = "number")]
        limit_mib: u64,
    },
    /// The process making the file failed (a crash, or nonsense output).
    #[error("the process making the file failed: {detail}")]
    FixCrashed {
        /// What happened, for support.
        detail: String,
    },
    /// "Crop to 35 × 45" on a photo with no face, or more than one.
    #[error("the photo has {faces} faces; cropping needs exactly one")]
    FixNoSingleFace {
        /// Faces found.
        faces: u32,
    },
    /// "Crop to 35 × 45" on a photo without enough pixels around the face.
    #[error("framed around the face, the photo is {width} x {height} pixels; at least {min_width} x {min_height} are needed")]
    FixPhotoTooSmall {
        /// The frame's width in the photo.
        width: u32,
        /// The frame's height.
        height: u32,
        /// The result's width.
        min_width: u32,
        /// The result's height.
        min_height: u32,
    },
    /// "Crop to 35 × 45" on a requirement whose pack sets no photo block.
    #[error("the rule pack sets no photo specification for {requirement}")]
    FixNotAPhoto {
        /// The requirement.
        requirement: String,
    },
    /// A fix's result cannot replace the document any more: the
    /// requirement's file changed since it was made, or the result is gone
    /// (discarded, or swept when the vault was reopened).
    #[error("the file made for {requirement} is out of date; make it again")]
    FixStale {
        /// The requirement.
        requirement: String,
    },
}

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The error's code, e.g. `unknown-program`: the suffix of its message key.
    pub fn code(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned))
            .unwrap_or_else(|| "store".to_owned())
    }

    /// Whether the error is about what the user asked for (exit status 2 in
    /// the CLI) rather than about the machine, the data folder or Qujat
    /// itself. Every variant is classed here, with no catch-all, so a new
    /// one must be classed on purpose instead of defaulting to "the user's
    /// fault".
    pub fn is_bad_input(&self) -> bool {
        match self {
            Error::UnknownProgram { .. }
            | Error::ProgramClosed { .. }
            | Error::UnknownDossier { .. }
            | Error::AmbiguousDossier { .. }
            | Error::UnknownRequirement { .. }
            | Error::UnknownStage { .. }
            | Error::NotADocument { .. }
            | Error::NotAStep { .. }
            | Error::EmptyName
            | Error::UnknownCountry { .. }
            | Error::InvalidDate { .. }
            | Error::FutureDate { .. }
            | Error::UnknownEventKind { .. }
            | Error::UnknownEvent { .. }
            | Error::EventAlreadyRecorded { .. }
            | Error::FutureEvent { .. }
            | Error::MissingPrerequisite { .. }
            | Error::EventOutOfOrder { .. }
            | Error::EventStillNeeded { .. }
            | Error::EventsExclusive { .. }
            | Error::FileNotFound { .. }
            | Error::NotAFile { .. }
            | Error::FileIsPipe { .. }
            | Error::FileIsDevice { .. }
            | Error::FileTooLarge { .. }
            | Error::Unreadable { .. }
            | Error::StageIncomplete { .. }
            | Error::DestinationExists { .. }
            | Error::Cancelled
            | Error::NotAttached { .. }
            | Error::PreviewUnavailable { .. }
            | Error::IssuedInFuture { .. }
            | Error::DatesOutOfOrder { .. }
            | Error::NotAPackage { .. }
            | Error::PackageDataFolder { .. }
            | Error::NotABackup { .. }
            | Error::BackupWrongPassphrase
            | Error::BackupTampered { .. }
            | Error::BackupTruncated
            | Error::BackupTooNew { .. }
            | Error::BackupUnsafePath { .. }
            | Error::BackupAbsolutePath { .. }
            | Error::BackupLink { .. }
            | Error::BackupDuplicateEntry { .. }
            | Error::BackupUndeclaredEntry { .. }
            | Error::BackupMissingEntry { .. }
            | Error::BackupTooLarge { .. }
            | Error::BackupExtendedHeader { .. }
            | Error::BackupBadDossierId { .. }
            | Error::BackupDuplicateRecord { .. }
            | Error::BackupUnknownRequirement { .. }
            | Error::BackupUnknownEvent { .. }
            | Error::BackupFutureDate { .. }
            | Error::PassphraseEmpty
            | Error::NothingToExport
            | Error::PassphraseWeak { .. }
            | Error::PassphraseRequired
            | Error::WrongPassphrase
            | Error::FileBeyondHardCap { .. }
            | Error::FixInputUnreadable { .. }
            | Error::FixInputUnsupported { .. }
            | Error::FixInputHeic { .. }
            | Error::FixInputLocked { .. }
            | Error::FixImageTooLarge { .. }
            | Error::FixNoSuchPage { .. }
            | Error::FixTooManyPages { .. }
            | Error::FixNotEncrypted
            | Error::FixNeedsPassword
            | Error::FixWrongPassword
            | Error::FixAlreadyFits { .. }
            | Error::FixCannotFit { .. }
            | Error::FixNoImages { .. }
            | Error::FixNoFloor { .. }
            | Error::FixNoSingleFace { .. }
            | Error::FixPhotoTooSmall { .. }
            | Error::FixNotAPhoto { .. }
            | Error::FixStale { .. } => true,
            Error::DiskFull { .. }
            | Error::Unwritable { .. }
            | Error::RulePack { .. }
            | Error::Store { .. }
            | Error::StoreTooNew { .. }
            | Error::VaultDamaged { .. }
            | Error::InspectorUnavailable { .. }
            | Error::RulesKeyInvalid { .. }
            | Error::RulesSignatureInvalid { .. }
            | Error::RulesWrongKey { .. }
            | Error::RulesDowngrade { .. }
            | Error::RulesUpdateOffline { .. }
            | Error::RulesUpdateTimeout { .. }
            | Error::RulesUpdateHttp { .. }
            | Error::RulesUpdateTooLarge { .. }
            | Error::RulesUpdateTruncated { .. }
            | Error::RulesUpdateRedirect { .. }
            | Error::KeychainUnavailable { .. }
            | Error::DataKeyMissing { .. }
            | Error::KeyRecordInvalid { .. }
            | Error::AppUpdated
            | Error::FixBadRequest { .. }
            | Error::FixOutputTooLarge { .. }
            | Error::FixTimedOut { .. }
            | Error::FixOutOfMemory { .. }
            | Error::FixCrashed { .. }
            | Error::Internal { .. } => false,
        }
    }

    /// The technical detail some errors carry (an operating system's or a
    /// library's own words, usually English): shown apart from the message,
    /// as a "details" line, never as the message itself.
    pub fn detail(&self) -> Option<String> {
        serde_json::to_value(self)
            .ok()?
            .get("detail")?
            .as_str()
            .filter(|d| !d.trim().is_empty())
            .map(str::to_owned)
    }

    /// The message in `lang` with the technical detail, if any, on a second
    /// line: what a terminal shows.
    pub fn localized_with_detail(&self, lang: Lang) -> String {
        let text = self.localized(lang);
        match self.detail() {
            Some(detail) => format!(
                "{text}\n  {}",
                message(lang, "error.details", &[("detail", detail)])
            ),
            None => text,
        }
    }

    /// The error in `lang`, from the message catalogue.
    pub fn localized(&self, lang: Lang) -> String {
        let value = serde_json::to_value(self).unwrap_or_default();
        let mut params: Vec<(String, String)> = Vec::new();
        if let Some(fields) = value.as_object() {
            for (name, v) in fields {
                let text = match v {
                    // A weak passphrase's reason is a code with its own sentence.
                    serde_json::Value::String(s) if name == "reason" => {
                        message(lang, &format!("strength.reason.{s}"), &[])
                    }
                    serde_json::Value::String(s) if name == "kind" => {
                        serde_json::from_value::<crate::kind::FileKind>(v.clone())
                            .map(|k| k.label().to_owned())
                            .unwrap_or_else(|_| s.clone())
                    }
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Array(items) => items
                        .iter()
                        .filter_map(|i| i.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    serde_json::Value::Number(n)
                        if matches!(name.as_str(), "size" | "limit" | "smallest" | "cap") =>
                    {
                        crate::i18n::format_size_in(n.as_u64().unwrap_or(0), lang)
                    }
                    other => other.to_string(),
                };
                params.push((name.clone(), text));
            }
        }
        let params: Vec<(&str, String)> = params
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        message(lang, &format!("error.{}", self.code()), &params)
    }

    /// Maps an I/O error while reading `path`.
    pub(crate) fn reading(path: &Path, err: std::io::Error) -> Error {
        let path_text = path.display().to_string();
        match err.kind() {
            std::io::ErrorKind::NotFound => Error::FileNotFound { path: path_text },
            std::io::ErrorKind::IsADirectory => Error::NotAFile { path: path_text },
            _ => Error::Unreadable {
                path: path_text,
                detail: err.to_string(),
            },
        }
    }

    /// Maps an I/O error while writing under `path`.
    pub(crate) fn writing(path: &Path, err: std::io::Error) -> Error {
        let path_text = path.display().to_string();
        if err.kind() == std::io::ErrorKind::StorageFull || err.raw_os_error() == Some(28) {
            Error::DiskFull { path: path_text }
        } else {
            Error::Unwritable {
                path: path_text,
                detail: err.to_string(),
            }
        }
    }
}

impl From<crate::strength::Weakness> for Error {
    fn from(weakness: crate::strength::Weakness) -> Self {
        match weakness {
            crate::strength::Weakness::Empty => Error::PassphraseEmpty,
            crate::strength::Weakness::Weak(reason) => Error::PassphraseWeak { reason },
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(code, _) = &e {
            if code.code == rusqlite::ErrorCode::DiskFull {
                return Error::DiskFull {
                    path: "qujat.sqlite3".into(),
                };
            }
        }
        Error::Store {
            detail: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_cross_the_boundary_as_code_and_fields() {
        let e = Error::UnknownProgram {
            id: "x".into(),
            known: vec!["kz-ai-pilot".into()],
        };
        assert_eq!(
            serde_json::to_string(&e).expect("serialises"),
            r#"{"code":"unknown-program","id":"x","known":["kz-ai-pilot"]}"#,
            "the UI branches on `code` and translates with the fields"
        );
        assert_eq!(e.code(), "unknown-program");
    }

    #[test]
    fn a_broken_invariant_is_neither_the_users_fault_nor_a_store_failure() {
        let internal = Error::Internal {
            detail: "worker panicked".into(),
        };
        assert!(!internal.is_bad_input());
        assert_eq!(internal.code(), "internal");
        assert!(internal.localized(Lang::Ru).contains("Qujat"));
        assert!(Error::UnknownProgram {
            id: "x".into(),
            known: vec![]
        }
        .is_bad_input());
        assert!(!Error::DiskFull { path: "x".into() }.is_bad_input());
    }

    #[test]
    fn every_error_has_a_message_in_every_language() {
        let samples = [
            Error::UnknownProgram {
                id: "x".into(),
                known: vec![],
            },
            Error::UnknownDossier {
                id: "x".into(),
                known: vec![],
            },
            Error::ProgramClosed {
                id: "kz-ai-pilot".into(),
                closes: chrono::NaiveDate::from_ymd_opt(2025, 12, 31),
            },
            Error::AmbiguousDossier {
                id: "x".into(),
                matches: vec![],
            },
            Error::UnknownRequirement {
                id: "x".into(),
                known: vec![],
            },
            Error::UnknownStage {
                id: "x".into(),
                known: vec![],
            },
            Error::NotADocument {
                id: "x".into(),
                known: vec![],
            },
            Error::NotAStep {
                id: "x".into(),
                known: vec![],
            },
            Error::EmptyName,
            Error::UnknownCountry {
                country: "x".into(),
            },
            Error::InvalidDate { value: "x".into() },
            Error::FutureDate { date: "x".into() },
            Error::UnknownEventKind {
                id: "x".into(),
                known: vec![],
            },
            Error::UnknownEvent {
                id: 1,
                known: vec![],
            },
            Error::EventAlreadyRecorded {
                kind: "x".into(),
                id: 1,
            },
            Error::FutureEvent {
                kind: "x".into(),
                date: "d".into(),
            },
            Error::MissingPrerequisite {
                kind: "x".into(),
                requires: "y".into(),
            },
            Error::EventOutOfOrder {
                kind: "x".into(),
                date: "d".into(),
                requires: "y".into(),
                requires_date: "e".into(),
            },
            Error::EventStillNeeded {
                kind: "x".into(),
                needed_by: "y".into(),
            },
            Error::EventsExclusive {
                kind: "x".into(),
                other: "y".into(),
            },
            Error::FileNotFound { path: "x".into() },
            Error::NotAFile { path: "x".into() },
            Error::FileIsPipe { path: "x".into() },
            Error::FileIsDevice { path: "x".into() },
            Error::FileTooLarge {
                path: "x".into(),
                size: 2,
                limit: 1,
            },
            Error::Unreadable {
                path: "x".into(),
                detail: "d".into(),
            },
            Error::DiskFull { path: "x".into() },
            Error::Unwritable {
                path: "x".into(),
                detail: "d".into(),
            },
            Error::RulePack {
                file: "f".into(),
                field: "x".into(),
                problem: "p".into(),
            },
            Error::Store { detail: "d".into() },
            Error::Internal { detail: "d".into() },
            Error::StoreTooNew { found: 9, known: 1 },
            Error::StageIncomplete {
                stage: "s".into(),
                blockers: vec!["a".into(), "b".into()],
            },
            Error::DestinationExists { path: "x".into() },
            Error::VaultDamaged {
                requirement: "r".into(),
                path: "x".into(),
            },
            Error::Cancelled,
            Error::NotAPackage {
                path: "x".into(),
                detail: "d".into(),
            },
            Error::PackageDataFolder { path: "x".into() },
            Error::RulesKeyInvalid { detail: "d".into() },
            Error::RulesSignatureInvalid { file: "f".into() },
            Error::RulesWrongKey { file: "f".into() },
            Error::RulesDowngrade {
                id: "x".into(),
                offered: "2025.1".into(),
                installed: "2026.1".into(),
            },
            Error::RulesUpdateOffline {
                url: "u".into(),
                detail: "d".into(),
            },
            Error::RulesUpdateTimeout {
                url: "u".into(),
                seconds: 30,
            },
            Error::RulesUpdateHttp {
                url: "u".into(),
                status: 404,
            },
            Error::RulesUpdateTooLarge {
                url: "u".into(),
                limit: 1,
            },
            Error::RulesUpdateTruncated { url: "u".into() },
            Error::RulesUpdateRedirect {
                url: "u".into(),
                to: "t".into(),
            },
            Error::NotABackup {
                path: "x".into(),
                detail: "d".into(),
            },
            Error::BackupWrongPassphrase,
            Error::BackupTampered { detail: "d".into() },
            Error::BackupTruncated,
            Error::BackupTooNew { found: 2, known: 1 },
            Error::BackupUnsafePath { path: "x".into() },
            Error::BackupAbsolutePath { path: "x".into() },
            Error::BackupLink { path: "x".into() },
            Error::BackupDuplicateEntry { path: "x".into() },
            Error::BackupUndeclaredEntry { path: "x".into() },
            Error::BackupMissingEntry { path: "x".into() },
            Error::BackupTooLarge {
                path: "x".into(),
                limit: 1,
            },
            Error::BackupExtendedHeader {
                path: "x".into(),
                size: 1,
            },
            Error::BackupBadDossierId { id: "x".into() },
            Error::BackupDuplicateRecord { id: "x".into() },
            Error::BackupUnknownRequirement {
                id: "x".into(),
                program: "p".into(),
            },
            Error::BackupUnknownEvent {
                kind: "x".into(),
                program: "p".into(),
            },
            Error::BackupFutureDate { date: "d".into() },
            Error::PassphraseEmpty,
            Error::NothingToExport,
            Error::AppUpdated,
            Error::FileBeyondHardCap {
                path: "x".into(),
                size: 2,
                cap: 1,
            },
            Error::FixInputUnreadable { input: 2 },
            Error::FixStale {
                requirement: "r".into(),
            },
            Error::FixInputUnsupported {
                input: 2,
                kind: crate::kind::FileKind::Docx,
            },
            Error::FixInputHeic { input: 2 },
            Error::FixInputLocked { input: 2 },
            Error::FixImageTooLarge {
                input: 2,
                width: 100_000,
                height: 100_000,
            },
            Error::FixNoSuchPage {
                input: 2,
                page: 3,
                pages: 1,
            },
            Error::FixTooManyPages {
                pages: 2000,
                most: 1000,
            },
            Error::FixBadRequest { detail: "d".into() },
            Error::FixNotEncrypted,
            Error::FixNeedsPassword,
            Error::FixWrongPassword,
            Error::FixAlreadyFits { size: 1, limit: 2 },
            Error::FixCannotFit {
                limit: 1,
                smallest: 2,
                min_dpi: 200,
            },
            Error::FixNoImages {
                limit: 1,
                smallest: 2,
            },
            Error::FixNoFloor {
                requirement: "x".into(),
            },
            Error::FixOutputTooLarge { size: 2 },
            Error::FixTimedOut { seconds: 60 },
            Error::FixOutOfMemory { limit_mib: 1024 },
            Error::FixCrashed { detail: "d".into() },
            Error::FixNoSingleFace { faces: 2 },
            Error::FixPhotoTooSmall {
                width: 300,
                height: 386,
                min_width: 413,
                min_height: 531,
            },
            Error::FixNotAPhoto {
                requirement: "x".into(),
            },
            Error::PassphraseWeak {
                reason: crate::strength::WeakReason::Common,
            },
            Error::PassphraseRequired,
            Error::WrongPassphrase,
            Error::KeychainUnavailable { detail: "d".into() },
            Error::DataKeyMissing { detail: "d".into() },
            Error::KeyRecordInvalid {
                path: "x".into(),
                detail: "d".into(),
            },
            Error::InspectorUnavailable { detail: "d".into() },
            Error::NotAttached { id: "x".into() },
            Error::PreviewUnavailable {
                name: "x".into(),
                kind: "k".into(),
            },
            Error::IssuedInFuture { date: "d".into() },
            Error::DatesOutOfOrder {
                issued: "a".into(),
                expires: "b".into(),
            },
        ];
        for e in samples {
            for lang in Lang::ALL {
                let text = e.localized(lang);
                assert!(
                    !text.starts_with("error."),
                    "error.{} has no {} message",
                    e.code(),
                    lang.code()
                );
                assert!(
                    !text.contains('{'),
                    "error.{} in {} leaves a placeholder: {text}",
                    e.code(),
                    lang.code()
                );
                // The technical detail ("d" in the samples) never is the message.
                if let Some(detail) = e.detail() {
                    assert!(
                        !text.contains(&format!("({detail})")),
                        "error.{} in {} puts its detail in the message: {text}",
                        e.code(),
                        lang.code()
                    );
                }
            }
        }
    }

    #[test]
    fn the_technical_detail_is_a_separate_translated_line() {
        let e = Error::RulesUpdateOffline {
            url: "https://example.org/rules".into(),
            detail: "error sending request: dns error: failed to lookup address information".into(),
        };
        let ru = e.localized(Lang::Ru);
        assert!(!ru.contains("dns error"), "{ru}");
        assert!(ru.contains("Qujat не может связаться"), "{ru}");
        let terminal = e.localized_with_detail(Lang::Ru);
        let (first, second) = terminal.split_once('\n').expect("two lines");
        assert_eq!(first, ru);
        assert!(
            second.contains("Подробности:") && second.contains("dns error"),
            "{second}"
        );
        assert_eq!(Error::Cancelled.detail(), None);
        assert_eq!(
            Error::Cancelled.localized_with_detail(Lang::En),
            Error::Cancelled.localized(Lang::En)
        );
    }
}
