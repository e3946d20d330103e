//! Pairs the card's headings with the template's sections: by exact text, by position
//! for the title, and by closeness for renamed headings. Structure, field and
//! emptiness rules all read this one pairing.

use crate::card::Card;
use crate::template::Spec;
use crate::text::{loose_key, similarity_at_least};
use crate::words::word_hash;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    Exact,
    Title,
    Renamed,
}

#[derive(Debug, Default)]
pub struct Outline {
    /// Per card heading: the template section it stands for.
    pub card_to_spec: Vec<Option<(usize, MatchKind)>>,
    /// Per template section: the card heading standing for it.
    pub spec_to_card: Vec<Option<usize>>,
    /// Card headings repeating an already matched template heading under the same parent.
    pub duplicates: Vec<(usize, usize)>,
    /// Per card heading: the nearest earlier heading of a lower level.
    pub card_parent: Vec<Option<usize>>,
    /// The same, with paired headings taken at their template level, so one heading
    /// at a wrong level does not make its neighbours look empty or misplaced.
    pub logical_parent: Vec<Option<usize>>,
}

/// How close a heading must be to a missing template heading to count as its rename.
const RENAME_THRESHOLD: f32 = 0.85;
/// One-word headings need a closer match: `Evaluation` is not `Validation`.
const RENAME_THRESHOLD_ONE_WORD: f32 = 0.88;
/// Bound on heading comparisons, so a card of ten thousand headings stays linear.
const MAX_RENAME_COMPARISONS: usize = 50_000;

impl Outline {
    pub fn build(spec: &Spec, card: &Card) -> Outline {
        let n = card.headings.len();
        let mut o = Outline {
            card_to_spec: vec![None; n],
            spec_to_card: vec![None; spec.sections.len()],
            duplicates: Vec::new(),
            card_parent: parents(card.headings.iter().map(|h| h.level)),
            logical_parent: Vec::new(),
        };

        // Exact text, in template order; among several candidates prefer the one under
        // the right parent, then the first free one.
        // Card headings sorted by the hash of their text (then position): the
        // candidates for a text are in one run of this list, in card order. Numbers
        // sort faster than texts; the text itself is compared within the run.
        let mut by_text: Vec<(u64, usize)> = card
            .headings
            .iter()
            .enumerate()
            .map(|(i, h)| (word_hash(card.heading_text(h)), i))
            .collect();
        by_text.sort_unstable();
        for (si, s) in spec.sections.iter().enumerate() {
            let text = s.text.as_str();
            let key = word_hash(text);
            let from = by_text.partition_point(|(k, _)| *k < key);
            let to = from + by_text[from..].partition_point(|(k, _)| *k == key);
            let free = by_text[from..to]
                .iter()
                .map(|(_, c)| *c)
                .filter(|&c| card.heading_text(&card.headings[c]) == text)
                .filter(|&c| o.card_to_spec[c].is_none());
            let pick = free
                .clone()
                .find(|&c| o.parent_spec(c) == s.parent)
                .or_else(|| free.clone().next());
            if let Some(c) = pick {
                o.card_to_spec[c] = Some((si, MatchKind::Exact));
                o.spec_to_card[si] = Some(c);
            }
        }
        // Leftover headings with a matched template text under the same parent repeat it.
        for (i, h) in card.headings.iter().enumerate() {
            if o.card_to_spec[i].is_some() {
                continue;
            }
            let text = card.heading_text(h);
            if let Some(si) = spec.sections.iter().position(|s| s.text == text) {
                if let Some(first) = o.spec_to_card[si] {
                    if first < i
                        && o.card_parent[i].map(|p| o.card_to_spec[p].map(|m| m.0))
                            == o.card_parent[first].map(|p| o.card_to_spec[p].map(|m| m.0))
                    {
                        o.duplicates.push((i, si));
                    }
                }
            }
        }

        // The title: the first heading at the title's level that comes before every
        // heading already paired with another section.
        for (si, s) in spec.sections.iter().enumerate() {
            if !s.title_slot || o.spec_to_card[si].is_some() {
                continue;
            }
            let first_matched = o.card_to_spec.iter().position(|m| m.is_some()).unwrap_or(n);
            if let Some(c) = (0..first_matched)
                .find(|&c| card.headings[c].level == s.level && o.card_to_spec[c].is_none())
            {
                o.card_to_spec[c] = Some((si, MatchKind::Title));
                o.spec_to_card[si] = Some(c);
            }
        }

        // Renames: close pairs of a missing template heading and an unpaired card
        // heading, best first.
        let dup_set: std::collections::HashSet<usize> = o.duplicates.iter().map(|d| d.0).collect();
        let free_cards: Vec<usize> = (0..n)
            .filter(|&c| o.card_to_spec[c].is_none() && !dup_set.contains(&c))
            .collect();
        let missing: Vec<usize> = (0..spec.sections.len())
            .filter(|&si| o.spec_to_card[si].is_none() && !spec.sections[si].title_slot)
            .collect();
        if !missing.is_empty() && free_cards.len() * missing.len() <= MAX_RENAME_COMPARISONS {
            // Bracketed asides (`Model Sources [optional]`, as Hugging Face's template
            // writes them) are not part of the name.
            let card_keys: Vec<String> = free_cards
                .iter()
                .map(|&c| loose_key(&without_asides(card.heading_text(&card.headings[c]))))
                .collect();
            let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
            for &si in &missing {
                let sk = loose_key(&spec.sections[si].text);
                let one_word = spec.sections[si].text.split_whitespace().count() == 1;
                let threshold = if one_word {
                    RENAME_THRESHOLD_ONE_WORD
                } else {
                    RENAME_THRESHOLD
                };
                for (k, &c) in free_cards.iter().enumerate() {
                    let ck = &card_keys[k];
                    let (a, b) = (sk.chars().count(), ck.chars().count());
                    if a == 0 || b == 0 || a * 10 < b * 6 || b * 10 < a * 6 {
                        continue;
                    }
                    let score = if *ck == sk {
                        Some(1.0)
                    } else {
                        similarity_at_least(&sk, ck, threshold)
                    };
                    if let Some(score) = score {
                        pairs.push((score, si, c));
                    }
                }
            }
            pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
            for (_, si, c) in pairs {
                if o.spec_to_card[si].is_none() && o.card_to_spec[c].is_none() {
                    o.card_to_spec[c] = Some((si, MatchKind::Renamed));
                    o.spec_to_card[si] = Some(c);
                }
            }
        }
        o.slot_renames(spec, card, &dup_set);
        let levels: Vec<u8> = (0..n)
            .map(|c| match o.card_to_spec[c] {
                Some((si, _)) => spec.sections[si].level,
                None => card.headings[c].level,
            })
            .collect();
        o.logical_parent = parents(levels.into_iter());
        o
    }

    /// A heading standing in the slot of a missing template heading — between the
    /// same paired neighbours, under the same parent — that shares a word with it
    /// (`#### Hardware` for `### Hardware Requirements`) is its rename, not an extra
    /// section beside a missing one.
    fn slot_renames(&mut self, spec: &Spec, card: &Card, dups: &std::collections::HashSet<usize>) {
        let n = card.headings.len();
        for si in 0..spec.sections.len() {
            let s = &spec.sections[si];
            if self.spec_to_card[si].is_some() || s.title_slot {
                continue;
            }
            let lo = (0..si)
                .rev()
                .find_map(|p| self.spec_to_card[p])
                .map_or(0, |c| c + 1);
            let hi = (si + 1..spec.sections.len())
                .find_map(|x| self.spec_to_card[x])
                .unwrap_or(n);
            let words = name_words(&s.text);
            let pick = (lo..hi.max(lo)).find(|&c| {
                self.card_to_spec[c].is_none()
                    && !dups.contains(&c)
                    && self.parent_spec_untitled(spec, c) == s.parent
                    && name_words(card.heading_text(&card.headings[c]))
                        .iter()
                        .any(|w| words.contains(w))
            });
            if let Some(c) = pick {
                self.card_to_spec[c] = Some((si, MatchKind::Renamed));
                self.spec_to_card[si] = Some(c);
            }
        }
    }

    /// The template section of a card heading's parent, the title counting as none
    /// (the template's top sections stand beside its title, a card's often under it).
    fn parent_spec_untitled(&self, spec: &Spec, c: usize) -> Option<usize> {
        self.parent_spec(c)
            .filter(|&p| !spec.sections[p].title_slot)
    }

    /// The template section of a card heading's parent.
    fn parent_spec(&self, c: usize) -> Option<usize> {
        self.card_parent[c].and_then(|p| self.card_to_spec[p].map(|m| m.0))
    }

    /// Card headings paired with a template section, in card order, whose template
    /// order is broken: those outside a longest run in template order.
    pub fn out_of_order(&self) -> Vec<usize> {
        let mut seq: Vec<(usize, usize)> = Vec::with_capacity(self.card_to_spec.len());
        seq.extend(
            self.card_to_spec
                .iter()
                .enumerate()
                .filter_map(|(c, m)| m.map(|(si, _)| (c, si))),
        );
        let keep = longest_increasing(&seq.iter().map(|x| x.1).collect::<Vec<_>>());
        let mut keep_flags = vec![false; seq.len()];
        for k in keep {
            keep_flags[k] = true;
        }
        seq.iter()
            .zip(keep_flags)
            .filter(|(_, k)| !k)
            .map(|((c, _), _)| *c)
            .collect()
    }
}

/// A heading's text without bracketed asides: `Model Sources [optional]`.
pub fn without_asides(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for ch in text.chars() {
        match ch {
            '[' => depth += 1,
            ']' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    let t = out.trim();
    if t.is_empty() {
        text.to_string()
    } else {
        t.to_string()
    }
}

/// The words that name a section, lower-cased and stemmed (`Biases` → `bias`),
/// without function words and `model`, which nearly every heading has.
fn name_words(text: &str) -> Vec<String> {
    const COMMON: &[&str] = &[
        "and", "the", "for", "with", "from", "into", "model", "models",
    ];
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3 && !COMMON.contains(&w.as_str()))
        .map(|w| {
            if w.len() > 4 && w.ends_with("es") && !w.ends_with("ses") {
                w[..w.len() - 1].to_string()
            } else if w.len() > 4 && w.ends_with("ses") {
                w[..w.len() - 2].to_string()
            } else if w.len() > 4 && w.ends_with('s') && !w.ends_with("ss") {
                w[..w.len() - 1].to_string()
            } else {
                w
            }
        })
        .collect()
}

fn parents(levels: impl Iterator<Item = u8>) -> Vec<Option<usize>> {
    // Sized up front: growing these was a tenth of the outline's cost.
    let mut stack: Vec<(usize, u8)> = Vec::with_capacity(8);
    let mut out = Vec::with_capacity(levels.size_hint().0);
    for (i, level) in levels.enumerate() {
        while let Some(&(_, l)) = stack.last() {
            if l >= level {
                stack.pop();
            } else {
                break;
            }
        }
        out.push(stack.last().map(|x| x.0));
        stack.push((i, level));
    }
    out
}

/// Indices of one longest strictly increasing subsequence (patience sorting).
fn longest_increasing(xs: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::with_capacity(xs.len()); // index into xs
    let mut prev: Vec<Option<usize>> = vec![None; xs.len()];
    for (i, &x) in xs.iter().enumerate() {
        let pos = tails.partition_point(|&t| xs[t] < x);
        if pos > 0 {
            prev[i] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        out.push(i);
        cur = prev[i];
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_names_compare_by_stem() {
        assert_eq!(name_words("Known Biases"), vec!["known", "bias"]);
        assert_eq!(name_words("Bias"), vec!["bias"]);
        assert_eq!(
            name_words("Hardware Requirements"),
            vec!["hardware", "requirement"]
        );
        assert_eq!(name_words("Model Sources"), vec!["source"]);
        assert_eq!(without_asides("Model Sources [optional]"), "Model Sources");
        assert_eq!(without_asides("[Model Name]"), "[Model Name]");
    }

    #[test]
    fn lis_keeps_longest_run() {
        assert_eq!(
            longest_increasing(&[0, 1, 5, 6, 2, 3, 4]),
            vec![0, 1, 4, 5, 6]
        );
        assert!(longest_increasing(&[]).is_empty());
    }
}
