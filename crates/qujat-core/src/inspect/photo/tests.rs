//! Photos made from a real face: `tests/fixtures/photo/face.png` is a
//! 104 × 130 grey crop of the 1927 Solvay conference photograph (public
//! domain) as rustface ships it in `test.png`, with the detector's boxes
//! drawn on that file painted out. Each test lays it on a plain
//! background at the size and place it needs.

use super::*;

static FACE: &[u8] = include_bytes!("../../../tests/fixtures/photo/face.png");

/// Rows of the fixture from the top of the hair to the chin.
const FIXTURE_HEAD: (f32, f32) = (9.0, 96.0);
/// The columns and rows of the fixture laid on the background: the head
/// and shoulders, without the people beside them.
const FIXTURE_CUT: (u32, u32, u32, u32) = (17, 4, 87, 130);

/// A portrait: the fixture's head `head` of `height` tall (0.75: three
/// quarters), centred at `centre_x` (a share of the width), on `background`.
pub(crate) fn portrait(
    width: u32,
    height: u32,
    background: [u8; 3],
    head: f32,
    centre_x: f32,
) -> Raster {
    let (face, _) = picture::decode_png(FACE).expect("the fixture decodes");
    let mut canvas = Raster {
        width,
        height,
        channels: 3,
        samples: background
            .iter()
            .copied()
            .cycle()
            .take(width as usize * height as usize * 3)
            .collect(),
    };
    lay(&mut canvas, &face, head, centre_x);
    canvas
}

/// Lays the fixture's head on `canvas` (see [`portrait`]).
pub(crate) fn lay(canvas: &mut Raster, face: &Raster, head: f32, centre_x: f32) {
    let (width, height) = (canvas.width, canvas.height);
    let head_px = head * height as f32;
    let scale = head_px / (FIXTURE_HEAD.1 - FIXTURE_HEAD.0);
    let (cx0, cy0, cx1, cy1) = FIXTURE_CUT;
    let top = (height as f32 - head_px) * 0.4 - (FIXTURE_HEAD.0 - cy0 as f32) * scale;
    let left = centre_x * width as f32 - (cx1 - cx0) as f32 * scale / 2.0;
    let sample = |x: f32, y: f32| -> Option<u8> {
        let (sx, sy) = (x / scale + cx0 as f32, y / scale + cy0 as f32);
        if sx < cx0 as f32 || sy < cy0 as f32 || sx >= (cx1 - 1) as f32 || sy >= (cy1 - 1) as f32 {
            return None;
        }
        let (x0, y0) = (sx.floor() as usize, sy.floor() as usize);
        let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
        let w = face.width as usize;
        let c = face.channels as usize;
        let at = |x: usize, y: usize| f32::from(face.samples[(y * w + x) * c]);
        let v = at(x0, y0) * (1.0 - fx) * (1.0 - fy)
            + at(x0 + 1, y0) * fx * (1.0 - fy)
            + at(x0, y0 + 1) * (1.0 - fx) * fy
            + at(x0 + 1, y0 + 1) * fx * fy;
        Some(v.round() as u8)
    };
    for y in 0..height {
        for x in 0..width {
            if let Some(v) = sample(x as f32 - left, y as f32 - top) {
                let at = (y as usize * width as usize + x as usize) * 3;
                canvas.samples[at..at + 3].fill(v);
            }
        }
    }
}

/// `image` as PNG bytes.
pub(crate) fn png_bytes(image: &Raster) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, image.width, image.height);
        encoder.set_color(if image.channels == 1 {
            png::ColorType::Grayscale
        } else {
            png::ColorType::Rgb
        });
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("header");
        writer.write_image_data(&image.samples).expect("pixels");
    }
    out
}

const LIGHT: [u8; 3] = [236, 236, 232];

pub(crate) const FRAMING: Framing = Framing {
    width_mm: 35,
    height_mm: 45,
    width_px: 413,
    height_px: 531,
    head_percent: 75,
};

#[test]
fn a_portrait_has_one_face_whose_head_is_measured_close_to_what_was_drawn() {
    let image = portrait(450, 579, LIGHT, 0.75, 0.5);
    let facts = facts_of(&image);
    assert_eq!(facts.faces.len(), 1, "{:?}", facts.faces);
    let percent = facts.faces[0].head_percent(facts.height);
    assert!((68..=82).contains(&percent), "head {percent} %");
    assert!(facts.border.mean > 220, "{:?}", facts.border);
    assert!(facts.border.spread < 5, "{:?}", facts.border);
    // The same head drawn at half the height is measured at about half.
    let small = facts_of(&portrait(450, 579, LIGHT, 0.4, 0.5));
    let percent = small.faces[0].head_percent(small.height);
    assert!((34..=46).contains(&percent), "head {percent} %");
}

#[test]
fn a_plain_picture_has_no_face_and_a_busy_edge_is_told_from_a_plain_one() {
    let plain = facts_of(&portrait(450, 579, LIGHT, 0.0, 0.5));
    assert!(plain.faces.is_empty(), "{:?}", plain.faces);
    // The head drawn against the left edge: the edge is no longer plain.
    let busy = facts_of(&portrait(450, 579, LIGHT, 0.75, 0.1));
    assert!(busy.border.spread > 20, "{:?}", busy.border);
    let dark = facts_of(&portrait(450, 579, [60, 70, 90], 0.75, 0.5));
    assert!(dark.border.mean < 100, "{:?}", dark.border);
}

#[test]
fn a_photo_is_cropped_around_its_face_to_35_by_45_with_the_head_at_three_quarters() {
    // A wide photo with the head under half the height, off centre.
    let image = portrait(1600, 1200, LIGHT, 0.45, 0.4);
    let faces = facts_of(&image).faces;
    let cropped = crop(&image, &faces, &FRAMING).expect("cropped");
    assert_eq!((cropped.width, cropped.height), (413, 531));
    if let Some(dir) = std::env::var_os("QUJAT_TEST_ARTIFACTS") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::write(dir.join("photo-source.png"), png_bytes(&image)).expect("write");
        std::fs::write(dir.join("photo-cropped.png"), png_bytes(&cropped)).expect("write");
    }
    // Measured again on the result, by the same detector: its box moves
    // by a few per cent between scales (75 % framed, 69 % re-measured on
    // this face), hence the findings' margin.
    let again = facts_of(&cropped);
    assert_eq!(again.faces.len(), 1, "{:?}", again.faces);
    let percent = again.faces[0].head_percent(again.height);
    assert!((66..=84).contains(&percent), "head {percent} %");
    let face = again.faces[0];
    let centre = face.left + face.width as i32 / 2;
    assert!((centre - 206).abs() < 30, "face centred at {centre}");
    // Never retouched: the background is the photo's own colour.
    assert_eq!(&cropped.samples[..3], &LIGHT);
}

#[test]
fn a_crop_is_refused_without_one_face_or_without_enough_pixels() {
    let plain = portrait(900, 900, LIGHT, 0.0, 0.5);
    assert_eq!(
        crop(&plain, &facts_of(&plain).faces, &FRAMING),
        Err(CropRefusal::Faces(0))
    );
    let mut two = portrait(1600, 800, LIGHT, 0.4, 0.25);
    let (face, _) = picture::decode_png(FACE).expect("fixture");
    lay(&mut two, &face, 0.4, 0.75);
    assert_eq!(
        crop(&two, &facts_of(&two).faces, &FRAMING),
        Err(CropRefusal::Faces(2))
    );
    // A head 200 pixels tall frames into fewer than 413 × 531 pixels.
    let small = portrait(500, 400, LIGHT, 0.5, 0.5);
    let faces = facts_of(&small).faces;
    assert!(matches!(
        crop(&small, &faces, &FRAMING),
        Err(CropRefusal::TooSmall { .. })
    ));
}

#[test]
fn a_jpeg_turned_by_exif_is_judged_as_shown() {
    let image = portrait(450, 579, LIGHT, 0.75, 0.5);
    let bytes = image.to_jpeg(90, None).expect("jpeg");
    let facts = read_photo(&bytes, FileKind::Jpeg).expect("decodes");
    assert_eq!((facts.width, facts.height), (450, 579));
    assert_eq!(facts.faces.len(), 1);
    assert_eq!(
        read_photo(&png_bytes(&image), FileKind::Png),
        Some(facts_of(&image))
    );
    assert_eq!(read_photo(b"not an image", FileKind::Jpeg), None);
}

#[test]
fn slivers_and_tiny_images_have_no_face_and_do_not_stop_the_inspection() {
    for (width, height) in [(2000, 30), (30, 2000), (10, 10), (1, 1)] {
        let image = portrait(width, height, LIGHT, 0.0, 0.5);
        let facts = facts_of(&image);
        assert!(facts.faces.is_empty(), "{width}x{height}");
        assert_eq!((facts.width, facts.height), (width, height));
    }
}
