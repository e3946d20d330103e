//! GitHub's heading anchors (github-slugger), as links to sections must name them.

/// Appends GitHub's anchor for a heading's rendered text (github-slugger) to `out`:
/// lower-case, drop punctuation other than `-` and `_`, turn each space into `-`
/// (runs are not merged).
pub fn push_github_slug(text: &str, out: &mut String) {
    for c in text.trim().chars() {
        if c.is_ascii() {
            match c {
                ' ' => out.push('-'),
                '-' | '_' => out.push(c),
                _ if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
                _ => {}
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Assigns GitHub's anchors to headings in document order: repeated slugs get `-1`, `-2`…
#[derive(Debug, Default)]
pub struct SlugCounter {
    /// Hashes of every anchor handed out (a collision of two 64-bit hashes within
    /// one card is not a practical concern), and per base slug how often it repeated.
    seen: rustc_hash::FxHashMap<u64, usize>,
    /// The anchor being written.
    scratch: String,
}

impl SlugCounter {
    /// Forgets every anchor handed out, keeping the table's room (for the next card).
    pub fn clear(&mut self) {
        self.seen.clear();
    }

    /// The next anchor for a heading of `text`, valid until the next call.
    pub fn next_slug(&mut self, text: &str) -> &str {
        let out = &mut self.scratch;
        out.clear();
        push_github_slug(text, out);
        let key = crate::words::word_hash(out);
        if let std::collections::hash_map::Entry::Vacant(e) = self.seen.entry(key) {
            e.insert(0);
            return out;
        }
        let base_end = out.len();
        loop {
            let n = self.seen.get_mut(&key).expect("base slug");
            *n += 1;
            out.truncate(base_end);
            // Writing into a `String` cannot fail.
            let _ = std::fmt::Write::write_fmt(out, format_args!("-{n}"));
            let ck = crate::words::word_hash(out);
            if let std::collections::hash_map::Entry::Vacant(e) = self.seen.entry(ck) {
                e.insert(0);
                return out;
            }
        }
    }
}
