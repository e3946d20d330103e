//! Pairs the card's outline with the template's as a whole: which card heading *is*
//! which template section, with a confidence. Structure, field and emptiness rules
//! all read this one pairing; none re-decides it.
//!
//! - **certain**: the same name up to case, punctuation, bracketed asides and a
//!   typo, or a known alias (data: `templates/section-aliases.toml` and the
//!   config's `[section-aliases]`). A subsection's name alone is not enough when
//!   nothing around it is paired: it must then stand between its template
//!   neighbours (a card's opening `## Summary` is not the Results' `### Summary`).
//! - **likely**: not the name, but the slot: the heading stands where the missing
//!   section belongs (same paired parent, between the same paired neighbours), at
//!   its level give or take one, and every word of it comes from the section's
//!   vocabulary (its name, aliases, template text, subsections' names).
//! - anything else is the author's own heading: one shared word, a heading two
//!   levels away, a heading whose subsections are other sections, never pair.

use crate::card::Card;
use crate::template::Spec;
use crate::text::{loose_key, name_words, similarity_at_least};
use crate::words::word_hash;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// The template's text exactly.
    Exact,
    /// The first heading, standing for the template's title placeholder.
    Title,
    /// Certain by name (case, punctuation, aside, typo, alias): renaming is safe.
    Renamed,
    /// Likely by its place and words: renaming is for a person to decide.
    Likely,
}

impl MatchKind {
    /// How sure the pairing is, in the words the README and reports use.
    pub fn confidence(self) -> &'static str {
        match self {
            MatchKind::Exact | MatchKind::Title | MatchKind::Renamed => "certain",
            MatchKind::Likely => "likely",
        }
    }
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
    /// Per card heading: the level it has once the safe fixes are applied. Paired
    /// headings take the template's level; the author's own headings move with the
    /// paired heading above them, or with the whole outline's shift, so each stays
    /// under the parent it had.
    pub target_level: Vec<u8>,
    /// The same parents as `card_parent`, taken at `target_level`, so one heading at
    /// a wrong level does not make its neighbours look empty or misplaced.
    pub logical_parent: Vec<Option<usize>>,
    /// How many levels deeper than the template most paired headings sit (the usual
    /// Hugging Face shape: every heading one deeper, under a `# Model Card for …`).
    pub shift: Option<i16>,
    /// Headings whose level change would move other headings under them or this
    /// one under a stranger: they keep their level in `target_level`.
    pub pinned: Vec<bool>,
}

/// How close a heading must be to a missing template heading to count as its rename.
const RENAME_THRESHOLD: f32 = 0.85;
/// One-word headings need a closer match: `Evaluation` is not `Validation`.
const RENAME_THRESHOLD_ONE_WORD: f32 = 0.88;
/// Level changes undone at most before a card keeps all its levels.
const MAX_SETTLE_ROUNDS: usize = 64;
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
            target_level: Vec::new(),
            logical_parent: Vec::new(),
            shift: None,
            pinned: Vec::new(),
        };

        // Exact text, in template order (parents before their subsections); among
        // several candidates prefer the one under the right parent, then the first
        // free one that fits its place.
        // Card headings sorted by the hash of their text (then position): the
        // candidates for a text are in one run of this list, in card order.
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
            let free: Vec<usize> = by_text[from..to]
                .iter()
                .map(|(_, c)| *c)
                .filter(|&c| card.heading_text(&card.headings[c]) == text)
                .filter(|&c| o.card_to_spec[c].is_none())
                .collect();
            // A subsection with nothing paired above it waits for the by-name pass,
            // when its neighbours are known.
            let pick = free
                .iter()
                .copied()
                .find(|&c| o.parent_spec(c) == s.parent)
                .or_else(|| {
                    free.iter()
                        .copied()
                        .find(|&c| s.parent.is_none() || o.paired_ancestor(spec, c).is_some())
                });
            if let Some(c) = pick {
                o.pair(si, c, MatchKind::Exact);
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
        let dups: std::collections::HashSet<usize> = o.duplicates.iter().map(|d| d.0).collect();

        o.certain_renames(spec, card, &dups);
        // The title: the first heading at the title's level that comes before every
        // heading already paired with another section, an alias's or a typo's
        // included: a card without a title gets one inserted, never a section's
        // heading taken for it (`# Intended Use` is Uses, not the model's name).
        for (si, s) in spec.sections.iter().enumerate() {
            if !s.title_slot || o.spec_to_card[si].is_some() {
                continue;
            }
            let first_matched = o.card_to_spec.iter().position(|m| m.is_some()).unwrap_or(n);
            if let Some(c) = (0..first_matched)
                .find(|&c| card.headings[c].level == s.level && o.card_to_spec[c].is_none())
            {
                o.pair(si, c, MatchKind::Title);
            }
        }

        o.shift = o.outline_shift(spec, card);
        o.likely_renames(spec, card, &dups);
        o.settle_levels(spec, card);
        o
    }

    /// Target levels that keep every heading under the parent it had: a level
    /// change that would take another heading under it (or put this one under a
    /// stranger) is not made; the heading keeps its level (`pinned`) and its level
    /// finding offers the change for a person to make.
    fn settle_levels(&mut self, spec: &Spec, card: &Card) {
        let n = card.headings.len();
        self.pinned = vec![false; n];
        let is_title = |o: &Outline, x: usize| {
            o.card_to_spec[x].is_some_and(|(si, _)| spec.sections[si].title_slot)
        };
        for round in 0..=n {
            self.target_level = self.target_levels(spec, card);
            if round == MAX_SETTLE_ROUNDS {
                // A card this tangled keeps its levels: each round is linear, and
                // a hostile card must not make them quadratic.
                self.pinned.iter_mut().for_each(|p| *p = true);
                self.target_level = self.target_levels(spec, card);
                self.logical_parent = parents(self.target_level.iter().copied());
                return;
            }
            self.logical_parent = parents(self.target_level.iter().copied());
            let moved = |o: &Outline, x: usize| o.target_level[x] != card.headings[x].level;
            let culprit = (0..n).find_map(|x| {
                if is_title(self, x) {
                    return None;
                }
                let top = |p: Option<usize>| p.filter(|&p| !is_title(self, p));
                let (old, new) = (top(self.card_parent[x]), top(self.logical_parent[x]));
                if old == new {
                    return None;
                }
                // A section paired for certain may go to its template parent.
                let own = match (self.card_to_spec[x], new) {
                    (Some((si, k)), None) if k != MatchKind::Likely => spec.sections[si]
                        .parent
                        .is_none_or(|p| spec.sections[p].title_slot),
                    (Some((si, k)), Some(p)) if k != MatchKind::Likely => self.card_to_spec[p]
                        .is_some_and(|(ps, _)| Some(ps) == spec.sections[si].parent),
                    _ => false,
                };
                if own {
                    return None;
                }
                [Some(x), new, old]
                    .into_iter()
                    .flatten()
                    .find(|&c| moved(self, c) && !self.pinned[c])
            });
            match culprit {
                Some(c) => self.pinned[c] = true,
                None => return,
            }
        }
    }

    fn pair(&mut self, si: usize, c: usize, kind: MatchKind) {
        self.card_to_spec[c] = Some((si, kind));
        self.spec_to_card[si] = Some(c);
    }

    /// Certain pairings by name: the same words up to case, punctuation and asides,
    /// a typo, or an alias; in template order, so a parent is paired before its
    /// subsections are placed.
    fn certain_renames(
        &mut self,
        spec: &Spec,
        card: &Card,
        dups: &std::collections::HashSet<usize>,
    ) {
        let n = card.headings.len();
        let free_cards: Vec<usize> = (0..n)
            .filter(|&c| self.card_to_spec[c].is_none() && !dups.contains(&c))
            .collect();
        let missing = (0..spec.sections.len())
            .filter(|&si| self.spec_to_card[si].is_none() && !spec.sections[si].title_slot)
            .count();
        if missing == 0 || free_cards.len() * missing > MAX_RENAME_COMPARISONS {
            return;
        }
        // Bracketed asides (`Model Sources [optional]`, as Hugging Face's template
        // writes them) are not part of the name.
        let card_keys: Vec<String> = free_cards
            .iter()
            .map(|&c| loose_key(&without_asides(card.heading_text(&card.headings[c]))))
            .collect();
        // Worked out again only after a pairing changes it.
        let mut nb = self.neighbours();
        for (si, s) in spec.sections.iter().enumerate() {
            if self.spec_to_card[si].is_some() || s.title_slot {
                continue;
            }
            let sk = &s.loose;
            let threshold = if s.text.split_whitespace().count() == 1 {
                RENAME_THRESHOLD_ONE_WORD
            } else {
                RENAME_THRESHOLD
            };
            let mut best: Option<(f32, bool, usize)> = None;
            for (k, &c) in free_cards.iter().enumerate() {
                if self.card_to_spec[c].is_some() {
                    continue;
                }
                let ck = &card_keys[k];
                let score = if ck == sk || s.aliases.iter().any(|a| a == ck) {
                    Some(1.0)
                } else {
                    let (a, b) = (sk.chars().count(), ck.chars().count());
                    if a == 0 || b == 0 || a * 10 < b * 6 || b * 10 < a * 6 {
                        None
                    } else {
                        similarity_at_least(sk, ck, threshold)
                    }
                };
                let Some(score) = score else { continue };
                let under_parent = self.parent_spec(c) == s.parent;
                if !under_parent && !self.fits_place(spec, si, c, &nb) {
                    continue;
                }
                let better = match best {
                    None => true,
                    Some((bs, bp, _)) => (under_parent, score) > (bp, bs),
                };
                if better {
                    best = Some((score, under_parent, c));
                }
            }
            if let Some((_, _, c)) = best {
                let kind = if card.heading_text(&card.headings[c]) == s.text {
                    MatchKind::Exact
                } else {
                    MatchKind::Renamed
                };
                self.pair(si, c, kind);
                nb = self.neighbours();
            }
        }
    }

    /// Whether a heading named like section `si` may be it where it stands: a
    /// top-level section anywhere (a moved one is a `section-order` finding); a
    /// subsection under any paired section, or, with nothing paired above it,
    /// between its template neighbours.
    fn fits_place(&self, spec: &Spec, si: usize, c: usize, nb: &Neighbours) -> bool {
        spec.sections[si].parent.is_none()
            || self.paired_ancestor(spec, c).is_some()
            || nb.between(si, c)
    }

    /// Per card heading, the template section of the nearest paired heading before
    /// it and after it: worked out once per section placed, so placing stays linear.
    fn neighbours(&self) -> Neighbours {
        let n = self.card_to_spec.len();
        let mut before = vec![None; n];
        let mut after = vec![None; n];
        let mut last = None;
        for (slot, m) in before.iter_mut().zip(&self.card_to_spec) {
            *slot = last;
            if let Some((s, _)) = m {
                last = Some(*s);
            }
        }
        last = None;
        for (slot, m) in after.iter_mut().zip(&self.card_to_spec).rev() {
            *slot = last;
            if let Some((s, _)) = m {
                last = Some(*s);
            }
        }
        Neighbours { before, after }
    }

    /// The nearest card ancestor of `c` paired with a section other than the title.
    fn paired_ancestor(&self, spec: &Spec, c: usize) -> Option<usize> {
        self.nearest_paired_ancestor(spec, c, |_| true)
    }

    /// The nearest card ancestor of `c` paired (with a kind `accept` takes) with a
    /// section other than the title.
    fn nearest_paired_ancestor(
        &self,
        spec: &Spec,
        c: usize,
        accept: impl Fn(MatchKind) -> bool,
    ) -> Option<usize> {
        let mut p = self.card_parent[c];
        while let Some(x) = p {
            if let Some((si, k)) = self.card_to_spec[x] {
                if !spec.sections[si].title_slot && accept(k) {
                    return Some(x);
                }
            }
            p = self.card_parent[x];
        }
        None
    }

    /// Likely pairings: a heading in the missing section's slot, at its level give
    /// or take one, whose words all belong to the section and one to its name.
    fn likely_renames(
        &mut self,
        spec: &Spec,
        card: &Card,
        dups: &std::collections::HashSet<usize>,
    ) {
        let n = card.headings.len();
        let shift = self.shift.unwrap_or(0);
        let missing = self.spec_to_card.iter().filter(|m| m.is_none()).count();
        if n * missing > MAX_RENAME_COMPARISONS {
            return;
        }
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
            let mut name: Vec<String> = name_words(&s.text);
            for a in &s.aliases {
                name.push(a.clone());
            }
            let expected = i16::from(s.level) + shift;
            let mut best: Option<(usize, usize)> = None;
            if hi <= lo {
                continue;
            }
            let nb = self.neighbours();
            for c in lo..hi {
                if self.card_to_spec[c].is_some()
                    || dups.contains(&c)
                    || (i16::from(card.headings[c].level) - expected).abs() > 1
                {
                    continue;
                }
                let words = name_words(card.heading_text(&card.headings[c]));
                if words.is_empty()
                    || !words.iter().all(|w| s.vocabulary.binary_search(w).is_ok())
                    || !nb.between(si, c)
                    || self.parent_spec_untitled(spec, c) != s.parent
                    || self.holds_other_sections(spec, si, c)
                {
                    continue;
                }
                let shared = words.iter().filter(|w| name.contains(w)).count();
                if shared > 0 && best.is_none_or(|(b, _)| shared > b) {
                    best = Some((shared, c));
                }
            }
            if let Some((_, c)) = best {
                self.pair(si, c, MatchKind::Likely);
            }
        }
    }

    /// A card heading whose own subsections are paired with sections outside `si`.
    fn holds_other_sections(&self, spec: &Spec, si: usize, c: usize) -> bool {
        (c + 1..self.card_to_spec.len())
            .take_while(|&x| self.is_card_descendant(x, c))
            .filter_map(|x| self.card_to_spec[x])
            .any(|(d, _)| !spec.is_within(d, si))
    }

    fn is_card_descendant(&self, x: usize, of: usize) -> bool {
        let mut p = self.card_parent[x];
        while let Some(y) = p {
            if y == of {
                return true;
            }
            p = self.card_parent[y];
        }
        false
    }

    /// The most common difference between a paired heading's level and its
    /// template's, when it is not zero and most paired headings share it.
    fn outline_shift(&self, spec: &Spec, card: &Card) -> Option<i16> {
        let mut deltas: Vec<i16> = Vec::new();
        for (c, m) in self.card_to_spec.iter().enumerate() {
            let Some((si, kind)) = *m else { continue };
            let s = &spec.sections[si];
            if s.title_slot || kind != MatchKind::Exact {
                continue;
            }
            deltas.push(i16::from(card.headings[c].level) - i16::from(s.level));
        }
        let mut best: Option<(i16, usize)> = None;
        for d in deltas.iter().copied().filter(|&d| d != 0) {
            let count = deltas.iter().filter(|&&x| x == d).count();
            if best.is_none_or(|(_, n)| count > n) {
                best = Some((d, count));
            }
        }
        let (d, count) = best?;
        (count >= 2 && count * 2 > deltas.len()).then_some(d)
    }

    /// Each heading's level after the safe fixes: a certain pairing's is the
    /// template's; the author's own (and a likely pairing, whose rename is for a
    /// person to decide) move by what the paired heading above them moves, or by
    /// the outline's shift when no paired heading is above them.
    fn target_levels(&self, spec: &Spec, card: &Card) -> Vec<u8> {
        self.levels(spec, card, true)
    }

    /// The levels the whole outline's shift gives, no heading held back: what the
    /// shift's one finding offers when holding some back broke it up (a heading that
    /// already sits at the template's level, left as it is, would end up under
    /// another section, so the fix is for a person to apply).
    pub fn shifted_levels(&self, spec: &Spec, card: &Card) -> Vec<u8> {
        self.levels(spec, card, false)
    }

    fn levels(&self, spec: &Spec, card: &Card, honour_pins: bool) -> Vec<u8> {
        let n = card.headings.len();
        let first_shifted = self.shift.and_then(|d| {
            (0..n).find(|&c| {
                self.card_to_spec[c].is_some_and(|(si, k)| {
                    k == MatchKind::Exact
                        && !spec.sections[si].title_slot
                        && i16::from(card.headings[c].level) - i16::from(spec.sections[si].level)
                            == d
                })
            })
        });
        let mut out: Vec<u8> = Vec::with_capacity(n);
        for c in 0..n {
            let level = card.headings[c].level;
            if honour_pins && self.pinned.get(c).copied().unwrap_or(false) {
                out.push(level);
                continue;
            }
            let t = match self.card_to_spec[c] {
                Some((si, MatchKind::Exact | MatchKind::Renamed)) if self.moves_alone(spec, c) => {
                    spec.sections[si].level
                }
                Some((_, MatchKind::Title)) => level,
                _ => {
                    let moved = match self.paired_ancestor_certain(spec, c) {
                        Some(a) => i16::from(card.headings[a].level) - i16::from(out[a]),
                        None => match (self.shift, first_shifted) {
                            (Some(d), Some(f)) if c > f => d,
                            _ => 0,
                        },
                    };
                    (i16::from(level) - moved).clamp(1, 6) as u8
                }
            };
            out.push(t);
        }
        out
    }

    /// A heading paired for certain whose template parent the card has too (or
    /// that has none): it takes the template's level. One whose parent is missing
    /// keeps its place among the author's headings until the parent is added, so a
    /// level fix cannot put it under someone else's section.
    pub fn moves_alone(&self, spec: &Spec, c: usize) -> bool {
        match self.card_to_spec[c] {
            Some((si, MatchKind::Exact | MatchKind::Renamed)) => spec.sections[si]
                .parent
                .is_none_or(|p| spec.sections[p].title_slot || self.spec_to_card[p].is_some()),
            _ => false,
        }
    }

    /// The nearest card ancestor paired for certain, the title aside: the heading
    /// an author's own heading moves with.
    pub fn paired_ancestor_certain(&self, spec: &Spec, c: usize) -> Option<usize> {
        self.nearest_paired_ancestor(spec, c, |k| k != MatchKind::Likely)
    }

    /// The template section of a card heading's parent, the title counting as none
    /// (the template's top sections stand beside its title, a card's often under it).
    fn parent_spec_untitled(&self, spec: &Spec, c: usize) -> Option<usize> {
        self.paired_ancestor(spec, c)
            .and_then(|p| self.card_to_spec[p].map(|m| m.0))
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

    /// The pairing, one line per card heading, for people: what each heading was
    /// taken for and how sure that is. Snapshotted over the real cards.
    pub fn describe(&self, spec: &Spec, card: &Card) -> String {
        let mut out = String::new();
        for (c, h) in card.headings.iter().enumerate() {
            let shown = format!(
                "{:>4}: {} {}",
                h.line,
                "#".repeat(h.level as usize),
                card.heading_text(h)
            );
            let what = match self.card_to_spec[c] {
                Some((_, MatchKind::Title)) => "the title".to_string(),
                Some((si, k)) => format!(
                    "{} ({}{})",
                    spec.sections[si].heading_line(),
                    k.confidence(),
                    match k {
                        MatchKind::Renamed => ", renamed",
                        MatchKind::Likely => ", rename unsafe",
                        _ => "",
                    }
                ),
                None => match self.duplicates.iter().find(|d| d.0 == c) {
                    Some(&(_, si)) => {
                        format!("{} again (duplicate)", spec.sections[si].heading_line())
                    }
                    None => "the author's own".to_string(),
                },
            };
            let level = match self.target_level.get(c) {
                Some(&t) if t != h.level => format!(", to level {t}"),
                _ => String::new(),
            };
            out.push_str(&format!("{shown} -> {what}{level}\n"));
        }
        out
    }
}

/// The template sections of the nearest paired headings around each card heading.
struct Neighbours {
    before: Vec<Option<usize>>,
    after: Vec<Option<usize>>,
}

impl Neighbours {
    /// Card heading `c` stands between section `si`'s template neighbours: the
    /// paired heading before it comes before `si` in the template, the one after
    /// it after.
    fn between(&self, si: usize, c: usize) -> bool {
        self.before[c].is_none_or(|s| s < si) && self.after[c].is_none_or(|s| s > si)
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
        assert_eq!(
            crate::text::name_words("Known Biases"),
            vec!["known", "bias"]
        );
        assert_eq!(crate::text::name_words("Bias"), vec!["bias"]);
        assert_eq!(
            crate::text::name_words("Hardware Requirements"),
            vec!["hardware", "requirement"]
        );
        assert_eq!(crate::text::name_words("Model Sources"), vec!["source"]);
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
