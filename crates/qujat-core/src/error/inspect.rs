//! Errors of one area: the document inspector (the child process that parses
//! untrusted files) and the fixes it makes.

area_error! {
    /// What went wrong with the document inspector or a fix it makes. Serialises as
    /// `{ "code": …, …fields }`, like every area's error: the wrapper
    /// [`super::Error`] adds nothing on the wire.
    pub enum InspectError {
        /// The document inspector (this program run again) cannot be started.
        #[error("the document inspector cannot be started: {detail}")]
        InspectorUnavailable {
            /// The operating system's explanation.
            detail: String,
        },
        /// The app's own binary was replaced while it runs (an upgrade): the
        /// inspector, which is that binary, cannot be started from it any more.
        #[error("Qujat was updated while it was open; restart it")]
        AppUpdated,
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
}

impl InspectError {
    /// Whether this is about what the user asked for (see
    /// [`super::Error::is_bad_input`]). Every variant is classed here, with
    /// no catch-all, so a new one must be classed on purpose.
    pub fn is_bad_input(&self) -> bool {
        match self {
            InspectError::FixInputUnreadable { .. }
            | InspectError::FixInputUnsupported { .. }
            | InspectError::FixInputHeic { .. }
            | InspectError::FixInputLocked { .. }
            | InspectError::FixImageTooLarge { .. }
            | InspectError::FixNoSuchPage { .. }
            | InspectError::FixTooManyPages { .. }
            | InspectError::FixNotEncrypted
            | InspectError::FixNeedsPassword
            | InspectError::FixWrongPassword
            | InspectError::FixAlreadyFits { .. }
            | InspectError::FixCannotFit { .. }
            | InspectError::FixNoImages { .. }
            | InspectError::FixNoFloor { .. }
            | InspectError::FixNoSingleFace { .. }
            | InspectError::FixPhotoTooSmall { .. }
            | InspectError::FixNotAPhoto { .. }
            | InspectError::FixStale { .. } => true,
            InspectError::InspectorUnavailable { .. }
            | InspectError::AppUpdated
            | InspectError::FixBadRequest { .. }
            | InspectError::FixOutputTooLarge { .. }
            | InspectError::FixTimedOut { .. }
            | InspectError::FixOutOfMemory { .. }
            | InspectError::FixCrashed { .. } => false,
        }
    }
}
