//! The ZIP format as Qujat writes it: deterministic and laid out in advance.
//!
//! Every payload file is *stored* (not compressed): PDFs, JPEGs and PNGs are
//! compressed already, and a stored entry's size is known before its bytes
//! are read. So the position of every entry can be computed up front, and
//! several files can be copied at once, each straight to its own place in the
//! output, hashed while it is written. Small generated files (tag files,
//! manifests) are deflated when that makes them smaller.
//!
//! Determinism: entries carry the package date at 00:00 as their only
//! timestamp, no extra fields, fixed permissions (0644), and a fixed order.
//! ZIP64 records are added only when a size or offset needs them.

use std::io::Write as _;

use chrono::{Datelike, NaiveDate};
use flate2::write::DeflateEncoder;
use flate2::Compression;

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_CENTRAL_DIR: u32 = 0x0605_4b50;
const ZIP64_END: u32 = 0x0606_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
/// Names are UTF-8 (general purpose flag bit 11).
const FLAG_UTF8: u16 = 1 << 11;
const STORED: u16 = 0;
const DEFLATED: u16 = 8;
const U32_MAX: u64 = 0xFFFF_FFFF;

/// One entry of the archive, as recorded in the central directory.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Path inside the archive, `/`-separated, UTF-8.
    pub name: String,
    /// Where its local header starts.
    pub offset: u64,
    /// Stored or deflated.
    pub method: u16,
    /// CRC-32 of the uncompressed bytes.
    pub crc32: u32,
    /// Bytes as stored in the archive.
    pub compressed_size: u64,
    /// Bytes once extracted.
    pub size: u64,
}

impl Entry {
    /// A stored entry of `size` bytes at `offset`; its CRC is filled in once
    /// its bytes have been written.
    pub fn stored(name: &str, offset: u64, size: u64) -> Entry {
        Entry {
            name: name.to_owned(),
            offset,
            method: STORED,
            crc32: 0,
            compressed_size: size,
            size,
        }
    }

    /// Bytes of the local header before the entry's data.
    pub fn header_len(&self) -> u64 {
        30 + self.name.len() as u64 + if self.needs_zip64_sizes() { 20 } else { 0 }
    }

    /// Where the entry's data starts.
    pub fn data_offset(&self) -> u64 {
        self.offset + self.header_len()
    }

    /// Where the next entry starts.
    pub fn end(&self) -> u64 {
        self.data_offset() + self.compressed_size
    }

    fn needs_zip64_sizes(&self) -> bool {
        self.size >= U32_MAX || self.compressed_size >= U32_MAX
    }

    /// The local file header, with the date as DOS date and time.
    pub fn local_header(&self, date: NaiveDate) -> Vec<u8> {
        let (dos_time, dos_date) = dos_timestamp(date);
        let zip64 = self.needs_zip64_sizes();
        let mut h = Vec::with_capacity(self.header_len() as usize);
        put32(&mut h, LOCAL_HEADER);
        put16(&mut h, if zip64 { 45 } else { 20 });
        put16(&mut h, FLAG_UTF8);
        put16(&mut h, self.method);
        put16(&mut h, dos_time);
        put16(&mut h, dos_date);
        put32(&mut h, self.crc32);
        put32(&mut h, clamp32(self.compressed_size, zip64));
        put32(&mut h, clamp32(self.size, zip64));
        put16(&mut h, self.name.len() as u16);
        put16(&mut h, if zip64 { 20 } else { 0 });
        h.extend_from_slice(self.name.as_bytes());
        if zip64 {
            put16(&mut h, 0x0001);
            put16(&mut h, 16);
            put64(&mut h, self.size);
            put64(&mut h, self.compressed_size);
        }
        h
    }

    fn central_header(&self, date: NaiveDate) -> Vec<u8> {
        let (dos_time, dos_date) = dos_timestamp(date);
        let mut extra = Vec::new();
        if self.size >= U32_MAX {
            put64(&mut extra, self.size);
        }
        if self.compressed_size >= U32_MAX {
            put64(&mut extra, self.compressed_size);
        }
        if self.offset >= U32_MAX {
            put64(&mut extra, self.offset);
        }
        let zip64 = !extra.is_empty();
        let mut h = Vec::with_capacity(46 + self.name.len() + 4 + extra.len());
        put32(&mut h, CENTRAL_HEADER);
        // Made by: Unix (3), spec 4.5; Unix so the mode below is honoured.
        put16(&mut h, (3 << 8) | 45);
        put16(&mut h, if zip64 { 45 } else { 20 });
        put16(&mut h, FLAG_UTF8);
        put16(&mut h, self.method);
        put16(&mut h, dos_time);
        put16(&mut h, dos_date);
        put32(&mut h, self.crc32);
        put32(
            &mut h,
            clamp32(self.compressed_size, self.compressed_size >= U32_MAX),
        );
        put32(&mut h, clamp32(self.size, self.size >= U32_MAX));
        put16(&mut h, self.name.len() as u16);
        put16(&mut h, if zip64 { extra.len() as u16 + 4 } else { 0 });
        put16(&mut h, 0); // comment length
        put16(&mut h, 0); // disk number
        put16(&mut h, 0); // internal attributes
        put32(&mut h, 0o100644 << 16); // a regular file, rw-r--r--
        put32(&mut h, clamp32(self.offset, self.offset >= U32_MAX));
        h.extend_from_slice(self.name.as_bytes());
        if zip64 {
            put16(&mut h, 0x0001);
            put16(&mut h, extra.len() as u16);
            h.extend_from_slice(&extra);
        }
        h
    }
}

/// A small in-memory file as a finished entry: deflated if that saves bytes,
/// stored otherwise. Returns the entry and the bytes to write after its header.
pub fn small_entry(name: &str, offset: u64, content: &[u8]) -> (Entry, Vec<u8>) {
    let crc32 = crc32fast::hash(content);
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    let deflated = encoder
        .write_all(content)
        .and_then(|_| encoder.finish())
        .ok()
        .filter(|d| d.len() < content.len());
    let (method, data) = match deflated {
        Some(d) => (DEFLATED, d),
        None => (STORED, content.to_vec()),
    };
    let entry = Entry {
        name: name.to_owned(),
        offset,
        method,
        crc32,
        compressed_size: data.len() as u64,
        size: content.len() as u64,
    };
    (entry, data)
}

/// The central directory and end records for `entries` (in the order they
/// should be listed), written at `offset`.
pub fn central_directory(entries: &[Entry], offset: u64, date: NaiveDate) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        out.extend_from_slice(&e.central_header(date));
    }
    let size = out.len() as u64;
    let count = entries.len() as u64;
    let zip64 = offset >= U32_MAX || size >= U32_MAX || count >= 0xFFFF;
    if zip64 {
        let record_offset = offset + size;
        put32(&mut out, ZIP64_END);
        put64(&mut out, 44);
        put16(&mut out, (3 << 8) | 45);
        put16(&mut out, 45);
        put32(&mut out, 0);
        put32(&mut out, 0);
        put64(&mut out, count);
        put64(&mut out, count);
        put64(&mut out, size);
        put64(&mut out, offset);
        put32(&mut out, ZIP64_LOCATOR);
        put32(&mut out, 0);
        put64(&mut out, record_offset);
        put32(&mut out, 1);
    }
    put32(&mut out, END_OF_CENTRAL_DIR);
    put16(&mut out, 0);
    put16(&mut out, 0);
    put16(&mut out, count.min(0xFFFF) as u16);
    put16(&mut out, count.min(0xFFFF) as u16);
    put32(&mut out, clamp32(size, zip64));
    put32(&mut out, clamp32(offset, zip64));
    put16(&mut out, 0);
    out
}

/// DOS time and date of midnight on `date` (DOS dates start in 1980).
fn dos_timestamp(date: NaiveDate) -> (u16, u16) {
    let year = date.year().clamp(1980, 2107) as u16;
    let dos_date = ((year - 1980) << 9) | ((date.month() as u16) << 5) | date.day() as u16;
    (0, dos_date)
}

fn clamp32(value: u64, zip64: bool) -> u32 {
    if zip64 || value >= U32_MAX {
        u32::MAX
    } else {
        value as u32
    }
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 14).expect("date")
    }

    /// Builds an archive by hand the way the packer does, then reads it back
    /// with the independent `zip` crate.
    #[test]
    fn an_archive_we_write_reads_back_with_the_zip_crate() {
        let mut out = Vec::new();
        let body = b"%PDF-1.4 stored bytes";
        let mut stored = Entry::stored("bag/data/01-cv.pdf", 0, body.len() as u64);
        stored.crc32 = crc32fast::hash(body);
        out.extend(stored.local_header(date()));
        out.extend_from_slice(body);
        let text = "BagIt-Version: 1.0\n".repeat(20);
        let (small, data) = small_entry("bag/bagit.txt", out.len() as u64, text.as_bytes());
        assert_eq!(small.method, DEFLATED, "repetitive text deflates");
        out.extend(small.local_header(date()));
        out.extend(data);
        let cd_offset = out.len() as u64;
        out.extend(central_directory(&[small, stored], cd_offset, date()));

        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(out)).expect("a valid archive");
        assert_eq!(
            archive.file_names().collect::<Vec<_>>().len(),
            2,
            "both entries are listed"
        );
        assert_eq!(
            archive.by_index(0).expect("first").name().expect("utf-8"),
            "bag/bagit.txt",
            "the central directory decides the listed order"
        );
        let mut text_back = String::new();
        archive
            .by_name("bag/bagit.txt")
            .expect("entry")
            .read_to_string(&mut text_back)
            .expect("inflates with a matching CRC");
        assert_eq!(text_back, text);
        let mut pdf = Vec::new();
        let mut f = archive.by_name("bag/data/01-cv.pdf").expect("entry");
        let modified = f.last_modified().expect("timestamp");
        f.read_to_end(&mut pdf).expect("reads with a matching CRC");
        assert_eq!(pdf, body);
        assert_eq!(
            (
                modified.year(),
                modified.month(),
                modified.day(),
                modified.hour()
            ),
            (2025, 3, 14, 0),
            "the only timestamp is the package date at midnight"
        );
    }

    #[test]
    fn zip64_fields_appear_only_past_four_gibibytes() {
        let small = Entry::stored("a", 0, 10);
        assert_eq!(small.header_len(), 31);
        let big = Entry::stored("a", 0, 5 << 30);
        assert_eq!(big.header_len(), 51, "a ZIP64 extra field for the sizes");
        let far = Entry::stored("a", 5 << 30, 10);
        assert_eq!(far.central_header(date()).len(), 46 + 1 + 12);
    }
}
