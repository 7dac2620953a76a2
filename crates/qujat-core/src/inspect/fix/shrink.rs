//! A file made to fit a size limit, in the child, without going below a
//! resolution floor (the rule pack's `min-dpi`): what a portal's officer
//! must still be able to read.
//!
//! Only images are made smaller: in a PDF, its `DCTDecode` images and its
//! 8-bit grey or RGB `FlateDecode` ones; a JPEG or PNG itself (the result
//! is a JPEG, turned upright as EXIF says, since the orientation tag does
//! not survive re-encoding). Text, vector drawings and fonts are left as
//! they are. Plans are tried from the gentlest (re-encoding at high
//! quality, no resampling) to the harshest (the floor, low quality); the
//! first that fits wins. None fitting is [`FixProblem::CannotFit`], with
//! the smallest size reached: the user learns what is possible instead of
//! getting an unreadable file.
//!
//! An image's resolution in a PDF is taken as if it filled its page, as a
//! scan does: a lower bound (an image drawn smaller has more dots per
//! inch), so the floor is never crossed by a wrong guess.

use std::collections::BTreeMap;
use std::io::Read;

use lopdf::{Document, Object, ObjectId, Stream};

use super::combine::{number_of, open_pdf, save};
use super::picture::{self, dpi_on_page, Raster, A4_POINTS};
use super::{FixFacts, FixProblem, FixResult, Made};
use crate::inspect::ocr::raster::{check_size, RasterError};
use crate::kind::{self, FileKind};

/// One way of making images smaller: the most dots per inch an image keeps
/// (none: as it is) and the JPEG quality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Plan {
    cap: Option<u32>,
    quality: u8,
}

/// The plans, gentlest first. Resolution goes first and quality last: a
/// 200 dpi page at good quality reads better than a 300 dpi one full of
/// JPEG blocks.
fn plans(min_dpi: u32) -> Vec<Plan> {
    let mut plans = vec![Plan {
        cap: None,
        quality: 85,
    }];
    for cap in [300, 250, 200, 150] {
        if cap > min_dpi {
            plans.push(Plan {
                cap: Some(cap),
                quality: 80,
            });
        }
    }
    for quality in [75, 60, 45] {
        plans.push(Plan {
            cap: Some(min_dpi),
            quality,
        });
    }
    plans
}

/// Roughly how a plan scales a JPEG's size, relative to the same images at
/// full resolution and quality 85: the share of pixels kept times a factor
/// per quality (measured on scans: bytes fall about as fast as quality
/// from 85 down to 45). Used only to skip plans that cannot fit, judging
/// from a pass already made; the last plan is always tried for real.
fn weight(plan: Plan, dpis: &[f32]) -> f32 {
    let quality = match plan.quality {
        q if q >= 85 => 1.0,
        80..=84 => 0.85,
        75..=79 => 0.75,
        60..=74 => 0.55,
        _ => 0.45,
    };
    let kept: f32 = dpis
        .iter()
        .map(|&dpi| match plan.cap {
            Some(cap) if (cap as f32) < dpi => (cap as f32 / dpi).powi(2),
            _ => 1.0,
        })
        .sum::<f32>()
        / dpis.len().max(1) as f32;
    kept * quality
}

/// Whether `plan` is sure to miss `limit`, given that `tried` made
/// `size` bytes (with a margin: the estimate is rough).
fn hopeless(plan: Plan, tried: Option<(Plan, u64)>, limit: u64, dpis: &[f32]) -> bool {
    let Some((tried, size)) = tried else {
        return false;
    };
    let predicted = size as f32 * weight(plan, dpis) / weight(tried, dpis).max(f32::EPSILON);
    predicted > limit as f32 * 1.25
}

/// The file in `bytes` made at most `limit` bytes, no image below
/// `min_dpi`.
pub fn shrink(
    bytes: &[u8],
    limit: u64,
    min_dpi: u32,
    progress: &mut dyn FnMut(usize, usize),
) -> FixResult {
    let size = bytes.len() as u64;
    if size <= limit {
        return Err(FixProblem::AlreadyFits { size, limit });
    }
    if min_dpi == 0 {
        return Err(FixProblem::BadRequest {
            detail: "a resolution floor of 0 dpi".into(),
        });
    }
    match kind::detect(&bytes[..bytes.len().min(kind::SNIFF_LEN)]) {
        FileKind::Pdf => shrink_pdf(bytes, limit, min_dpi, progress),
        FileKind::Jpeg | FileKind::Png => shrink_image(bytes, limit, min_dpi, progress),
        FileKind::Heic => Err(FixProblem::InputHeic { input: 1 }),
        kind @ (FileKind::Docx | FileKind::Other) => {
            Err(FixProblem::InputUnsupported { input: 1, kind })
        }
    }
}

fn problem(e: RasterError) -> FixProblem {
    match e {
        RasterError::TooLarge { width, height } => FixProblem::ImageTooLarge {
            input: 1,
            width,
            height,
        },
        RasterError::Undecodable(_) => FixProblem::InputUnreadable { input: 1 },
    }
}

/// The size an image of `raster` takes at `plan`, being `dpi` now:
/// (pixels, its resolution then, whether it was resampled).
fn target(raster: &Raster, dpi: f32, plan: Plan) -> (u32, u32, f32, bool) {
    match plan.cap {
        Some(cap) if (cap as f32) < dpi => {
            let scale = cap as f32 / dpi;
            let w = ((raster.width as f32 * scale).round() as u32).max(1);
            let h = ((raster.height as f32 * scale).round() as u32).max(1);
            (w, h, cap as f32, true)
        }
        _ => (raster.width, raster.height, dpi, false),
    }
}

fn shrink_image(
    bytes: &[u8],
    limit: u64,
    min_dpi: u32,
    progress: &mut dyn FnMut(usize, usize),
) -> FixResult {
    let (raster, dpi) =
        if kind::detect(&bytes[..bytes.len().min(kind::SNIFF_LEN)]) == FileKind::Jpeg {
            let facts = picture::jpeg_facts(bytes).map_err(problem)?;
            let raster = picture::decode_jpeg(bytes).map_err(problem)?;
            (raster.oriented(facts.orientation), facts.dpi)
        } else {
            picture::decode_png(bytes).map_err(problem)?
        };
    // Without a believable resolution, as printed on A4.
    let dpi = dpi.unwrap_or_else(|| dpi_on_page(raster.width, raster.height, A4_POINTS));
    let plans = plans(min_dpi);
    let mut smallest = bytes.len() as u64;
    let mut tried = None;
    for (i, plan) in plans.iter().enumerate() {
        progress(i + 1, plans.len());
        if i + 1 < plans.len() && hopeless(*plan, tried, limit, &[dpi]) {
            continue;
        }
        let (w, h, at, resampled) = target(&raster, dpi, *plan);
        let image = if resampled {
            raster.downsample(w, h)
        } else {
            raster.clone()
        };
        let jpeg = image
            .to_jpeg(plan.quality, Some(at.round() as u32))
            .map_err(problem)?;
        smallest = smallest.min(jpeg.len() as u64);
        tried = Some((*plan, jpeg.len() as u64));
        if jpeg.len() as u64 <= limit {
            return Ok(Made {
                facts: FixFacts {
                    kind: FileKind::Jpeg,
                    size: jpeg.len() as u64,
                    pages: 1,
                    dpi: Some(at.round() as u32),
                },
                bytes: jpeg,
            });
        }
    }
    Err(FixProblem::CannotFit {
        limit,
        smallest,
        min_dpi,
        has_images: true,
    })
}

/// An image of the PDF that can be made smaller.
struct Candidate {
    id: ObjectId,
    /// Its resolution, as if it filled the largest page it is drawn on.
    dpi: f32,
}

fn shrink_pdf(
    bytes: &[u8],
    limit: u64,
    min_dpi: u32,
    progress: &mut dyn FnMut(usize, usize),
) -> FixResult {
    let mut original = open_pdf(bytes, 1)?;
    // Streams stored uncompressed are compressed first: lossless, and
    // sometimes all it takes.
    original.compress();
    let candidates = candidates(&original);
    let pages = u32::try_from(original.get_pages().len()).unwrap_or(u32::MAX);
    let mut smallest = bytes.len() as u64;
    let plans = plans(min_dpi);
    let dpis: Vec<f32> = candidates.iter().map(|c| c.dpi).collect();
    let mut tried = None;
    for (p, plan) in plans.iter().enumerate() {
        if p + 1 < plans.len() && hopeless(*plan, tried, limit, &dpis) {
            continue;
        }
        let mut doc = original.clone();
        let mut lowest: Option<f32> = None;
        for (i, candidate) in candidates.iter().enumerate() {
            progress(i + 1, candidates.len());
            if let Some(dpi) = reencode(&mut doc, candidate, *plan)? {
                lowest = Some(lowest.map_or(dpi, |l: f32| l.min(dpi)));
            }
        }
        let made = save(&mut doc)?;
        smallest = smallest.min(made.len() as u64);
        tried = Some((*plan, made.len() as u64));
        if made.len() as u64 <= limit {
            return Ok(Made {
                facts: FixFacts {
                    kind: FileKind::Pdf,
                    size: made.len() as u64,
                    pages,
                    dpi: lowest.map(|d| d.round() as u32),
                },
                bytes: made,
            });
        }
        if candidates.is_empty() {
            break;
        }
    }
    Err(FixProblem::CannotFit {
        limit,
        smallest,
        min_dpi,
        has_images: !candidates.is_empty(),
    })
}

/// The images of the PDF that can be re-encoded, with their resolution.
fn candidates(doc: &Document) -> Vec<Candidate> {
    let mut found: BTreeMap<ObjectId, f32> = BTreeMap::new();
    for page in doc.page_iter() {
        let Some(size) = page_size(doc, page) else {
            continue;
        };
        let (direct, referenced) = doc.get_page_resources(page).unwrap_or((None, Vec::new()));
        let mut dicts: Vec<&lopdf::Dictionary> = direct.into_iter().collect();
        dicts.extend(
            referenced
                .iter()
                .filter_map(|id| doc.get_dictionary(*id).ok()),
        );
        for resources in dicts {
            let Ok(xobjects) = resources
                .get(b"XObject")
                .and_then(|o| doc.dereference(o))
                .and_then(|(_, o)| o.as_dict())
            else {
                continue;
            };
            for (_, object) in xobjects.iter() {
                let Ok(id) = object.as_reference() else {
                    continue;
                };
                let Some((width, height)) = doc
                    .get_object(id)
                    .ok()
                    .and_then(|o| o.as_stream().ok())
                    .and_then(reencodable)
                else {
                    continue;
                };
                let dpi = dpi_on_page(width, height, size);
                let entry = found.entry(id).or_insert(dpi);
                *entry = entry.min(dpi);
            }
        }
    }
    found
        .into_iter()
        .map(|(id, dpi)| Candidate { id, dpi })
        .collect()
}

/// A page's media box size in points, inherited if need be.
fn page_size(doc: &Document, page: ObjectId) -> Option<(f32, f32)> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..64 {
        if let Ok(media) = node.get(b"MediaBox").and_then(|o| doc.dereference(o)) {
            let values: Vec<f32> = media
                .1
                .as_array()
                .ok()?
                .iter()
                .filter_map(number_of)
                .collect();
            if let [x0, y0, x1, y1] = values[..] {
                return Some(((x1 - x0).abs(), (y1 - y0).abs()));
            }
            return None;
        }
        let parent = node.get(b"Parent").and_then(Object::as_reference).ok()?;
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// The pixel size of an image stream this module can re-encode: a JPEG,
/// or 8-bit grey or RGB under Flate without a predictor; no masks, no
/// `/Decode` (whose meaning a re-encoding would lose).
fn reencodable(stream: &Stream) -> Option<(u32, u32)> {
    let dict = &stream.dict;
    if dict.get(b"Subtype").and_then(Object::as_name).ok()? != b"Image" {
        return None;
    }
    if dict.has(b"Decode") || dict.has(b"DecodeParms") || dict.has(b"ImageMask") {
        return None;
    }
    let filters = stream.filters().ok()?;
    let space = dict.get(b"ColorSpace").and_then(Object::as_name).ok();
    let fits = match filters.as_slice() {
        [b"DCTDecode"] => matches!(space, Some(b"DeviceRGB" | b"DeviceGray")),
        [b"FlateDecode"] => {
            matches!(space, Some(b"DeviceRGB" | b"DeviceGray"))
                && dict.get(b"BitsPerComponent").ok().and_then(number_of) == Some(8.0)
        }
        _ => false,
    };
    let width = dict.get(b"Width").ok().and_then(number_of)? as u32;
    let height = dict.get(b"Height").ok().and_then(number_of)? as u32;
    fits.then_some((width, height))
}

/// Re-encodes one image as `plan` says, if that makes it smaller; returns
/// its resolution then, if it was resampled.
fn reencode(
    doc: &mut Document,
    candidate: &Candidate,
    plan: Plan,
) -> Result<Option<f32>, FixProblem> {
    let Ok(stream) = doc.get_object(candidate.id).and_then(Object::as_stream) else {
        return Ok(None);
    };
    let raster = decode(stream).map_err(problem)?;
    let (w, h, at, resampled) = target(&raster, candidate.dpi, plan);
    let image = if resampled {
        raster.downsample(w, h)
    } else {
        raster
    };
    let jpeg = image.to_jpeg(plan.quality, None).map_err(problem)?;
    if !resampled && jpeg.len() >= stream.content.len() {
        return Ok(None);
    }
    let mut dict = stream.dict.clone();
    dict.set("Filter", "DCTDecode");
    dict.set("Width", i64::from(image.width));
    dict.set("Height", i64::from(image.height));
    dict.set(
        "ColorSpace",
        if image.channels == 1 {
            "DeviceGray"
        } else {
            "DeviceRGB"
        },
    );
    dict.set("BitsPerComponent", 8);
    dict.remove(b"Length");
    doc.objects.insert(
        candidate.id,
        Object::Stream(Stream::new(dict, jpeg).with_compression(false)),
    );
    Ok(resampled.then_some(at))
}

/// An image stream's pixels. Flate data is inflated only up to the size
/// the dictionary claims, so a bomb stops there.
fn decode(stream: &Stream) -> Result<Raster, RasterError> {
    let dict = &stream.dict;
    let width = dict.get(b"Width").ok().and_then(number_of).unwrap_or(0.0) as u32;
    let height = dict.get(b"Height").ok().and_then(number_of).unwrap_or(0.0) as u32;
    check_size(width.into(), height.into())?;
    if stream.filters().ok().as_deref() == Some(&[b"DCTDecode".as_slice()][..]) {
        return picture::decode_jpeg(&stream.content);
    }
    let channels = match dict.get(b"ColorSpace").and_then(Object::as_name) {
        Ok(b"DeviceGray") => 1,
        _ => 3,
    };
    let expected = width as u64 * height as u64 * channels as u64;
    let mut samples = Vec::new();
    flate2::read::ZlibDecoder::new(&stream.content[..])
        .take(expected)
        .read_to_end(&mut samples)
        .map_err(|e| RasterError::Undecodable(format!("Flate: {e}")))?;
    picture::raster(width, height, channels, samples)
}

#[cfg(test)]
mod tests {
    use super::super::combine::combine;
    use super::super::picture::tests::corner_raster;
    use super::super::PagePick;
    use super::*;

    /// A noisy photo: JPEG cannot squeeze noise, so size follows pixels.
    fn noisy(width: u32, height: u32) -> Raster {
        let mut image = corner_raster(width, height);
        let mut seed = 12345u32;
        for sample in image.samples.iter_mut() {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            *sample = sample.wrapping_add((seed >> 24) as u8 % 64);
        }
        image
    }

    fn noisy_jpeg(width: u32, height: u32, dpi: u32) -> Vec<u8> {
        noisy(width, height)
            .to_jpeg(95, Some(dpi))
            .expect("encodes")
    }

    #[test]
    fn plans_never_go_below_the_floor() {
        for floor in [150, 200, 300, 400] {
            let plans = plans(floor);
            assert!(plans.iter().all(|p| p.cap.is_none_or(|c| c >= floor)));
            assert_eq!(plans.last().and_then(|p| p.cap), Some(floor));
        }
    }

    #[test]
    fn plans_that_cannot_fit_are_skipped_but_never_the_last() {
        let gentle = Plan {
            cap: None,
            quality: 85,
        };
        let floor = Plan {
            cap: Some(200),
            quality: 80,
        };
        // 300 dpi at 200 keeps 44 % of the pixels, at 85 % of the bytes.
        assert!((weight(floor, &[300.0]) - 0.444 * 0.85).abs() < 0.01);
        assert!(!hopeless(floor, None, 100, &[300.0]), "nothing tried yet");
        assert!(hopeless(floor, Some((gentle, 1000)), 100, &[300.0]));
        assert!(!hopeless(floor, Some((gentle, 1000)), 400, &[300.0]));
    }

    #[test]
    fn a_photo_is_made_to_fit_above_the_floor() {
        // 1200 x 1600 at 400 dpi: 3 x 4 inches.
        let photo = noisy_jpeg(1200, 1600, 400);
        let limit = photo.len() as u64 / 3;
        let made = shrink(&photo, limit, 200, &mut |_, _| {}).expect("fits");
        assert!(made.bytes.len() as u64 <= limit);
        assert_eq!(made.facts.kind, FileKind::Jpeg);
        let dpi = made.facts.dpi.expect("a resolution");
        assert!(dpi >= 200, "{dpi}");
        let facts = picture::jpeg_facts(&made.bytes).expect("a JPEG");
        assert!(facts.width >= 600, "never below 200 dpi on 3 inches");
    }

    #[test]
    fn a_file_that_cannot_fit_above_the_floor_says_how_close_it_came() {
        let photo = noisy_jpeg(600, 800, 200);
        let refused = shrink(&photo, 1000, 200, &mut |_, _| {}).expect_err("cannot fit");
        let FixProblem::CannotFit {
            limit,
            smallest,
            min_dpi,
            has_images,
        } = refused
        else {
            panic!("{refused:?}");
        };
        assert_eq!((limit, min_dpi, has_images), (1000, 200, true));
        assert!(smallest > 1000 && smallest < photo.len() as u64);
    }

    #[test]
    fn the_images_of_a_pdf_are_resampled_to_fit() {
        // Two A4 pages of 300 dpi scans.
        let scan = noisy_jpeg(2480, 3508, 300);
        let picks = [
            PagePick {
                input: 0,
                page: 1,
                rotate: 0,
            },
            PagePick {
                input: 0,
                page: 1,
                rotate: 0,
            },
        ];
        let pdf = combine(&[scan], Some(&picks), &mut |_, _| {}).expect("combined");
        // Below what re-encoding at full resolution gives: the images must
        // be resampled.
        let reencoded = noisy(2480, 3508).to_jpeg(80, None).expect("encodes");
        let limit = reencoded.len() as u64 * 8 / 10;
        let made = shrink(&pdf.bytes, limit, 200, &mut |_, _| {}).expect("fits");
        assert!(made.bytes.len() as u64 <= limit);
        assert_eq!(made.facts.pages, 2);
        let dpi = made.facts.dpi.expect("resampled");
        assert!((200..300).contains(&dpi), "{dpi}");
        assert_eq!(
            shrink(&made.bytes, made.bytes.len() as u64, 200, &mut |_, _| {}),
            Err(FixProblem::AlreadyFits {
                size: made.bytes.len() as u64,
                limit: made.bytes.len() as u64
            })
        );
    }

    #[test]
    fn a_pdf_without_images_cannot_be_made_smaller_and_says_why() {
        let pdf = crate::inspect::test_pdf::text_pdf("Only words here");
        let refused = shrink(&pdf, 10, 200, &mut |_, _| {}).expect_err("no images");
        assert!(
            matches!(
                refused,
                FixProblem::CannotFit {
                    has_images: false,
                    ..
                }
            ),
            "{refused:?}"
        );
    }
}
