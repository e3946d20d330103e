//! Structure rules: renamed-section, heading-level, section-order, duplicate-section,
//! empty-section (missing-section, with where a missing section goes, is in
//! `missing`). All read the outline pairing of card headings with template sections.

use super::{Context, MatchKind};
use crate::card::Heading;
use crate::finding::{message, Draft, Edit};

pub fn check(ctx: &Context, out: &mut Vec<Draft>) {
    // An empty card gets one `missing-section` per top-level section of the
    // template, as any card does: the same pieces of work `fix` then inserts (one
    // finding each, the template's text to replace), so fixing never adds findings.
    super::missing::missing(ctx, out);
    renamed_and_levels(ctx, out);
    order(ctx, out);
    duplicates(ctx, out);
    empty(ctx, out);
}

/// The heading line rewritten at `level` with `text`, as a suggestion for lines
/// `h.line..=h.end_line`; None where the heading is not a plain ATX or setext one.
fn rewrite_heading(ctx: &Context, h: &Heading, level: u8, text: Option<&str>) -> Option<String> {
    let line = ctx.card.line_text(h.line);
    let trimmed = line.trim_start();
    let hashes = "#".repeat(level as usize);
    if trimmed.starts_with('#') && line.len() - trimmed.len() <= 3 {
        let rest = trimmed.trim_start_matches('#').trim();
        let rest = rest.trim_end_matches('#').trim_end();
        let body = text.unwrap_or(rest);
        Some(message!("{hashes} {body}"))
    } else if h.end_line > h.line && !trimmed.is_empty() {
        Some(message!(
            "{hashes} {}",
            text.unwrap_or(ctx.card.heading_text(h))
        ))
    } else {
        None
    }
}

/// The author's own headings (and likely pairings) that move with each card
/// heading (None: with the whole outline's shift) to keep their place under it;
/// worked out once per card.
fn followers(ctx: &Context) -> std::collections::HashMap<Option<usize>, Vec<usize>> {
    let o = &ctx.outline;
    let mut map: std::collections::HashMap<Option<usize>, Vec<usize>> = Default::default();
    for c in 0..ctx.card.headings.len() {
        let moves = !o.moves_alone(ctx.spec, c)
            && !matches!(
                o.card_to_spec[c],
                Some((_, MatchKind::Renamed | MatchKind::Title))
            )
            && o.target_level[c] != ctx.card.headings[c].level;
        if moves {
            map.entry(o.paired_ancestor_certain(ctx.spec, c))
                .or_default()
                .push(c);
        }
    }
    map
}

/// Edits that set each heading to its target level, text unchanged.
fn level_edits(ctx: &Context, headings: &[usize]) -> Vec<Edit> {
    headings
        .iter()
        .filter_map(|&c| {
            let h = &ctx.card.headings[c];
            let text = rewrite_heading(ctx, h, ctx.outline.target_level[c], None)?;
            Some(Edit::replace(h.line, h.end_line, &text))
        })
        .collect()
}

/// A finding's fix for its heading's new line: a plain suggestion when only that
/// line changes, else edits that move the author's headings under it along.
fn with_followers(
    ctx: &Context,
    mut d: Draft,
    c: usize,
    line: Option<String>,
    moving: &std::collections::HashMap<Option<usize>, Vec<usize>>,
) -> Draft {
    let Some(line) = line else { return d };
    let Some(followers) = moving.get(&Some(c)) else {
        return d.suggestion(line);
    };
    let h = &ctx.card.headings[c];
    let mut edits = vec![Edit::replace(h.line, h.end_line, &line)];
    edits.extend(level_edits(ctx, followers));
    d = d.edits(edits);
    d
}

fn renamed_and_levels(ctx: &Context, out: &mut Vec<Draft>) {
    let shift = ctx.outline.shift;
    let moving = followers(ctx);
    let mut shifted: Vec<usize> = Vec::new();
    for (c, m) in ctx.outline.card_to_spec.iter().enumerate() {
        let Some((si, kind)) = *m else { continue };
        let s = &ctx.spec.sections[si];
        let h = &ctx.card.headings[c];
        match kind {
            MatchKind::Renamed => {
                let written = ctx.card.heading_text(h);
                // Only a bracketed aside (`Model Sources [optional]`) differs: a notice.
                let aside_only =
                    written != s.text && super::outline::without_asides(written) == s.text;
                let d = if aside_only {
                    Draft::new(
                        "optional-marker",
                        h.line,
                        message!(
                            "The heading {} still carries the template's mark {}: remove it (`{}`); the hub's settings decide what is optional.",
                            ctx.heading_display(c),
                            crate::text::code(written.find('[').map_or("", |i| &written[i..])),
                            s.heading_line()
                        ),
                    )
                } else {
                    Draft::new(
                        "renamed-section",
                        h.line,
                        message!(
                            "The heading {} should be named exactly as in the template: `{}`. Rename it, so the table of contents and the hub's tools find it.",
                            ctx.heading_display(c),
                            s.heading_line()
                        ),
                    )
                }
                .end_line(h.end_line)
                .section(s.text.clone())
                .subject(ctx.card.heading_text(h));
                let line = rewrite_heading(ctx, h, ctx.outline.target_level[c], Some(&s.text));
                out.push(with_followers(ctx, d, c, line, &moving));
            }
            MatchKind::Likely => {
                // The place fits and the words do, but only a person can tell whether
                // the author meant this section: the rename is an unsafe fix, at the
                // level the heading keeps (its own level finding follows once named).
                let mut d = Draft::new(
                    "renamed-section",
                    h.line,
                    message!(
                        "The heading {} stands where the template has `{}`, which the card lacks. If this is that section, rename it to `{}`; if not, add `{}` as its own section.",
                        ctx.heading_display(c),
                        s.heading_line(),
                        s.text,
                        s.heading_line()
                    ),
                )
                .end_line(h.end_line)
                .section(s.text.clone())
                .subject(ctx.card.heading_text(h));
                if let Some(sug) =
                    rewrite_heading(ctx, h, ctx.outline.target_level[c], Some(&s.text))
                {
                    d = d.unsafe_suggestion(sug);
                }
                out.push(d);
            }
            MatchKind::Exact | MatchKind::Title
                if h.level != s.level && (s.title_slot || ctx.outline.moves_alone(ctx.spec, c)) =>
            {
                let pinned = ctx.outline.pinned[c];
                // Part of the whole outline's shift: one finding for all of them,
                // even where holding one back broke the shift up.
                if !s.title_slot && shift == Some(i16::from(h.level) - i16::from(s.level)) {
                    shifted.push(c);
                    continue;
                }
                if s.title_slot {
                    // The title keeps its level: the whole outline moves instead.
                    if shift.is_some() {
                        continue;
                    }
                }
                let d = Draft::new(
                    "heading-level",
                    h.line,
                    message!(
                        "{} is a level-{} heading, but the template has it at level {} (`{}`). Use {} `#`.",
                        ctx.heading_display(c),
                        h.level,
                        s.level,
                        if s.title_slot { message!("{} …", "#".repeat(s.level as usize)) } else { s.heading_line() },
                        s.level
                    ),
                )
                .end_line(h.end_line)
                .section_opt(ctx.section_name(Some(c)))
                .subject(ctx.card.heading_text(h));
                let line = rewrite_heading(ctx, h, s.level, None);
                if pinned {
                    // Changing this level alone would move the headings after it
                    // under it, or it under another: offered, not applied by `fix`.
                    out.push(match line {
                        Some(l) => d.unsafe_suggestion(l),
                        None => d,
                    });
                } else {
                    out.push(with_followers(ctx, d, c, line, &moving));
                }
            }
            _ => {}
        }
    }
    own_optional_marks(ctx, out);
    if let (Some(d), Some(&first)) = (shift, shifted.first()) {
        let held_back = shifted.iter().any(|&c| ctx.outline.pinned[c]);
        let edits = if held_back {
            // Moving them all gives a heading another parent: one fix still, for a
            // person to apply.
            let levels = ctx.outline.shifted_levels(ctx.spec, ctx.card);
            (0..ctx.card.headings.len())
                .filter(|&c| levels[c] != ctx.card.headings[c].level)
                .filter_map(|c| {
                    let h = &ctx.card.headings[c];
                    let text = rewrite_heading(ctx, h, levels[c], None)?;
                    Some(Edit::replace(h.line, h.end_line, &text))
                })
                .collect()
        } else {
            // Every heading in the shifted outline moves: the template's and the
            // author's own, so each keeps the parent it had.
            let mut all = shifted.clone();
            for &c in &shifted {
                all.extend(moving.get(&Some(c)).into_iter().flatten());
            }
            all.extend(moving.get(&None).into_iter().flatten());
            all.sort_unstable();
            all.dedup();
            level_edits(ctx, &all)
        };
        // Paired headings already at the template's level: left as they are.
        let stay: Vec<String> = ctx
            .outline
            .card_to_spec
            .iter()
            .enumerate()
            .filter_map(|(c, m)| {
                let (si, k) = (*m)?;
                let s = &ctx.spec.sections[si];
                (matches!(k, MatchKind::Exact | MatchKind::Renamed)
                    && !s.title_slot
                    && ctx.card.headings[c].level == s.level)
                    .then(|| ctx.heading_display(c))
            })
            .collect();
        let h = &ctx.card.headings[first];
        let (si, _) = ctx.outline.card_to_spec[first].expect("paired");
        let (deeper, verb) = if d > 0 {
            ("deeper", "promote")
        } else {
            ("higher", "demote")
        };
        let n = d.unsigned_abs();
        let levels = if n == 1 {
            "one level".to_string()
        } else {
            message!("{n} levels")
        };
        let mut note = String::new();
        if !stay.is_empty() {
            let more = stay.len().saturating_sub(3);
            note.push_str(&message!(
                " {}{} already {} at the template's level and {} left as {}.",
                stay.iter().take(3).cloned().collect::<Vec<_>>().join(", "),
                if more > 0 {
                    message!(" and {more} more")
                } else {
                    String::new()
                },
                if stay.len() == 1 { "sits" } else { "sit" },
                if stay.len() == 1 { "is" } else { "are" },
                if stay.len() == 1 { "it is" } else { "they are" }
            ));
        }
        if held_back {
            note.push_str(
                " Moving the others puts a heading under another section, so `fix` applies this only with `--unsafe-fixes`: check the outline after.",
            );
        }
        let d = Draft::new(
            "heading-level",
            h.line,
            message!(
                "Every heading is {levels} {deeper} than the template's ({} headings, from {} on): {verb} each by {}, e.g. {} → `{}`.{note}",
                edits.len(),
                ctx.heading_display(first),
                if n == 1 { "one `#`".to_string() } else { message!("{n} `#`") },
                ctx.heading_display(first),
                ctx.spec.sections[si].heading_line()
            ),
        )
        .end_line(h.end_line)
        .subject(message!("outline shifted by {d}"));
        out.push(if held_back {
            d.unsafe_edits(edits)
        } else {
            d.edits(edits)
        });
    }
}

/// `optional-marker` on the author's own headings too: HF's `## Citation [optional]`
/// is no section of this template, but the mark is the template's all the same.
fn own_optional_marks(ctx: &Context, out: &mut Vec<Draft>) {
    const MARK: &str = "[optional]";
    for (c, h) in ctx.card.headings.iter().enumerate() {
        if ctx.outline.card_to_spec[c].is_some() {
            continue;
        }
        let line = ctx.card.line_text(h.line);
        let rest = line.trim_start().trim_start_matches('#').trim();
        let rest = rest.trim_end_matches('#').trim_end();
        let Some(at) = rest.to_ascii_lowercase().rfind(MARK) else {
            continue;
        };
        if at + MARK.len() != rest.len() || at == 0 {
            continue;
        }
        let kept = rest[..at].trim_end();
        let mut d = Draft::new(
            "optional-marker",
            h.line,
            message!(
                "The heading {} still carries the template's mark `[optional]`: remove it; the hub's settings decide what is optional.",
                ctx.heading_display(c)
            ),
        )
        .end_line(h.end_line)
        .section_opt(ctx.section_name(Some(c)))
        .subject(ctx.card.heading_text(h));
        if let Some(l) = rewrite_heading(ctx, h, ctx.outline.target_level[c], Some(kept)) {
            d = d.suggestion(l);
        }
        out.push(d);
    }
}

fn order(ctx: &Context, out: &mut Vec<Draft>) {
    let misplaced = ctx.outline.out_of_order();
    let flagged: std::collections::HashSet<usize> = misplaced.iter().copied().collect();
    for &c in &misplaced {
        // A section moved with its parent is reported once, on the parent.
        let mut p = ctx.outline.logical_parent[c];
        let mut under_flagged = false;
        while let Some(pp) = p {
            if flagged.contains(&pp) {
                under_flagged = true;
                break;
            }
            p = ctx.outline.logical_parent[pp];
        }
        if under_flagged {
            continue;
        }
        let (si, _) = ctx.outline.card_to_spec[c].expect("paired heading");
        let prev = (0..si).rev().find(|&p| {
            ctx.outline.spec_to_card[p].is_some()
                && !flagged.contains(&ctx.outline.spec_to_card[p].unwrap())
        });
        let hint = match prev {
            Some(p) => message!(" Move it after `{}`.", ctx.spec.sections[p].heading_line()),
            None => " Move it up, before the other sections.".to_string(),
        };
        let h = &ctx.card.headings[c];
        let (from, to) = extent(ctx, c);
        let target = match prev {
            Some(p) => {
                let pc = ctx.outline.spec_to_card[p].expect("paired");
                let (_, pend) = extent(ctx, pc);
                // After the preceding section and its subsections; for a parent, after
                // its own text.
                let is_parent = ctx.spec.sections[si].parent == Some(p);
                if is_parent {
                    ctx.card.headings.get(pc + 1).map_or(pend + 1, |n| n.line)
                } else {
                    pend + 1
                }
            }
            None => ctx
                .card
                .headings
                .iter()
                .enumerate()
                .find(|(k, _)| ctx.outline.card_to_spec[*k].is_some() && *k != c)
                .map_or(1, |(_, hh)| hh.line),
        };
        let moved: Vec<String> = (from..=to)
            .map(|l| ctx.card.line_text(l).to_string())
            .collect();
        let edits = if (from..=to + 1).contains(&target) || moved.is_empty() {
            Vec::new()
        } else {
            let mut ins = moved;
            if ins.last().is_some_and(|l| !l.trim().is_empty()) {
                ins.push(String::new());
            }
            vec![
                Edit {
                    line: from,
                    end_line: to,
                    lines: Vec::new(),
                },
                Edit::insert_before(target, ins),
            ]
        };
        out.push(
            Draft::new(
                "section-order",
                h.line,
                message!(
                    "{} is out of the template's order.{hint} Every card keeps the template's order so readers find sections in the same place.",
                    ctx.heading_display(c)
                ),
            )
            .end_line(h.end_line)
            .section_opt(ctx.section_name(Some(c)))
            .subject(ctx.card.heading_text(h))
            .unsafe_edits(edits),
        );
    }
}

/// The lines a card heading's section spans: the heading to the line before the next
/// heading of its level or higher (the end of the card).
fn extent(ctx: &Context, c: usize) -> (usize, usize) {
    let headings = &ctx.card.headings;
    let level = headings[c].level;
    let end = headings[c + 1..]
        .iter()
        .find(|h| h.level <= level)
        .map_or(ctx.card.line_count(), |h| h.line - 1);
    (headings[c].line, end.max(headings[c].end_line))
}

fn duplicates(ctx: &Context, out: &mut Vec<Draft>) {
    for &(c, si) in &ctx.outline.duplicates {
        let first = ctx.outline.spec_to_card[si].expect("first occurrence");
        let h = &ctx.card.headings[c];
        out.push(
            Draft::new(
                "duplicate-section",
                h.line,
                message!(
                    "{} appears a second time (first on line {}). Merge the two sections into one.",
                    ctx.heading_display(c),
                    ctx.card.headings[first].line
                ),
            )
            .end_line(h.end_line)
            .section(ctx.spec.sections[si].text.clone())
            .subject(ctx.card.heading_text(h)),
        );
    }
}

fn empty(ctx: &Context, out: &mut Vec<Draft>) {
    let card = ctx.card;
    let n = card.headings.len();
    let mut filled = ctx.filled();
    // A stub followed by the real section: the duplicate warning says it all.
    for &(dup, si) in &ctx.outline.duplicates {
        if filled[dup] {
            if let Some(first) = ctx.outline.spec_to_card[si] {
                filled[first] = true;
            }
        }
    }
    // Where a placeholder or the template's text is reported, that finding already
    // says what to write; where a paired subsection is reported, its parent need not be.
    let mut said = vec![false; n];
    for (bi, b) in card.blocks.iter().enumerate() {
        if let Some(s) = b.section.filter(|&s| s < n) {
            if !ctx.facts.hits_of(bi).is_empty() || ctx.facts.template_text[bi].is_some() {
                said[s] = true;
            }
        }
    }
    for x in 0..n {
        if let Some(p) = ctx.outline.logical_parent[x] {
            if ctx.outline.card_to_spec[x].is_some() {
                said[p] = true;
            }
        }
    }
    for (c, m) in ctx.outline.card_to_spec.iter().enumerate() {
        let Some((si, _)) = *m else { continue };
        if filled[c] || said[c] {
            continue;
        }
        let h = &card.headings[c];
        let s = &ctx.spec.sections[si];
        out.push(
            Draft::new(
                "empty-section",
                h.line,
                message!(
                    "The section {} has no content yet (template instructions, placeholders and comments do not count). Write it for your model, or say why it does not apply.{}",
                    ctx.heading_display(c),
                    ctx.quote_instruction(si)
                ),
            )
            .end_line(h.end_line)
            .section_opt(ctx.section_name(Some(c)))
            .subject(s.text.clone()),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    const T: &str = "# [Name]\n\n*Summary here please*\n\n# Alpha\n\n## Alpha One\n\n*Describe alpha one in detail please.*\n\n## Alpha Two\n\n# Beta\n\n*Describe beta in detail please.*\n";

    #[test]
    fn clean_card_has_no_findings() {
        let s = spec_from(T);
        let f = run(&s, "# Thing\n\nA model.\n\n# Alpha\n\n## Alpha One\n\nText.\n\n## Alpha Two\n\nMore.\n\n# Beta\n\nB.\n");
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn missing_section_points_at_insertion_line() {
        let s = spec_from(T);
        let f = run(
            &s,
            "# Thing\n\nA model.\n\n# Alpha\n\n## Alpha One\n\nText.\n\n# Beta\n\nB.\n",
        );
        let m = only(&f, "missing-section");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].line, 11);
        assert_eq!(m[0].section.as_deref(), Some("Alpha Two"));
        assert!(m[0].message.contains("before `# Beta`"), "{}", m[0].message);
    }

    #[test]
    fn missing_parent_folds_children() {
        let s = spec_from(T);
        let f = run(&s, "# Thing\n\nA model.\n\n# Beta\n\nB.\n");
        let m = only(&f, "missing-section");
        assert_eq!(m.len(), 1, "{m:#?}");
        assert!(m[0].message.contains("`## Alpha One`"));
    }

    #[test]
    fn renamed_heading_gets_suggestion() {
        let s = spec_from(T);
        let f = run(&s, "# Thing\n\nA model.\n\n# Alpha\n\n## alpha one\n\nText.\n\n## Alpha Tow\n\nMore.\n\n# Beta\n\nB.\n");
        let r = only(&f, "renamed-section");
        assert_eq!(r.len(), 2, "{f:#?}");
        assert_eq!(r[0].suggestion.as_deref(), Some("## Alpha One"));
        assert_eq!(r[1].line, 11);
        assert!(only(&f, "missing-section").is_empty());
    }

    #[test]
    fn unrelated_heading_is_not_a_rename() {
        let s = spec_from(T);
        let f = run(&s, "# Thing\n\nA model.\n\n# Alpha\n\n## Alpha One\n\nText.\n\n## Citation\n\nMore.\n\n# Beta\n\nB.\n");
        assert!(only(&f, "renamed-section").is_empty());
        assert_eq!(only(&f, "missing-section").len(), 1);
    }

    #[test]
    fn level_order_duplicate() {
        let s = spec_from(T);
        let f = run(
            &s,
            "# Thing\n\nA model.\n\n# Beta\n\nB.\n\n# Alpha\n\n### Alpha One\n\nText.\n\n## Alpha Two\n\nMore.\n\n## Alpha Two\n\nAgain.\n",
        );
        let lv = only(&f, "heading-level");
        assert_eq!(lv.len(), 1);
        assert_eq!(lv[0].suggestion.as_deref(), Some("## Alpha One"));
        let ord = only(&f, "section-order");
        assert_eq!(ord.len(), 1, "{ord:#?}");
        assert_eq!(ord[0].line, 5);
        let d = only(&f, "duplicate-section");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 19);
    }

    #[test]
    fn empty_sections_ignore_instructions_and_comments() {
        let s = spec_from(T);
        let f = run(
            &s,
            "# Thing\n\nA model.\n\n# Alpha\n\n## Alpha One\n\n*Describe alpha one in detail please.*\n\n## Alpha Two\n\n<!-- later -->\n\n# Beta\n\nTODO\n",
        );
        let e: Vec<_> = only(&f, "empty-section").iter().map(|x| x.line).collect();
        // Alpha Two (a comment only). Not Alpha One (its instruction is reported as
        // template text), Beta (its placeholder is reported), nor Alpha (its
        // subsections speak for it).
        assert_eq!(e, vec![11], "{f:#?}");
    }

    #[test]
    fn parent_with_filled_child_is_not_empty() {
        let s = spec_from(T);
        let f = run(&s, "# Thing\n\nA model.\n\n# Alpha\n\n## Alpha One\n\nx\n\n## Alpha Two\n\ny\n\n# Beta\n\n```\ncode\n```\n");
        assert!(only(&f, "empty-section").is_empty(), "{f:#?}");
    }

    #[test]
    fn missing_title_and_setext_headings() {
        let s = spec_from(T);
        let f = run(
            &s,
            "Alpha\n=====\n\n## Alpha One\n\nx\n\n## Alpha Two\n\ny\n\n# Beta\n\nz\n",
        );
        let m = only(&f, "missing-section");
        assert_eq!(m.len(), 1);
        assert!(m[0].message.contains("no title"));
    }

    /// A template like Hugging Face's, at the RI-SCALE levels.
    const HF: &str = "# [Name]\n\n*Summary please*\n\n# Model Details\n\n## Model Description\n\n- **Developed by:** *[Names]*\n- **License:** *[License]*\n\n## Model Sources\n\n- **Repository:** *[URL]*\n\n# Bias, Risks, and Limitations\n\n## Known Biases\n\n*Describe biases please.*\n\n## Recommendations\n\n*Recommend things please.*\n\n# Technical Specifications\n\n## Compute Infrastructure\n\n### Hardware Requirements\n\n*Which GPU please.*\n\n### Software Dependencies\n\n*Which libraries please.*\n\n---\n\n## Glossary\n\n*Terms please.*\n";

    #[test]
    fn a_shifted_outline_is_one_finding_with_its_fix() {
        let s = spec_from(HF);
        let card = "# Model Card for Seg\n\nA model.\n\n## Model Details\n\n### Model Description\n\n- **Developed by:** Jo\n- **License:** MIT\n\n### Model Sources\n\n- **Repository:** x\n\n## Bias, Risks, and Limitations\n\n### Known Biases\n\nSome.\n\n### Recommendations\n\nCheck.\n\n## Technical Specifications\n\n#### Compute Infrastructure\n\n##### Hardware Requirements\n\nA GPU.\n\n#### Software Dependencies\n\nPyTorch.\n";
        let f = run(&s, card);
        let lv = only(&f, "heading-level");
        // Eight headings one deeper: one finding. Compute Infrastructure and Hardware
        // Requirements are two deeper and Software Dependencies one: the two that
        // break the shift get their own.
        assert_eq!(lv.len(), 3, "{lv:#?}");
        assert_eq!(lv[0].line, 5);
        assert!(lv[0].message.starts_with("Every heading is one level deeper than the template's (8 headings, from `## Model Details` on): promote each by one `#`"), "{}", lv[0].message);
        assert_eq!(lv[0].edits.len(), 8);
        assert_eq!(lv[0].edits[0].lines, vec!["# Model Details"]);
        assert_eq!(lv[0].edits[1].lines, vec!["## Model Description"]);
        assert_eq!(
            lv[1].suggestion.as_deref(),
            Some("## Compute Infrastructure")
        );
        assert!(only(&f, "missing-section").is_empty(), "{f:#?}");
    }

    #[test]
    fn a_stub_before_the_real_section_is_only_a_duplicate() {
        let s = spec_from(HF);
        let card = "# Seg\n\nA model.\n\n# Model Details\n\n## Model Description\n\n## Model Description\n\nA U-Net.\n\n- **Developed by:** Jo\n- **License:** MIT\n\n## Model Sources\n\n- **Repository:** x\n\n# Bias, Risks, and Limitations\n\n## Known Biases\n\nSome.\n\n## Recommendations\n\nCheck.\n\n# Technical Specifications\n\n## Compute Infrastructure\n\n### Hardware Requirements\n\nA GPU.\n\n### Software Dependencies\n\nPyTorch.\n";
        let f = run(&s, card);
        let rules: Vec<&str> = f.iter().map(|x| x.rule).collect();
        assert_eq!(rules, vec!["duplicate-section"], "{f:#?}");
    }

    #[test]
    fn an_empty_card_is_one_missing_section_per_top_level_section() {
        let s = spec_from(HF);
        let top: Vec<&str> = s
            .sections
            .iter()
            .filter(|x| x.parent.is_none() && !x.title_slot && !x.optional)
            .map(|x| x.text.as_str())
            .collect();
        for card in [
            "",
            "# My model\n",
            "# My model\n\nComing later.\n",
            "\n\n<!-- nothing -->\n",
        ] {
            let f = run(&s, card);
            let missing: Vec<&str> = only(&f, "missing-section")
                .iter()
                .filter_map(|x| x.section.as_deref())
                .filter(|x| top.contains(x))
                .collect();
            assert_eq!(missing, top, "{card:?}: {f:#?}");
            // The subsections are in their parent's finding, not findings of their own;
            // besides, at most the title's summary is asked for.
            assert!(
                f.iter()
                    .all(|x| x.rule == "missing-section"
                        || (x.rule == "empty-section" && x.line == 1)),
                "{card:?}: {f:#?}"
            );
        }
        // A card with text but none of the sections is not empty: each missing one counts.
        let f = run(
            &s,
            "# My model\n\nOne.\n\n## Usage\n\nTwo.\n\n## Citation\n\nThree.\n",
        );
        assert_eq!(only(&f, "missing-section").len(), 3, "{f:#?}");
    }

    #[test]
    fn names_contributors_use_are_renames() {
        let s = spec_from(HF);
        let card = "# Seg\n\nA model.\n\n# Model Details\n\n## Model Description\n\n- **Developed by:** Jo\n- **License:** MIT\n\n## Model Sources [optional]\n\n- **Repository:** x\n\n# Bias, Risks, and Limitations\n\n## Bias\n\nSome.\n\n## Recommendations\n\nCheck.\n\n# Technical Specifications\n\n## Compute Infrastructure\n\n### Hardware\n\nA GPU.\n\n### Software\n\nPyTorch.\n";
        let f = run(&s, card);
        let r: Vec<(usize, Option<&str>)> = f
            .iter()
            .filter(|x| x.rule == "renamed-section" || x.rule == "optional-marker")
            .map(|x| (x.line, x.suggestion.as_deref()))
            .collect();
        assert_eq!(only(&f, "optional-marker").len(), 1, "{f:#?}");
        assert_eq!(
            r,
            vec![
                (12, Some("## Model Sources")),
                (18, Some("## Known Biases")),
                (30, Some("### Hardware Requirements")),
                (34, Some("### Software Dependencies")),
            ],
            "{f:#?}"
        );
        assert!(only(&f, "missing-section").is_empty(), "{f:#?}");
        // A heading that shares no word with the missing one is not its rename, nor
        // is one that shares a single word but says something else.
        let f = run(
            &s,
            &card
                .replace("## Bias\n", "## Bias notes\n")
                .replace("### Hardware\n", "### Notes\n"),
        );
        assert_eq!(only(&f, "renamed-section").len(), 1, "{f:#?}");
        assert_eq!(only(&f, "missing-section").len(), 2, "{f:#?}");
    }

    #[test]
    fn a_hub_extends_the_alias_table() {
        let cfg = crate::config::Config::parse(
            "[section-aliases]\n\"Recommendations\" = [\"What to do\"]\n",
            std::path::Path::new("."),
        )
        .unwrap();
        let s = crate::template::Spec::from_markdown(HF, "t", &cfg).unwrap();
        let card = "# Seg\n\nA model.\n\n# Bias, Risks, and Limitations\n\n## Known Biases\n\nSome.\n\n## What to do\n\nCheck.\n";
        let f = crate::rules::check_text(&s, &cfg, "m/README.md", card, &crate::rules::NoOracle);
        let r = only(&f, "renamed-section");
        assert_eq!(r.len(), 1, "{f:#?}");
        assert_eq!(r[0].suggestion.as_deref(), Some("## Recommendations"));
        assert!(!r[0].unsafe_fix);
        // An alias for a heading the template lacks names the key.
        let bad = crate::config::Config::parse(
            "[section-aliases]\n\"Nope\" = [\"x\"]\n",
            std::path::Path::new("."),
        )
        .unwrap();
        let e = crate::template::Spec::from_markdown(HF, "t", &bad).unwrap_err();
        assert!(e.to_string().contains("section-aliases"), "{e}");
    }

    #[test]
    fn a_heading_in_the_slot_with_the_sections_words_is_a_likely_rename() {
        let s = spec_from(HF);
        // `Biases known`: in Known Biases' slot, its words from the
        // section's vocabulary: likely, so the rename is unsafe.
        let card = "# Seg\n\nA model.\n\n# Bias, Risks, and Limitations\n\n## Biases known\n\nSome.\n\n## Recommendations\n\nCheck.\n";
        let f = run(&s, card);
        let r = only(&f, "renamed-section");
        assert_eq!(r.len(), 1, "{f:#?}");
        assert!(r[0].unsafe_fix, "{r:#?}");
        assert_eq!(r[0].suggestion.as_deref(), Some("## Known Biases"));
        // Two levels away, never.
        let f = run(&s, &card.replace("## Biases known", "#### Biases known"));
        assert!(only(&f, "renamed-section").is_empty(), "{f:#?}");
    }

    #[test]
    fn missing_sections_go_after_the_preceding_one_in_the_cards_order() {
        let s = spec_from(HF);
        // Known Biases is missing; its preceding section (its parent) has text.
        let card = "# Seg\n\nA model.\n\n# Model Details\n\n## Model Description\n\n- **Developed by:** Jo\n- **License:** MIT\n\n## Model Sources\n\n- **Repository:** x\n\n# Bias, Risks, and Limitations\n\nIntro.\n\n## Recommendations\n\nCheck.\n\n# Technical Specifications\n\n## Compute Infrastructure\n\n### Hardware Requirements\n\nA GPU.\n";
        let f = run(&s, card);
        let m = only(&f, "missing-section");
        assert_eq!(m.len(), 2, "{m:#?}");
        assert_eq!(m[0].line, 20);
        assert!(
            m[0].message.contains(
                "Add it after `# Bias, Risks, and Limitations`, before `## Recommendations`"
            ),
            "{}",
            m[0].message
        );
        // Software Dependencies goes after Hardware Requirements, at the end.
        assert_eq!(m[1].line, 30);
        assert!(
            m[1].message
                .contains("after `### Hardware Requirements`, at the end of the card"),
            "{}",
            m[1].message
        );
    }

    #[test]
    fn sections_after_the_closing_rule_are_optional() {
        let s = spec_from(HF);
        assert!(
            s.sections
                .iter()
                .find(|x| x.text == "Glossary")
                .unwrap()
                .optional
        );
        assert_eq!(s.sections.iter().filter(|x| x.optional).count(), 1);
    }
}
