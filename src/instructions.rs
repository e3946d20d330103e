//! The template's instruction and example texts, indexed so that a card block can be
//! checked against all of them in one pass over its bytes.
//!
//! A block is read word by word (see `words`); only words that may be indexed are
//! hashed. Blocks that have all of an instruction's indexed words and as many words
//! are compared with it whole to find verbatim copies; the
//! distinctive words find candidates for a near copy, and only those candidates are
//! normalised and compared with `similar`. Cost stays linear in the card, whatever
//! the number of instructions.

use crate::text::{normalize_words, normalized_eq};
use crate::words::{for_each_word, read_words, Word, WordSink};
use rustc_hash::FxHashMap;

#[derive(Debug, Clone)]
pub struct InstructionText {
    pub display: String,
    pub norm: String,
    pub words: usize,
    /// Short texts (`*Examples:*`) match only exactly and only when still in italics.
    pub short: bool,
    pub section: Option<usize>,
    /// A list item of the template (an example bullet): a card that writes it in
    /// plain text adopts it as its own, so only an italic copy is left-in text.
    pub item: bool,
    /// Distinct indexed words, for the shared-words filter.
    index_words: usize,
    /// Hashes of all its words, sorted: bounds how close a block can be before
    /// paying for a diff.
    word_hashes: Vec<u64>,
}

/// Word length (bytes, lower-cased) from which a word is distinctive enough to index.
const INDEX_WORD_LEN: usize = 4;
pub const SHORT_WORDS: usize = 4;
/// Word-diff ratio from which a block is a near copy of an instruction.
const NEAR: f32 = 0.8;
const NEAR_ITALIC: f32 = 0.7;
/// A word shared by more instructions than this is not distinctive…
const MAX_SHARED: usize = 4;
/// …unless it is among an instruction's rarest few.
const MIN_INDEXED: usize = 3;

#[derive(Debug, Default)]
pub struct Instructions {
    pub list: Vec<InstructionText>,
    /// Instructions no card word leads to (short ones, and those without a word of
    /// `INDEX_WORD_LEN` letters): a block with as many words as one of them is
    /// compared with it whole.
    unindexed: Vec<usize>,
    /// Bit n: some unindexed instruction has n words (bit 63: 63 or more); the short
    /// ones (matched only in italics) and the others apart.
    unindexed_lengths: u64,
    unindexed_short_lengths: u64,
    /// Distinctive word hash → dense word id.
    words: FxHashMap<u64, u32>,
    /// Per word id: the (non-short) instructions that contain it.
    postings: Vec<Vec<u32>>,
}

/// One block being read against the index.
struct Reading<'a> {
    index: &'a Instructions,
    s: &'a mut MatchScratch,
}

impl WordSink for Reading<'_> {
    #[inline(always)]
    fn wants(&self, _bytes: &[u8], start: usize, end: usize) -> bool {
        end - start >= INDEX_WORD_LEN
    }

    #[inline(always)]
    fn skipped(&mut self) {
        self.s.words += 1;
    }

    #[inline(always)]
    fn word(&mut self, w: Word) {
        self.index.word(w, self.s);
    }
}

/// Reusable buffers for `Instructions::find`: per-word and per-instruction stamps of
/// the block that last touched them, so nothing is cleared between blocks.
#[derive(Default)]
pub struct MatchScratch {
    block: u32,
    word_seen: Vec<u32>,
    /// Per instruction: (block stamp, shared words).
    counts: Vec<(u32, u16)>,
    touched: Vec<u32>,
    norm: String,
    /// The block's number of words so far.
    words: usize,
    /// The block's word hashes, sorted; read only when a diff is considered.
    block_words: Vec<u64>,
    block_read: bool,
}

impl std::ops::Index<usize> for Instructions {
    type Output = InstructionText;
    fn index(&self, i: usize) -> &InstructionText {
        &self.list[i]
    }
}

impl Instructions {
    /// Adds an instruction text unless an identical one is already there.
    pub fn push(&mut self, text: &str, section: Option<usize>, item: bool) {
        let mut norm = String::new();
        normalize_words(text, &mut norm);
        if norm.is_empty() || self.list.iter().any(|i| i.norm == norm) {
            return;
        }
        let words = norm.split(' ').count();
        self.list.push(InstructionText {
            display: text.trim().to_string(),
            norm,
            words,
            short: words < SHORT_WORDS,
            section,
            item,
            index_words: 0,
            word_hashes: Vec::new(),
        });
    }

    /// Builds the indexes once every instruction is pushed.
    ///
    /// Each instruction is indexed under its distinctive words: those that few other
    /// instructions share (`model`, `data` are in most of them and would make every
    /// card word a lookup into long lists), and in any case its rarest few, so every
    /// instruction stays findable.
    pub fn build_index(&mut self) {
        self.unindexed.clear();
        self.unindexed_lengths = 0;
        self.unindexed_short_lengths = 0;
        self.words.clear();
        self.postings.clear();
        // Per instruction: its distinct long words' hashes.
        let mut per_ins: Vec<Vec<u64>> = Vec::with_capacity(self.list.len());
        let mut df: FxHashMap<u64, usize> = FxHashMap::default();
        for ins in self.list.iter_mut() {
            let mut distinct: Vec<u64> = Vec::new();
            let mut all = Vec::new();
            for_each_word(&ins.norm, |w| {
                all.push(w.hash);
                if w.len >= INDEX_WORD_LEN {
                    distinct.push(w.hash);
                }
            });
            all.sort_unstable();
            ins.word_hashes = all;
            distinct.sort_unstable();
            distinct.dedup();
            if !ins.short {
                for h in &distinct {
                    *df.entry(*h).or_insert(0) += 1;
                }
            }
            per_ins.push(distinct);
        }
        for (i, (ins, mut distinct)) in self.list.iter_mut().zip(per_ins).enumerate() {
            // Rarest first; ties by hash, so the index does not depend on order.
            distinct.sort_by_key(|h| (df.get(h).copied().unwrap_or(0), *h));
            let keep = distinct
                .iter()
                .enumerate()
                .take_while(|(k, h)| *k < MIN_INDEXED || df[*h] <= MAX_SHARED)
                .count();
            distinct.truncate(keep);
            ins.index_words = distinct.len();
            if ins.short || distinct.is_empty() {
                // No card word leads here: compared whole (see `finish`).
                self.unindexed.push(i);
                if ins.short {
                    self.unindexed_short_lengths |= 1 << ins.words.min(63);
                } else {
                    self.unindexed_lengths |= 1 << ins.words.min(63);
                }
                continue;
            }
            for h in distinct {
                let next = self.postings.len() as u32;
                let id = *self.words.entry(h).or_insert(next);
                if id == next {
                    self.postings.push(Vec::new());
                }
                self.postings[id as usize].push(i as u32);
            }
        }
    }

    /// The instruction a card block repeats, verbatim or nearly (markup removed, a
    /// word changed), if any. `emphasized`: the whole block is in italics.
    pub fn find(&self, text: &str, emphasized: bool, s: &mut MatchScratch) -> Option<usize> {
        self.begin(s);
        read_words(text, &mut Reading { index: self, s });
        self.finish(text, emphasized, s)
    }

    /// Starts reading a block: `word` for each of its words, then `finish`.
    fn begin(&self, s: &mut MatchScratch) {
        s.block = s.block.wrapping_add(1);
        if s.block == 0 {
            // The stamps wrapped: forget them all once.
            s.word_seen.iter_mut().for_each(|x| *x = 0);
            s.counts.iter_mut().for_each(|x| x.0 = 0);
            s.block = 1;
        }
        s.word_seen.resize(self.postings.len(), 0);
        s.counts.resize(self.list.len(), (0, 0));
        s.touched.clear();
        s.words = 0;
        s.block_read = false;
    }

    #[inline(always)]
    fn word(&self, w: Word, s: &mut MatchScratch) {
        s.words += 1;
        if w.len < INDEX_WORD_LEN {
            return;
        }
        let Some(&id) = self.words.get(&w.hash) else {
            return;
        };
        let seen = &mut s.word_seen[id as usize];
        if *seen == s.block {
            return;
        }
        *seen = s.block;
        for &i in &self.postings[id as usize] {
            let c = &mut s.counts[i as usize];
            if c.0 != s.block {
                *c = (s.block, 0);
                s.touched.push(i);
            }
            c.1 = c.1.saturating_add(1);
        }
    }

    fn finish(&self, text: &str, emphasized: bool, s: &mut MatchScratch) -> Option<usize> {
        if s.words == 0 {
            return None;
        }
        // The same words in the same order. An indexed instruction repeated whole has
        // every one of its indexed words here and as many words as the block; the
        // others are looked up by the block's normalised text when the count fits.
        // Normalised texts of instructions are all different, so one matches at most.
        for k in 0..s.touched.len() {
            let i = s.touched[k] as usize;
            let ins = &self.list[i];
            if ins.words == s.words
                && s.counts[i].1 as usize == ins.index_words
                && normalized_eq(text, &ins.norm)
            {
                return Some(i);
            }
        }
        let length = 1 << s.words.min(63);
        if self.unindexed_lengths & length != 0
            || emphasized && self.unindexed_short_lengths & length != 0
        {
            for &i in &self.unindexed {
                let ins = &self.list[i];
                if ins.words == s.words
                    && (!ins.short || emphasized)
                    && normalized_eq(text, &ins.norm)
                {
                    return Some(i);
                }
            }
        }
        let mut normalized_once = false;
        // Italics is how the template marks its instructions: an italic block that is
        // still close to one is a leftover even with a few words changed.
        let threshold = if emphasized { NEAR_ITALIC } else { NEAR };
        let mut best: Option<(usize, f32)> = None;
        for k in 0..s.touched.len() {
            let i = s.touched[k] as usize;
            let hits = s.counts[i].1;
            let ins = &self.list[i];
            if (hits as usize) * 2 < ins.index_words || hits < 2 {
                continue;
            }
            // The normalised block is never longer than the block: too short a block
            // can neither contain the instruction nor be close to it.
            if (text.len() as f32) * 1.6 < ins.norm.len() as f32 {
                continue;
            }
            if !normalized_once {
                normalize_words(text, &mut s.norm);
                normalized_once = true;
            }
            let norm = s.norm.as_str();
            let score = if ins.words >= 6 && contains_words(norm, &ins.norm) {
                1.0
            } else {
                let (a, b) = (norm.len() as f32, ins.norm.len() as f32);
                if a > b * 1.6 || b > a * 1.6 {
                    continue;
                }
                if !s.block_read {
                    s.block_words.clear();
                    for_each_word(text, |w| s.block_words.push(w.hash));
                    s.block_words.sort_unstable();
                    s.block_read = true;
                }
                if diff_bound(&s.block_words, &ins.word_hashes) < threshold {
                    continue;
                }
                similar::TextDiff::from_words(norm, ins.norm.as_str()).ratio()
            };
            if score >= threshold && best.is_none_or(|(_, s)| score > s) {
                best = Some((i, score));
            }
        }
        best.map(|(i, _)| i)
    }
}

/// The highest ratio a word diff of two texts can reach, from their sorted word
/// hashes: `similar` diffs words and the single spaces between them, so at most the
/// common words and the shorter text's spaces match.
fn diff_bound(a: &[u64], b: &[u64]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let spaces = a.len().min(b.len()).saturating_sub(1);
    let tokens = (a.len() + b.len()).saturating_sub(1).max(1);
    (common + spaces) as f32 / tokens as f32
}

/// `needle` occurs in `hay` on word boundaries (both normalised).
fn contains_words(hay: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let s = from + i;
        let e = s + needle.len();
        let before_ok = s == 0 || hay.as_bytes()[s - 1] == b' ';
        let after_ok = e == hay.len() || hay.as_bytes()[e] == b' ';
        if before_ok && after_ok {
            return true;
        }
        from = s + 1;
        while !hay.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(texts: &[&str]) -> Instructions {
        let mut ins = Instructions::default();
        for t in texts {
            ins.push(t, None, false);
        }
        ins.build_index();
        ins
    }

    #[test]
    fn finds_verbatim_near_and_not_others() {
        let ins = index(&[
            "*Describe the data the model was trained on, with its size and source.*",
            "*Examples:*",
        ]);
        let mut s = MatchScratch::default();
        assert_eq!(
            ins.find(
                "Describe the data the model was trained on, with its size and source.",
                false,
                &mut s
            ),
            Some(0)
        );
        assert_eq!(
            ins.find(
                "*Describe the data this model was trained on, with its size and origin.*",
                true,
                &mut s
            ),
            Some(0)
        );
        assert_eq!(
            ins.find("We trained on 300 images of HeLa cells.", false, &mut s),
            None
        );
        assert_eq!(ins.find("Examples:", false, &mut s), None);
        assert_eq!(ins.find("*Examples:*", true, &mut s), Some(1));
        // A repeated distinctive word counts once per block.
        assert_eq!(
            ins.find("data data data data data data model model", false, &mut s),
            None
        );
    }

    #[test]
    fn instructions_without_indexed_words_are_found_whole() {
        // No word of four letters: nothing leads to it from the words, so it is
        // compared whole with blocks of as many words. `Examples:` is short: only
        // when still in italics.
        let ins = index(&[
            "*Do not use it on any of the old data.*",
            "*Examples:*",
            "*Describe the data the model was trained on, with its size and source.*",
        ]);
        let mut s = MatchScratch::default();
        assert_eq!(
            ins.find("Do NOT use it on any of the old data", false, &mut s),
            Some(0)
        );
        assert_eq!(
            ins.find("do not use it on any of the new data", false, &mut s),
            None
        );
        assert_eq!(
            ins.find("Do not use it on any of the old", false, &mut s),
            None
        );
        assert_eq!(ins.find("Examples:", true, &mut s), Some(1));
        assert_eq!(ins.find("Examples:", false, &mut s), None);
        // Every indexed word and as many words, but not the same text.
        assert_eq!(
            ins.find(
                "Describe the data the model was trained on, with its source and size.",
                false,
                &mut s
            ),
            Some(2)
        );
        assert_eq!(
            ins.find(
                "Describe the data the model was trained on, with its size and source.",
                false,
                &mut s
            ),
            Some(2)
        );
    }

    #[test]
    fn the_bound_is_never_below_the_diff() {
        let texts = [
            "describe the data the model was trained on with its size and source",
            "describe the data this model was trained on with its size and origin",
            "the model was trained on 300 images of hela cells",
            "data data data model",
            "a",
            "",
        ];
        for x in texts {
            for y in texts {
                let hashes = |t: &str| {
                    let mut v = Vec::new();
                    for_each_word(t, |w| v.push(w.hash));
                    v.sort_unstable();
                    v
                };
                let ratio = similar::TextDiff::from_words(x, y).ratio();
                let bound = diff_bound(&hashes(x), &hashes(y));
                assert!(bound + 1e-6 >= ratio, "{x:?} / {y:?}: {bound} < {ratio}");
            }
        }
    }

    #[test]
    fn stamps_survive_wrapping() {
        let ins = index(&["*Describe the data the model was trained on, with its size.*"]);
        let mut s = MatchScratch {
            block: u32::MAX - 1,
            ..MatchScratch::default()
        };
        for _ in 0..4 {
            assert_eq!(
                ins.find(
                    "Describe the data the model was trained on, with its size.",
                    false,
                    &mut s
                ),
                Some(0)
            );
        }
    }
}
