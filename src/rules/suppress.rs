//! In-card suppressions, as markdownlint writes them: an author or a hub says "this is
//! intended" where a rule would otherwise fire.
//!
//! - `<!-- modelcard-review-disable-next-line RULE … -->`: the next non-blank line;
//! - `<!-- modelcard-review-disable RULE … -->` … `<!-- modelcard-review-enable RULE … -->`:
//!   the lines between (to the end of the card without an `enable`).
//!
//! Without a rule name, every rule. An unknown rule name is itself a finding.

use super::rule_info;
use crate::card::Card;
use crate::finding::{message, Draft, Finding};

const PREFIX: &str = "modelcard-review-";

#[derive(Debug, Default)]
pub struct Suppressions {
    /// (rule, or None for every rule; first line; last line), inclusive.
    ranges: Vec<(Option<String>, usize, usize)>,
}

impl Suppressions {
    /// Reads the card's directives; unknown rule names become findings in `out`.
    pub fn read(card: &Card, out: &mut Vec<Draft>) -> Suppressions {
        let mut s = Suppressions::default();
        // Open `disable` ranges: (rule, first line).
        let mut open: Vec<(Option<String>, usize)> = Vec::new();
        let last_line = card.line_count();
        for (line, comment) in &card.directives {
            let body = comment
                .trim()
                .trim_start_matches("<!--")
                .trim_end_matches("-->")
                .trim();
            let Some(rest) = body.strip_prefix(PREFIX) else {
                continue;
            };
            let mut words = rest.split(|c: char| c.is_whitespace() || c == ',');
            let verb = words.next().unwrap_or("");
            let end_line = line + comment.matches('\n').count();
            let mut rules: Vec<Option<String>> = Vec::new();
            for w in words.filter(|w| !w.is_empty()) {
                if rule_info(w).is_some() {
                    rules.push(Some(w.to_string()));
                } else {
                    out.push(
                        Draft::new(
                            "invalid-suppression",
                            *line,
                            message!(
                                "{} names {}, which is not a rule, so it suppresses nothing. Use a rule id from `modelcard-review rules` (for example `placeholder`), or no id for every rule.",
                                crate::text::code(&format!("{PREFIX}{verb}")),
                                crate::text::code(w)
                            ),
                        )
                        .end_line(end_line)
                        .subject(w),
                    );
                }
            }
            let named_any = !rules.is_empty();
            if rules.is_empty() && rest.split_whitespace().count() <= 1 {
                rules.push(None);
            }
            match verb {
                "disable-next-line" => {
                    let next = (end_line + 1..=last_line)
                        .find(|&l| !card.line_text(l).trim().is_empty())
                        .unwrap_or(end_line + 1);
                    for r in rules {
                        s.ranges.push((r, next, next));
                    }
                }
                "disable" => open.extend(rules.into_iter().map(|r| (r, end_line + 1))),
                "enable" => {
                    let closing: Vec<Option<String>> = if named_any { rules } else { vec![None] };
                    open.retain(|(r, from)| {
                        let closes = closing.iter().any(|c| c.is_none() || c == r);
                        if closes {
                            s.ranges.push((r.clone(), *from, line.saturating_sub(1)));
                        }
                        !closes
                    });
                }
                other => out.push(
                    Draft::new(
                        "invalid-suppression",
                        *line,
                        message!(
                            "{} is not a modelcard-review comment. Write `{PREFIX}disable-next-line`, `{PREFIX}disable` or `{PREFIX}enable`, followed by rule ids.",
                            crate::text::code(&format!("{PREFIX}{other}"))
                        ),
                    )
                    .end_line(end_line)
                    .subject(other),
                ),
            }
        }
        for (r, from) in open {
            s.ranges.push((r, from, last_line));
        }
        s
    }

    pub fn covers(&self, f: &Finding) -> bool {
        f.rule != "invalid-suppression"
            && self.ranges.iter().any(|(r, from, to)| {
                r.as_deref().is_none_or(|r| r == f.rule) && (*from..=*to).contains(&f.line)
            })
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    const T: &str = "# [Name]\n\n*Summary please*\n\n# Details\n\n*Details please*\n";

    #[test]
    fn next_line_and_ranges() {
        let s = spec_from(T);
        let card = "# Seg\n\nA model.\n\n# Details\n\n<!-- modelcard-review-disable-next-line placeholder -->\n\nWeights: TBD\n\nData: TBD\n\n<!-- modelcard-review-disable -->\nCode: TODO\n\n<!-- modelcard-review-enable -->\n\nDemo: TODO\n";
        let (f, suppressed) = run_counted(&s, card);
        let lines: Vec<usize> = only(&f, "placeholder").iter().map(|x| x.line).collect();
        assert_eq!(lines, vec![11, 18], "{f:#?}");
        assert_eq!(suppressed, 2);
    }

    #[test]
    fn only_the_named_rule_and_unknown_names_are_findings() {
        let s = spec_from(T);
        let card = "# Seg\n\nA model.\n\n# Details\n\n<!-- modelcard-review-disable-next-line template-text, placeholdr -->\nWeights: TBD\n";
        let (f, suppressed) = run_counted(&s, card);
        assert_eq!(only(&f, "placeholder").len(), 1, "{f:#?}");
        assert_eq!(suppressed, 0);
        let bad = only(&f, "invalid-suppression");
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 7);
        assert!(
            bad[0].message.contains("`placeholdr`"),
            "{}",
            bad[0].message
        );
    }
}
