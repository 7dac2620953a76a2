//! Document inspection: what a file really contains, found out in a separate
//! process so that a parser crash, abort or runaway can never take the app or
//! the CLI down with it.
//!
//! * [`record`]: the versioned [`Inspection`] record and the [`Verdict`] on
//!   one file, plus the one-line protocol between parent and child.
//! * [`probe`]: what runs **in the child**: kind by content, image pixel
//!   size, DOCX text, dates; PDFs through [`pdf`]: pages and encryption
//!   (hayro-syntax, which repairs damaged files), text (pdf-extract).
//! * [`dates`]: calendar dates found in extracted text (en/ru/kk).
//! * [`photo`]: the facts a 35 × 45 photo is judged on (faces through
//!   rustface, the tone of its edges), measured in the child.
//! * [`fix`]: making portal-ready files (combine, shrink, unlock), also in
//!   the child, through the same limits.
//! * [`child`]: the parent side (spawn, wall-time limit, kill, verdict from
//!   whatever came back) and [`child_main`], the entry point both binaries
//!   call when re-executed as the inspector.
//!
//! The parent never links a parsed byte of the document into its own memory:
//! it only reads one JSON line from the child's stdout, and judges anything
//! else (a signal, an exit code, garbage) into a verdict on that one file.

pub mod child;
pub mod dates;
pub mod fix;
pub mod ocr;
pub mod pdf;
pub mod photo;
pub mod probe;
pub mod record;

#[cfg(test)]
pub(crate) mod test_pdf;

pub use child::{
    child_main, fix_inputs, inspect_content, inspect_content_with_pages, inspect_file, FixInput,
    FixRun, InspectorCommand, Limits, PageProgress, APP_CHILD_FLAG,
};
pub use record::{
    Inspection, OcrFacts, OcrPage, OcrProblem, PdfFacts, PixelSize, Verdict, PROTOCOL_VERSION,
    RECORD_VERSION,
};
