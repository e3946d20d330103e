//! Words of prose as the template-text index reads them: runs of letters and digits,
//! lower-cased; everything else separates words. One pass over a block's bytes yields
//! each word's hash and place.

/// One word of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// Hash of the lower-cased word's UTF-8 bytes (see `word_hash`).
    pub hash: u64,
    /// Length of the lower-cased word in bytes.
    pub len: usize,
    /// Byte range of the word in the text as written.
    pub start: usize,
    pub end: usize,
}

/// Byte classes: a separator, an ASCII letter or digit, or part of a multi-byte
/// character (decoded on the slow path).
const SEP: u8 = 0;
const ASCII: u8 = 1;
const MULTI: u8 = 2;
static CLASS: [u8; 256] = {
    let mut t = [SEP; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = ASCII;
        } else if c >= 0x80 {
            t[b] = MULTI;
        }
        b += 1;
    }
    t
};

const SEED: u64 = 0x243F_6A88_85A3_08D3;
const MUL: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(h: u64, chunk: u64) -> u64 {
    let h = (h ^ chunk).wrapping_mul(MUL);
    h ^ (h >> 29)
}

/// The eight bytes from `at` as one number, byte `at` lowest.
#[inline(always)]
fn load8(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

/// Hash of a lower-cased word, eight bytes at a time. `fold` is OR-ed into each
/// chunk: 0x20 per byte lower-cases ASCII letters and leaves digits as they are.
/// `text[start..end]` is the word; bytes after it are read but masked off.
#[inline(always)]
fn hash_word_at(text: &[u8], start: usize, end: usize, fold: u64) -> u64 {
    let len = end - start;
    let mut h = SEED ^ len as u64;
    let mut i = start;
    while i + 8 <= end {
        let chunk = load8(text, i);
        h = mix(h, chunk | fold);
        i += 8;
    }
    let rest = end - i;
    if rest > 0 {
        let chunk = if i + 8 <= text.len() {
            load8(text, i)
        } else {
            tail_chunk(text, i, 0)
        };
        let mask = u64::MAX >> (64 - 8 * rest);
        h = mix(h, (chunk | fold) & mask);
    }
    h
}

/// The bytes of `bytes` from `at` (fewer than eight) as the low bytes of a chunk, the
/// high bytes taken from `fill`. Read as the last eight bytes, shifted, when there are
/// eight: a copy into a padded array was a `memcpy` call per block.
#[inline(always)]
fn tail_chunk(bytes: &[u8], at: usize, fill: u64) -> u64 {
    let n = bytes.len();
    let len = n - at;
    debug_assert!(len < 8);
    if len == 0 {
        fill
    } else if n >= 8 {
        let x = load8(bytes, n - 8);
        (x >> (64 - 8 * len)) | (fill << (8 * len))
    } else {
        let mut last = fill.to_le_bytes();
        last[..len].copy_from_slice(&bytes[at..]);
        u64::from_le_bytes(last)
    }
}

/// The hash `for_each_word` gives an already lower-cased word.
pub fn word_hash(word: &str) -> u64 {
    hash_word_at(word.as_bytes(), 0, word.len(), 0)
}

/// One bit (the high bit of each byte) per ASCII letter or digit among the 8 bytes
/// of `x`, computed for all 8 at once: words are found without a branch per byte.
#[inline(always)]
fn alnum_bits(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Bytes with the high bit set are parts of multi-byte characters: never ASCII.
    let v = x & !HIGH;
    // `v + (0x80 - lo)` sets a byte's high bit when it is >= lo; `v + (0x7F - hi)`
    // when it is > hi. No carry crosses bytes: every byte of v is below 0x80.
    let in_range = |v: u64, lo: u8, hi: u8| {
        let ge = v + ONES * (0x80 - lo as u64);
        let gt = v + ONES * (0x7F - hi as u64);
        ge & !gt
    };
    let digit = in_range(v, b'0', b'9');
    // OR-ing 0x20 maps upper-case letters onto lower-case ones and nothing else
    // into a..=z.
    let letter = in_range(v | (ONES * 0x20), b'a', b'z');
    (digit | letter) & !x & HIGH
}

/// Index of the first byte from `i` whose class is not `class` (`ASCII` or `SEP`), or
/// the end of `bytes`. Only the reader of text with multi-byte letters uses it.
#[inline(always)]
fn run_end(bytes: &[u8], i: usize, class: u8) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| CLASS[b as usize] != class)
        .map_or(bytes.len(), |k| i + k)
}

/// What receives the words of a text, one by one.
pub trait WordSink {
    /// Whether the ASCII word `bytes[start..end]` is worth hashing; words it is not
    /// are only counted (`skipped`). Hashing is most of the cost of a word.
    #[inline(always)]
    fn wants(&self, _bytes: &[u8], _start: usize, _end: usize) -> bool {
        true
    }
    /// A word `wants` declined.
    #[inline(always)]
    fn skipped(&mut self) {}
    fn word(&mut self, w: Word);
}

/// A closure as a `WordSink`.
struct EachWord<F>(F);

impl<F: FnMut(Word)> WordSink for EachWord<F> {
    #[inline(always)]
    fn word(&mut self, w: Word) {
        (self.0)(w)
    }
}

/// Calls `f` for each word of `text`, in order (see `read_words`).
#[inline(always)]
pub fn for_each_word(text: &str, f: impl FnMut(Word)) {
    read_words(text, &mut EachWord(f));
}

/// Hands each word of `text` to `sink`, in order. A sink whose `word` is
/// `#[inline(always)]` is read without a call per word (a closure was not inlined).
///
/// The text is read sixteen bytes at a time: one mask of letters and digits per chunk
/// (a bit per byte) gives every word start and end in it. It pays: reading word by
/// word with the byte table alone made the whole check 14% slower over 1000 cards
/// (331 -> 377 ms, user time +25%), over the 10% this project allows. At the first chunk where a
/// multi-byte letter or digit starts, the general reader takes over.
#[inline(always)]
pub fn read_words(text: &str, sink: &mut impl WordSink) {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const SPACES: u64 = 0x2020_2020_2020_2020;
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut base = 0;
    // Where the word still open at the end of the last chunk started.
    let mut start = 0;
    // 1 when the last byte of the previous chunk was a letter or digit (a word is
    // open).
    let mut carry = 0u32;
    // One chunk past the end when the text fills whole chunks: its padding ends a
    // word that reaches the end, so every word is handed over at one call site (two
    // kept the compiler from inlining the sink's `word`).
    while base <= n {
        // The tail is padded with spaces: a word reaching the end ends at `n`.
        let (lo, hi) = if base + 16 <= n {
            (load8(bytes, base), load8(bytes, base + 8))
        } else if base + 8 <= n {
            (load8(bytes, base), tail_chunk(bytes, base + 8, SPACES))
        } else {
            (tail_chunk(bytes, base, SPACES), SPACES)
        };
        if (lo | hi) & HIGH != 0
            && (starts_multibyte_alnum(text, base, lo)
                || starts_multibyte_alnum(text, base + 8, hi))
        {
            // Between words, the chunk may begin inside a multi-byte separator that
            // started in the previous one: start from that character.
            let mut from = if carry != 0 { start } else { base };
            while from > 0 && !text.is_char_boundary(from) {
                from -= 1;
            }
            return read_words_from(text, from, sink);
        }
        let alnum = alnum_mask16(lo, hi);
        // A letter or digit after a separator starts a word; a separator after one
        // ends it. Only the ends are visited (one branch per word, not two): an end's
        // word starts at the last start before it in this chunk, or else where the
        // word open at the chunk's start began.
        let prev = (alnum << 1) | carry;
        let starts = alnum & !prev;
        let mut ends = prev & !alnum & 0xFFFF;
        while ends != 0 {
            let bit = ends.trailing_zeros();
            let before = starts & ((1u32 << bit) - 1);
            let word_start = if before != 0 {
                base + (31 - before.leading_zeros()) as usize
            } else {
                start
            };
            let at = base + bit as usize;
            if sink.wants(bytes, word_start, at) {
                sink.word(Word {
                    hash: hash_word_at(bytes, word_start, at, SPACES),
                    len: at - word_start,
                    start: word_start,
                    end: at,
                });
            } else {
                sink.skipped();
            }
            ends &= ends - 1;
        }
        if starts != 0 {
            start = base + (31 - starts.leading_zeros()) as usize;
        }
        carry = (alnum >> 15) & 1;
        base += 16;
    }
}

/// Bit i set when byte i of the sixteen (`lo` then `hi`, little-endian) is an ASCII
/// letter or digit, from the eight-byte masks. (An SSE2 version with `unsafe`
/// intrinsics was measured not to pay: see the commit that removed it.)
#[inline(always)]
fn alnum_mask16(lo: u64, hi: u64) -> u32 {
    // The high bit of byte k moved to bit k: the multiplier adds each shifted copy
    // into the top byte, where no two collide.
    let pack = |bits: u64| (((bits >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56) as u32;
    pack(alnum_bits(lo)) | pack(alnum_bits(hi)) << 8
}

/// A multi-byte letter or digit (`é`, `µ`) starts among the eight bytes `x` read at
/// `base`. Other multi-byte characters (dashes, quotes, `±`) separate words as ASCII
/// punctuation does, and `alnum_bits` already counts their bytes as separators, so
/// only letters and digits need the general reader. A character starting in an
/// earlier chunk was judged there.
#[inline(always)]
fn starts_multibyte_alnum(text: &str, base: usize, x: u64) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Lead bytes are 0b11xx_xxxx: bit 6 shifted onto bit 7 of the same byte.
    let mut leads = x & (x << 1) & HIGH;
    while leads != 0 {
        let at = base + (leads.trailing_zeros() / 8) as usize;
        if text
            .get(at..)
            .and_then(|t| t.chars().next())
            .is_some_and(char::is_alphanumeric)
        {
            return true;
        }
        leads &= leads - 1;
    }
    false
}

/// `read_words` for the words from byte `from` on (a character boundary, at a word
/// start or between words), any text.
#[inline(never)]
fn read_words_from(text: &str, from: usize, sink: &mut impl WordSink) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    // Lower-cased words with non-ASCII letters are built here.
    let mut buf = String::new();
    let mut i = from;
    loop {
        i = run_end(bytes, i, SEP);
        if i >= n {
            break;
        }
        let start = i;
        if CLASS[bytes[i] as usize] == ASCII {
            i = run_end(bytes, i, ASCII);
            if i == n || CLASS[bytes[i] as usize] == SEP {
                sink.word(Word {
                    hash: hash_word_at(bytes, start, i, 0x2020_2020_2020_2020),
                    len: i - start,
                    start,
                    end: i,
                });
                continue;
            }
        }
        // A multi-byte character at or after the start: the word goes on while
        // characters are letters or digits.
        let mut end = i;
        buf.clear();
        buf.push_str(&text[start..i]);
        buf.make_ascii_lowercase();
        for c in text[i..].chars() {
            if !c.is_alphanumeric() {
                break;
            }
            end += c.len_utf8();
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else {
                buf.extend(c.to_lowercase());
            }
        }
        if end == start {
            // Not a letter or digit: a separator.
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        sink.word(Word {
            hash: word_hash(&buf),
            len: buf.len(),
            start,
            end,
        });
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize_words;

    fn words(text: &str) -> Vec<Word> {
        let mut v = Vec::new();
        for_each_word(text, |w| v.push(w));
        v
    }

    #[test]
    fn tail_chunks_are_the_padded_tail() {
        let bytes: Vec<u8> = (1..=20).collect();
        for n in 0..=bytes.len() {
            for at in n.saturating_sub(7)..=n {
                for fill in [0u64, 0x2020_2020_2020_2020] {
                    let mut padded = fill.to_le_bytes();
                    padded[..n - at].copy_from_slice(&bytes[at..n]);
                    assert_eq!(
                        tail_chunk(&bytes[..n], at, fill),
                        u64::from_le_bytes(padded),
                        "n {n}, at {at}"
                    );
                }
            }
        }
    }

    #[test]
    fn words_agree_with_normalisation() {
        // Raw text and its normalised form give the same word hashes, so indexes built
        // from normalised template text find raw card blocks.
        for raw in [
            "*Provide basic details* about the **model**, v2.",
            "Ünïcode Straße — 3D U-Net (ÉTUDE)",
            "",
            "  ...  ",
            "snake_case and x.XX",
        ] {
            let mut norm = String::new();
            normalize_words(raw, &mut norm);
            let a: Vec<(u64, usize)> = words(raw).iter().map(|w| (w.hash, w.len)).collect();
            let b: Vec<(u64, usize)> = words(&norm).iter().map(|w| (w.hash, w.len)).collect();
            assert_eq!(a, b, "{raw}");
            let split: Vec<&str> = norm.split(' ').filter(|w| !w.is_empty()).collect();
            assert_eq!(a.len(), split.len(), "{raw}");
            for ((h, _), w) in a.iter().zip(split) {
                assert_eq!(*h, word_hash(w), "{raw}");
            }
        }
    }

    /// The words of a text the slow, obvious way: characters, `is_alphanumeric`.
    fn reference(text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        let mut cur: Option<(usize, String)> = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            if c.is_alphanumeric() {
                let (_, w) = cur.get_or_insert((i, String::new()));
                w.extend(c.to_lowercase());
            } else if let Some((start, w)) = cur.take() {
                out.push(Word {
                    hash: word_hash(&w),
                    len: w.len(),
                    start,
                    end: i,
                });
            }
        }
        out
    }

    #[test]
    fn words_match_the_obvious_reading() {
        let samples = [
            "naïve café, NAÏVE Café; x.XX 0.XX ±",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefgh12345678 abcdefghi",
            "über-Straße ÅNGSTRÖM µm 3D",
            "日本語のテキスト and 中文",
            "\u{301}e\u{301} \u{200b}zero\u{200b}width",
            "tab\tsep\r\nline",
            // Words across and exactly at eight-byte chunk edges, and multi-byte
            // characters after long ASCII runs, inside words and at chunk edges.
            "abcdefgh",
            "abcdefg hijklmno",
            "abcdefghijklmnopqrstuvwxyz0123456789 x",
            "1234567 89abcdef ghijklmn op",
            "abcdefgé",
            "abcdefghé and more words",
            "a b c d e f g h i j k l m n o p q r s t u v w x y z ä",
            "        leading spaces then words ±0.1",
            "x",
            "",
            // Multi-byte punctuation between words, across chunk edges, then a
            // multi-byte letter after it.
            "abcdefg—hij’s model — 0.81 ± 0.02",
            "ab—cd“e”fghijk’lmno–p\u{a0}q é",
        ];
        for t in samples {
            assert_eq!(words(t), reference(t), "{t}");
        }
        // Every text the fuzzer kept, read as lossy UTF-8.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/check");
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten().take(400) {
                let bytes = std::fs::read(e.path()).unwrap_or_default();
                let t = String::from_utf8_lossy(&bytes);
                assert_eq!(words(&t), reference(&t), "{:?}", e.path());
            }
        }
    }

    #[test]
    fn random_mixes_of_ascii_and_multibyte_characters() {
        // Letters, digits, separators and multi-byte punctuation, letters and digits
        // (`٣` is an Arabic-Indic digit) at every offset against the chunk edges.
        let alphabet: Vec<char> = "aZ9 .*_\n—’±\u{a0}éµ日٣".chars().collect();
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            let mut t = String::new();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 40) as usize;
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Mostly ASCII, as prose is.
                let k = (x >> 32) as usize % (alphabet.len() * 3);
                t.push(alphabet[if k < alphabet.len() { k } else { k % 7 }]);
            }
            assert_eq!(words(&t), reference(&t), "{t:?}");
        }
    }

    #[test]
    fn eight_bytes_at_once_agree_with_the_byte_table() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut chunk = [b' '; 8];
                chunk[pos] = b;
                let bits = alnum_bits(u64::from_le_bytes(chunk));
                let want = if CLASS[b as usize] == ASCII {
                    0x80u64 << (8 * pos)
                } else {
                    0
                };
                assert_eq!(bits, want, "byte {b:#x} at {pos}");
            }
        }
        // Neighbours never disturb each other (no carry crosses a byte).
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..100_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let want = x.to_le_bytes().iter().enumerate().fold(0u64, |m, (k, b)| {
                m | if CLASS[*b as usize] == ASCII {
                    0x80 << (8 * k)
                } else {
                    0
                }
            });
            assert_eq!(alnum_bits(x), want, "{x:#x}");
        }
    }

    #[test]
    fn sixteen_bytes_at_once_agree_with_the_byte_table() {
        let reference = |lo: u64, hi: u64| {
            let mut b = [0u8; 16];
            b[..8].copy_from_slice(&lo.to_le_bytes());
            b[8..].copy_from_slice(&hi.to_le_bytes());
            (0..16).fold(0u32, |m, k| {
                m | u32::from(CLASS[b[k] as usize] == ASCII) << k
            })
        };
        let spaces = 0x2020_2020_2020_2020u64;
        for b in 0..=255u8 {
            for pos in 0..16 {
                let mut chunk = [b' '; 16];
                chunk[pos] = b;
                let lo = u64::from_le_bytes(chunk[..8].try_into().unwrap());
                let hi = u64::from_le_bytes(chunk[8..].try_into().unwrap());
                let want = reference(lo, hi);
                assert_eq!(alnum_mask16(lo, hi), want, "byte {b:#x} at {pos}");
            }
        }
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..100_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let (lo, hi) = (x, x.rotate_left(29) ^ spaces);
            let want = reference(lo, hi);
            assert_eq!(alnum_mask16(lo, hi), want, "{lo:#x} {hi:#x}");
        }
    }

    #[test]
    fn words_know_where_they_stand() {
        let text = "a **Bold** wörd_x";
        let got: Vec<&str> = words(text).iter().map(|w| &text[w.start..w.end]).collect();
        assert_eq!(got, vec!["a", "Bold", "wörd", "x"]);
    }
}
