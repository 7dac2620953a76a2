//! "Crop to 35 × 45": a photo cut around its one face to the print's shape,
//! the head at the asked share of the height, and scaled down to the
//! digital specification's pixel size, as a JPEG. Nothing is retouched:
//! a painted-over background gets a photo refused, so the pixels stay the
//! photo's own, only cut and resampled; a photo that cannot be framed
//! without inventing pixels (no single face, too few pixels around it) is
//! refused and says why.

use super::{FixFacts, FixProblem, Made};
use crate::inspect::ocr::raster::RasterError;
use crate::inspect::photo::{self, CropRefusal, Framing};
use crate::kind::{self, FileKind};

/// JPEG quality of the result: a portrait at 413 × 531 is about 60 KB at
/// 92, with no visible blocks on skin or hair.
const QUALITY: u8 = 92;

/// Millimetres in an inch, for the resolution the JPEG declares.
const MM_PER_INCH: f32 = 25.4;

/// Crops the photo `bytes` as `framing` asks, telling `progress` of its
/// three steps (decode, find the face, encode).
pub fn crop_photo(
    bytes: &[u8],
    framing: &Framing,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Made, FixProblem> {
    let kind = kind::detect(&bytes[..bytes.len().min(kind::SNIFF_LEN)]);
    match kind {
        FileKind::Jpeg | FileKind::Png => {}
        FileKind::Heic => return Err(FixProblem::InputHeic { input: 1 }),
        kind => return Err(FixProblem::InputUnsupported { input: 1, kind }),
    }
    progress(1, 3);
    let image = photo::decode_upright(bytes, kind).map_err(|e| match e {
        RasterError::TooLarge { width, height } => FixProblem::ImageTooLarge {
            input: 1,
            width,
            height,
        },
        RasterError::Undecodable(_) => FixProblem::InputUnreadable { input: 1 },
    })?;
    progress(2, 3);
    let facts = photo::facts_of(&image);
    let cropped = photo::crop(&image, &facts.faces, framing).map_err(|refusal| match refusal {
        CropRefusal::Faces(faces) => FixProblem::NoSingleFace { faces },
        CropRefusal::TooSmall { width, height } => FixProblem::PhotoTooSmall {
            width,
            height,
            min_width: framing.width_px,
            min_height: framing.height_px,
        },
    })?;
    progress(3, 3);
    let dpi =
        (framing.width_px as f32 * MM_PER_INCH / framing.width_mm.max(1) as f32).round() as u32;
    let bytes = cropped
        .to_jpeg(QUALITY, Some(dpi))
        .map_err(|_| FixProblem::InputUnreadable { input: 1 })?;
    Ok(Made {
        facts: FixFacts {
            kind: FileKind::Jpeg,
            size: bytes.len() as u64,
            pages: 1,
            dpi: Some(dpi),
        },
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::photo::tests::{png_bytes, portrait, FRAMING};

    #[test]
    fn a_photo_is_made_a_413_by_531_jpeg_at_300_dpi_and_other_files_are_refused() {
        let image = portrait(1600, 1200, [240, 240, 240], 0.45, 0.55);
        let mut steps = Vec::new();
        let made = crop_photo(&png_bytes(&image), &FRAMING, &mut |s, n| steps.push((s, n)))
            .expect("cropped");
        assert_eq!(steps, [(1, 3), (2, 3), (3, 3)]);
        assert_eq!(made.facts.kind, FileKind::Jpeg);
        assert_eq!(made.facts.dpi, Some(300));
        let facts = crate::inspect::fix::picture::jpeg_facts(&made.bytes).expect("a JPEG");
        assert_eq!((facts.width, facts.height), (413, 531));
        let again = photo::read_photo(&made.bytes, FileKind::Jpeg).expect("decodes");
        assert_eq!(again.faces.len(), 1);
        let none = |_: usize, _: usize| {};
        assert_eq!(
            crop_photo(b"%PDF-1.7\n", &FRAMING, &mut { none }).map(|m| m.facts),
            Err(FixProblem::InputUnsupported {
                input: 1,
                kind: FileKind::Pdf
            })
        );
        let mut cut = png_bytes(&image);
        cut.truncate(cut.len() / 2);
        cut.extend_from_slice(b"IEND");
        assert_eq!(
            crop_photo(&cut, &FRAMING, &mut { none }).map(|m| m.facts),
            Err(FixProblem::InputUnreadable { input: 1 })
        );
        let small = portrait(500, 400, [240, 240, 240], 0.5, 0.5);
        assert!(matches!(
            crop_photo(&png_bytes(&small), &FRAMING, &mut { none }),
            Err(FixProblem::PhotoTooSmall {
                min_width: 413,
                min_height: 531,
                ..
            })
        ));
        let nobody = portrait(800, 800, [240, 240, 240], 0.0, 0.5);
        assert_eq!(
            crop_photo(&png_bytes(&nobody), &FRAMING, &mut { none }).map(|m| m.facts),
            Err(FixProblem::NoSingleFace { faces: 0 })
        );
    }
}
