//! An open document: the editor's unsaved text, its lines, and positions converted
//! between the checker's (1-based lines, columns in characters) and the client's
//! (0-based lines, columns in UTF-16 or UTF-8 code units, as negotiated).

use lsp_types::{Position, Range};

/// How the client counts columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// The code units of one character.
    pub fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
        }
    }
}

#[derive(Debug, Default)]
pub struct Document {
    pub text: String,
    pub version: i32,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// Most lines end with CRLF: inserted lines do too.
    crlf: bool,
}

impl Document {
    pub fn new(text: String, version: i32) -> Document {
        let mut d = Document {
            text,
            version,
            starts: Vec::new(),
            crlf: false,
        };
        d.index();
        d
    }

    fn index(&mut self) {
        self.starts.clear();
        self.starts.push(0);
        self.starts
            .extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1));
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Line `l` (0-based) without its ending; "" past the end.
    pub fn line(&self, l: usize) -> &str {
        let Some(&start) = self.starts.get(l) else {
            return "";
        };
        let end = self.starts.get(l + 1).map_or(self.text.len(), |e| e - 1);
        let s = &self.text[start..end.max(start)];
        s.strip_suffix('\r').unwrap_or(s)
    }

    /// The line ending most lines use, for inserted text.
    pub fn ending(&self) -> &'static str {
        if self.crlf {
            "\r\n"
        } else {
            "\n"
        }
    }

    /// The checker's place (1-based line, 1-based column in characters; column 0:
    /// the end of the line) as the client's position. The checker reads the text
    /// without a byte-order mark: on the first line the client counts it.
    pub fn position(&self, line: usize, column: usize, enc: Encoding) -> Position {
        let l = line
            .saturating_sub(1)
            .min(self.line_count().saturating_sub(1));
        let text = self.line(l);
        let (bom, text) = match (l, text.strip_prefix('\u{feff}')) {
            (0, Some(rest)) => (enc.units('\u{feff}'), rest),
            _ => (0, text),
        };
        let chars = if column == 0 { usize::MAX } else { column - 1 };
        let units: u32 = text.chars().take(chars).map(|c| enc.units(c)).sum();
        Position::new(l as u32, bom + units)
    }

    /// The end of line `l` (0-based) as a position.
    pub fn line_end(&self, l: usize, enc: Encoding) -> Position {
        let units: u32 = self.line(l).chars().map(|c| enc.units(c)).sum();
        Position::new(l as u32, units)
    }

    /// The client's position as a byte offset into the text (clamped to the line and
    /// the document; a position inside a character moves to its start).
    pub fn offset(&self, p: Position, enc: Encoding) -> usize {
        let l = p.line as usize;
        let Some(&start) = self.starts.get(l) else {
            return self.text.len();
        };
        let line = self.line(l);
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            if units >= p.character {
                return start + i;
            }
            units += enc.units(c);
            if units > p.character {
                return start + i;
            }
        }
        start + line.len()
    }

    /// The column (1-based, in characters) of a client position on its line.
    pub fn column(&self, p: Position, enc: Encoding) -> usize {
        let off = self.offset(p, enc);
        let start = self.starts.get(p.line as usize).copied().unwrap_or(off);
        let mut col = self.text[start.min(off)..off].chars().count() + 1;
        if p.line == 0 && self.text.starts_with('\u{feff}') {
            col = col.saturating_sub(1).max(1);
        }
        col
    }

    /// Applies one change from `didChange`: a range replaced, or (no range) the
    /// whole text.
    pub fn change(&mut self, range: Option<Range>, text: &str, enc: Encoding) {
        match range {
            None => self.text = text.to_string(),
            Some(r) => {
                let a = self.offset(r.start, enc);
                let b = self.offset(r.end, enc).max(a);
                self.text.replace_range(a..b, text);
            }
        }
        self.index();
    }

    /// The range of the whole text.
    pub fn whole(&self, enc: Encoding) -> Range {
        let last = self.line_count() - 1;
        Range::new(Position::new(0, 0), self.line_end(last, enc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_code_units_after_non_ascii_text() {
        let d = Document::new("# Modèle 🦠 x\r\nnext\n".into(), 1);
        // `x` is the 12th character; before it `è` (1 UTF-16 unit, 2 bytes) and
        // `🦠` (2 units, 4 bytes).
        assert_eq!(d.position(1, 12, Encoding::Utf16), Position::new(0, 12));
        assert_eq!(d.position(1, 12, Encoding::Utf8), Position::new(0, 15));
        assert_eq!(d.position(1, 0, Encoding::Utf16), Position::new(0, 13));
        assert_eq!(d.line(0), "# Modèle 🦠 x");
        assert_eq!(d.offset(Position::new(0, 12), Encoding::Utf16), 15);
        assert_eq!(d.column(Position::new(0, 12), Encoding::Utf16), 12);
        assert_eq!(d.ending(), "\n");
    }

    #[test]
    fn a_byte_order_mark_is_counted_on_the_first_line_only() {
        let d = Document::new("\u{feff}# A\nb\n".into(), 1);
        assert_eq!(d.position(1, 3, Encoding::Utf16), Position::new(0, 3));
        assert_eq!(d.position(2, 1, Encoding::Utf16), Position::new(1, 0));
        assert_eq!(d.column(Position::new(0, 3), Encoding::Utf16), 3);
    }

    #[test]
    fn incremental_changes_apply_in_code_units() {
        let mut d = Document::new("a🦠b\nc\n".into(), 1);
        d.change(
            Some(Range::new(Position::new(0, 3), Position::new(1, 0))),
            "X\n",
            Encoding::Utf16,
        );
        assert_eq!(d.text, "a🦠X\nc\n");
        d.change(None, "new", Encoding::Utf16);
        assert_eq!((d.text.as_str(), d.line_count()), ("new", 1));
    }
}
