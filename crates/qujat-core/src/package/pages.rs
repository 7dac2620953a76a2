//! A cheap, conservative page count for PDFs, taken while a file streams past.
//!
//! Reading a PDF properly means a PDF parser, and parsers crash on damaged
//! files (see the platform notes); inspection belongs in a child process. The
//! cover sheet only wants a number a reader can check against the printout,
//! so this counts `/Type /Page` objects in the raw bytes, without parsing and
//! without holding more than a few bytes, and gives up (`None`, shown as "—")
//! whenever the count could be wrong: page objects hidden in compressed object
//! streams (`/ObjStm`) or rewritten by incremental updates (several `%%EOF`).

/// Bytes a match can span: `/Type`, up to 8 blanks, `/Page` and a delimiter.
const LOOKAHEAD: usize = 24;
const MAX_BLANKS: usize = 8;

/// Counts pages in a PDF fed to it chunk by chunk, in any sizes.
#[derive(Debug, Default)]
pub struct PageCounter {
    pending: Vec<u8>,
    pages: u32,
    object_streams: bool,
    end_markers: u32,
}

impl PageCounter {
    /// A counter that has seen nothing yet.
    pub fn new() -> PageCounter {
        PageCounter::default()
    }

    /// Looks at the next chunk of the file.
    pub fn feed(&mut self, chunk: &[u8]) {
        if chunk.len() < LOOKAHEAD {
            // Too short to settle anything on its own: hold it with the rest.
            let mut held = std::mem::take(&mut self.pending);
            held.extend_from_slice(chunk);
            let settled = held.len().saturating_sub(LOOKAHEAD);
            for i in memchr::memchr2_iter(b'/', b'%', &held[..settled]) {
                self.check(&held, i);
            }
            self.pending = held[settled..].to_vec();
            return;
        }
        if !self.pending.is_empty() {
            // Candidates held back from the previous chunk, now with enough
            // bytes after them to decide.
            let mut joined = std::mem::take(&mut self.pending);
            let held = joined.len();
            joined.extend_from_slice(&chunk[..chunk.len().min(LOOKAHEAD)]);
            for i in memchr::memchr2_iter(b'/', b'%', &joined[..held]) {
                self.check(&joined, i);
            }
        }
        let settled = chunk.len().saturating_sub(LOOKAHEAD);
        for i in memchr::memchr2_iter(b'/', b'%', &chunk[..settled]) {
            self.check(chunk, i);
        }
        self.pending.extend_from_slice(&chunk[settled..]);
    }

    /// The page count, if it can be trusted.
    pub fn finish(mut self) -> Option<u32> {
        let rest = std::mem::take(&mut self.pending);
        for i in memchr::memchr2_iter(b'/', b'%', &rest) {
            self.check(&rest, i);
        }
        (self.pages > 0 && !self.object_streams && self.end_markers <= 1).then_some(self.pages)
    }

    fn check(&mut self, bytes: &[u8], at: usize) {
        let rest = &bytes[at..];
        if rest.starts_with(b"%%EOF") {
            self.end_markers += 1;
        } else if rest.starts_with(b"/ObjStm") {
            self.object_streams = true;
        } else if let Some(after_type) = rest.strip_prefix(b"/Type") {
            let blanks = after_type
                .iter()
                .take(MAX_BLANKS)
                .take_while(|b| is_blank(**b))
                .count();
            if let Some(after) = after_type[blanks..].strip_prefix(b"/Page") {
                // `/Pages` is the page tree, not a page.
                if after.first().is_none_or(|b| is_delimiter(*b)) {
                    self.pages += 1;
                }
            }
        }
    }
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    is_blank(b) || b"()<>[]{}/%".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(bytes: &[u8], chunk: usize) -> Option<u32> {
        let mut counter = PageCounter::new();
        for c in bytes.chunks(chunk) {
            counter.feed(c);
        }
        counter.finish()
    }

    #[test]
    fn page_objects_are_counted_whatever_the_chunking() {
        let pdf = b"%PDF-1.4\n1 0 obj <</Type /Pages /Kids [2 0 R 3 0 R]>>\n\
            2 0 obj <</Type /Page>>\n3 0 obj <</Type/Page/Parent 1 0 R>>\n%%EOF\n";
        for chunk in [1, 2, 7, 24, 25, 1000] {
            assert_eq!(
                count(pdf, chunk),
                Some(2),
                "a match split across chunks of {chunk} bytes still counts once"
            );
        }
    }

    #[test]
    fn the_count_is_withheld_when_it_could_be_wrong() {
        assert_eq!(
            count(b"%PDF-1.5\n<</Type /ObjStm>>\n<</Type /Page>>%%EOF", 64),
            None,
            "pages may hide in compressed object streams"
        );
        assert_eq!(
            count(b"%PDF-1.4\n<</Type /Page>>%%EOF\n<</Type /Page>>%%EOF", 64),
            None,
            "an incremental update may rewrite a page"
        );
        assert_eq!(count(b"\xff\xd8\xff not a pdf", 64), None);
    }
}
