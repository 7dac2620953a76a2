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
//! * [`child`]: the parent side (spawn, wall-time limit, kill, verdict from
//!   whatever came back) and [`child_main`], the entry point both binaries
//!   call when re-executed as the inspector.
//!
//! The parent never links a parsed byte of the document into its own memory:
//! it only reads one JSON line from the child's stdout, and judges anything
//! else (a signal, an exit code, garbage) into a verdict on that one file.

pub mod child;
pub mod dates;
pub mod pdf;
pub mod probe;
pub mod record;

/// Small PDFs for the inspector's tests, written object by object with
/// their byte offsets computed, so a test can break exactly one thing.
#[cfg(test)]
pub(crate) mod test_pdf {
    /// A PDF of `objects` (object 1 the catalog), with a correct xref
    /// table and trailer.
    pub(crate) fn assemble(objects: &[String]) -> Vec<u8> {
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }
}

pub use child::{
    child_main, inspect_content, inspect_file, InspectorCommand, Limits, APP_CHILD_FLAG,
};
pub use record::{Inspection, PdfFacts, PixelSize, Verdict, PROTOCOL_VERSION, RECORD_VERSION};
