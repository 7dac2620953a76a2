//! The facts a 35 × 45 photo is judged on, measured **in the inspector
//! child**: the picture as shown (EXIF orientation applied), the faces in
//! it and how plain and light its edges are. What the rule pack asks of a
//! photo is judged later, in the parent, from these facts
//! ([`crate::findings`]), so a change of pack never re-decodes a file.
//!
//! Faces are found by rustface, a pure-Rust port of the SeetaFace frontal
//! face detector, whose model (BSD-2-Clause, from the crate) is compiled
//! in: nothing is downloaded, at build or at run time.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::fix::picture::{self, Raster};
use super::ocr::raster::RasterError;
use crate::kind::FileKind;

/// The SeetaFace frontal face model, as rustface 0.1.7 ships it
/// (`model/seeta_fd_frontal_v1.0.bin`); see `models/README.md`.
static MODEL: &[u8] = include_bytes!("../../models/seeta_fd_frontal_v1.0.bin");

/// The long side faces are looked for at. A passport photo's face is a
/// third of its height or more, so 640 pixels leave it well over the
/// detector's 20-pixel window, and a 12-megapixel phone photo is searched
/// in a fraction of the time.
const DETECT_SIDE: u32 = 640;

/// The detector's score threshold: rustface's own example uses 2.0;
/// lower finds more faces that are not there.
const SCORE_THRESHOLD: f64 = 2.0;

/// Most faces kept in a record: a group photo's forty faces say no more
/// than its first sixteen ("more than one"), and the record stays small.
const MAX_FACES: usize = 16;

/// How many times the detector's box the head is tall. SeetaFace's box
/// runs from about the eyebrows to just under the chin (measured on the
/// faces of the crate's own test photograph); the forehead and the crown
/// above it add about 0.4 of the box. ICAO-style "head height" is chin to
/// crown, so the head is about 1.4 boxes. Hair, a tilt or a beard move this
/// by a tenth either way, which is why [`crate::findings`] only warns.
pub const HEAD_PER_FACE: f32 = 1.4;

/// The share of the height the head's top is placed at, above the head,
/// when cropping: a little less room above the head than below the chin,
/// as photo studios frame it.
const ABOVE_HEAD: f32 = 0.4;

/// What the photo checks need to know about an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhotoFacts {
    /// Width as shown, in pixels (after the EXIF orientation).
    pub width: u32,
    /// Height as shown, in pixels.
    pub height: u32,
    /// The faces found, largest first.
    pub faces: Vec<FaceBox>,
    /// How the image's edges look (where a plain background shows).
    pub border: BorderTone,
}

/// A face the detector found, in pixels of the image as shown: the face,
/// not the head (see [`HEAD_PER_FACE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FaceBox {
    /// Left edge.
    pub left: i32,
    /// Top edge.
    pub top: i32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

impl FaceBox {
    /// The head's height in pixels, estimated from the face's.
    pub fn head_height(&self) -> f32 {
        self.height as f32 * HEAD_PER_FACE
    }

    /// The head's height as a percentage of `image_height`.
    pub fn head_percent(&self, image_height: u32) -> u32 {
        (self.head_height() * 100.0 / image_height.max(1) as f32).round() as u32
    }
}

/// The luminance of the strips along the top and the upper sides, where a
/// photo's background shows (the bottom is the shoulders).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BorderTone {
    /// The darkest strip's mean luminance, 0 black to 255 white.
    pub mean: u8,
    /// The largest standard deviation of luminance within a strip: low on
    /// a plain background, high on a room, a wall's pattern or trees.
    pub spread: u8,
}

/// The facts of an image photo, when it decodes; `None` for other kinds
/// and for images that do not (their other findings say why).
pub fn read_photo(bytes: &[u8], kind: FileKind) -> Option<PhotoFacts> {
    let image = decode_upright(bytes, kind).ok()?;
    Some(facts_of(&image))
}

/// The facts of a decoded, upright image.
pub fn facts_of(image: &Raster) -> PhotoFacts {
    let gray = luminance(image);
    PhotoFacts {
        width: image.width,
        height: image.height,
        faces: detect_faces(image.width, image.height, &gray),
        border: border_tone(image.width, image.height, &gray),
    }
}

/// A JPEG or PNG decoded and turned as its EXIF orientation says.
pub fn decode_upright(bytes: &[u8], kind: FileKind) -> Result<Raster, RasterError> {
    match kind {
        FileKind::Jpeg => {
            let facts = picture::jpeg_facts(bytes)?;
            Ok(picture::decode_jpeg(bytes)?.oriented(facts.orientation))
        }
        FileKind::Png => Ok(picture::decode_png(bytes)?.0),
        _ => Err(RasterError::Undecodable("not a JPEG or PNG".into())),
    }
}

/// One luminance sample per pixel (Rec. 601 weights).
fn luminance(image: &Raster) -> Vec<u8> {
    if image.channels == 1 {
        return image.samples.clone();
    }
    image
        .samples
        .chunks_exact(3)
        .map(|p| ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2])) >> 8) as u8)
        .collect()
}

/// The faces in a grey image of `width` x `height`, in its pixels, largest
/// first.
pub fn detect_faces(width: u32, height: u32, gray: &[u8]) -> Vec<FaceBox> {
    let full = Raster {
        width,
        height,
        channels: 1,
        samples: gray.to_vec(),
    };
    let scale = (width.max(height) as f32 / DETECT_SIDE as f32).max(1.0);
    let small = if scale > 1.0 {
        full.downsample(
            (width as f32 / scale).round() as u32,
            (height as f32 / scale).round() as u32,
        )
    } else {
        full
    };
    // The detector panics on an image smaller than its window.
    if small.width < 24 || small.height < 24 {
        return Vec::new();
    }
    let Ok(model) = rustface::read_model(MODEL) else {
        return Vec::new();
    };
    let mut detector = rustface::create_detector_with_model(model);
    detector.set_min_face_size(20);
    detector.set_score_thresh(SCORE_THRESHOLD);
    detector.set_pyramid_scale_factor(0.8);
    detector.set_slide_window_step(4, 4);
    let data = rustface::ImageData::new(&small.samples, small.width, small.height);
    // A panic deep in the detector costs the photo its faces (a "no face"
    // warning), not the whole inspection its verdict.
    let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| detector.detect(&data)))
        .unwrap_or_default();
    let mut faces: Vec<FaceBox> = found
        .iter()
        .map(|f| {
            let b = f.bbox();
            FaceBox {
                left: (b.x() as f32 * scale).round() as i32,
                top: (b.y() as f32 * scale).round() as i32,
                width: (b.width() as f32 * scale).round() as u32,
                height: (b.height() as f32 * scale).round() as u32,
            }
        })
        .collect();
    faces.sort_by_key(|f| std::cmp::Reverse(u64::from(f.width) * u64::from(f.height)));
    faces.truncate(MAX_FACES);
    faces
}

/// The tone of the top strip and of the left and right strips down to
/// 60 % of the height (below that the shoulders reach the sides), each
/// strip 5 % of the image across.
pub fn border_tone(width: u32, height: u32, gray: &[u8]) -> BorderTone {
    let (w, h) = (width as usize, height as usize);
    let band_x = (w / 20).max(1);
    let band_y = (h / 20).max(1);
    let side_to = (h * 3 / 5).max(band_y + 1).min(h);
    let strips = [
        (0, w, 0, band_y),
        (0, band_x, band_y, side_to),
        (w - band_x, w, band_y, side_to),
    ];
    let mut darkest = 255.0f64;
    let mut widest = 0.0f64;
    for (x0, x1, y0, y1) in strips {
        let (mut sum, mut squares, mut n) = (0.0f64, 0.0f64, 0.0f64);
        for y in y0..y1.min(h) {
            for &v in &gray[y * w + x0..y * w + x1] {
                let v = f64::from(v);
                sum += v;
                squares += v * v;
                n += 1.0;
            }
        }
        if n == 0.0 {
            continue;
        }
        let mean = sum / n;
        let deviation = (squares / n - mean * mean).max(0.0).sqrt();
        darkest = darkest.min(mean);
        widest = widest.max(deviation);
    }
    BorderTone {
        mean: darkest.round().clamp(0.0, 255.0) as u8,
        spread: widest.round().clamp(0.0, 255.0) as u8,
    }
}

/// How to crop a photo: the shape and smallest size of the result and
/// where the head ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Framing {
    /// Width of the print, in millimetres (35).
    pub width_mm: u32,
    /// Height of the print, in millimetres (45).
    pub height_mm: u32,
    /// The result's width in pixels (413).
    pub width_px: u32,
    /// The result's height in pixels (531).
    pub height_px: u32,
    /// The head's share of the height, in percent (75).
    pub head_percent: u32,
}

/// Why a photo cannot be cropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CropRefusal {
    /// Not exactly one face: none, or several.
    Faces(u32),
    /// The frame around the face needs more picture than there is, or
    /// has fewer pixels than the result must have.
    TooSmall {
        /// The frame's width in the source, in pixels.
        width: u32,
        /// The frame's height in the source.
        height: u32,
    },
}

/// The rectangle (left, top, width, height) of `image` that frames `face`
/// as `framing` asks, moved inside the image where it overhangs.
pub fn frame(
    image_width: u32,
    image_height: u32,
    face: &FaceBox,
    framing: &Framing,
) -> Result<(u32, u32, u32, u32), CropRefusal> {
    let head = face.head_height();
    let height = head * 100.0 / framing.head_percent.max(1) as f32;
    let width = height * framing.width_mm as f32 / framing.height_mm.max(1) as f32;
    let (w, h) = (width.round() as u32, height.round() as u32);
    if w > image_width || h > image_height || w < framing.width_px || h < framing.height_px {
        return Err(CropRefusal::TooSmall {
            width: w.min(image_width),
            height: h.min(image_height),
        });
    }
    let head_top = face.top as f32 + face.height as f32 - head;
    let centre = face.left as f32 + face.width as f32 / 2.0;
    let top = head_top - (height - head) * ABOVE_HEAD;
    let left = centre - width / 2.0;
    let clamp = |v: f32, room: u32| v.round().clamp(0.0, room as f32) as u32;
    Ok((
        clamp(left, image_width - w),
        clamp(top, image_height - h),
        w,
        h,
    ))
}

/// The photo cropped around its one face to `framing`'s shape and scaled
/// down to its pixel size. Nothing is retouched: the pixels are the
/// photo's own, only cut and resampled.
pub fn crop(image: &Raster, faces: &[FaceBox], framing: &Framing) -> Result<Raster, CropRefusal> {
    let [face] = faces else {
        return Err(CropRefusal::Faces(faces.len() as u32));
    };
    let (left, top, width, height) = frame(image.width, image.height, face, framing)?;
    let c = image.channels as usize;
    let mut samples = Vec::with_capacity(width as usize * height as usize * c);
    for y in top..top + height {
        let start = (y as usize * image.width as usize + left as usize) * c;
        samples.extend_from_slice(&image.samples[start..start + width as usize * c]);
    }
    let cut = Raster {
        width,
        height,
        channels: image.channels,
        samples,
    };
    Ok(cut.downsample(framing.width_px, framing.height_px))
}

#[cfg(test)]
pub(crate) mod tests;
