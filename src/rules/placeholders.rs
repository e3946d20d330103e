//! Leftovers of the template: `placeholder` (spans like `[Model Name]`, `0.XX`, TODO)
//! and `template-text` (the template's instructions and examples, kept nearly verbatim).

use super::Context;
use crate::finding::{message, Draft};
use crate::matcher::PlaceholderKind;
use crate::text::ellipsize;
use std::collections::BTreeMap;

pub fn check(ctx: &Context, out: &mut Vec<Draft>) {
    placeholders(ctx, out);
    front_matter(ctx, out);
    template_text(ctx, out);
}

/// `{{ … }}` left in the YAML front matter (Hugging Face's template fills it from
/// code): the card's metadata is not filled in.
fn front_matter(ctx: &Context, out: &mut Vec<Draft>) {
    let Some(lines) = crate::metadata::front_matter_lines(ctx.card.text) else {
        return;
    };
    for line in lines {
        let text = ctx.card.line_text(line);
        let Some(open) = text.find("{{") else {
            continue;
        };
        let end = text[open..].find("}}").map_or(text.len(), |e| open + e + 2);
        let tag = &text[open..end];
        let key = text.split(':').next().unwrap_or("").trim();
        // A tag standing for whole lines of YAML (`{{ card_data }}`) is no key's value.
        let message = if text[..open].trim().is_empty() {
            message!(
                "{} in the front matter is a template tag that stands for the card's metadata, not YAML: write the keys it stands for (such as `license:` and `tags:`), which the hub and Hugging Face read.",
                crate::text::code(tag)
            )
        } else {
            message!(
                "{} in the front matter's {} is a template tag, not a value: write the value (the hub and Hugging Face read it), or remove the key.",
                crate::text::code(tag),
                crate::text::code(&format!("{key}:"))
            )
        };
        out.push(
            Draft::new("placeholder", line, message)
                .column(text[..open].chars().count() + 1)
                .subject(tag.to_string()),
        );
    }
}

/// Lines of template tags from which a card counts as an unrendered template.
const UNRENDERED_TAG_LINES: usize = 3;

struct LineHits {
    texts: Vec<String>,
    /// Where the first placeholder on the line starts.
    column: Option<usize>,
    /// Where it ends (exclusive), when on the same line; 0 otherwise.
    end_column: usize,
    any_template: bool,
    any_generic: bool,
    field: Option<String>,
    hint: Option<String>,
    section: Option<usize>,
}

fn placeholders(ctx: &Context, out: &mut Vec<Draft>) {
    let card = ctx.card;
    // One finding per line: a results row with eight `0.XX` is one thing to fix.
    let mut by_line: BTreeMap<usize, LineHits> = BTreeMap::new();
    for (bi, b) in card.blocks.iter().enumerate() {
        let hits = ctx.facts.hits_of(bi);
        if hits.is_empty() {
            continue;
        }
        let text = card.block_text(b);
        let field = ctx.facts.field[bi].as_ref();
        for h in hits {
            let line = card.line_of_plain(b, h.range.start);
            let entry = by_line.entry(line).or_insert_with(|| LineHits {
                texts: Vec::new(),
                column: Some(card.column_of_plain(b, h.range.start)),
                end_column: {
                    let last = text[h.range.clone()]
                        .char_indices()
                        .last()
                        .map_or(h.range.start, |(i, _)| h.range.start + i);
                    if card.line_of_plain(b, last) == line {
                        card.column_of_plain(b, last) + 1
                    } else {
                        0
                    }
                },
                any_template: false,
                any_generic: false,
                field: None,
                hint: None,
                section: b.section,
            });
            let t = text[h.range.clone()].to_string();
            if !entry.texts.contains(&t) {
                entry.texts.push(t);
            }
            match h.kind {
                PlaceholderKind::Template(_) | PlaceholderKind::Configured => {
                    entry.any_template = true
                }
                PlaceholderKind::Generic => entry.any_generic = true,
            }
            if let Some(f) = field.filter(|f| h.range.start >= f.value_start) {
                if entry.field.is_none() {
                    entry.field = Some(f.label(text));
                    entry.hint = template_hint(ctx, b.section, &f.key(text));
                }
            }
        }
    }
    // What Markdown reads as HTML: `<model specific results here>`.
    for (line, section, text) in &card.html_placeholders {
        let entry = by_line.entry(*line).or_insert_with(|| LineHits {
            texts: Vec::new(),
            column: card
                .line_text(*line)
                .find(text.as_str())
                .map(|i| card.line_text(*line)[..i].chars().count() + 1),
            end_column: card.line_text(*line).find(text.as_str()).map_or(0, |i| {
                card.line_text(*line)[..i].chars().count() + 1 + text.chars().count()
            }),
            any_template: false,
            any_generic: true,
            field: None,
            hint: None,
            section: *section,
        });
        if !entry.texts.contains(text) {
            entry.texts.push(text.clone());
        }
    }
    // The template's own title, kept as the card's.
    if let (Some(title), Some(h)) = (&ctx.spec.template_title, card.headings.first()) {
        let text = card.heading_text(h);
        if text.eq_ignore_ascii_case(title) {
            let entry = by_line.entry(h.line).or_insert_with(|| LineHits {
                texts: Vec::new(),
                column: None,
                end_column: 0,
                any_template: true,
                any_generic: false,
                field: None,
                hint: Some("the name of your model".into()),
                section: Some(0),
            });
            if !entry.texts.iter().any(|t| t == text) {
                entry.texts.insert(0, text.to_string());
            }
        }
    }
    // A card that is an unrendered template (`{{ model_id }}`, `{% if … %}` on line
    // after line) is one thing to fix: render it.
    let is_tag = |t: &String| t.starts_with("{{") || t.starts_with("{%");
    let tag_lines: Vec<usize> = by_line
        .iter()
        .filter(|(_, lh)| lh.texts.iter().all(is_tag))
        .map(|(l, _)| *l)
        .collect();
    // Only a card that is all template: where some of it is written by hand,
    // rendering would erase that text, and each tag is a place to fill instead.
    let hand_written = || {
        card.blocks.iter().enumerate().any(|(bi, b)| {
            b.kind != crate::card::BlockKind::Heading
                && ctx.facts.content[bi]
                && ctx.facts.hits_of(bi).is_empty()
                && ctx.facts.template_text[bi].is_none()
        })
    };
    if tag_lines.len() >= UNRENDERED_TAG_LINES && !hand_written() {
        let first = tag_lines[0];
        let shown: Vec<String> = tag_lines.iter().take(5).map(|l| l.to_string()).collect();
        let sample = by_line[&first].texts[0].clone();
        out.push(
            Draft::new(
                "placeholder",
                first,
                message!(
                    "This card is an unrendered template: {} lines (lines {}{}) still hold template tags such as {}. Render it with the tool that made it (for example Hugging Face's `ModelCard.from_template`), or write the text in their place.",
                    tag_lines.len(),
                    shown.join(", "),
                    if tag_lines.len() > 5 { ", …" } else { "" },
                    crate::text::code(&sample)
                ),
            )
            .subject("unrendered template"),
        );
        for l in tag_lines {
            by_line.remove(&l);
        }
    }
    for (line, lh) in by_line {
        // The message is written piece by piece into one string: an unfilled template
        // has a hundred of these.
        let mut msg = String::with_capacity(200);
        for (k, t) in lh.texts.iter().enumerate() {
            if k > 0 {
                msg.push_str(", ");
            }
            crate::text::push_code(&crate::text::ellipsize(t, 60), &mut msg);
        }
        msg.push_str(if lh.texts.len() == 1 {
            " is a placeholder"
        } else {
            " are placeholders"
        });
        if let Some(f) = &lh.field {
            msg.push_str(" in the field ");
            crate::text::push_code(&format!("{f}:"), &mut msg);
        }
        msg.push_str(". ");
        let numeric = lh
            .texts
            .iter()
            .all(|t| t.to_ascii_uppercase().contains(".X"));
        if numeric {
            msg.push_str("Enter the measured values (for example `0.87 ± 0.03`), or remove the row if you did not measure it.");
        } else if let Some(h) = &lh.hint {
            msg.push_str("Replace it with your model's information (");
            msg.push_str(h);
            msg.push_str("), or write “Not applicable” and why.");
        } else if lh.any_generic && !lh.any_template {
            msg.push_str(if lh.texts.len() == 1 {
                "It marks unfinished text: write the information, or “Not applicable” and why."
            } else {
                "They mark unfinished text: write the information, or “Not applicable” and why."
            });
        } else {
            msg.push_str(
                "Replace it with your model's information, or write “Not applicable” and why.",
            );
        }
        let line_text = card.line_text(line).trim().to_string();
        let mut d = Draft::new("placeholder", line, msg);
        if let Some(c) = lh.column {
            d = if lh.end_column > c {
                d.columns(c, lh.end_column)
            } else {
                d.column(c)
            };
        }
        out.push(
            d.section_opt(ctx.section_name(lh.section))
                .field_opt(lh.field)
                .subject(line_text),
        );
    }
}

/// What the template asks for in a field, for the message.
fn template_hint(ctx: &Context, section: Option<usize>, key: &str) -> Option<String> {
    let (si, _) = section.and_then(|h| ctx.outline.card_to_spec[h])?;
    ctx.spec.sections[si]
        .fields
        .iter()
        .find(|f| f.accepted.iter().any(|a| a == key))
        .and_then(|f| f.hint.clone())
}

fn template_text(ctx: &Context, out: &mut Vec<Draft>) {
    let card = ctx.card;
    for (bi, b) in card.blocks.iter().enumerate() {
        let Some(ti) = ctx.facts.template_text[bi] else {
            continue;
        };
        // An unfilled field (`- **Biological systems:** *[Cell types…]*`) is one
        // finding, its placeholder; that its words echo some other example is noise.
        if ctx.facts.field[bi].is_some() && !ctx.facts.hits_of(bi).is_empty() {
            continue;
        }
        let ins = &ctx.spec.instructions[ti];
        let kind = if ins.norm.starts_with("example") {
            "example"
        } else {
            "instruction"
        };
        let quoted = ellipsize(ins.display.trim_matches(|c| c == '*' || c == '_'), 100);
        out.push(
            Draft::new(
                "template-text",
                b.line,
                message!(
                    "This is the template's {kind} text ({}), not information about your model. Replace it with your own text, or delete it.",
                    crate::text::code(&quoted)
                ),
            )
            .end_line(b.end_line)
            .section_opt(ctx.section_name(b.section))
            .subject(ins.norm.clone()),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::*;

    const T: &str = "# [Name]\n\n*A short summary of the model please*\n\n# Details\n\n- **Developed by:** *[Name(s), Institution(s)]*\n- **License:** *[License name]*\n\n| Metric | Condition A | Condition B |\n|---|---|---|\n| IoU | 0.XX | 0.XX |\n";

    #[test]
    fn template_spans_and_generic() {
        let s = spec_from(T);
        let f = run(
            &s,
            "# [Name]\n\nA model.\n\n# Details\n\n- **Developed by:** *[Name(s), Institution(s)]*\n- **License:** TBD\n\n| Metric | Condition A | Condition B |\n|---|---|---|\n| IoU | 0.XX ± 0.XX | 0.XX |\n",
        );
        let p = only(&f, "placeholder");
        let lines: Vec<_> = p.iter().map(|x| x.line).collect();
        assert_eq!(lines, vec![1, 7, 8, 10, 12], "{p:#?}");
        assert_eq!(p[1].field.as_deref(), Some("Developed by"));
        assert!(p[1].message.contains("Name(s), Institution(s)"));
        assert_eq!(p[2].field.as_deref(), Some("License"));
        assert!(p[4].message.contains("measured"));
    }

    #[test]
    fn bracketed_real_values_are_not_placeholders() {
        let s = spec_from(T);
        let f = run(
            &s,
            "# Cell Seg\n\nA model.\n\n# Details\n\n- **Developed by:** [Ameni Khabthani]\n- **License:** [N/A], see [LICENSE](LICENSE)\n\n| Metric | Nuclei | Cytoplasm |\n|---|---|---|\n| IoU | 0.81 | 0.75 |\n",
        );
        assert!(only(&f, "placeholder").is_empty(), "{f:#?}");
    }

    #[test]
    fn template_text_verbatim_and_near() {
        let s = spec_from(T);
        let f = run(&s, "# Cell Seg\n\nA short summary of this model please\n\n# Details\n\n- **Developed by:** Jo\n- **License:** MIT\n");
        let t = only(&f, "template-text");
        assert_eq!(t.len(), 1, "{f:#?}");
        assert_eq!(t[0].line, 3);
        assert_eq!(t[0].section.as_deref(), Some("Cell Seg"));
    }

    #[test]
    fn placeholders_wherever_they_hide_on_their_own_line() {
        let s = spec_from(T);
        let card = "# Cell Seg\n\nA model for cells.\nMore text here and\nthen TODO on line 5.\n\nResults: <model specific results here> and <insert table>.\n\nTemplate tag: {{ card_data }} and {% if x %}\n\n- [More Information Needed: training data]\n- Release TBA, license TBC, demo coming soon.\n- Fields not yet filled are marked **[More Information Needed]** in this card.\n- The marker `TODO` is written in code, and “TBD” is quoted.\n- Data [to be added], weights [details to be added].\n\n```\nTODO {{ in_code }}\n```\n";
        let f = run(&s, card);
        let p: Vec<(usize, &str)> = only(&f, "placeholder")
            .iter()
            .map(|x| {
                (
                    x.line,
                    x.message
                        .split(" are ")
                        .next()
                        .unwrap()
                        .split(" is ")
                        .next()
                        .unwrap(),
                )
            })
            .collect();
        assert_eq!(
            p,
            vec![
                (5, "`TODO`"),
                (7, "`<model specific results here>`, `<insert table>`"),
                (9, "`{{ card_data }}`, `{% if x %}`"),
                (11, "`[More Information Needed: training data]`"),
                (12, "`TBA`, `TBC`, `coming soon`"),
                (15, "`[to be added]`, `[details to be added]`"),
            ],
            "{f:#?}"
        );
    }

    #[test]
    fn the_templates_own_title_is_a_placeholder() {
        let s = spec_from("# Model Card Template\n\n> **Instructions**: fill it in.\n\n---\n\n# [Model Name]\n\n*Summary please*\n\n# Details\n\n*Details please*\n");
        assert_eq!(s.template_title.as_deref(), Some("Model Card Template"));
        let f = run(
            &s,
            "# Model Card Template\n\nA model.\n\n# Details\n\nText.\n",
        );
        let p = only(&f, "placeholder");
        assert_eq!(p.len(), 1, "{f:#?}");
        assert_eq!(p[0].line, 1);
    }

    #[test]
    fn example_bullets_adopted_in_plain_text_are_the_cards_own() {
        let s = spec_from("# [Name]\n\n*Summary please*\n\n# Limits\n\n*Examples:*\n- *Not suitable for diagnostic purposes*\n- *Performance degrades on out-of-focus images*\n");
        let plain = run(&s, "# Seg\n\nA model.\n\n# Limits\n\n- Not suitable for diagnostic purposes\n- Performance degrades on out-of-focus images\n");
        assert!(only(&plain, "template-text").is_empty(), "{plain:#?}");
        let kept = run(&s, "# Seg\n\nA model.\n\n# Limits\n\n*Examples:*\n- *Not suitable for diagnostic purposes*\n- Performance degrades on out-of-focus images\n");
        let t: Vec<usize> = only(&kept, "template-text")
            .iter()
            .map(|x| x.line)
            .collect();
        assert_eq!(t, vec![7, 8], "{kept:#?}");
    }

    #[test]
    fn an_unrendered_template_is_one_finding() {
        let s = spec_from("# [Name]\n\n# Details\n\n*Describe it in detail please.*\n");
        let card = "# {{ model_id }}\n\n{{ model_summary }}\n\n# Details\n\n{{ model_description }}\n\n{% if license %}License: {{ license }}{% endif %}\n";
        let f = run(&s, card);
        let p = only(&f, "placeholder");
        assert_eq!(p.len(), 1, "{f:#?}");
        assert!(
            p[0].message
                .starts_with("This card is an unrendered template"),
            "{}",
            p[0].message
        );
        // Half written by hand: each tag line is a place to fill (rendering would
        // erase the hand-written half), not one "render it".
        let half = "# Seg\n\nA segmentation model for nuclei.\n\n# Details\n\n{{ model_description }}\n\n{{ model_sources }}\n\n{{ model_uses }}\n";
        let f = run(&s, half);
        let p = only(&f, "placeholder");
        assert_eq!(
            p.iter().map(|x| x.line).collect::<Vec<_>>(),
            vec![7, 9, 11],
            "{f:#?}"
        );
        assert!(
            !p.iter().any(|x| x.message.contains("unrendered")),
            "{p:#?}"
        );
    }

    #[test]
    fn hugging_faces_markers_in_their_other_shapes() {
        let s = spec_from("# [Name]\n\n# Details\n\n*Describe it in detail please.*\n");
        let card = "# Model Card for Model ID\n\nA model.\n\n# Details\n\n[More Information Needed — the data\nand its license]\n\nText.\n";
        let f = run(&s, card);
        let lines: Vec<usize> = only(&f, "placeholder").iter().map(|x| x.line).collect();
        assert_eq!(lines, vec![1, 7], "{f:#?}");
    }

    #[test]
    fn a_field_whose_whole_value_is_a_marker_in_code_is_unfilled() {
        let s = spec_from("# [Name]\n\n# Details\n\n- **License:** *[License]*\n");
        let f = run(&s, "# M\n\nA model.\n\n# Details\n\n- **License:** `[More Information Needed]`\n\nWe write `TODO` in code.\n");
        let lines: Vec<usize> = only(&f, "placeholder").iter().map(|x| x.line).collect();
        assert_eq!(lines, vec![7], "{f:#?}");
    }

    #[test]
    fn template_tags_in_the_front_matter_are_placeholders() {
        let s = spec_from("# [Name]\n\n# Details\n\n*Describe it in detail please.*\n");
        let card = "---\nlicense: {{ license }}\nlibrary_name: torch\n---\n\n# M\n\nA model.\n\n# Details\n\nText.\n";
        let f = run(&s, card);
        let p = only(&f, "placeholder");
        assert_eq!(p.len(), 1, "{f:#?}");
        assert_eq!((p[0].line, p[0].column), (2, 10));
        assert!(p[0].message.contains("`license:`"), "{}", p[0].message);
        // A tag that is a whole line stands for keys: it is not quoted as one.
        let card = "---\n{{ card_data }}\n---\n\n# M\n\nA model.\n\n# Details\n\nText.\n";
        let f = run(&s, card);
        let p = only(&f, "placeholder");
        assert_eq!(p.len(), 1, "{f:#?}");
        assert!(
            !p[0].message.contains("}}:`") && p[0].message.contains("write the keys it stands for"),
            "{}",
            p[0].message
        );
    }

    #[test]
    fn an_unfilled_field_is_one_placeholder_finding() {
        let spec = crate::template::Spec::default_spec(&crate::config::Config::default()).unwrap();
        let f = run(&spec, crate::template::DEFAULT_TEMPLATE);
        let line = crate::template::DEFAULT_TEMPLATE
            .lines()
            .position(|l| l.starts_with("- **Biological systems:**"))
            .unwrap()
            + 1;
        let here: Vec<&str> = f
            .iter()
            .filter(|x| x.line == line)
            .map(|x| x.rule)
            .collect();
        assert_eq!(here, vec!["placeholder"], "{f:#?}");
    }
}
