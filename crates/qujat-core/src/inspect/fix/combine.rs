//! One PDF from several files, in the child: each image on a page of its
//! own, each PDF page as it is, in the order and turned as the user chose.
//!
//! * A JPEG is embedded byte for byte (`DCTDecode`): no re-encoding, no
//!   quality lost. Its EXIF orientation is honoured by the placement
//!   matrix, not by turning pixels.
//! * A PNG is decoded and its pixels Flate-compressed (alpha laid over
//!   white: a page has no transparency to show through).
//! * An image's page has its real size at its resolution, or is A4 (turned
//!   to the image's shape) when the file gives no believable resolution.
//! * A PDF's pages are copied with everything they use (lopdf renumbers the
//!   objects); what a page inherits from its page tree is copied onto it,
//!   since it gets a new one. A PDF with usage restrictions only is opened
//!   (and so saved unencrypted); one that needs a password is refused.
//! * A turn the user asks for is the page's `/Rotate`: lossless for both.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;

use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream};

use super::picture::{self, A4_POINTS};
use super::{FixFacts, FixProblem, FixResult, Made, PagePick, MAX_PAGES};
use crate::inspect::ocr::raster::RasterError;
use crate::kind::{self, FileKind};

/// The PDF version written: 1.7 reads everywhere and allows everything an
/// input page may use.
const VERSION: &str = "1.7";

/// Page attributes a page may inherit from its page tree (ISO 32000-1,
/// 7.7.3.4).
const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

/// Combines the picked pages of `inputs` into one PDF; without picks,
/// every page of every input in order.
pub fn combine(
    inputs: &[Vec<u8>],
    picks: Option<&[PagePick]>,
    progress: &mut dyn FnMut(usize, usize),
) -> FixResult {
    let mut out = Document::with_version(VERSION);
    let pages_id = out.new_object_id();
    let mut sources: BTreeMap<u32, Source> = BTreeMap::new();
    let every: Vec<PagePick>;
    let picks = match picks {
        Some(picks) => picks,
        None => {
            let mut all = Vec::new();
            for (i, bytes) in inputs.iter().enumerate() {
                let input = u32::try_from(i).unwrap_or(u32::MAX);
                let source = load(&mut out, bytes, input + 1)?;
                let pages = match &source {
                    Source::Pdf(pages) => pages.len(),
                    Source::Image(_) => 1,
                };
                all.extend((1..=pages).map(|page| PagePick {
                    input,
                    page: u32::try_from(page).unwrap_or(u32::MAX),
                    rotate: 0,
                }));
                sources.insert(input, source);
                if all.len() > MAX_PAGES {
                    break;
                }
            }
            every = all;
            &every
        }
    };
    check_picks(inputs.len(), picks)?;
    let mut used: HashSet<ObjectId> = HashSet::new();
    let mut kids = Vec::with_capacity(picks.len());
    for (i, pick) in picks.iter().enumerate() {
        progress(i + 1, picks.len());
        let number = pick.input + 1;
        if let std::collections::btree_map::Entry::Vacant(slot) = sources.entry(pick.input) {
            slot.insert(load(&mut out, &inputs[pick.input as usize], number)?);
        }
        let page_id = match &sources[&pick.input] {
            Source::Pdf(pages) => {
                let Some(&id) = pick.page.checked_sub(1).and_then(|i| pages.get(i as usize)) else {
                    return Err(FixProblem::NoSuchPage {
                        input: number,
                        page: pick.page,
                        pages: u32::try_from(pages.len()).unwrap_or(u32::MAX),
                    });
                };
                // A page picked twice becomes two pages: a page object has
                // one parent.
                if used.insert(id) {
                    id
                } else {
                    let copy = page_dict(&out, id)?.clone();
                    out.add_object(copy)
                }
            }
            Source::Image(placed) => {
                if pick.page != 1 {
                    return Err(FixProblem::NoSuchPage {
                        input: number,
                        page: pick.page,
                        pages: 1,
                    });
                }
                placed.add_page(&mut out)
            }
        };
        let page = out
            .get_dictionary_mut(page_id)
            .map_err(|_| FixProblem::InputUnreadable { input: number })?;
        page.set("Parent", pages_id);
        let turned = page
            .get(b"Rotate")
            .ok()
            .and_then(number_of)
            .map_or(0, |r| (r as i64).rem_euclid(360))
            + i64::from(pick.rotate);
        page.set("Rotate", turned % 360);
        kids.push(Object::Reference(page_id));
    }
    let count = kids.len() as i64;
    out.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
        }),
    );
    let catalog = out.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    out.trailer.set("Root", catalog);
    // The inputs' catalogs, page trees and unpicked pages: nothing refers
    // to them any more.
    out.prune_objects();
    let bytes = save(&mut out)?;
    Ok(Made {
        facts: FixFacts {
            kind: FileKind::Pdf,
            size: bytes.len() as u64,
            pages: u32::try_from(picks.len()).unwrap_or(u32::MAX),
            dpi: None,
        },
        bytes,
    })
}

fn check_picks(inputs: usize, picks: &[PagePick]) -> Result<(), FixProblem> {
    let bad = |detail: String| Err(FixProblem::BadRequest { detail });
    if picks.is_empty() {
        return bad("no pages".into());
    }
    if picks.len() > MAX_PAGES {
        return Err(FixProblem::TooManyPages {
            pages: u32::try_from(picks.len()).unwrap_or(u32::MAX),
            limit: MAX_PAGES as u32,
        });
    }
    for pick in picks {
        if pick.input as usize >= inputs {
            return bad(format!("input {} of {inputs}", pick.input + 1));
        }
        if pick.rotate % 90 != 0 || pick.rotate >= 360 {
            return bad(format!("a turn of {} degrees", pick.rotate));
        }
    }
    Ok(())
}

/// An input, once loaded into the output document.
enum Source {
    /// A PDF: its pages' ids in the output, in order.
    Pdf(Vec<ObjectId>),
    /// An image: its XObject in the output and how to place it.
    Image(Placed),
}

fn load(out: &mut Document, bytes: &[u8], number: u32) -> Result<Source, FixProblem> {
    match kind::detect(&bytes[..bytes.len().min(kind::SNIFF_LEN)]) {
        FileKind::Pdf => {
            let mut doc = open_pdf(bytes, number)?;
            doc.renumber_objects_with(out.max_id + 1);
            let pages: Vec<ObjectId> = doc.page_iter().collect();
            if pages.is_empty() {
                return Err(FixProblem::InputUnreadable { input: number });
            }
            for &page in &pages {
                inherit(&mut doc, page);
            }
            out.max_id = out.max_id.max(doc.max_id);
            out.objects.extend(doc.objects);
            Ok(Source::Pdf(pages))
        }
        FileKind::Jpeg => Ok(Source::Image(jpeg_image(out, bytes, number)?)),
        FileKind::Png => Ok(Source::Image(png_image(out, bytes, number)?)),
        FileKind::Heic => Err(FixProblem::InputHeic { input: number }),
        kind @ (FileKind::Docx | FileKind::Other) => Err(FixProblem::InputUnsupported {
            input: number,
            kind,
        }),
    }
}

/// Opens a PDF with lopdf; one with usage restrictions only opens (and is
/// decrypted), one that needs a password is refused. lopdf panics on some
/// damaged files: that is this input's failure, not the whole job's.
pub(super) fn open_pdf(bytes: &[u8], number: u32) -> Result<Document, FixProblem> {
    let loaded = std::panic::catch_unwind(|| Document::load_mem(bytes));
    match loaded {
        Ok(Ok(doc)) if doc.is_encrypted() => Err(FixProblem::InputLocked { input: number }),
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(_)) | Err(_) => Err(FixProblem::InputUnreadable { input: number }),
    }
}

/// Copies what `page` inherits from its page tree onto it. A page with no
/// media box anywhere gets US Letter, as PDF readers assume.
fn inherit(doc: &mut Document, page: ObjectId) {
    let mut found: Vec<(&[u8], Object)> = Vec::new();
    let Ok(dict) = doc.get_dictionary(page) else {
        return;
    };
    for key in INHERITED {
        if dict.has(key) {
            continue;
        }
        let mut parent = dict.get(b"Parent").and_then(Object::as_reference).ok();
        // A page tree deeper than this is a loop, not a document.
        for _ in 0..64 {
            let Some(id) = parent else { break };
            let Ok(node) = doc.get_dictionary(id) else {
                break;
            };
            if let Ok(value) = node.get(key) {
                found.push((key, value.clone()));
                break;
            }
            parent = node.get(b"Parent").and_then(Object::as_reference).ok();
        }
    }
    let has_media_box = dict.has(b"MediaBox") || found.iter().any(|(k, _)| *k == b"MediaBox");
    if let Ok(dict) = doc.get_dictionary_mut(page) {
        for (key, value) in found {
            dict.set(key, value);
        }
        if !has_media_box {
            dict.set("MediaBox", vec![0.into(), 0.into(), 612.into(), 792.into()]);
        }
    }
}

fn page_dict(doc: &Document, id: ObjectId) -> Result<&Dictionary, FixProblem> {
    doc.get_dictionary(id).map_err(|_| FixProblem::BadRequest {
        detail: "a page that is not a dictionary".into(),
    })
}

/// A number object's value.
pub(super) fn number_of(object: &Object) -> Option<f32> {
    match object {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// An image in the output document, to be put on a page.
struct Placed {
    xobject: ObjectId,
    /// Width and height as shown, in pixels.
    shown: (u32, u32),
    /// EXIF orientation (1 for a PNG).
    orientation: u8,
    /// Believable resolution, if the file gave one.
    dpi: Option<f32>,
}

fn image_problem(number: u32) -> impl Fn(RasterError) -> FixProblem {
    move |e| match e {
        RasterError::TooLarge { width, height } => FixProblem::ImageTooLarge {
            input: number,
            width,
            height,
        },
        RasterError::Undecodable(_) => FixProblem::InputUnreadable { input: number },
    }
}

fn jpeg_image(out: &mut Document, bytes: &[u8], number: u32) -> Result<Placed, FixProblem> {
    let facts = picture::jpeg_facts(bytes).map_err(image_problem(number))?;
    let colour_space = match facts.components {
        1 => "DeviceGray",
        3 => "DeviceRGB",
        4 => "DeviceCMYK",
        _ => return Err(FixProblem::InputUnreadable { input: number }),
    };
    let mut dict = dictionary! {
        "Type" => "XObject",
        "Subtype" => "Image",
        "Width" => i64::from(facts.width),
        "Height" => i64::from(facts.height),
        "ColorSpace" => colour_space,
        "BitsPerComponent" => 8,
        "Filter" => "DCTDecode",
    };
    // Adobe's CMYK JPEGs store ink inverted; readers undo it through
    // /Decode, as they do for the same file opened on its own.
    if facts.adobe_cmyk {
        let decode: Vec<Object> = [1, 0, 1, 0, 1, 0, 1, 0].iter().map(|&v| v.into()).collect();
        dict.set("Decode", decode);
    }
    // The JPEG's own bytes, as they are.
    let stream = Stream::new(dict, bytes.to_vec()).with_compression(false);
    let xobject = out.add_object(stream);
    Ok(Placed {
        xobject,
        shown: facts.shown(),
        orientation: facts.orientation,
        dpi: facts.dpi,
    })
}

fn png_image(out: &mut Document, bytes: &[u8], number: u32) -> Result<Placed, FixProblem> {
    let (raster, dpi) = picture::decode_png(bytes).map_err(image_problem(number))?;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(&raster.samples)
        .map_err(|_| FixProblem::InputUnreadable { input: number })?;
    let compressed = encoder
        .finish()
        .map_err(|_| FixProblem::InputUnreadable { input: number })?;
    let dict = dictionary! {
        "Type" => "XObject",
        "Subtype" => "Image",
        "Width" => i64::from(raster.width),
        "Height" => i64::from(raster.height),
        "ColorSpace" => if raster.channels == 1 { "DeviceGray" } else { "DeviceRGB" },
        "BitsPerComponent" => 8,
        "Filter" => "FlateDecode",
    };
    let xobject = out.add_object(Stream::new(dict, compressed).with_compression(false));
    Ok(Placed {
        xobject,
        shown: (raster.width, raster.height),
        orientation: 1,
        dpi,
    })
}

impl Placed {
    /// Adds a page showing the image; returns the page's id.
    fn add_page(&self, out: &mut Document) -> ObjectId {
        let (w, h) = (self.shown.0 as f32, self.shown.1 as f32);
        let (page, placed) = match self.dpi {
            Some(dpi) => {
                let size = (w / dpi * 72.0, h / dpi * 72.0);
                (size, (0.0, 0.0, size.0, size.1))
            }
            None => {
                let page = if w > h {
                    (A4_POINTS.1, A4_POINTS.0)
                } else {
                    A4_POINTS
                };
                let scale = (page.0 / w).min(page.1 / h);
                let (pw, ph) = (w * scale, h * scale);
                (page, ((page.0 - pw) / 2.0, (page.1 - ph) / 2.0, pw, ph))
            }
        };
        let [a, b, c, d, e, f] = placement(self.orientation, placed);
        let content = format!(
            "q {} {} {} {} {} {} cm /Im0 Do Q\n",
            fmt(a),
            fmt(b),
            fmt(c),
            fmt(d),
            fmt(e),
            fmt(f)
        );
        let contents = out.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        out.add_object(dictionary! {
            "Type" => "Page",
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(page.0), Object::Real(page.1)],
            "Resources" => dictionary! {
                "XObject" => dictionary! { "Im0" => self.xobject },
            },
            "Contents" => contents,
        })
    }
}

/// The matrix that draws an image (the unit square, its first row at the
/// top) into the box (x, y, width, height) as EXIF `orientation` shows it.
fn placement(orientation: u8, (x, y, w, h): (f32, f32, f32, f32)) -> [f32; 6] {
    match orientation {
        2 => [-w, 0.0, 0.0, h, x + w, y],
        3 => [-w, 0.0, 0.0, -h, x + w, y + h],
        4 => [w, 0.0, 0.0, -h, x, y + h],
        5 => [0.0, -h, -w, 0.0, x + w, y + h],
        6 => [0.0, -h, w, 0.0, x, y + h],
        7 => [0.0, h, w, 0.0, x, y],
        8 => [0.0, h, -w, 0.0, x + w, y],
        _ => [w, 0.0, 0.0, h, x, y],
    }
}

/// A number as a PDF content stream writes it (no exponent).
fn fmt(value: f32) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// Saves the document as one plain revision; a failure here is the
/// writer's, on memory.
pub(super) fn save(doc: &mut Document) -> Result<Vec<u8>, FixProblem> {
    // The input's object and cross-reference streams are unpacked already
    // (lopdf writes none of them); so is what the trailer said of them
    // and of earlier revisions.
    doc.objects
        .retain(|_, o| !matches!(o.type_name(), Ok(b"ObjStm" | b"XRef")));
    for key in [
        &b"Prev"[..],
        b"XRefStm",
        b"Type",
        b"W",
        b"Index",
        b"Filter",
        b"DecodeParms",
        b"Length",
        b"Encrypt",
    ] {
        doc.trailer.remove(key);
    }
    // Numbered from 1 without gaps, so the trailer's /Size is one past the
    // highest object, as readers check.
    doc.renumber_objects();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)
        .map_err(|e| FixProblem::BadRequest {
            detail: format!("the PDF could not be written: {e}"),
        })?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::super::picture::tests::jpeg;
    use super::*;

    fn pick(input: u32, page: u32, rotate: u16) -> PagePick {
        PagePick {
            input,
            page,
            rotate,
        }
    }

    fn pages_of(bytes: &[u8]) -> Vec<Dictionary> {
        let doc = Document::load_mem(bytes).expect("a PDF lopdf reads back");
        doc.page_iter()
            .map(|id| doc.get_dictionary(id).expect("page").clone())
            .collect()
    }

    #[test]
    fn a_jpeg_is_embedded_byte_for_byte_on_a_page_of_its_size() {
        let photo = jpeg(600, 300, Some(300));
        let made = combine(std::slice::from_ref(&photo), None, &mut |_, _| {}).expect("made");
        assert_eq!(made.facts.pages, 1);
        assert!(
            memchr::memmem::find(&made.bytes, &photo).is_some(),
            "the JPEG's own bytes are in the PDF"
        );
        let pages = pages_of(&made.bytes);
        let media: Vec<f32> = pages[0]
            .get(b"MediaBox")
            .and_then(Object::as_array)
            .expect("media box")
            .iter()
            .filter_map(number_of)
            .collect();
        // 600 x 300 pixels at 300 dpi: 2 x 1 inches.
        assert_eq!(media, [0.0, 0.0, 144.0, 72.0]);
    }

    #[test]
    fn an_image_without_a_resolution_goes_on_a4_turned_to_its_shape() {
        let made = combine(
            &[jpeg(400, 200, None)],
            Some(&[pick(0, 1, 0)]),
            &mut |_, _| {},
        )
        .expect("made");
        let pages = pages_of(&made.bytes);
        let media: Vec<f32> = pages[0]
            .get(b"MediaBox")
            .and_then(Object::as_array)
            .expect("media box")
            .iter()
            .filter_map(number_of)
            .collect();
        assert_eq!(media[2].round(), 842.0, "landscape A4 for a wide photo");
    }

    #[test]
    fn pdf_pages_keep_their_order_and_turns_add_up() {
        let first = combine(
            &[jpeg(100, 100, Some(100)), jpeg(200, 100, Some(100))],
            Some(&[pick(0, 1, 0), pick(1, 1, 90)]),
            &mut |_, _| {},
        )
        .expect("made");
        let mut steps = Vec::new();
        let again = combine(
            &[first.bytes.clone(), jpeg(50, 50, None)],
            Some(&[
                pick(0, 2, 90),
                pick(1, 1, 0),
                pick(0, 1, 0),
                pick(0, 1, 270),
            ]),
            &mut |step, of| steps.push((step, of)),
        )
        .expect("made");
        assert_eq!(steps, [(1, 4), (2, 4), (3, 4), (4, 4)]);
        let pages = pages_of(&again.bytes);
        assert_eq!(pages.len(), 4, "a page picked twice is there twice");
        let rotate = |p: &Dictionary| p.get(b"Rotate").ok().and_then(number_of);
        assert_eq!(rotate(&pages[0]), Some(180.0), "90 before plus 90 now");
        assert_eq!(rotate(&pages[2]), Some(0.0));
        assert_eq!(rotate(&pages[3]), Some(270.0));
    }

    #[test]
    fn bad_inputs_are_named_by_their_number() {
        let jpeg = jpeg(10, 10, None);
        let damaged = b"%PDF-1.4\n1 0 obj << /Type /Catalog".to_vec();
        let no = |inputs: &[Vec<u8>], picks: &[PagePick]| {
            combine(inputs, Some(picks), &mut |_, _| {}).expect_err("refused")
        };
        assert_eq!(
            no(&[jpeg.clone(), damaged], &[pick(0, 1, 0), pick(1, 1, 0)]),
            FixProblem::InputUnreadable { input: 2 }
        );
        assert_eq!(
            no(std::slice::from_ref(&jpeg), &[pick(0, 2, 0)]),
            FixProblem::NoSuchPage {
                input: 1,
                page: 2,
                pages: 1
            }
        );
        assert!(matches!(
            no(std::slice::from_ref(&jpeg), &[pick(0, 1, 45)]),
            FixProblem::BadRequest { .. }
        ));
        assert_eq!(
            no(&[b"PK\x03\x04 not a page".to_vec()], &[pick(0, 1, 0)]),
            FixProblem::InputUnsupported {
                input: 1,
                kind: FileKind::Other
            }
        );
    }

    #[test]
    fn exif_turns_are_placement_matrices_that_fill_the_box() {
        // Each orientation maps the unit square onto the whole box.
        for o in 1..=8 {
            let [a, b, c, d, e, f] = placement(o, (10.0, 20.0, 30.0, 40.0));
            let corners = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]
                .map(|(u, v)| (a * u + c * v + e, b * u + d * v + f));
            let xs: Vec<f32> = corners.iter().map(|p| p.0).collect();
            let ys: Vec<f32> = corners.iter().map(|p| p.1).collect();
            let min = |v: &[f32]| v.iter().copied().fold(f32::MAX, f32::min);
            let max = |v: &[f32]| v.iter().copied().fold(f32::MIN, f32::max);
            assert_eq!((min(&xs), max(&xs)), (10.0, 40.0), "orientation {o}");
            assert_eq!((min(&ys), max(&ys)), (20.0, 60.0), "orientation {o}");
        }
    }
}
