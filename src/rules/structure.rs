//! Structure rules: missing-section, renamed-section, heading-level, section-order,
//! duplicate-section, empty-section. All read the outline pairing of card headings
//! with template sections.

use super::{Context, MatchKind};
use crate::card::Heading;
use crate::finding::{message, Draft, Edit};
use crate::text::ellipsize;

pub fn check(ctx: &Context, out: &mut Vec<Draft>) {
    if ctx.empty_card {
        // One root cause, one finding: not one per section of the template.
        out.push(
            Draft::new(
                "missing-section",
                1,
                message!(
                    "The card is empty: it has none of the template's {} sections and almost no text. Start from the hub's model card template: copy its sections and fill each in for your model.",
                    ctx.spec.sections.iter().filter(|s| !s.title_slot && !s.optional).count()
                ),
            )
            .subject("empty card")
            .edits(whole_template(ctx)),
        );
        return;
    }
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
                .subject(s.text.clone())
                .edits(vec![title_insertion(ctx, si)]),
            );
            continue;
        }
        let (line, where_, insert_at) = insertion_point(ctx, si);
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
        let mut lines = Vec::new();
        skeleton(ctx, si, &mut lines);
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
            .subject(s.text.clone())
            .edits(vec![insertion(ctx, insert_at, lines)]),
        );
    }
}

/// Where a missing section goes: after the nearest preceding template section the
/// card has, in the card's own order — after that section and its subsections, or,
/// when it is the missing section's parent, after its own text — never inside an
/// unrelated section. Returns the line a reviewer would comment on and the words.
fn insertion_point(ctx: &Context, si: usize) -> (usize, String, usize) {
    let spec = ctx.spec;
    let o = &ctx.outline;
    let headings = &ctx.card.headings;
    let level = |c: usize| match o.card_to_spec[c] {
        Some((x, _)) => spec.sections[x].level,
        None => headings[c].level,
    };
    let is_ancestor = |p: usize| {
        let mut a = spec.sections[si].parent;
        while let Some(x) = a {
            if x == p {
                return true;
            }
            a = spec.sections[x].parent;
        }
        false
    };
    let prev = (0..si).rev().find(|&p| o.spec_to_card[p].is_some());
    let (after, next) = match prev {
        Some(p) => {
            let pc = o.spec_to_card[p].expect("paired");
            let next = if is_ancestor(p) {
                (pc + 1 < headings.len()).then_some(pc + 1)
            } else {
                (pc + 1..headings.len()).find(|&c| level(c) <= spec.sections[si].level)
            };
            (Some(pc), next)
        }
        None => (None, o.card_to_spec.iter().position(|m| m.is_some())),
    };
    let last_line = ctx.card.line_count();
    match (after, next) {
        (Some(a), Some(n)) => (
            headings[n].line,
            message!(
                "after `{}`, before `{}`",
                ctx.heading_display(a),
                ctx.heading_display(n)
            ),
            headings[n].line,
        ),
        (Some(a), None) => (
            last_line,
            message!("after `{}`, at the end of the card", ctx.heading_display(a)),
            last_line + 1,
        ),
        (None, Some(n)) => (
            headings[n].line,
            message!("before `{}`", ctx.heading_display(n)),
            headings[n].line,
        ),
        (None, None) => (
            last_line,
            "at the end of the card".to_string(),
            last_line + 1,
        ),
    }
}

/// What `fix` inserts for a missing section: its heading and the template's own
/// text under it, and the same for each missing subsection, so the author sees
/// exactly what to fill in.
fn skeleton(ctx: &Context, si: usize, out: &mut Vec<String>) {
    let s = &ctx.spec.sections[si];
    out.push(s.heading_line());
    out.push(String::new());
    if !s.body.is_empty() {
        out.extend(s.body.iter().cloned());
        out.push(String::new());
    }
    for (ci, c) in ctx.spec.sections.iter().enumerate() {
        if c.parent == Some(si) && ctx.outline.spec_to_card[ci].is_none() && !c.optional {
            skeleton(ctx, ci, out);
        }
    }
}

/// For an empty card: the template's title (if the card has none) at the top, and
/// every section of the template after what the card has.
fn whole_template(ctx: &Context) -> Vec<Edit> {
    let spec = ctx.spec;
    let mut edits = Vec::new();
    if let Some(t) = spec.sections.iter().position(|s| s.title_slot) {
        if ctx.outline.spec_to_card[t].is_none() {
            edits.push(title_insertion(ctx, t));
        }
    }
    let mut lines = Vec::new();
    for (si, s) in spec.sections.iter().enumerate() {
        if s.parent.is_none()
            && !s.title_slot
            && !s.optional
            && ctx.outline.spec_to_card[si].is_none()
        {
            skeleton(ctx, si, &mut lines);
        }
    }
    edits.push(insertion(ctx, ctx.card.line_count() + 1, lines));
    edits
}

/// The template's title heading and its text, before the card's first heading (or
/// its first text): the author then names the model in place of the placeholder.
fn title_insertion(ctx: &Context, si: usize) -> Edit {
    let card = ctx.card;
    let at = card
        .headings
        .first()
        .map(|h| h.line)
        .or_else(|| card.blocks.first().map(|b| b.line))
        .unwrap_or(card.line_count() + 1);
    let s = &ctx.spec.sections[si];
    let mut lines = vec![s.heading_line(), String::new()];
    lines.extend(s.body.iter().cloned());
    insertion(ctx, at, lines)
}

/// `lines` inserted before line `at`, set off by blank lines from the text around.
pub fn insertion(ctx: &Context, at: usize, mut lines: Vec<String>) -> Edit {
    let last = ctx.card.line_count();
    let before = (at > 1).then(|| ctx.card.line_text(at - 1));
    if before.is_some_and(|b| !b.trim().is_empty()) {
        lines.insert(0, String::new());
    }
    if at > last {
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
    } else if lines.last().is_some_and(|l| !l.is_empty()) {
        lines.push(String::new());
    }
    Edit::insert_before(at, lines)
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

/// How many levels deeper (or, negative, higher) most of the card's headings sit
/// than the template's: the usual Hugging Face shape has every heading one deeper,
/// under a `# Model Card for …` title. None when most headings are at their level.
fn outline_shift(ctx: &Context) -> Option<i16> {
    let mut deltas: Vec<i16> = Vec::new();
    for (c, m) in ctx.outline.card_to_spec.iter().enumerate() {
        let Some((si, kind)) = *m else { continue };
        let s = &ctx.spec.sections[si];
        if s.title_slot || kind == MatchKind::Renamed {
            continue;
        }
        deltas.push(i16::from(ctx.card.headings[c].level) - i16::from(s.level));
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

fn renamed_and_levels(ctx: &Context, out: &mut Vec<Draft>) {
    let shift = outline_shift(ctx);
    let mut shifted: Vec<usize> = Vec::new();
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
                if !s.title_slot && shift == Some(i16::from(h.level) - i16::from(s.level)) {
                    shifted.push(c);
                    continue;
                }
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
    if let (Some(d), Some(&first)) = (shift, shifted.first()) {
        let edits: Vec<Edit> = shifted
            .iter()
            .filter_map(|&c| {
                let h = &ctx.card.headings[c];
                let (si, _) = ctx.outline.card_to_spec[c]?;
                let text = rewrite_heading(ctx, h, ctx.spec.sections[si].level, None)?;
                Some(Edit::replace(h.line, h.end_line, &text))
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
        out.push(
            Draft::new(
                "heading-level",
                h.line,
                message!(
                    "Every heading is {levels} {deeper} than the template's ({} headings, from `{}` on): {verb} each by {}, e.g. `{}` → `{}`.",
                    shifted.len(),
                    ctx.heading_display(first),
                    if n == 1 { "one `#`".to_string() } else { message!("{n} `#`") },
                    ctx.heading_display(first),
                    ctx.spec.sections[si].heading_line()
                ),
            )
            .end_line(h.end_line)
            .subject(message!("outline shifted by {d}"))
            .edits(edits),
        );
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
                    "`{}` is out of the template's order.{hint} Every card keeps the template's order so readers find sections in the same place.",
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
    // A stub followed by the real section: the duplicate warning says it all.
    for &(dup, si) in &ctx.outline.duplicates {
        if filled[dup] {
            if let Some(first) = ctx.outline.spec_to_card[si] {
                filled[first] = true;
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
    fn an_empty_card_is_one_finding() {
        let s = spec_from(HF);
        for card in [
            "",
            "# My model\n",
            "# My model\n\nComing later.\n",
            "\n\n<!-- nothing -->\n",
        ] {
            let f = run(&s, card);
            assert_eq!(f.len(), 1, "{card:?}: {f:#?}");
            assert_eq!(f[0].rule, "missing-section");
            assert!(
                f[0].message.starts_with("The card is empty"),
                "{}",
                f[0].message
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
        let r: Vec<(usize, Option<&str>)> = only(&f, "renamed-section")
            .iter()
            .map(|x| (x.line, x.suggestion.as_deref()))
            .collect();
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
        // A heading that shares no word with the missing one is not its rename.
        let f = run(
            &s,
            &card
                .replace("## Bias\n", "## Bias notes\n")
                .replace("### Hardware\n", "### Notes\n"),
        );
        assert_eq!(only(&f, "renamed-section").len(), 3, "{f:#?}");
        assert_eq!(only(&f, "missing-section").len(), 1, "{f:#?}");
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
