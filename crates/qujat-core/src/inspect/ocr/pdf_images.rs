//! The page images of a scanned PDF, **in the inspector child**: for each
//! page, its largest image XObject, decoded to grey.
//!
//! Scanners and phone apps write one image per page, as JPEG (`DCTDecode`)
//! or as deflated pixels (`FlateDecode`, often with PNG predictors, which is
//! how img2pdf and most converters embed a PNG). Those are read. Fax-coded
//! (`CCITTFaxDecode`), `JBIG2Decode` and JPEG 2000 (`JPXDecode`) pages are
//! named in the record as pages whose images could not be read: never
//! skipped in silence.
//!
//! Inflating is capped at the size the image's own dimensions need, so a
//! small stream that inflates to gigabytes stops there.

use std::io::Read;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::raster::{check_size, decode_jpeg, Gray};
use super::{problem_of, PageImage};
use crate::inspect::record::OcrProblem;

/// A scanned PDF's pages, opened once.
pub struct ScanPages {
    doc: Document,
    pages: Vec<ObjectId>,
}

impl ScanPages {
    /// Opens the PDF's page list, or `None` when lopdf cannot read it (the
    /// structure check in [`crate::inspect::pdf`] has already given its
    /// verdict; such a file just has no pages to read here).
    pub fn open(bytes: &[u8]) -> Option<ScanPages> {
        let doc = Document::load_mem(bytes).ok()?;
        let pages = doc.get_pages().into_values().collect();
        Some(ScanPages { doc, pages })
    }

    /// Pages in the document.
    pub fn count(&self) -> usize {
        self.pages.len()
    }

    /// The image of page `index` (0-based), decoded.
    pub fn image(&self, index: usize) -> PageImage {
        let id = *self.pages.get(index).ok_or(OcrProblem::NoImage)?;
        let images = self
            .doc
            .get_page_images(id)
            .map_err(|_| OcrProblem::NoImage)?;
        let largest = images
            .iter()
            .max_by_key(|i| i.width.max(0).saturating_mul(i.height.max(0)))
            .ok_or(OcrProblem::NoImage)?;
        let width = u32::try_from(largest.width).map_err(|_| OcrProblem::Undecodable)?;
        let height = u32::try_from(largest.height).map_err(|_| OcrProblem::Undecodable)?;
        check_size(width.into(), height.into()).map_err(problem_of)?;
        let filters = largest.filters.clone().unwrap_or_default();
        let dict = largest.origin_dict;
        match filters.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["DCTDecode"] => decode_jpeg(largest.content).map_err(problem_of),
            [] => self.samples(dict, width, height, largest.content),
            ["FlateDecode"] => {
                let bits = self.bits_per_row(dict, width)? * height as usize;
                let mut raw = Vec::new();
                flate2::read::ZlibDecoder::new(largest.content)
                    // Room for PNG predictors' filter byte on each row.
                    .take((bits / 8 + height as usize + 1) as u64)
                    .read_to_end(&mut raw)
                    .map_err(|_| OcrProblem::Undecodable)?;
                let raw = match predictor(&self.doc, dict) {
                    Some(p) if p >= 10 => {
                        let row = self.bits_per_row(dict, width)? / 8;
                        let pixel = (self.components(dict)? * bits_per_component(dict)).div_ceil(8);
                        unpredict_png(&raw, row, pixel.max(1)).ok_or(OcrProblem::Undecodable)?
                    }
                    _ => raw,
                };
                self.samples(dict, width, height, &raw)
            }
            _ => Err(OcrProblem::UnsupportedImages {
                filter: filters.join(" "),
            }),
        }
    }

    fn components(&self, dict: &Dictionary) -> Result<usize, OcrProblem> {
        if matches!(dict.get(b"ImageMask"), Ok(Object::Boolean(true))) {
            return Ok(1);
        }
        let space = dict.get(b"ColorSpace").ok();
        let space = space
            .and_then(|s| self.doc.dereference(s).ok())
            .map(|(_, s)| s);
        let (name, icc) = match space {
            Some(Object::Name(n)) => (n.as_slice(), None),
            Some(Object::Array(a)) => (
                a.first().and_then(|n| n.as_name().ok()).unwrap_or(b""),
                a.get(1),
            ),
            _ => (&b"DeviceGray"[..], None),
        };
        match name {
            b"DeviceGray" | b"CalGray" | b"G" => Ok(1),
            b"DeviceRGB" | b"CalRGB" | b"RGB" => Ok(3),
            b"DeviceCMYK" | b"CMYK" => Ok(4),
            b"ICCBased" => icc
                .and_then(|r| self.doc.dereference(r).ok())
                .and_then(|(_, s)| s.as_stream().ok())
                .and_then(|s| s.dict.get(b"N").ok()?.as_i64().ok())
                .and_then(|n| usize::try_from(n).ok())
                .filter(|n| matches!(n, 1 | 3 | 4))
                .ok_or(OcrProblem::Undecodable),
            other => Err(OcrProblem::UnsupportedImages {
                filter: String::from_utf8_lossy(other).into_owned(),
            }),
        }
    }

    fn bits_per_row(&self, dict: &Dictionary, width: u32) -> Result<usize, OcrProblem> {
        let bits = width as usize * self.components(dict)? * bits_per_component(dict);
        Ok(bits.div_ceil(8) * 8)
    }

    fn samples(&self, dict: &Dictionary, width: u32, height: u32, raw: &[u8]) -> PageImage {
        let components = self.components(dict)?;
        let cmyk = components == 4;
        let gray = match bits_per_component(dict) {
            8 => Gray::from_samples(width, height, components, raw, cmyk),
            1 if components == 1 => {
                // `/Decode [1 0]` (and image masks) make a 1 bit black.
                let inverted = dict
                    .get(b"Decode")
                    .and_then(Object::as_array)
                    .ok()
                    .and_then(|d| d.first())
                    .and_then(|o| o.as_float().ok().or(o.as_i64().ok().map(|i| i as f32)))
                    .is_some_and(|first| first > 0.5);
                let mask = matches!(dict.get(b"ImageMask"), Ok(Object::Boolean(true)));
                Gray::from_bits(width, height, raw, inverted != mask)
            }
            16 => {
                let high: Vec<u8> = raw.chunks_exact(2).map(|s| s[0]).collect();
                Gray::from_samples(width, height, components, &high, cmyk)
            }
            other => {
                return Err(OcrProblem::UnsupportedImages {
                    filter: format!("{other}-bit"),
                })
            }
        };
        gray.map_err(problem_of)
    }
}

fn bits_per_component(dict: &Dictionary) -> usize {
    if matches!(dict.get(b"ImageMask"), Ok(Object::Boolean(true))) {
        return 1;
    }
    dict.get(b"BitsPerComponent")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|b| usize::try_from(b).ok())
        .filter(|b| matches!(b, 1 | 2 | 4 | 8 | 16))
        .unwrap_or(8)
}

fn predictor(doc: &Document, dict: &Dictionary) -> Option<i64> {
    let params = dict.get(b"DecodeParms").ok()?;
    let params = match doc.dereference(params).ok()?.1 {
        Object::Array(a) => a.first()?.as_dict().ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    params.get(b"Predictor").ok()?.as_i64().ok()
}

/// Undoes PNG row filters (the PDF predictors 10–15): each row starts with
/// a filter-type byte; `pixel` is the bytes per pixel (at least 1).
fn unpredict_png(data: &[u8], row: usize, pixel: usize) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::with_capacity(data.len());
    let mut prior = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        let (&kind, line) = chunk.split_first()?;
        if line.len() < row {
            break;
        }
        let mut current = line[..row].to_vec();
        for i in 0..row {
            let left = if i >= pixel { current[i - pixel] } else { 0 };
            let up = prior[i];
            let up_left = if i >= pixel { prior[i - pixel] } else { 0 };
            current[i] = current[i].wrapping_add(match kind {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => paeth(left, up, up_left),
                _ => return None,
            });
        }
        out.extend_from_slice(&current);
        prior = current;
    }
    Some(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_predictors_are_undone() {
        // Two rows of 3 one-byte pixels: Sub then Up.
        let data = [1, 10, 5, 5, 2, 1, 1, 1];
        assert_eq!(
            unpredict_png(&data, 3, 1).expect("valid rows"),
            [10, 15, 20, 11, 16, 21]
        );
        assert_eq!(unpredict_png(&[9, 0, 0, 0], 3, 1), None, "filter type 9");
    }

    #[test]
    fn paeth_picks_the_nearest_neighbour() {
        assert_eq!(paeth(10, 20, 10), 20);
        assert_eq!(paeth(20, 10, 10), 20);
        assert_eq!(paeth(0, 0, 0), 0);
    }
}
