//! Grey page images for the OCR engine, decoded **in the inspector child**
//! by Rust decoders (zune-jpeg, png) rather than Leptonica's C ones, so the
//! pixel-count limit is checked before a single row is allocated and the
//! pixels can be cropped and turned here without unsafe calls into C.
//! Leptonica only ever sees the plain PGM this module writes.

use std::io::Cursor;

/// Most pixels a page may have to be read: an A4 page at 600 dpi has about
/// 35 million. More is an image bomb (a few bytes of header claiming
/// gigapixels), refused before decoding.
pub const MAX_PIXELS: u64 = 60_000_000;

/// Pages larger than this are halved before recognition: Tesseract gains
/// nothing past ~400 dpi on A4 and takes four times as long per doubling.
const RECOGNITION_PIXELS: u64 = 16_000_000;

/// An 8-bit grey image, row by row, top to bottom.
#[derive(Clone, PartialEq, Eq)]
pub struct Gray {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` samples, 0 black, 255 white.
    pub pixels: Vec<u8>,
}

impl std::fmt::Debug for Gray {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Gray({}x{})", self.width, self.height)
    }
}

/// Why a page image could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RasterError {
    /// More pixels than [`MAX_PIXELS`].
    TooLarge {
        /// Claimed width.
        width: u64,
        /// Claimed height.
        height: u64,
    },
    /// The image data does not decode.
    Undecodable(String),
}

/// Refuses sizes past [`MAX_PIXELS`] (and empty images).
pub fn check_size(width: u64, height: u64) -> Result<(), RasterError> {
    if width == 0 || height == 0 {
        return Err(RasterError::Undecodable("the image has no pixels".into()));
    }
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(RasterError::TooLarge { width, height });
    }
    Ok(())
}

impl Gray {
    /// From interleaved 8-bit samples with `components` per pixel (1 grey,
    /// 2 grey+alpha, 3 RGB, 4 RGBA or CMYK as `cmyk` says).
    pub fn from_samples(
        width: u32,
        height: u32,
        components: usize,
        samples: &[u8],
        cmyk: bool,
    ) -> Result<Gray, RasterError> {
        check_size(width.into(), height.into())?;
        let n = width as usize * height as usize;
        if components == 0 || samples.len() < n * components {
            return Err(RasterError::Undecodable("image data is cut short".into()));
        }
        let pixels = match (components, cmyk) {
            (1, _) => samples[..n].to_vec(),
            (2, _) => samples.chunks_exact(2).take(n).map(|p| p[0]).collect(),
            (4, true) => samples
                .chunks_exact(4)
                .take(n)
                .map(|p| {
                    let k = u32::from(p[3]);
                    let ink = (u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2])) / 3;
                    255u32.saturating_sub((ink + k).min(255)) as u8
                })
                .collect(),
            (c, _) if c >= 3 => samples
                .chunks_exact(c)
                .take(n)
                // ITU-R BT.601 luma, in integers.
                .map(|p| {
                    ((299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2])) / 1000)
                        as u8
                })
                .collect(),
            _ => return Err(RasterError::Undecodable("unsupported pixel layout".into())),
        };
        Ok(Gray {
            width,
            height,
            pixels,
        })
    }

    /// From 1-bit samples, rows padded to whole bytes; `ones_black` as the
    /// PDF's `/Decode` array says (scanners' bilevel pages are 0 = black).
    pub fn from_bits(
        width: u32,
        height: u32,
        bits: &[u8],
        ones_black: bool,
    ) -> Result<Gray, RasterError> {
        check_size(width.into(), height.into())?;
        let row = (width as usize).div_ceil(8);
        if bits.len() < row * height as usize {
            return Err(RasterError::Undecodable("image data is cut short".into()));
        }
        let mut pixels = Vec::with_capacity(width as usize * height as usize);
        for y in 0..height as usize {
            for x in 0..width as usize {
                let bit = bits[y * row + x / 8] >> (7 - x % 8) & 1 == 1;
                pixels.push(if bit != ones_black { 255 } else { 0 });
            }
        }
        Ok(Gray {
            width,
            height,
            pixels,
        })
    }

    /// Halves the image (2x2 means) until it has at most
    /// [`RECOGNITION_PIXELS`].
    pub fn fit_for_recognition(self) -> Gray {
        let mut image = self;
        while u64::from(image.width) * u64::from(image.height) > RECOGNITION_PIXELS
            && image.width >= 2
            && image.height >= 2
        {
            let (w, h) = (image.width / 2, image.height / 2);
            let src = image.width as usize;
            let mut pixels = Vec::with_capacity(w as usize * h as usize);
            for y in 0..h as usize {
                for x in 0..w as usize {
                    let at = |dx: usize, dy: usize| {
                        u16::from(image.pixels[(2 * y + dy) * src + 2 * x + dx])
                    };
                    pixels.push(((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4) as u8);
                }
            }
            image = Gray {
                width: w,
                height: h,
                pixels,
            };
        }
        image
    }

    /// The rectangle at (`left`, `top`) of `width` x `height`, clipped to
    /// the image.
    pub fn crop(&self, left: u32, top: u32, width: u32, height: u32) -> Gray {
        let left = left.min(self.width);
        let top = top.min(self.height);
        let width = width.min(self.width - left);
        let height = height.min(self.height - top);
        let mut pixels = Vec::with_capacity(width as usize * height as usize);
        for y in top..top + height {
            let start = (y * self.width + left) as usize;
            pixels.extend_from_slice(&self.pixels[start..start + width as usize]);
        }
        Gray {
            width,
            height,
            pixels,
        }
    }

    /// The image turned clockwise by `degrees` (0, 90, 180 or 270; anything
    /// else is taken as 0).
    pub fn rotate_clockwise(&self, degrees: u16) -> Gray {
        let (w, h) = (self.width as usize, self.height as usize);
        let at = |x: usize, y: usize| self.pixels[y * w + x];
        match degrees {
            180 => Gray {
                width: self.width,
                height: self.height,
                pixels: self.pixels.iter().rev().copied().collect(),
            },
            90 | 270 => {
                let mut pixels = Vec::with_capacity(w * h);
                // The new image is h wide and w high.
                for ny in 0..w {
                    for nx in 0..h {
                        pixels.push(if degrees == 90 {
                            at(ny, h - 1 - nx)
                        } else {
                            at(w - 1 - ny, nx)
                        });
                    }
                }
                Gray {
                    width: self.height,
                    height: self.width,
                    pixels,
                }
            }
            _ => self.clone(),
        }
    }

    /// The image as a binary PGM (P5), the simplest format Leptonica reads
    /// from memory.
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.pixels);
        out
    }
}

/// Decodes a JPEG to grey, refusing bombs before decoding.
pub fn decode_jpeg(bytes: &[u8]) -> Result<Gray, RasterError> {
    use zune_core::bytestream::ZCursor;
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::Luma)
        // Stops at the header of a bomb; `check_size` gives the message.
        .set_max_width(1 << 16)
        .set_max_height(1 << 16);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder
        .decode_headers()
        .map_err(|e| RasterError::Undecodable(format!("JPEG: {e:?}")))?;
    let info = decoder
        .info()
        .ok_or_else(|| RasterError::Undecodable("JPEG without a header".into()))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    check_size(width.into(), height.into())?;
    let samples = decoder
        .decode()
        .map_err(|e| RasterError::Undecodable(format!("JPEG: {e:?}")))?;
    let components = decoder
        .output_colorspace()
        .map_or(1, |c| c.num_components());
    Gray::from_samples(width, height, components, &samples, false)
}

/// Decodes a PNG to grey, refusing bombs before decoding.
pub fn decode_png(bytes: &[u8]) -> Result<Gray, RasterError> {
    let undecodable = |e: png::DecodingError| RasterError::Undecodable(format!("PNG: {e}"));
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: (MAX_PIXELS * 4) as usize,
        },
    );
    // Palettes and low bit depths become 8-bit samples; 16-bit is cut to 8.
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let header = decoder.read_header_info().map_err(undecodable)?;
    check_size(header.width.into(), header.height.into())?;
    let mut reader = decoder.read_info().map_err(undecodable)?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| RasterError::Undecodable("PNG too large".into()))?;
    let mut buf = vec![0; size];
    let frame = reader.next_frame(&mut buf).map_err(undecodable)?;
    let components = frame.color_type.samples();
    Gray::from_samples(frame.width, frame.height, components, &buf, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(width: u32, height: u32) -> Gray {
        Gray {
            width,
            height,
            pixels: (0..width * height).map(|i| i as u8).collect(),
        }
    }

    #[test]
    fn rotations_turn_the_image_clockwise_and_back() {
        // 3x2:  0 1 2 / 3 4 5  turned clockwise is 2x3: 3 0 / 4 1 / 5 2.
        let image = numbered(3, 2);
        let quarter = image.rotate_clockwise(90);
        assert_eq!((quarter.width, quarter.height), (2, 3));
        assert_eq!(quarter.pixels, [3, 0, 4, 1, 5, 2]);
        assert_eq!(image.rotate_clockwise(270).pixels, [2, 5, 1, 4, 0, 3]);
        assert_eq!(image.rotate_clockwise(180).pixels, [5, 4, 3, 2, 1, 0]);
        assert_eq!(quarter.rotate_clockwise(270), image);
    }

    #[test]
    fn crops_are_clipped_to_the_image() {
        let image = numbered(4, 3);
        assert_eq!(image.crop(1, 1, 2, 5).pixels, [5, 6, 9, 10]);
        assert_eq!(image.crop(9, 9, 2, 2).pixels, Vec::<u8>::new());
    }

    #[test]
    fn huge_claimed_sizes_are_refused_before_decoding() {
        assert_eq!(
            check_size(100_000, 100_000),
            Err(RasterError::TooLarge {
                width: 100_000,
                height: 100_000
            })
        );
        assert!(check_size(2480, 3508).is_ok(), "A4 at 300 dpi");
    }

    #[test]
    fn big_pages_are_halved_for_recognition() {
        let page = Gray {
            width: 5000,
            height: 4000,
            pixels: vec![200; 20_000_000],
        };
        let fitted = page.fit_for_recognition();
        assert_eq!((fitted.width, fitted.height), (2500, 2000));
        assert!(fitted.pixels.iter().all(|&p| p == 200));
    }

    #[test]
    fn colour_and_bilevel_samples_become_grey() {
        let rgb = Gray::from_samples(2, 1, 3, &[255, 255, 255, 0, 0, 0], false).expect("rgb");
        assert_eq!(rgb.pixels, [255, 0]);
        // 0b1010_0000: with 1 = white (the default), black white black.
        let bits = Gray::from_bits(3, 1, &[0b1010_0000], false).expect("bits");
        assert_eq!(bits.pixels, [255, 0, 255]);
        assert!(Gray::from_samples(2, 2, 3, &[0; 5], false).is_err());
    }

    #[test]
    fn a_png_header_claiming_gigapixels_is_too_large() {
        // A PNG whose IHDR claims 100000 x 100000 pixels, and no data.
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let ihdr = [
            &100_000u32.to_be_bytes()[..],
            &100_000u32.to_be_bytes(),
            &[8, 0, 0, 0, 0],
        ]
        .concat();
        png.extend_from_slice(&13u32.to_be_bytes());
        let mut chunk = b"IHDR".to_vec();
        chunk.extend_from_slice(&ihdr);
        png.extend_from_slice(&chunk);
        png.extend_from_slice(&crc32fast::hash(&chunk).to_be_bytes());
        assert!(matches!(
            decode_png(&png),
            Err(RasterError::TooLarge { .. })
        ));
    }
}
