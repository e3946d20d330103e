//! Field rules: `missing-field` (a bold label the template puts in a section is absent)
//! and `empty-field` (a label with nothing after it).

use super::missing::insertion;
use super::Context;
use crate::card::BlockKind;
use crate::finding::{message, Draft, Edit};
use crate::text::push_field_key;

pub fn check(ctx: &Context, out: &mut Vec<Draft>) {
    let card = ctx.card;
    // The field blocks of sections that expect fields, as (section, block, key) with
    // the label keys one after the other in `keys`; ordered by section (blocks come in
    // section order already), so each section's fields are one run.
    let wanted = |c: usize| {
        ctx.outline.card_to_spec[c].is_some_and(|(si, _)| !ctx.spec.sections[si].fields.is_empty())
    };
    if ctx.empty_card {
        return;
    }
    // A duplicate section's fields count for the section it repeats.
    let mut owner: Vec<usize> = (0..card.headings.len()).collect();
    for &(dup, si) in &ctx.outline.duplicates {
        if let Some(first) = ctx.outline.spec_to_card[si] {
            owner[dup] = first;
        }
    }
    let mut entries: Vec<(usize, usize, std::ops::Range<usize>)> = Vec::new();
    let mut keys = String::new();
    for (bi, b) in card.blocks.iter().enumerate() {
        let section = b.section.map(|s| owner.get(s).copied().unwrap_or(s));
        if let (Some(s), Some(fa)) = (section, ctx.facts.field[bi].as_ref()) {
            if wanted(s) {
                let start = keys.len();
                push_field_key(fa.label_text(card.block_text(b)), &mut keys);
                entries.push((s, bi, start..keys.len()));
            }
        }
    }
    // Stable, so blocks keep their order within a section.
    entries.sort_by_key(|e| e.0);
    for (c, m) in ctx.outline.card_to_spec.iter().enumerate() {
        let Some((si, _)) = *m else { continue };
        let spec = &ctx.spec.sections[si];
        if spec.fields.is_empty() {
            continue;
        }
        let section_name = ctx.section_name(Some(c));
        let from = entries.partition_point(|e| e.0 < c);
        let to = from + entries[from..].partition_point(|e| e.0 == c);
        let fields_here = &entries[from..to];
        // The author's own subheadings directly under the section (`### Input
        // specification`) state a field too.
        // Worked out only when a field is not found as a labelled line.
        let subheadings_cell = std::cell::OnceCell::new();
        let subheadings = || {
            subheadings_cell.get_or_init(|| {
                (c + 1..card.headings.len())
                    .take_while(|&x| card.headings[x].level > card.headings[c].level)
                    .filter(|&x| {
                        ctx.outline.card_parent[x] == Some(c)
                            && ctx.outline.card_to_spec[x].is_none()
                    })
                    .map(|x| crate::text::field_key(card.heading_text(&card.headings[x])))
                    .collect::<Vec<String>>()
            })
        };
        let mut missing: Vec<&crate::template::FieldSpec> = Vec::new();
        for f in &spec.fields {
            let found = fields_here
                .iter()
                .find(|(_, _, key)| f.accepted.iter().any(|a| *a == keys[key.clone()]))
                .or_else(|| {
                    fields_here
                        .iter()
                        .find(|(_, _, key)| label_variant(f, &spec.fields, &keys[key.clone()]))
                })
                .map(|(_, bi, _)| *bi);
            let as_heading = found.is_none()
                && (subheadings().iter().any(|k| {
                    f.accepted.iter().any(|a| a == k) || label_variant(f, &spec.fields, k)
                }) || in_table(ctx, c, f, &spec.fields));
            match found {
                None if as_heading => {}
                None => missing.push(f),
                Some(bi) => {
                    let b = &card.blocks[bi];
                    let fa = ctx.facts.field[bi].as_ref().expect("field");
                    let text = card.block_text(b);
                    let value = text[fa.value_start.min(text.len())..].trim();
                    let value =
                        value.trim_matches(|ch: char| ch == '*' || ch == '_' || ch.is_whitespace());
                    // Looked at only when the label has a bracket at all.
                    let label = fa.label_text(text).contains('[').then(|| fa.label(text));
                    let mark_at = label
                        .as_deref()
                        .and_then(|l| l.to_ascii_lowercase().find("[optional]"));
                    if let (Some(at), Some(label)) = (mark_at, label) {
                        let line_text = card.line_text(b.line);
                        let mark = &label[at..at + "[optional]".len()];
                        out.push(
                            Draft::new(
                                "optional-marker",
                                b.line,
                                message!(
                                    "The field label {} still carries the template's mark {}: remove it; the hub's settings decide what is optional.",
                                    crate::text::code(&format!("{label}:")),
                                    crate::text::code(mark)
                                ),
                            )
                            .section_opt(section_name.clone())
                            .field(f.label.clone())
                            .subject(f.label.clone())
                            .suggestion(line_text.replacen(&format!(" {mark}"), "", 1)),
                        );
                    }
                    if value.is_empty() && !b.has_children {
                        let hint = f
                            .hint
                            .as_deref()
                            .map(|h| message!(" ({h})"))
                            .unwrap_or_default();
                        out.push(
                            Draft::new(
                                "empty-field",
                                b.line,
                                message!(
                                    "The field {} is empty. Write the information after the colon{hint}, or “Not applicable” and why.",
                                    crate::text::code(&format!("{}:", fa.label(text)))
                                ),
                            )
                            .section_opt(section_name.clone())
                            .field(f.label.clone())
                            .subject(f.label.clone()),
                        );
                    }
                }
            }
        }
        // A field the card states under another section: there, not missing.
        missing.retain(|f| match stated_elsewhere(ctx, &owner, c, spec, f) {
            Some(bi) => {
                let b = &card.blocks[bi];
                let here = b.section.map_or_else(
                    || "the top of the card".to_string(),
                    |s| ctx.heading_display(s),
                );
                out.push(
                    Draft::new(
                        "field-elsewhere",
                        b.line,
                        message!(
                            "**{}:** is given under {here}, but the template has it in {}: move the line there, so readers and the hub's tools find it.",
                            f.label,
                            ctx.heading_display(c)
                        ),
                    )
                    .section_opt(section_name.clone())
                    .field(f.label.clone())
                    .subject(f.label.clone()),
                );
                false
            }
            None => true,
        });
        let h = &card.headings[c];
        let last_field = fields_here.last().map(|e| e.1);
        if missing.len() >= 2 && missing.len() == spec.fields.len() && fields_here.is_empty() {
            // None of the section's fields: one finding says so, not one per field.
            let lines: Vec<String> = missing.iter().map(|f| f.line.clone()).collect();
            let labels: Vec<String> = missing
                .iter()
                .map(|f| message!("`- **{}:** …`", f.label))
                .collect();
            let prose = section_has_text(ctx, c);
            let msg = if prose {
                message!(
                    "{} gives its information as text, but the template asks for it as labelled fields, so readers and the hub's tools find it: state it as {} (keep your text, or move it into the fields).",
                    ctx.heading_display(c),
                    labels.join(", ")
                )
            } else {
                message!(
                    "{} has none of the template's fields. Add {} with the information, or “Not applicable” and why.",
                    ctx.heading_display(c),
                    labels.join(", ")
                )
            };
            // With no text of the author's, the section is unwritten: the grouping
            // takes this into that section's leftovers (see `group`).
            out.push(
                Draft::new("missing-field", h.line, msg)
                    .section_opt(section_name.clone())
                    .subject(if prose { "every field" } else { NO_FIELDS })
                    .edits(vec![field_insertion(ctx, c, None, &lines)]),
            );
            continue;
        }
        if missing.len() >= 2 {
            // Several fields missing from one section: one piece of work, one
            // finding that names each, with one insertion of all of them.
            let lines: Vec<String> = missing.iter().map(|f| f.line.clone()).collect();
            let (told, absent): (Vec<&&crate::template::FieldSpec>, Vec<_>) =
                missing.iter().partition(|f| told_in_text(ctx, c, f));
            let names = |fs: &[&&crate::template::FieldSpec]| {
                fs.iter()
                    .map(|f| message!("**{}:**", f.label))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let message = if absent.is_empty() {
                message!(
                    "{} gives {} in its text, but the template asks for them as labelled lines, so readers and the hub's tools find them: add a line for each (`- **{}:** …`) with what the text says.",
                    ctx.heading_display(c),
                    names(&told),
                    told[0].label
                )
            } else {
                let also = if told.is_empty() {
                    String::new()
                } else {
                    message!(
                        " Its text already gives {}: state {} as a labelled line too.",
                        names(&told),
                        if told.len() == 1 { "it" } else { "each" }
                    )
                };
                message!(
                    "{} lacks {} of the template's fields: {}. Add a line for each (`- **{}:** …`) with the information, or “Not applicable” and why.{also}",
                    ctx.heading_display(c),
                    absent.len(),
                    names(&absent),
                    absent[0].label
                )
            };
            out.push(
                Draft::new("missing-field", h.line, message)
                    .section_opt(section_name.clone())
                    .subject("missing fields")
                    .edits(vec![field_insertion(ctx, c, last_field, &lines)]),
            );
            continue;
        }
        for f in missing {
            let hint = f
                .hint
                .as_deref()
                .map(|h| message!(" ({h})"))
                .unwrap_or_default();
            let fix = field_insertion(ctx, c, last_field, std::slice::from_ref(&f.line));
            let message = if told_in_text(ctx, c, f) {
                message!(
                    "{} gives **{}:** in its text, but the template asks for it as a labelled line, so readers and the hub's tools find it: add `- **{}:** …` with what the text says.",
                    ctx.heading_display(c),
                    f.label,
                    f.label
                )
            } else {
                message!(
                    "The field **{}:** is missing from {}. Add a line `- **{}:** …` with the information{hint}, or “Not applicable” and why.",
                    f.label,
                    ctx.heading_display(c),
                    f.label
                )
            };
            out.push(
                Draft::new("missing-field", h.line, message)
                    .section_opt(section_name.clone())
                    .field(f.label.clone())
                    .subject(f.label.clone())
                    .edits(vec![fix]),
            );
        }
    }
}

/// A field block in another section of the card (not one that section's own
/// template expects there) whose label names field `f`.
fn stated_elsewhere(
    ctx: &Context,
    owner: &[usize],
    c: usize,
    spec: &crate::template::SectionSpec,
    f: &crate::template::FieldSpec,
) -> Option<usize> {
    let card = ctx.card;
    card.blocks.iter().enumerate().find_map(|(bi, b)| {
        let fa = ctx.facts.field[bi].as_ref()?;
        let s = b.section.map(|s| owner.get(s).copied().unwrap_or(s));
        if s == Some(c) {
            return None;
        }
        // A placeholder there states nothing.
        if !ctx.facts.hits_of(bi).is_empty() {
            return None;
        }
        let key = crate::text::field_key(fa.label_text(card.block_text(b)));
        if let Some(s) = s {
            // Another heading of the same section's name is the same section.
            let same = |x: usize| crate::text::loose_key(card.heading_text(&card.headings[x]));
            if same(s) == same(c) {
                return None;
            }
            // A label that is the topic of the section it stands in (`Training:`
            // under `### Training Data`) says something of that section.
            let here = crate::text::name_words(card.heading_text(&card.headings[s]));
            let words = crate::text::name_words(&key);
            if !words.is_empty() && words.iter().all(|w| here.contains(w)) {
                return None;
            }
        }
        // That section's own field of the same name: it belongs there.
        let theirs = s
            .and_then(|s| ctx.outline.card_to_spec[s])
            .map(|(si, _)| &ctx.spec.sections[si].fields);
        if theirs.is_some_and(|fs| fs.iter().any(|g| g.accepted.contains(&key))) {
            return None;
        }
        (f.accepted.contains(&key) || label_variant(f, &spec.fields, &key)).then_some(bi)
    })
}

/// The subject of "none of the template's fields" in a section with no text of the
/// author's: the same piece of work as its placeholders, grouped with them.
pub(super) const NO_FIELDS: &str = "no fields";

/// A table in the section whose row starts with the field's name (`| Epochs | 50 |`):
/// the fact is stated, as a table.
fn in_table(
    ctx: &Context,
    c: usize,
    f: &crate::template::FieldSpec,
    all: &[crate::template::FieldSpec],
) -> bool {
    let card = ctx.card;
    let mut last_line = 0;
    card.blocks.iter().any(|b| {
        if b.kind != BlockKind::Cell || b.section != Some(c) {
            return false;
        }
        // The first cell of each row.
        let first = b.line != last_line;
        last_line = b.line;
        if !first {
            return false;
        }
        let key = crate::text::field_key(card.block_text(b));
        !key.is_empty() && (f.accepted.contains(&key) || label_variant(f, all, &key))
    })
}

/// The section's own text (not a field line) names the field's words: the fact is
/// there, only without its label (`We trained for 50 epochs` for **Epochs:**).
fn told_in_text(ctx: &Context, c: usize, f: &crate::template::FieldSpec) -> bool {
    let want = crate::text::name_words(&f.label);
    if want.is_empty() {
        return false;
    }
    ctx.card.blocks.iter().enumerate().any(|(bi, b)| {
        b.section == Some(c) && ctx.facts.content[bi] && ctx.facts.field[bi].is_none() && {
            let words = crate::text::name_words(ctx.card.block_text(b));
            want.iter().all(|w| words.contains(w))
        }
    })
}

/// The section has text of the author's (not only template text or placeholders).
fn section_has_text(ctx: &Context, c: usize) -> bool {
    ctx.card
        .blocks
        .iter()
        .enumerate()
        .any(|(bi, b)| b.section == Some(c) && ctx.facts.content[bi])
        || ctx.card.other_content.iter().any(|o| o.section == Some(c))
}

/// A card label that names template field `f` in other words: a plural or singular
/// (`Epoch`), one of several joined by `/`, `,` or `and` (`Epochs / batch size`), or
/// some of its words that no other field of the section has (`Loss` for `Loss
/// function`, `Input` for `Input specifications`).
fn label_variant(
    f: &crate::template::FieldSpec,
    all: &[crate::template::FieldSpec],
    key: &str,
) -> bool {
    use crate::text::name_words;
    let parts: Vec<&str> = key
        .split(['/', ',', '&', ';'])
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let fw = name_words(&f.label);
    parts.iter().any(|part| {
        if f.accepted.iter().any(|a| a == part) {
            return true;
        }
        let pw = name_words(part);
        // A longer label holding all of the field's words (`Initial learning
        // rate`), unless another field's words are in it too.
        // (Two words at least: one word, `Training`, is in too many labels.)
        if fw.len() >= 2
            && pw.len() > fw.len()
            && fw.iter().all(|w| pw.contains(w))
            && !all.iter().any(|g| {
                !std::ptr::eq(g, f) && {
                    let gw = name_words(&g.label);
                    !gw.is_empty() && gw.iter().all(|w| pw.contains(w))
                }
            })
        {
            return true;
        }
        if pw.is_empty() || !pw.iter().all(|w| fw.contains(w)) {
            return false;
        }
        // All of the template's words (a plural or singular), or words only this
        // field of the section has.
        pw.len() == fw.len()
            || (pw.iter().all(|w| w.chars().count() >= 4)
                && !all.iter().any(|g| {
                    !std::ptr::eq(g, f) && {
                        let gw = name_words(&g.label);
                        pw.iter().all(|w| gw.contains(w))
                    }
                }))
    })
}

/// Where a missing field goes: after the section's last field bullet (and the list
/// it ends), or at the end of the section's own text.
fn field_insertion(ctx: &Context, c: usize, last_field: Option<usize>, lines: &[String]) -> Edit {
    let card = ctx.card;
    match last_field {
        Some(bi) => {
            let mut end = card.blocks[bi].end_line;
            for b in &card.blocks[bi + 1..] {
                // A field line that leads in a list or table (`Data:` then bullets)
                // keeps it: the gap after a lead-in ending with `:` is crossed.
                let lead_in = card.line_text(end).trim_end().ends_with(':');
                let gap = if lead_in { 2 } else { 1 };
                let continues = b.kind == BlockKind::Item || b.kind == BlockKind::Cell;
                if b.section != Some(c) || !continues || b.line > end + gap {
                    break;
                }
                end = end.max(b.end_line);
            }
            Edit::insert_before(end + 1, lines.to_vec())
        }
        None => {
            let at = card
                .headings
                .get(c + 1)
                .map_or(card.line_count() + 1, |h| h.line);
            insertion(ctx, at, lines.to_vec())
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    const T: &str = "# [Name]\n\n*Summary text goes here*\n\n# Details\n\n- **Developed by:** *[Names]*\n- **License:** *[License]*\n- **Software compatibility:** *[Software]*\n";

    #[test]
    fn bracketed_asides_in_template_labels() {
        // Hugging Face's template says `**Funded by [optional]:**`; a card that keeps
        // the label as written, or drops the aside, has the field.
        let s = spec_from("# [Name]\n\n# Details\n\n- **Funded by [optional]:** [Funders]\n");
        for label in ["Funded by [optional]", "Funded by"] {
            let f = run(
                &s,
                &format!("# M\n\n# Details\n\n- **{label}:** EU Horizon\n"),
            );
            assert!(only(&f, "missing-field").is_empty(), "{label}: {f:#?}");
        }
    }

    #[test]
    fn missing_and_empty_fields() {
        let s = spec_from(T);
        let f = run(&s, "# M\n\nA model.\n\n# Details\n\n- **Developed by:**\n- Software compatibility: napari\n");
        let m = only(&f, "missing-field");
        assert_eq!(m.len(), 1, "{f:#?}");
        assert_eq!(m[0].field.as_deref(), Some("License"));
        assert_eq!(m[0].line, 5);
        let e = only(&f, "empty-field");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 7);
        assert_eq!(e[0].field.as_deref(), Some("Developed by"));
    }

    #[test]
    fn label_variants_are_accepted() {
        let s = spec_from(T);
        let f = run(
            &s,
            "# M\n\nA model.\n\n# Details\n\n- **Developed By**: Jo\n- License: MIT\n- **Software compatibility:**\n  - napari\n  - Fiji\n",
        );
        assert!(only(&f, "missing-field").is_empty(), "{f:#?}");
        assert!(only(&f, "empty-field").is_empty(), "{f:#?}");
    }

    #[test]
    fn aliases_from_config() {
        let cfg = crate::config::Config::parse(
            "[field-aliases]\n\"Software compatibility\" = [\"BioImage.IO compatibility\"]\n",
            std::path::Path::new("."),
        )
        .unwrap();
        let s = crate::template::Spec::from_markdown(T, "t", &cfg).unwrap();
        let f = crate::rules::check_text(
            &s,
            &cfg,
            "README.md",
            "# M\n\nA model.\n\n# Details\n\n- **Developed by:** Jo\n- **License:** MIT\n- **BioImage.IO compatibility:** yes\n",
            &crate::rules::NoOracle,
        );
        assert!(f.is_empty(), "{f:#?}");
    }

    const HP: &str = "# [Name]\n\n*Summary text goes here*\n\n# Training\n\n- **Epochs:** *[Number]*\n- **Batch size:** *[Size]*\n- **Learning rate:** *[LR]*\n- **Loss function:** *[Loss]*\n- **Optimizer:** *[Opt]*\n\n# Architecture\n\n- **Input specifications:** *[Shapes]*\n- **Output specifications:** *[Format]*\n";

    #[test]
    fn labels_in_other_words_are_the_field() {
        let s = spec_from(HP);
        let f = run(
            &s,
            "# M\n\nA model.\n\n# Training\n\n- **Epoch / batch size / learning rate:** 50, 8, 1e-4\n- **Loss:** Dice\n- **Optimizers:** Adam\n\n# Architecture\n\nA U-Net.\n\n## Input specification\n\n2D, float32.\n\n## Output specifications\n\nMasks.\n",
        );
        assert!(only(&f, "missing-field").is_empty(), "{f:#?}");
        // A word two fields share names neither: both are missing, in one finding.
        let f = run(&s, "# M\n\nA model.\n\n# Training\n\n- **Epochs:** 5\n- **Batch size:** 8\n- **Learning rate:** 1\n- **Loss function:** Dice\n- **Optimizer:** Adam\n\n# Architecture\n\n- **Specifications:** 2D\n");
        let m = only(&f, "missing-field");
        assert_eq!(m.len(), 1, "{f:#?}");
        assert!(
            m[0].message.contains("lacks 2 of the template's fields: **Input specifications:**, **Output specifications:**"),
            "{}",
            m[0].message
        );
    }

    #[test]
    fn a_field_in_a_table_row_is_there() {
        let s = spec_from(HP);
        let f = run(
            &s,
            "# M\n\nA model.\n\n# Training\n\n| Setting | Value |\n|---|---|\n| Epochs | 50 |\n| Batch size | 8 |\n| Learning rate | 1e-4 |\n| Loss function | Dice |\n| Optimizer | Adam |\n\n# Architecture\n\n- **Input specifications:** 2D\n- **Output specifications:** masks\n",
        );
        assert!(only(&f, "missing-field").is_empty(), "{f:#?}");
    }

    #[test]
    fn a_fact_the_text_gives_is_named_as_such_not_asked_for() {
        let s = spec_from(HP);
        let f = run(
            &s,
            "# M\n\nA model.\n\n# Training\n\n- **Epochs:** 50\n- **Optimizer:** Adam\n\nWe used a batch size of 8 and a learning rate of 1e-4.\n\n# Architecture\n\n- **Input specifications:** 2D\n- **Output specifications:** masks\n",
        );
        let m = only(&f, "missing-field");
        assert_eq!(m.len(), 1, "{f:#?}");
        assert!(
            m[0].message.contains("lacks 1 of the template's fields: **Loss function:**")
                && m[0].message.contains("Its text already gives **Batch size:**, **Learning rate:**: state each as a labelled line too."),
            "{}",
            m[0].message
        );
    }

    #[test]
    fn a_section_with_none_of_its_fields_is_one_finding() {
        let s = spec_from(HP);
        let f = run(
            &s,
            "# M\n\nA model.\n\n# Training\n\nWe trained for 50 epochs with Adam.\n\n# Architecture\n\n- **Input specifications:** 2D\n- **Output specifications:** masks\n",
        );
        let m = only(&f, "missing-field");
        assert_eq!(m.len(), 1, "{f:#?}");
        assert!(
            m[0].message.contains("gives its information as text"),
            "{}",
            m[0].message
        );
        assert!(
            m[0].message.contains("`- **Loss function:** …`"),
            "{}",
            m[0].message
        );
        // Its fix adds every field line at the end of the section.
        assert_eq!(m[0].edits.len(), 1);
        assert_eq!(
            m[0].edits[0]
                .lines
                .iter()
                .filter(|l| l.starts_with("- **"))
                .count(),
            5
        );
    }

    #[test]
    fn an_optional_mark_left_in_a_label_or_heading_is_a_notice_with_its_fix() {
        let s = spec_from("# [Name]\n\n# Details\n\n- **Funded by:** *[Funders]*\n\n## Sources\n\n- **Repository:** *[URL]*\n");
        let f = run(&s, "# M\n\nA model.\n\n# Details\n\n- **Funded by [optional]:** EU Horizon\n\n## Sources [optional]\n\n- **Repository:** x\n");
        let o = only(&f, "optional-marker");
        assert_eq!(o.len(), 2, "{f:#?}");
        assert_eq!(
            o[0].suggestion.as_deref(),
            Some("- **Funded by:** EU Horizon")
        );
        assert_eq!(o[1].suggestion.as_deref(), Some("## Sources"));
        assert!(only(&f, "renamed-section").is_empty(), "{f:#?}");
    }
}
