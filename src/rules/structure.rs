//! Structure rules: missing-section, renamed-section, heading-level, section-order,
//! duplicate-section, empty-section. All read the outline pairing of card headings
//! with template sections.

use super::{Context, MatchKind};
use crate::card::Heading;
use crate::finding::{message, Draft};
use crate::text::ellipsize;

pub fn check(ctx: &Context, out: &mut Vec<Draft>) {
    missing(ctx, out);
    renamed_and_levels(ctx, out);
    order(ctx, out);
    duplicates(ctx, out);
    empty(ctx, out);
}

fn quote_instruction(ctx: &Context, si: usize) -> String {
    match &ctx.spec.sections[si].instruction {
        Some(i) => message!(
            " The template asks: “{}”",
            ellipsize(i.trim_matches(|c| c == '*' || c == '_'), 160)
        ),
        None => String::new(),
    }
}

fn missing(ctx: &Context, out: &mut Vec<Draft>) {
    let spec = ctx.spec;
    let o = &ctx.outline;
    let last_line = ctx.card.line_count();
    for (si, s) in spec.sections.iter().enumerate() {
        if o.spec_to_card[si].is_some() || s.optional {
            continue;
        }
        // A missing parent speaks for its missing children.
        if s.parent
            .is_some_and(|p| o.spec_to_card[p].is_none() && !spec.sections[p].optional)
        {
            continue;
        }
        if s.title_slot {
            let line = ctx.card.headings.first().map(|h| h.line).unwrap_or(1);
            out.push(
                Draft::new(
                    "missing-section",
                    line,
                    message!(
                        "The card has no title. Start it with a level-{} heading naming the model (the template's `{}`), e.g. `{} Nuclei segmentation U-Net`.",
                        s.level,
                        s.heading_line(),
                        "#".repeat(s.level as usize)
                    ),
                )
                .section(s.text.clone())
                .subject(s.text.clone()),
            );
            continue;
        }
        // Insert before the next template section the card has.
        let next = (si + 1..spec.sections.len()).find_map(|n| o.spec_to_card[n].map(|c| (n, c)));
        let (line, where_) = match next {
            Some((n, c)) => (
                ctx.card.headings[c].line,
                message!("here, before `{}`", ctx.spec.sections[n].heading_line()),
            ),
            None => (last_line, "at the end of the card".to_string()),
        };
        let children: Vec<String> = spec
            .sections
            .iter()
            .enumerate()
            .filter(|(ci, c)| c.parent == Some(si) && o.spec_to_card[*ci].is_none() && !c.optional)
            .map(|(_, c)| message!("`{}`", c.heading_line()))
            .collect();
        let with = if children.is_empty() {
            String::new()
        } else {
            message!(" with its subsections {}", children.join(", "))
        };
        out.push(
            Draft::new(
                "missing-section",
                line,
                message!(
                    "The section `{}` is missing. Add it {where_}{with}, and fill it in.{}",
                    s.heading_line(),
                    quote_instruction(ctx, si)
                ),
            )
            .section(s.text.clone())
            .subject(s.text.clone()),
        );
    }
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

fn renamed_and_levels(ctx: &Context, out: &mut Vec<Draft>) {
    for (c, m) in ctx.outline.card_to_spec.iter().enumerate() {
        let Some((si, kind)) = *m else { continue };
        let s = &ctx.spec.sections[si];
        let h = &ctx.card.headings[c];
        match kind {
            MatchKind::Renamed => {
                let mut d = Draft::new(
                    "renamed-section",
                    h.line,
                    message!(
                        "The heading `{}` should be named exactly as in the template: `{}`. Rename it, so the table of contents and the hub's tools find it.",
                        ctx.heading_display(c),
                        s.heading_line()
                    ),
                )
                .end_line(h.end_line)
                .section(s.text.clone())
                .subject(ctx.card.heading_text(h));
                if let Some(sug) = rewrite_heading(ctx, h, s.level, Some(&s.text)) {
                    d = d.suggestion(sug);
                }
                out.push(d);
            }
            MatchKind::Exact | MatchKind::Title if h.level != s.level => {
                let mut d = Draft::new(
                    "heading-level",
                    h.line,
                    message!(
                        "`{}` is a level-{} heading, but the template has it at level {} (`{}`). Use {} `#`.",
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
                if let Some(sug) = rewrite_heading(ctx, h, s.level, None) {
                    d = d.suggestion(sug);
                }
                out.push(d);
            }
            _ => {}
        }
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
        out.push(
            Draft::new(
                "section-order",
                h.line,
                message!(
                    "`{}` is out of the template's order.{hint} Every card keeps the template's order so readers find sections in the same place.",
                    ctx.heading_display(c)
                ),
            )
            .end_line(h.end_line)
            .section_opt(ctx.section_name(Some(c)))
            .subject(ctx.card.heading_text(h)),
        );
    }
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
                    "`{}` appears a second time (first on line {}). Merge the two sections into one.",
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
    let mut filled = vec![false; n];
    for (bi, b) in card.blocks.iter().enumerate() {
        if let Some(s) = b.section {
            if ctx.facts.content[bi] && s < n {
                filled[s] = true;
            }
        }
    }
    for oc in &card.other_content {
        if let Some(s) = oc.section {
            if s < n {
                filled[s] = true;
            }
        }
    }
    for i in (0..n).rev() {
        if filled[i] {
            if let Some(p) = ctx.outline.logical_parent[i] {
                filled[p] = true;
            }
        }
    }
    for (c, m) in ctx.outline.card_to_spec.iter().enumerate() {
        let Some((si, _)) = *m else { continue };
        if filled[c] {
            continue;
        }
        let h = &card.headings[c];
        let s = &ctx.spec.sections[si];
        out.push(
            Draft::new(
                "empty-section",
                h.line,
                message!(
                    "The section `{}` has no content yet (template instructions, placeholders and comments do not count). Write it for your model, or say why it does not apply.{}",
                    ctx.heading_display(c),
                    quote_instruction(ctx, si)
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
        // Alpha One (instruction only), Alpha Two (comment only), Beta (placeholder
        // only), and Alpha, whose subsections are all empty.
        assert_eq!(e, vec![5, 7, 11, 15]);
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
}
