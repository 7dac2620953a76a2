//! Making portal-ready files: combining files into one PDF, shrinking a file
//! to a size limit, saving a PDF without its encryption. All of it parses
//! and encodes the user's bytes, so all of it runs **in the inspector
//! child**, under the same limits as an inspection ([`super::child`]); the
//! parent only frames the request and reads the result back.
//!
//! The protocol, one job per child (`--job fix`):
//!
//! * stdin: one JSON line, a [`FixRequest`] (the job, with any password:
//!   a pipe, never an argument or the environment, which other processes
//!   can read), then the inputs' bytes one after another, each as long as
//!   the request says.
//! * stdout: one JSON line, a [`FixReply`]: `made`, with the facts of the
//!   file made and its length in bytes, followed by exactly those bytes; or
//!   `refused`, with a [`FixProblem`] and nothing after it.
//! * stderr: `qujat-progress STEP STEPS` lines, as for scans.
//!
//! * [`combine`]: images and PDF pages, in the order and turned as asked,
//!   into one PDF; JPEGs kept byte for byte.
//! * [`shrink`]: images downsampled and re-encoded until the file fits,
//!   never below a resolution floor.
//! * [`unlock`]: a PDF saved without its encryption.
//! * [`crop`]: a photo cut around its one face to 35 × 45, never retouched.
//! * [`picture`]: what the three share about images: facts from headers,
//!   EXIF orientation, decoding, resampling, JPEG encoding.

pub mod combine;
pub mod crop;
pub mod picture;
pub mod shrink;
pub mod unlock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

use super::record::PROTOCOL_VERSION;
use crate::kind::FileKind;

/// Most bytes a produced file may have, and so the most the parent reads
/// back from a child: well above any portal's limit, so that only a runaway
/// is refused.
pub const OUTPUT_CAP: u64 = 256 * 1024 * 1024;

/// Most inputs one combination takes.
pub const MAX_INPUTS: usize = 100;

/// Most pages one combined PDF may have: far more than any document a
/// portal takes, few enough that a request cannot ask for a million.
pub const MAX_PAGES: usize = 1000;

/// What the child is to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "job",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum FixJob {
    /// One PDF of the pages picked from the inputs, in this order.
    Combine {
        /// The pages, in the order of the result; none: every page of
        /// every input, in order, as they stand.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pages: Option<Vec<PagePick>>,
    },
    /// The one input, made at most `limit` bytes without going below
    /// `min_dpi`.
    Shrink {
        /// The size to fit, in bytes.
        limit: u64,
        /// The lowest resolution any image may end at, in dots per inch.
        min_dpi: u32,
    },
    /// The one input (a PDF) saved without encryption; the password opens
    /// it when the PDF needs one.
    Unlock {
        /// The password, if the user gave one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        password: Option<String>,
    },
    /// The one input (a photo) cut around its one face to the print's
    /// shape, the head at `head_percent` of the height, scaled to
    /// `width_px` x `height_px`.
    CropPhoto {
        /// Print width in millimetres.
        width_mm: u32,
        /// Print height in millimetres.
        height_mm: u32,
        /// The result's width in pixels.
        width_px: u32,
        /// The result's height in pixels.
        height_px: u32,
        /// The head's share of the height, in percent.
        head_percent: u32,
    },
}

/// One page of a combination: which input, which of its pages, and how far
/// to turn it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PagePick {
    /// The input, from 0, in the order the files were given.
    pub input: u32,
    /// The page of that input, from 1 (an image has one).
    pub page: u32,
    /// Degrees to turn it clockwise: 0, 90, 180 or 270.
    pub rotate: u16,
}

/// The first line the parent writes to the child's stdin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FixRequest {
    /// What to make.
    pub job: FixJob,
    /// The length in bytes of each input that follows the line, in order.
    pub inputs: Vec<u64>,
}

impl Drop for FixRequest {
    fn drop(&mut self) {
        // The password is wiped from memory once the request is done with.
        if let FixJob::Unlock {
            password: Some(password),
        } = &mut self.job
        {
            drop(Zeroizing::new(std::mem::take(password)));
        }
    }
}

/// What a file the child made is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FixFacts {
    /// The kind of the file made (PDF, or JPEG for a shrunk photo).
    pub kind: FileKind,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub size: u64,
    /// Its pages (1 for an image).
    pub pages: u32,
    /// The lowest resolution of an image in it that was resampled, in dots
    /// per inch; none when no image was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub dpi: Option<u32>,
}

/// Why the child made nothing. Each becomes an [`crate::Error`] the user
/// reads in their language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "code",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum FixProblem {
    /// An input cannot be read: damaged or cut short.
    InputUnreadable {
        /// The input, from 1.
        input: u32,
    },
    /// An input is of a kind that cannot become a PDF page here.
    InputUnsupported {
        /// The input, from 1.
        input: u32,
        /// Its kind.
        kind: FileKind,
    },
    /// An input is a HEIC photo, which this build cannot decode.
    InputHeic {
        /// The input, from 1.
        input: u32,
    },
    /// An input PDF needs a password to open.
    InputLocked {
        /// The input, from 1.
        input: u32,
    },
    /// An image has more pixels than Qujat decodes (an image bomb).
    ImageTooLarge {
        /// The input, from 1.
        input: u32,
        /// Width in pixels.
        #[ts(type = "number")]
        width: u64,
        /// Height in pixels.
        #[ts(type = "number")]
        height: u64,
    },
    /// A page asked for is not in the input.
    NoSuchPage {
        /// The input, from 1.
        input: u32,
        /// The page asked for.
        page: u32,
        /// The pages it has.
        pages: u32,
    },
    /// More pages than one combined PDF may have.
    TooManyPages {
        /// Pages asked for.
        pages: u32,
        /// The most allowed.
        limit: u32,
    },
    /// The request itself is malformed (no pages, a bad turn, an input
    /// that is not there): a bug in the caller, not in the file.
    BadRequest {
        /// What is wrong.
        detail: String,
    },
    /// The PDF is not encrypted: there is nothing to unlock.
    NotEncrypted,
    /// The PDF needs a password and none was given.
    NeedsPassword,
    /// The password given does not open the PDF.
    WrongPassword,
    /// The file already fits the limit.
    AlreadyFits {
        /// Its size in bytes.
        #[ts(type = "number")]
        size: u64,
        /// The limit in bytes.
        #[ts(type = "number")]
        limit: u64,
    },
    /// The file cannot fit the limit without an image going below the
    /// resolution floor (or has no images to make smaller).
    CannotFit {
        /// The limit in bytes.
        #[ts(type = "number")]
        limit: u64,
        /// The smallest size reached at the floor, in bytes.
        #[ts(type = "number")]
        smallest: u64,
        /// The floor, in dots per inch.
        min_dpi: u32,
        /// Whether the file had images that could be made smaller at all
        /// (a PDF of text and vector drawings has none).
        has_images: bool,
    },
    /// A photo to crop has no face, or more than one.
    NoSingleFace {
        /// Faces found.
        faces: u32,
    },
    /// The frame around the face has fewer pixels than the result needs,
    /// or runs off the photo.
    PhotoTooSmall {
        /// The frame's width in the photo, in pixels.
        width: u32,
        /// The frame's height.
        height: u32,
        /// The result's width.
        min_width: u32,
        /// The result's height.
        min_height: u32,
    },
    /// The file made is larger than [`OUTPUT_CAP`].
    OutputTooLarge {
        /// Its size in bytes.
        #[ts(type = "number")]
        size: u64,
    },
}

/// The line the child prints: `made` (then the bytes) or `refused`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum FixReply {
    /// Made; `facts.size` bytes follow the line.
    Made {
        /// What was made.
        facts: FixFacts,
    },
    /// Not made, and why.
    Refused {
        /// Why.
        problem: FixProblem,
    },
}

/// A file made: its bytes and facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    /// The file.
    pub bytes: Vec<u8>,
    /// What it is.
    pub facts: FixFacts,
}

/// What the child's work gives: a file, or why not.
pub type FixResult = std::result::Result<Made, FixProblem>;

/// Runs `request` on `inputs` (their bytes, in order) **in the child**,
/// telling `progress` of each step (step from 1, steps).
pub fn run(
    request: &FixRequest,
    inputs: &[Vec<u8>],
    progress: &mut dyn FnMut(usize, usize),
) -> FixResult {
    let made = match &request.job {
        FixJob::Combine { pages } => combine::combine(inputs, pages.as_deref(), progress),
        FixJob::Shrink { limit, min_dpi } => {
            one_input(inputs).and_then(|input| shrink::shrink(input, *limit, *min_dpi, progress))
        }
        FixJob::Unlock { password } => {
            one_input(inputs).and_then(|input| unlock::unlock(input, password.as_deref()))
        }
        &FixJob::CropPhoto {
            width_mm,
            height_mm,
            width_px,
            height_px,
            head_percent,
        } => {
            let framing = crate::inspect::photo::Framing {
                width_mm,
                height_mm,
                width_px,
                height_px,
                head_percent,
            };
            one_input(inputs).and_then(|input| crop::crop_photo(input, &framing, progress))
        }
    }?;
    if made.bytes.len() as u64 > OUTPUT_CAP {
        return Err(FixProblem::OutputTooLarge {
            size: made.bytes.len() as u64,
        });
    }
    Ok(made)
}

fn one_input(inputs: &[Vec<u8>]) -> Result<&[u8], FixProblem> {
    match inputs {
        [one] => Ok(one),
        _ => Err(FixProblem::BadRequest {
            detail: format!("one input expected, {} given", inputs.len()),
        }),
    }
}

/// The reply line for `result` (without the newline); the bytes of a made
/// file follow it.
pub fn reply_line(result: &FixResult) -> String {
    let reply = match result {
        Ok(made) => FixReply::Made { facts: made.facts },
        Err(problem) => FixReply::Refused {
            problem: problem.clone(),
        },
    };
    let mut value = serde_json::to_value(&reply).unwrap_or_default();
    if let Some(fields) = value.as_object_mut() {
        fields.insert("protocol".into(), PROTOCOL_VERSION.into());
    }
    value.to_string()
}

/// Why a child's stdout is not a fix reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Garbled(pub &'static str);

/// Reads a child's stdout: the reply line and, for `made`, exactly the
/// bytes it announced.
pub fn parse_reply(stdout: &[u8]) -> Result<FixResult, Garbled> {
    let line_end = memchr::memchr(b'\n', stdout).ok_or(Garbled("no reply line"))?;
    let line = std::str::from_utf8(&stdout[..line_end]).map_err(|_| Garbled("not UTF-8"))?;
    let mut value: serde_json::Value =
        serde_json::from_str(line).map_err(|_| Garbled("not JSON"))?;
    let fields = value.as_object_mut().ok_or(Garbled("not an object"))?;
    match fields.remove("protocol").and_then(|p| p.as_u64()) {
        Some(p) if p == u64::from(PROTOCOL_VERSION) => {}
        _ => return Err(Garbled("another protocol version")),
    }
    let reply: FixReply = serde_json::from_value(value).map_err(|_| Garbled("not a reply"))?;
    let rest = &stdout[line_end + 1..];
    match reply {
        FixReply::Made { facts } => {
            if rest.len() as u64 != facts.size {
                return Err(Garbled("the file is not as long as announced"));
            }
            Ok(Ok(Made {
                bytes: rest.to_vec(),
                facts,
            }))
        }
        FixReply::Refused { problem } if rest.is_empty() => Ok(Err(problem)),
        FixReply::Refused { .. } => Err(Garbled("bytes after a refusal")),
    }
}

/// Reads the request line and the inputs from the child's stdin.
pub fn read_request(
    input: &mut dyn std::io::BufRead,
) -> Result<(FixRequest, Vec<Vec<u8>>), String> {
    use std::io::{BufRead, Read};
    let mut line = Vec::new();
    input
        .take(1 << 20)
        .read_until(b'\n', &mut line)
        .map_err(|e| e.kind().to_string())?;
    let line = Zeroizing::new(line);
    let request: FixRequest =
        serde_json::from_slice(&line).map_err(|_| "the request is not JSON".to_owned())?;
    if request.inputs.len() > MAX_INPUTS {
        return Err(format!("more than {MAX_INPUTS} inputs"));
    }
    let mut total = 0u64;
    let mut inputs = Vec::with_capacity(request.inputs.len());
    for &len in &request.inputs {
        total = total.saturating_add(len);
        if total > super::child::STDIN_CAP {
            return Err("the inputs are too large".into());
        }
        let mut bytes = Vec::new();
        input
            .take(len)
            .read_to_end(&mut bytes)
            .map_err(|e| e.kind().to_string())?;
        if bytes.len() as u64 != len {
            return Err("an input is cut short".into());
        }
        inputs.push(bytes);
    }
    Ok((request, inputs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(size: u64) -> FixFacts {
        FixFacts {
            kind: FileKind::Pdf,
            size,
            pages: 2,
            dpi: Some(200),
        }
    }

    #[test]
    fn a_made_file_round_trips_with_its_bytes() {
        let made = Made {
            bytes: b"%PDF-1.7\n\n%%EOF\n".to_vec(),
            facts: facts(16),
        };
        let mut stdout = reply_line(&Ok(made.clone())).into_bytes();
        stdout.push(b'\n');
        stdout.extend_from_slice(&made.bytes);
        assert_eq!(parse_reply(&stdout), Ok(Ok(made)));
    }

    #[test]
    fn a_refusal_round_trips_and_nothing_may_follow_it() {
        let refused: FixResult = Err(FixProblem::WrongPassword);
        let stdout = format!("{}\n", reply_line(&refused));
        assert_eq!(parse_reply(stdout.as_bytes()), Ok(refused));
        assert!(parse_reply(format!("{stdout}x").as_bytes()).is_err());
    }

    #[test]
    fn a_file_cut_short_or_too_long_is_garbled() {
        let made = Made {
            bytes: vec![1, 2, 3],
            facts: facts(3),
        };
        let line = reply_line(&Ok(made));
        assert!(parse_reply(format!("{line}\n\x01\x02").as_bytes()).is_err());
        assert!(parse_reply(format!("{line}\n\x01\x02\x03\x04").as_bytes()).is_err());
        assert!(parse_reply(b"thread main panicked\n").is_err());
        assert!(parse_reply(b"").is_err());
    }

    #[test]
    fn the_request_carries_the_inputs_after_it() {
        let request = FixRequest {
            job: FixJob::Unlock {
                password: Some("s3cret".into()),
            },
            inputs: vec![3, 2],
        };
        let mut stdin = serde_json::to_vec(&request).expect("json");
        stdin.push(b'\n');
        stdin.extend_from_slice(b"abcde");
        let (read, inputs) = read_request(&mut &stdin[..]).expect("read");
        assert_eq!(read, request);
        assert_eq!(inputs, [b"abc".to_vec(), b"de".to_vec()]);
        stdin.pop();
        assert!(read_request(&mut &stdin[..]).is_err(), "cut short");
    }
}
