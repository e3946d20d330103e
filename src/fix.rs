//! `modelcard-review fix`: applies the fixes that findings carry — the same fixes the
//! review offers as suggestions and SARIF as `fixes` — round after round until none
//! is left to apply, as ruff does.
//!
//! What it keeps: the author's lines (only headings, anchors, table rows and a field
//! label's leftover ` [optional]` change, and lines are inserted; an unsafe fix moves
//! a section with all its lines), the BOM and the line endings. A card with nothing to fix comes back byte for byte.

use crate::config::Config;
use crate::finding::{Edit, Finding};
use crate::rules::{check_card, LinkOracle};
use crate::template::Spec;
use std::collections::BTreeMap;

/// Rounds at most: each round applies every fix that does not collide with another,
/// then checks again (a renamed heading can make a link's anchor right, an inserted
/// section can be what another insertion goes after).
const MAX_ROUNDS: usize = 20;

/// The result of fixing one card.
#[derive(Debug)]
pub struct Fixed {
    /// The card after the fixes (the input itself when nothing was fixed).
    pub text: String,
    /// Findings fixed, per rule.
    pub applied: BTreeMap<&'static str, usize>,
    /// What is left for the author.
    pub remaining: Vec<Finding>,
}

impl Fixed {
    pub fn changed(&self) -> bool {
        !self.applied.is_empty()
    }

    /// `renamed-section ×1, broken-anchor ×2`
    pub fn applied_summary(&self) -> String {
        per_rule(self.applied.iter().map(|(r, n)| (*r, *n)))
    }

    /// `placeholder ×3, template-text ×2`
    pub fn remaining_summary(&self) -> String {
        let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
        for f in &self.remaining {
            *counts.entry(f.rule).or_default() += 1;
        }
        per_rule(counts.into_iter())
    }
}

fn per_rule(it: impl Iterator<Item = (&'static str, usize)>) -> String {
    it.map(|(r, n)| format!("{r} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A card as lines, each with its own line ending.
struct Lines {
    bom: bool,
    lines: Vec<(String, &'static str)>,
    /// The ending most lines use, for inserted lines.
    ending: &'static str,
}

impl Lines {
    fn parse(text: &str) -> Lines {
        let (bom, body) = match text.strip_prefix('\u{feff}') {
            Some(b) => (true, b),
            None => (false, text),
        };
        let mut lines = Vec::new();
        let (mut crlf, mut lf) = (0usize, 0usize);
        let mut rest = body;
        while !rest.is_empty() {
            match rest.find('\n') {
                Some(i) => {
                    let (line, ending) = if i > 0 && rest.as_bytes()[i - 1] == b'\r' {
                        crlf += 1;
                        (&rest[..i - 1], "\r\n")
                    } else {
                        lf += 1;
                        (&rest[..i], "\n")
                    };
                    lines.push((line.to_string(), ending));
                    rest = &rest[i + 1..];
                }
                None => {
                    lines.push((rest.to_string(), ""));
                    rest = "";
                }
            }
        }
        Lines {
            bom,
            lines,
            ending: if crlf > lf { "\r\n" } else { "\n" },
        }
    }

    fn text(&self) -> String {
        let mut s = String::new();
        if self.bom {
            s.push('\u{feff}');
        }
        for (l, e) in &self.lines {
            s.push_str(l);
            s.push_str(e);
        }
        s
    }

    /// Applies non-overlapping edits (1-based lines), bottom up.
    fn apply(&mut self, mut edits: Vec<(usize, Edit)>) {
        // Same line: replacements before insertions (bottom up), and insertions in
        // reverse order of acceptance, so they end up in that order.
        edits.sort_by_key(|(k, e)| (e.line, !e.is_insertion(), *k));
        for (_, e) in edits.into_iter().rev() {
            let at = e.line.saturating_sub(1).min(self.lines.len());
            let insertion = e.is_insertion();
            let new: Vec<(String, &'static str)> =
                e.lines.into_iter().map(|l| (l, self.ending)).collect();
            if insertion {
                if at == self.lines.len() {
                    // At the end: the last line needs an ending now; the new last line
                    // keeps the card's (missing) final newline.
                    let last_ending = self.lines.last().map_or(self.ending, |l| l.1);
                    if let Some(last) = self.lines.last_mut() {
                        if last.1.is_empty() {
                            last.1 = self.ending;
                        }
                    }
                    let mut new = new;
                    if let Some(l) = new.last_mut() {
                        l.1 = if last_ending.is_empty() {
                            ""
                        } else {
                            last_ending
                        };
                    }
                    self.lines.extend(new);
                } else {
                    self.lines.splice(at..at, new);
                }
            } else {
                let end = e.end_line.min(self.lines.len());
                let kept_ending = self.lines.get(end.saturating_sub(1)).map(|l| l.1);
                let mut new = new;
                if let (Some(l), Some(k)) = (new.last_mut(), kept_ending) {
                    l.1 = k;
                }
                self.lines.splice(at..end, new);
            }
        }
    }
}

/// Whether `e` stays inside a card of `n` lines.
fn in_bounds(e: &Edit, n: usize) -> bool {
    if e.is_insertion() {
        (1..=n + 1).contains(&e.line)
    } else {
        e.line >= 1 && e.end_line <= n
    }
}

/// Whether two edits touch the same lines (an insertion collides with a replacement
/// only strictly inside it).
fn collide(a: &Edit, b: &Edit) -> bool {
    match (a.is_insertion(), b.is_insertion()) {
        (true, true) => false,
        (true, false) => a.line > b.line && a.line <= b.end_line,
        (false, true) => b.line > a.line && b.line <= a.end_line,
        (false, false) => a.line <= b.end_line && b.line <= a.end_line,
    }
}

/// The unified diff `fix --diff` prints for one card (`a/PATH`, `b/PATH`, three lines
/// of context); the playground shows the same.
pub fn unified_diff(before: &str, after: &str, shown: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{shown}"), &format!("b/{shown}"))
        .to_string()
}

/// Fixes one card's text. `unsafe_fixes`: also apply fixes that move the author's
/// text (a section out of the template's order).
pub fn fix_text(
    spec: &Spec,
    cfg: &Config,
    path: &str,
    input: &str,
    oracle: &dyn LinkOracle,
    unsafe_fixes: bool,
) -> Fixed {
    let mut lines = Lines::parse(input);
    let mut applied: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut text = input.to_string();
    for _ in 0..MAX_ROUNDS {
        let findings = check_card(spec, cfg, path, &text, oracle).findings;
        let n = lines.lines.len();
        let mut accepted: Vec<(usize, Edit)> = Vec::new();
        let mut round: Vec<&'static str> = Vec::new();
        for f in &findings {
            if f.unsafe_fix && !unsafe_fixes {
                continue;
            }
            let edits = f.fix();
            if edits.is_empty()
                || !edits.iter().all(|e| in_bounds(e, n))
                || edits
                    .iter()
                    .any(|e| accepted.iter().any(|(_, a)| collide(a, e)))
            {
                continue;
            }
            let k = accepted.len();
            accepted.extend(edits.into_iter().map(|e| (k, e)));
            round.push(f.rule);
        }
        if accepted.is_empty() {
            break;
        }
        lines.apply(accepted);
        let next = lines.text();
        if next == text {
            break;
        }
        for r in round {
            *applied.entry(r).or_default() += 1;
        }
        text = next;
    }
    let remaining = check_card(spec, cfg, path, &text, oracle).findings;
    Fixed {
        text: if applied.is_empty() {
            input.to_string()
        } else {
            text
        },
        applied,
        remaining,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::NoOracle;

    fn fix(template: &str, card: &str, unsafe_fixes: bool) -> Fixed {
        let cfg = Config::default();
        let spec = Spec::from_markdown(template, "t", &cfg).unwrap();
        fix_text(&spec, &cfg, "m/README.md", card, &NoOracle, unsafe_fixes)
    }

    const T: &str = "# [Name]\n\n*Summary please*\n\n# Table of Contents\n\n- [Alpha](#alpha)\n- [Beta](#beta)\n- [Gamma](#gamma)\n\n# Alpha\n\n*Describe alpha please.*\n\n- **Developed by:** *[Names]*\n- **License:** *[License]*\n\n## Alpha One\n\n*More about alpha one please.*\n\n# Beta\n\n*Describe beta please.*\n\n| Metric | A | B |\n|---|---|---|\n| IoU | 0.XX | 0.XX |\n\n# Gamma\n\n*Describe gamma please.*\n";

    const GOOD: &str = "# Seg\n\nA model.\n\n# Table of Contents\n\n- [Alpha](#alpha)\n- [Beta](#beta)\n- [Gamma](#gamma)\n\n# Alpha\n\nText.\n\n- **Developed by:** Jo\n- **License:** MIT\n\n## Alpha One\n\nMore.\n\n# Beta\n\nB.\n\n| Metric | A | B |\n|---|---|---|\n| IoU | 0.8 | 0.7 |\n\n# Gamma\n\nG.\n";

    #[test]
    fn a_good_card_is_left_byte_for_byte() {
        let f = fix(T, GOOD, true);
        assert!(!f.changed());
        assert_eq!(f.text, GOOD);
        assert!(f.remaining.is_empty(), "{:#?}", f.remaining);
    }

    #[test]
    fn mechanical_faults_come_back_as_the_author_would_have_written_them() {
        for broken in [
            GOOD.replace("# Beta\n", "# beta\n"),
            GOOD.replace("## Alpha One\n", "### Alpha One\n"),
            GOOD.replace("(#gamma)", "(#gamm)"),
        ] {
            let f = fix(T, &broken, false);
            assert!(f.changed(), "{broken}");
            assert_eq!(f.text, GOOD, "{:?}", f.applied);
        }
        // A short table row is padded with empty cells, with or without a final pipe.
        for short in ["| IoU | 0.8 |", "| IoU | 0.8"] {
            let f = fix(T, &GOOD.replace("| IoU | 0.8 | 0.7 |", short), false);
            assert!(f.text.contains("\n| IoU | 0.8 | |\n"), "{}", f.text);
        }
    }

    #[test]
    fn missing_sections_and_fields_are_inserted_as_the_template_writes_them() {
        let card = GOOD
            .replace("- **License:** MIT\n", "")
            .replace("## Alpha One\n\nMore.\n\n", "")
            .replace("- [Beta](#beta)\n", "");
        let f = fix(T, &card, false);
        assert_eq!(
            f.applied_summary(),
            "missing-field ×1, missing-section ×1, missing-toc-entry ×1"
        );
        assert!(f.text.contains("- **Developed by:** Jo\n- **License:** *[License]*\n\n## Alpha One\n\n*More about alpha one please.*\n\n# Beta\n"), "{}", f.text);
        assert!(
            f.text
                .contains("- [Alpha](#alpha)\n- [Beta](#beta)\n- [Gamma](#gamma)\n"),
            "{}",
            f.text
        );
        let left = f.remaining_summary();
        assert!(!left.contains("missing-"), "{left}");
        // Idempotent.
        let again = fix(T, &f.text, false);
        assert!(!again.changed());
    }

    #[test]
    fn crlf_and_the_bom_are_kept() {
        let card = format!(
            "\u{feff}{}",
            GOOD.replace("# Beta\n", "# beta\n").replace('\n', "\r\n")
        );
        let f = fix(T, &card, false);
        assert_eq!(f.text, format!("\u{feff}{}", GOOD.replace('\n', "\r\n")));
    }

    #[test]
    fn moving_a_section_is_an_unsafe_fix() {
        let card = GOOD.replace(
            "# Beta\n\nB.\n\n| Metric | A | B |\n|---|---|---|\n| IoU | 0.8 | 0.7 |\n\n",
            "",
        ) + "\n# Beta\n\nB.\n\n| Metric | A | B |\n|---|---|---|\n| IoU | 0.8 | 0.7 |\n";
        let safe = fix(T, &card, false);
        assert!(!safe.changed());
        assert!(safe.remaining.iter().any(|f| f.rule == "section-order"));
        let moved = fix(T, &card, true);
        assert!(
            moved.applied.contains_key("section-order"),
            "{:?}",
            moved.applied
        );
        assert!(
            !moved.remaining.iter().any(|f| f.rule == "section-order"),
            "{}",
            moved.text
        );
        let mut before: Vec<&str> = card.lines().filter(|l| !l.is_empty()).collect();
        let mut after: Vec<&str> = moved.text.lines().filter(|l| !l.is_empty()).collect();
        before.sort();
        after.sort();
        assert_eq!(before, after, "no line lost");
    }
}
