//! Images for the fixes, in the child: facts from headers (pixel size,
//! components, resolution, EXIF orientation), decoding to 8-bit samples
//! (zune-jpeg, png: the decoders the OCR already uses, with the same pixel
//! cap checked before any row is allocated), resampling, turning, and JPEG
//! encoding (jpeg-encoder).

use std::io::Cursor;

use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;

use crate::inspect::ocr::raster::{check_size, RasterError, MAX_PIXELS};

/// Resolutions outside this range, in dots per inch, are not believed:
/// phone cameras write 72 whatever the photo, which would make a page of a
/// metre and a half; nothing real is scanned past 1200.
pub const BELIEVED_DPI: std::ops::RangeInclusive<f32> = 100.0..=1200.0;

/// A4 in PDF points (1/72 inch): where an image has no believable
/// resolution, its page is A4, turned to the image's shape.
pub const A4_POINTS: (f32, f32) = (595.28, 841.89);

/// What a JPEG's headers say.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JpegFacts {
    /// Width in pixels, as stored.
    pub width: u32,
    /// Height in pixels, as stored.
    pub height: u32,
    /// Colour components: 1 grey, 3 colour, 4 CMYK.
    pub components: u8,
    /// EXIF orientation, 1 (upright) to 8.
    pub orientation: u8,
    /// Dots per inch, when the file says and it is believable.
    pub dpi: Option<f32>,
    /// An Adobe CMYK JPEG, whose samples are stored inverted.
    pub adobe_cmyk: bool,
}

impl JpegFacts {
    /// Width and height as shown, after the EXIF orientation.
    pub fn shown(&self) -> (u32, u32) {
        if self.orientation >= 5 {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }
}

fn options() -> DecoderOptions {
    DecoderOptions::default()
        // Stops at the header of a bomb; `check_size` gives the reason.
        .set_max_width(1 << 16)
        .set_max_height(1 << 16)
}

/// The headers of a JPEG, without decoding its pixels.
pub fn jpeg_facts(bytes: &[u8]) -> Result<JpegFacts, RasterError> {
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options());
    decoder
        .decode_headers()
        .map_err(|e| RasterError::Undecodable(format!("JPEG: {e:?}")))?;
    let info = decoder
        .info()
        .ok_or_else(|| RasterError::Undecodable("JPEG without a header".into()))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    check_size(width.into(), height.into())?;
    let exif = info.exif_data.as_deref().and_then(read_exif);
    let orientation = exif.as_ref().map_or(1, |e| e.orientation);
    let segments = app_segments(bytes);
    // The JFIF density, or EXIF's where JFIF has none.
    let dpi = segments
        .jfif_dpi
        .filter(|d| BELIEVED_DPI.contains(d))
        .or_else(|| exif.and_then(|e| e.dpi))
        .filter(|d| BELIEVED_DPI.contains(d));
    let components = info.components;
    Ok(JpegFacts {
        width,
        height,
        components,
        orientation,
        dpi,
        adobe_cmyk: components == 4 && segments.adobe,
    })
}

/// What a JPEG's APP segments say that zune-jpeg does not report.
#[derive(Debug, Default, PartialEq)]
struct AppSegments {
    /// JFIF's density in dots per inch (unit 1 per inch, 2 per centimetre).
    jfif_dpi: Option<f32>,
    /// An Adobe APP14 segment: CMYK stored inverted.
    adobe: bool,
}

/// Walks the segments before the first scan, reading APP0 (JFIF) and
/// APP14 (Adobe). Anything malformed just ends the walk.
fn app_segments(bytes: &[u8]) -> AppSegments {
    let mut found = AppSegments::default();
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let Some(body) = bytes.get(at + 4..at + 2 + len) else {
            break;
        };
        match marker {
            0xE0 if body.len() >= 12 && body.starts_with(b"JFIF\0") => {
                let x = f32::from(u16::from_be_bytes([body[8], body[9]]));
                found.jfif_dpi = match body[7] {
                    1 => Some(x),
                    2 => Some(x * 2.54),
                    _ => None,
                };
            }
            0xEE if body.starts_with(b"Adobe") => found.adobe = true,
            // Start of scan: no more headers.
            0xDA => break,
            _ => {}
        }
        at += 2 + len;
    }
    found
}

struct Exif {
    orientation: u8,
    dpi: Option<f32>,
}

/// Orientation and resolution from a JPEG's EXIF block (kamadak-exif).
fn read_exif(raw: &[u8]) -> Option<Exif> {
    let exif = exif::Reader::new().read_raw(raw.to_vec()).ok()?;
    let orientation = exif
        .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .and_then(|o| u8::try_from(o).ok())
        .filter(|o| (1..=8).contains(o))
        .unwrap_or(1);
    let resolution = exif
        .get_field(exif::Tag::XResolution, exif::In::PRIMARY)
        .and_then(|f| match &f.value {
            exif::Value::Rational(r) if !r.is_empty() && r[0].denom != 0 => {
                Some(r[0].num as f32 / r[0].denom as f32)
            }
            _ => None,
        });
    // ResolutionUnit: 2 inches (the default), 3 centimetres.
    let per_cm = exif
        .get_field(exif::Tag::ResolutionUnit, exif::In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        == Some(3);
    Some(Exif {
        orientation,
        dpi: resolution.map(|r| if per_cm { r * 2.54 } else { r }),
    })
}

/// Decoded 8-bit samples: 1 (grey) or 3 (RGB) per pixel, rows top down.
#[derive(Clone, PartialEq, Eq)]
pub struct Raster {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// 1 or 3.
    pub channels: u8,
    /// `width * height * channels` samples.
    pub samples: Vec<u8>,
}

impl std::fmt::Debug for Raster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Raster({}x{}x{})",
            self.width, self.height, self.channels
        )
    }
}

/// Decodes a JPEG to grey or RGB (CMYK becomes RGB), upright as stored.
pub fn decode_jpeg(bytes: &[u8]) -> Result<Raster, RasterError> {
    let facts = jpeg_facts(bytes)?;
    let out = if facts.components == 1 {
        ColorSpace::Luma
    } else {
        ColorSpace::RGB
    };
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(
        ZCursor::new(bytes),
        options().jpeg_set_out_colorspace(out),
    );
    let samples = decoder
        .decode()
        .map_err(|e| RasterError::Undecodable(format!("JPEG: {e:?}")))?;
    let channels = decoder
        .output_colorspace()
        .map_or(1, |c| c.num_components());
    raster(facts.width, facts.height, channels, samples)
}

/// A raster from decoded samples, checking there are enough of them.
pub fn raster(
    width: u32,
    height: u32,
    channels: usize,
    samples: Vec<u8>,
) -> Result<Raster, RasterError> {
    let n = width as usize * height as usize;
    let short = || RasterError::Undecodable("image data is cut short".into());
    let (channels, samples) = match channels {
        1 | 3 => (channels, samples),
        // Grey or RGB with alpha: laid over white, as a printed page is.
        2 | 4 => {
            let colour = channels - 1;
            let mut out = Vec::with_capacity(n * colour);
            for pixel in samples.chunks_exact(channels).take(n) {
                let alpha = u32::from(pixel[colour]);
                for &sample in &pixel[..colour] {
                    out.push(((u32::from(sample) * alpha + 255 * (255 - alpha)) / 255) as u8);
                }
            }
            (colour, out)
        }
        _ => return Err(RasterError::Undecodable("unsupported pixel layout".into())),
    };
    if samples.len() < n * channels {
        return Err(short());
    }
    Ok(Raster {
        width,
        height,
        channels: channels as u8,
        samples,
    })
}

/// A PNG decoded to 8-bit grey or RGB (alpha laid over white), and its
/// resolution when the file gives a believable one.
pub fn decode_png(bytes: &[u8]) -> Result<(Raster, Option<f32>), RasterError> {
    let undecodable = |e: png::DecodingError| RasterError::Undecodable(format!("PNG: {e}"));
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: (MAX_PIXELS * 4) as usize,
        },
    );
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let header = decoder.read_header_info().map_err(undecodable)?;
    check_size(header.width.into(), header.height.into())?;
    let mut reader = decoder.read_info().map_err(undecodable)?;
    // pHYs comes after the header: known once the reader has the info.
    let dpi = reader
        .info()
        .pixel_dims
        .filter(|d| d.unit == png::Unit::Meter)
        .map(|d| d.xppu as f32 * 0.0254)
        .filter(|d| BELIEVED_DPI.contains(d));
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| RasterError::Undecodable("PNG too large".into()))?;
    let mut buf = vec![0; size];
    let frame = reader.next_frame(&mut buf).map_err(undecodable)?;
    buf.truncate(frame.buffer_size());
    let image = raster(frame.width, frame.height, frame.color_type.samples(), buf)?;
    Ok((image, dpi))
}

impl Raster {
    /// The image resampled to `width` x `height` (smaller), each new pixel
    /// the mean of the source pixels it covers: no aliasing on text.
    pub fn downsample(&self, width: u32, height: u32) -> Raster {
        let (width, height) = (width.clamp(1, self.width), height.clamp(1, self.height));
        let c = self.channels as usize;
        let (sw, sh) = (self.width as usize, self.height as usize);
        let mut samples = Vec::with_capacity(width as usize * height as usize * c);
        let mut sums = vec![0u64; c];
        for y in 0..height as usize {
            let y0 = y * sh / height as usize;
            let y1 = ((y + 1) * sh / height as usize).max(y0 + 1);
            for x in 0..width as usize {
                let x0 = x * sw / width as usize;
                let x1 = ((x + 1) * sw / width as usize).max(x0 + 1);
                sums.iter_mut().for_each(|s| *s = 0);
                for row in y0..y1 {
                    let start = (row * sw + x0) * c;
                    for pixel in self.samples[start..start + (x1 - x0) * c].chunks_exact(c) {
                        for (sum, &v) in sums.iter_mut().zip(pixel) {
                            *sum += u64::from(v);
                        }
                    }
                }
                let count = ((y1 - y0) * (x1 - x0)) as u64;
                samples.extend(sums.iter().map(|s| (s / count) as u8));
            }
        }
        Raster {
            width,
            height,
            channels: self.channels,
            samples,
        }
    }

    /// The image as EXIF `orientation` (1 to 8) says to show it.
    pub fn oriented(&self, orientation: u8) -> Raster {
        if orientation <= 1 || orientation > 8 {
            return self.clone();
        }
        let c = self.channels as usize;
        let (w, h) = (self.width as usize, self.height as usize);
        let swapped = orientation >= 5;
        let (nw, nh) = if swapped { (h, w) } else { (w, h) };
        let mut samples = vec![0u8; self.samples.len()];
        for y in 0..h {
            for x in 0..w {
                // Where the stored pixel (x, y) is shown.
                let (nx, ny) = match orientation {
                    2 => (w - 1 - x, y),
                    3 => (w - 1 - x, h - 1 - y),
                    4 => (x, h - 1 - y),
                    5 => (y, x),
                    6 => (h - 1 - y, x),
                    7 => (h - 1 - y, w - 1 - x),
                    _ => (y, w - 1 - x),
                };
                let from = (y * w + x) * c;
                let to = (ny * nw + nx) * c;
                samples[to..to + c].copy_from_slice(&self.samples[from..from + c]);
            }
        }
        Raster {
            width: nw as u32,
            height: nh as u32,
            channels: self.channels,
            samples,
        }
    }

    /// Encodes the image as a baseline JPEG at `quality` (1–100), saying
    /// `dpi` in its header.
    pub fn to_jpeg(&self, quality: u8, dpi: Option<u32>) -> Result<Vec<u8>, RasterError> {
        let (Ok(width), Ok(height)) = (u16::try_from(self.width), u16::try_from(self.height))
        else {
            return Err(RasterError::TooLarge {
                width: self.width.into(),
                height: self.height.into(),
            });
        };
        let mut out = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
        if let Some(dpi) = dpi.and_then(|d| u16::try_from(d).ok()) {
            encoder.set_density(jpeg_encoder::PixelDensity::dpi(dpi));
        }
        let colour = if self.channels == 1 {
            jpeg_encoder::ColorType::Luma
        } else {
            jpeg_encoder::ColorType::Rgb
        };
        encoder
            .encode(&self.samples, width, height, colour)
            .map_err(|e| RasterError::Undecodable(format!("JPEG encoder: {e}")))?;
        Ok(out)
    }
}

/// The resolution an image of `width` x `height` pixels has on a page of
/// `page` points (either way round), assuming it fills the page as a scan
/// does: the lower bound of its real resolution, since an image smaller on
/// the page only has more dots per inch.
pub fn dpi_on_page(width: u32, height: u32, page: (f32, f32)) -> f32 {
    let inches = (page.0.max(1.0) / 72.0, page.1.max(1.0) / 72.0);
    let upright = (width as f32 / inches.0).max(height as f32 / inches.1);
    let turned = (width as f32 / inches.1).max(height as f32 / inches.0);
    upright.min(turned)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A test JPEG of `width` x `height`: a gradient with a dark block in
    /// the top-left corner, so turns and flips show.
    pub(crate) fn jpeg(width: u32, height: u32, dpi: Option<u32>) -> Vec<u8> {
        corner_raster(width, height)
            .to_jpeg(90, dpi)
            .expect("encodes")
    }

    pub(crate) fn corner_raster(width: u32, height: u32) -> Raster {
        let mut samples = Vec::new();
        for y in 0..height {
            for x in 0..width {
                let dark = x < width / 4 && y < height / 4;
                let v = if dark {
                    10
                } else {
                    120 + (x * 100 / width) as u8
                };
                samples.extend_from_slice(&[v, v, 255 - v]);
            }
        }
        Raster {
            width,
            height,
            channels: 3,
            samples,
        }
    }

    #[test]
    fn jpeg_headers_give_size_components_and_resolution() {
        let facts = jpeg_facts(&jpeg(64, 32, Some(300))).expect("facts");
        assert_eq!((facts.width, facts.height, facts.components), (64, 32, 3));
        assert_eq!(facts.dpi, Some(300.0));
        assert_eq!(facts.orientation, 1);
        let phone = jpeg_facts(&jpeg(64, 32, Some(72))).expect("facts");
        assert_eq!(phone.dpi, None, "72 dpi is a camera's placeholder");
    }

    #[test]
    fn orientations_put_the_dark_corner_where_exif_says() {
        let image = corner_raster(8, 4);
        let dark_at =
            |r: &Raster, x: u32, y: u32| r.samples[((y * r.width + x) * 3) as usize] == 10;
        assert!(dark_at(&image, 0, 0));
        // 6: turned clockwise, the top-left corner goes top-right.
        let six = image.oriented(6);
        assert_eq!((six.width, six.height), (4, 8));
        assert!(dark_at(&six, 3, 0) && !dark_at(&six, 0, 0));
        // 8: turned counter-clockwise, it goes bottom-left.
        let eight = image.oriented(8);
        assert!(dark_at(&eight, 0, 7));
        // 3: half a turn, bottom-right.
        assert!(dark_at(&image.oriented(3), 7, 3));
        // 2: mirrored, top-right.
        assert!(dark_at(&image.oriented(2), 7, 0));
    }

    #[test]
    fn downsampling_averages_the_pixels_it_covers() {
        let image = Raster {
            width: 4,
            height: 2,
            channels: 1,
            samples: vec![0, 100, 200, 200, 100, 200, 200, 200],
        };
        let half = image.downsample(2, 1);
        assert_eq!(half.samples, [100, 200]);
    }

    #[test]
    fn a_page_filling_scan_has_the_resolution_of_its_page() {
        // A4 at 300 dpi: 2480 x 3508 pixels.
        let dpi = dpi_on_page(2480, 3508, A4_POINTS);
        assert!((dpi - 300.0).abs() < 1.0, "{dpi}");
        // The same scan on a page turned sideways.
        let turned = dpi_on_page(2480, 3508, (A4_POINTS.1, A4_POINTS.0));
        assert!((turned - 300.0).abs() < 1.0, "{turned}");
    }

    #[test]
    fn alpha_is_laid_over_white() {
        let image = raster(2, 1, 2, vec![0, 0, 0, 255]).expect("raster");
        assert_eq!(image.samples, [255, 0]);
    }
}
