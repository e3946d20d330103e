//! `missing-section`: which template sections the card lacks, and where each goes —
//! after the preceding section the card has, a missing parent right before its first
//! subsection the card has, its missing subsections in template order around the
//! present ones, the table of contents right after the title block — and what `fix`
//! inserts there (the template's own heading, text and fields). An insertion that
//! would take the author's headings under it is offered as an unsafe fix.

use super::{Context, MatchKind};
use crate::finding::{message, Draft, Edit};

/// Per present section, its missing subsections when the section holds text of its
/// own and two or more are missing: the author wrote them as one piece, and one
/// finding on it says to split it (not one finding per subsection).
fn in_one_piece(ctx: &Context) -> std::collections::BTreeMap<usize, Vec<usize>> {
    let spec = ctx.spec;
    let o = &ctx.outline;
    let mut by_parent: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (si, s) in spec.sections.iter().enumerate() {
        if o.spec_to_card[si].is_some() || s.optional || s.title_slot {
            continue;
        }
        // A subsection whose own subsections the card has is not absent: it is
        // their missing parent, not text written in one piece.
        if (0..spec.sections.len())
            .any(|d| d != si && spec.is_within(d, si) && o.spec_to_card[d].is_some())
        {
            continue;
        }
        if let Some(p) = s.parent.filter(|&p| !spec.sections[p].title_slot) {
            if let Some(pc) = o.spec_to_card[p] {
                let own_text = ctx
                    .card
                    .blocks
                    .iter()
                    .enumerate()
                    .any(|(bi, b)| b.section == Some(pc) && ctx.facts.content[bi]);
                if own_text {
                    by_parent.entry(p).or_default().push(si);
                }
            }
        }
    }
    by_parent.retain(|_, v| v.len() >= 2);
    by_parent
}

pub(super) fn missing(ctx: &Context, out: &mut Vec<Draft>) {
    let spec = ctx.spec;
    let o = &ctx.outline;
    let pieces = in_one_piece(ctx);
    for (&p, children) in &pieces {
        let pc = o.spec_to_card[p].expect("paired");
        let mut edits: Vec<(usize, Vec<String>)> = Vec::new();
        let mut safe = true;
        for &ci in children {
            let (_, _, at) = insertion_point(ctx, ci);
            safe &= captures_nothing(ctx, ci, at);
            let mut lines = Vec::new();
            skeleton(ctx, ci, &mut lines);
            match edits.iter_mut().find(|(l, _)| *l == at) {
                Some((_, ls)) => ls.extend(lines),
                None => edits.push((at, lines)),
            }
        }
        let names: Vec<String> = children
            .iter()
            .map(|&ci| message!("`{}`", spec.sections[ci].heading_line()))
            .collect();
        let edits: Vec<Edit> = edits
            .into_iter()
            .map(|(at, lines)| insertion(ctx, at, lines))
            .collect();
        let h = &ctx.card.headings[pc];
        // Text in one piece, or subsections of the author's that are not these.
        let has_subsections = o.logical_parent.contains(&Some(pc));
        let message = if has_subsections {
            message!(
                "{} lacks the subsections {} that the template asks for: add them, each with its part of the text (or “Not applicable” under one that does not apply).",
                ctx.heading_display(pc),
                names.join(", ")
            )
        } else {
            message!(
                "{} holds in one piece what the template splits into {}: add these subsections and move each part of the text under its own (or write “Not applicable” under one that does not apply).",
                ctx.heading_display(pc),
                names.join(", ")
            )
        };
        let d = Draft::new("missing-section", h.line, message)
            .end_line(h.end_line)
            .section(spec.sections[p].text.clone())
            .subject(message!("subsections of {}", spec.sections[p].text));
        out.push(if safe {
            d.edits(edits)
        } else {
            d.unsafe_edits(edits)
        });
    }
    for (si, s) in spec.sections.iter().enumerate() {
        if o.spec_to_card[si].is_some() || s.optional {
            continue;
        }
        if pieces.values().any(|v| v.contains(&si)) {
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
        let (line, where_, edits) = match first_present_descendant(ctx, si) {
            None => {
                let (line, where_, insert_at) = insertion_point(ctx, si);
                let mut lines = Vec::new();
                skeleton(ctx, si, &mut lines);
                (line, where_, vec![(insert_at, lines)])
            }
            Some(first) => around_present_children(ctx, si, first),
        };
        let safe = edits.iter().all(|(at, _)| captures_nothing(ctx, si, *at));
        let edits: Vec<Edit> = edits
            .into_iter()
            .map(|(at, lines)| insertion(ctx, at, lines))
            .collect();
        let d = Draft::new(
            "missing-section",
            line,
            message!(
                "The section `{}` is missing. Add it {where_}{with}, and fill it in.{}",
                s.heading_line(),
                ctx.quote_instruction(si)
            ),
        )
        .section(s.text.clone())
        .subject(s.text.clone());
        // Where the new heading would take the author's own headings under it, the
        // insertion changes what they belong to: a person decides.
        out.push(if safe {
            d.edits(edits)
        } else {
            d.unsafe_edits(edits)
        });
    }
}

/// The first card heading (in card order) paired with a subsection of `si`.
fn first_present_descendant(ctx: &Context, si: usize) -> Option<usize> {
    let o = &ctx.outline;
    (0..ctx.card.headings.len())
        .find(|&c| o.card_to_spec[c].is_some_and(|(d, _)| d != si && ctx.spec.is_within(d, si)))
}

/// A missing section whose subsections the card partly has: its heading and text
/// right before the first of them, each missing subsection after the nearest
/// earlier one the card has (or with the heading, when none is earlier), so they
/// come in the template's order around the author's.
fn around_present_children(
    ctx: &Context,
    si: usize,
    first: usize,
) -> (usize, String, Vec<(usize, Vec<String>)>) {
    let at = ctx.card.headings[first].line;
    let mut edits: Vec<(usize, Vec<String>)> = vec![(at, Vec::new())];
    plan_around(ctx, si, 0, &mut edits);
    (
        at,
        message!("right before {}", ctx.heading_display(first)),
        edits,
    )
}

/// Adds section `si`'s heading and text to `edits[head]`, and places each of its
/// missing subsections (see `around_present_children`).
fn plan_around(ctx: &Context, si: usize, head: usize, edits: &mut Vec<(usize, Vec<String>)>) {
    let spec = ctx.spec;
    let o = &ctx.outline;
    let s = &spec.sections[si];
    edits[head].1.push(heading_at(s, level_offset(ctx, si)));
    edits[head].1.push(String::new());
    if !s.body.is_empty() {
        edits[head].1.extend(s.body.iter().cloned());
        edits[head].1.push(String::new());
    }
    for (ci, c) in spec.sections.iter().enumerate() {
        if c.parent != Some(si) || o.spec_to_card[ci].is_some() || c.optional {
            continue;
        }
        let earlier = (0..ci)
            .rev()
            .filter(|&x| spec.sections[x].parent == Some(si))
            .find_map(|x| o.spec_to_card[x]);
        let block = match (earlier, first_present_descendant(ctx, ci)) {
            (None, None) | (None, Some(_)) => head,
            (Some(_), Some(f)) => {
                edits.push((ctx.card.headings[f].line, Vec::new()));
                edits.len() - 1
            }
            (Some(e), None) => {
                let (_, end) = target_extent(ctx, e);
                match edits.iter().position(|(l, _)| *l == end + 1) {
                    Some(i) => i,
                    None => {
                        edits.push((end + 1, Vec::new()));
                        edits.len() - 1
                    }
                }
            }
        };
        if first_present_descendant(ctx, ci).is_some() {
            plan_around(ctx, ci, block, edits);
        } else {
            let mut lines = Vec::new();
            skeleton(ctx, ci, &mut lines);
            edits[block].1.extend(lines);
        }
    }
}

/// The lines a card heading's section spans at the levels the fixes give: to the
/// line before the next heading of its level or higher.
fn target_extent(ctx: &Context, c: usize) -> (usize, usize) {
    let t = &ctx.outline.target_level;
    let headings = &ctx.card.headings;
    let end = (c + 1..headings.len())
        .find(|&x| t[x] <= t[c])
        .map_or(ctx.card.line_count(), |x| headings[x].line - 1);
    (headings[c].line, end.max(headings[c].end_line))
}

/// Inserting section `si` before line `at` leaves every heading where it was: the
/// headings it would take under it (up to the next one at its level or higher)
/// are all its own subsections, or under one of them.
fn captures_nothing(ctx: &Context, si: usize, at: usize) -> bool {
    let o = &ctx.outline;
    let level = (i16::from(ctx.spec.sections[si].level) + level_offset(ctx, si)).clamp(1, 6) as u8;
    let headings = &ctx.card.headings;
    let from = headings.partition_point(|h| h.line < at);
    let mut ok_top: Vec<usize> = Vec::new();
    for c in from..headings.len() {
        if o.target_level[c] <= level {
            break;
        }
        let own = o.card_to_spec[c]
            .is_some_and(|(d, k)| k != MatchKind::Likely && ctx.spec.is_within(d, si));
        let under_own = o.logical_parent[c].is_some_and(|p| ok_top.contains(&p));
        if own || under_own {
            ok_top.push(c);
        } else {
            return false;
        }
    }
    true
}

/// Where a missing section goes: after the nearest preceding template section the
/// card has, in the card's own order — after that section and its subsections, or,
/// when it is the missing section's parent, after its own text — never inside an
/// unrelated section. Returns the line a reviewer would comment on and the words.
fn insertion_point(ctx: &Context, si: usize) -> (usize, String, usize) {
    let spec = ctx.spec;
    let o = &ctx.outline;
    let headings = &ctx.card.headings;
    let level = |c: usize| o.target_level[c];
    let own = (i16::from(spec.sections[si].level) + level_offset(ctx, si)).clamp(1, 6) as u8;
    // `p` precedes `si` in the template, so it is never `si` itself.
    let is_ancestor = |p: usize| spec.is_within(si, p);
    let prev = (0..si).rev().find(|&p| o.spec_to_card[p].is_some());
    let (after, next) = match prev {
        Some(p) => {
            let pc = o.spec_to_card[p].expect("paired");
            let next = if spec.sections[p].title_slot {
                // Right after the title block (the table of contents), never mid-card.
                (pc + 1 < headings.len()).then_some(pc + 1)
            } else if is_ancestor(p) {
                // After the parent's own text and the author's deeper headings in it,
                // before its next subsection.
                (pc + 1..headings.len())
                    .find(|&c| level(c) <= own || o.card_to_spec[c].is_some_and(|(x, _)| x > si))
            } else {
                // After the preceding section's subsections; in a card whose
                // sections all sit one level deeper than the template's top (a flat
                // card), no heading is that high: then after the preceding section.
                let later = |c: usize| o.card_to_spec[c].is_some_and(|(x, _)| x > si);
                (pc + 1..headings.len())
                    .find(|&c| level(c) <= own || later(c))
                    .or_else(|| (pc + 1..headings.len()).find(|&c| level(c) <= level(pc)))
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
                "after {}, before {}",
                ctx.heading_display(a),
                ctx.heading_display(n)
            ),
            headings[n].line,
        ),
        (Some(a), None) => (
            last_line,
            message!("after {}, at the end of the card", ctx.heading_display(a)),
            last_line + 1,
        ),
        (None, Some(n)) => (
            headings[n].line,
            message!("before {}", ctx.heading_display(n)),
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
/// exactly what to fill in. Headings sit `offset` levels below the template's: as
/// deep as the card keeps the section's nearest ancestor it has.
pub(super) fn skeleton(ctx: &Context, si: usize, out: &mut Vec<String>) {
    skeleton_at(ctx, si, level_offset(ctx, si), out);
}

fn skeleton_at(ctx: &Context, si: usize, offset: i16, out: &mut Vec<String>) {
    let s = &ctx.spec.sections[si];
    out.push(heading_at(s, offset));
    out.push(String::new());
    if !s.body.is_empty() {
        out.extend(s.body.iter().cloned());
        out.push(String::new());
    }
    for (ci, c) in ctx.spec.sections.iter().enumerate() {
        if c.parent == Some(si) && ctx.outline.spec_to_card[ci].is_none() && !c.optional {
            skeleton_at(ctx, ci, offset, out);
        }
    }
}

/// The section's heading line, `offset` levels deeper than the template writes it.
fn heading_at(s: &crate::template::SectionSpec, offset: i16) -> String {
    let level = (i16::from(s.level) + offset).clamp(1, 6) as usize;
    message!("{} {}", "#".repeat(level), s.text)
}

/// How much deeper than the template the card keeps section `si`'s nearest
/// ancestor that it has (after the safe fixes); 0 when it has none.
fn level_offset(ctx: &Context, si: usize) -> i16 {
    let mut p = ctx.spec.sections[si].parent;
    while let Some(x) = p {
        if let Some(c) = ctx.outline.spec_to_card[x] {
            if ctx.spec.sections[x].title_slot {
                return 0;
            }
            return i16::from(ctx.outline.target_level[c]) - i16::from(ctx.spec.sections[x].level);
        }
        p = ctx.spec.sections[x].parent;
    }
    0
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
