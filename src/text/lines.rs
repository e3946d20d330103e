//! Line numbers: byte offsets to 1-based lines, counted by `\n` as git counts them.

/// Maps byte offsets to 1-based line numbers.
///
/// Lines are counted by `\n` only, as git does: the line numbers must agree with the
/// ones GitHub shows in a pull request's diff, where inline comments are anchored.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The line last looked up: the card model asks in source order, so the next
    /// answer is usually this line or the next few.
    hint: std::cell::Cell<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        Self::new_in(text, Vec::with_capacity(text.len() / 40 + 1))
    }

    /// The same, writing into a vector that may be left from an earlier text.
    pub fn new_in(text: &str, mut starts: Vec<usize>) -> Self {
        starts.clear();
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            hint: std::cell::Cell::new(0),
        }
    }

    /// Gives the line starts back for reuse.
    pub fn into_starts(self) -> Vec<usize> {
        self.starts
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        let s = &self.starts;
        let mut i = self.hint.get();
        if i < s.len() && s[i] <= offset {
            // Walk forward a few lines before falling back to a search.
            for _ in 0..8 {
                if i + 1 >= s.len() || s[i + 1] > offset {
                    self.hint.set(i);
                    return i + 1;
                }
                i += 1;
            }
        }
        let line = match s.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        };
        self.hint.set(line.saturating_sub(1));
        line
    }

    /// Number of lines (a trailing newline does not open a new line).
    pub fn line_count(&self, text_len: usize) -> usize {
        let n = self.starts.len();
        if n > 1 && self.starts[n - 1] == text_len {
            n - 1
        } else {
            n
        }
    }

    /// Byte range of a 1-based line, without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        if start > text.len() {
            return None;
        }
        let mut end = self.starts.get(line).map(|e| e - 1).unwrap_or(text.len());
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        Some(start..end.max(start))
    }

    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> Option<&'a str> {
        self.line_range(text, line).map(|r| &text[r])
    }
}
