//! `metadata-mismatch` and `metadata-unreadable`: the card against the machine-readable
//! description next to it (`rdf.yaml` / `bioimageio.yaml` in its folder, read through
//! the `LinkOracle`, and its own YAML front matter). Each fact both state — license,
//! authors, cited DOI, repository, name, documentation — must agree; which card field
//! states which key is data (`templates/rdf-fields.toml`, `[rdf-fields]`).

use super::Context;
use crate::finding::{message, Draft};
use crate::metadata::{self, Metadata};
use crate::text::{code, loose_key};

pub fn check(ctx: &Context, out: &mut Vec<Draft>) {
    if ctx.empty_card {
        return;
    }
    for path in metadata::beside(ctx.path) {
        if let Some(bytes) = ctx.oracle.read(&path) {
            let name = path.rsplit('/').next().unwrap_or(&path);
            compare_source(
                ctx,
                metadata::read(name, &String::from_utf8_lossy(&bytes)),
                out,
            );
            break;
        }
    }
    if let Some(fm) = metadata::front_matter(ctx.card.text) {
        compare_source(ctx, fm, out);
    }
}

fn compare_source(
    ctx: &Context,
    source: Result<Metadata, metadata::Unreadable>,
    out: &mut Vec<Draft>,
) {
    let m = match source {
        Ok(m) => m,
        Err(u) => {
            out.push(
                Draft::new(
                    "metadata-unreadable",
                    1,
                    message!(
                        "{} next to this card cannot be read: {}. Until it is valid YAML (a mapping of keys such as `name:` and `license:`), nothing in it is compared with the card.",
                        code(&u.source),
                        u.why
                    ),
                )
                .subject(u.source),
            );
            return;
        }
    };
    let fields = ctx
        .cfg
        .rdf_fields
        .clone()
        .unwrap_or_else(metadata::default_rdf_fields);
    let label = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, l)| l.as_str())
    };
    if let (Some(l), Some(v)) = (label("license"), &m.license) {
        license(ctx, &m, l, v, out);
    }
    if let Some(l) = label("authors").filter(|_| !m.authors.is_empty()) {
        authors(ctx, &m, l, out);
    }
    if let Some(l) = label("cite").filter(|_| !m.dois.is_empty()) {
        if let Some(f) = card_field(ctx, l) {
            let card_dois = metadata::dois_in(ctx.card.line_text(f.line));
            if !card_dois.is_empty() && !card_dois.iter().any(|d| m.dois.contains(d)) {
                mismatch(
                    ctx,
                    &f,
                    &m,
                    &card_dois[0],
                    &m.dois[0],
                    "cites the DOI",
                    "cites",
                    Some(&format!("https://doi.org/{}", m.dois[0])),
                    out,
                );
            }
        }
    }
    if let (Some(l), Some(repo)) = (label("git_repo"), &m.git_repo) {
        if let Some(f) = card_field(ctx, l) {
            if let Some(url) = metadata::url_in(ctx.card.line_text(f.line)) {
                if metadata::repo_key(url) != metadata::repo_key(repo) {
                    mismatch(
                        ctx,
                        &f,
                        &m,
                        url,
                        repo,
                        "points to",
                        "points to",
                        Some(repo),
                        out,
                    );
                }
            }
        }
    }
    if let (Some(name), Some(h)) = (&m.name, ctx.card.headings.first()) {
        let title = ctx.card.heading_text(h);
        if !loose_key(title).contains(&loose_key(name)) {
            out.push(
                Draft::new(
                    "metadata-mismatch",
                    h.line,
                    message!(
                        "The title {} does not contain the model's name {} that {} gives; make them agree (the title may say more than the name).",
                        code(title),
                        code(name),
                        code(&m.source)
                    ),
                )
                .end_line(h.end_line)
                .subject(message!("{}: name", m.source)),
            );
        }
    }
    if let Some(doc) = &m.documentation {
        let card_file = ctx.path.rsplit('/').next().unwrap_or(ctx.path);
        let named = doc
            .trim_start_matches("./")
            .rsplit('/')
            .next()
            .unwrap_or(doc);
        let is_url = doc.contains("://");
        if !is_url && !named.eq_ignore_ascii_case(card_file) {
            let line = ctx.card.headings.first().map_or(1, |h| h.line);
            out.push(
                Draft::new(
                    "metadata-mismatch",
                    line,
                    message!(
                        "{} names {} as this model's documentation, not this card ({}): point `documentation:` at {}, or make that file the card.",
                        code(&m.source),
                        code(doc),
                        code(card_file),
                        code(card_file)
                    ),
                )
                .subject(message!("{}: documentation", m.source)),
            );
        }
    }
}

/// A card field that states a fact: its line and its value as the reader sees it.
struct CardField {
    line: usize,
    label: String,
    value: String,
}

/// The card's field with this template label (or an accepted variant), anywhere.
fn card_field(ctx: &Context, label: &str) -> Option<CardField> {
    let spec_field = ctx
        .spec
        .sections
        .iter()
        .flat_map(|s| s.fields.iter())
        .find(|f| f.label == label)?;
    ctx.card.blocks.iter().enumerate().find_map(|(bi, b)| {
        let fa = ctx.facts.field[bi].as_ref()?;
        let text = ctx.card.block_text(b);
        let key = fa.key(text);
        // A field still holding a placeholder is the placeholder rule's to report.
        let unfilled = !ctx.facts.hits_of(bi).is_empty();
        (!unfilled && spec_field.accepted.contains(&key)).then(|| CardField {
            line: b.line,
            label: fa.label(text),
            value: text[fa.value_start.min(text.len())..].trim().to_string(),
        })
    })
}

fn license(ctx: &Context, m: &Metadata, label: &str, stated: &str, out: &mut Vec<Draft>) {
    // Hugging Face's `license: other` names a license of its own in `license_name`.
    if stated.eq_ignore_ascii_case("other") && m.license_name.is_some() {
        return;
    }
    let Some(theirs) = metadata::spdx_id(stated) else {
        let line = card_field(ctx, label).map_or(1, |f| f.line);
        out.push(
            Draft::new(
                "metadata-mismatch",
                line,
                message!(
                    "{} gives the license {}, which is not an SPDX license id: use the id from spdx.org/licenses (for example `CC-BY-4.0`, `MIT`, `Apache-2.0`), so tools can read it.",
                    code(&m.source),
                    code(stated)
                ),
            )
            .subject(message!("{}: license id", m.source)),
        );
        return;
    };
    let Some(f) = card_field(ctx, label) else {
        return;
    };
    match metadata::spdx_id(&f.value) {
        Some(ours) if ours == theirs => {}
        _ if f.value.is_empty() => {}
        _ => mismatch(
            ctx,
            &f,
            m,
            &f.value,
            theirs,
            "says",
            "says",
            Some(theirs),
            out,
        ),
    }
}

fn authors(ctx: &Context, m: &Metadata, label: &str, out: &mut Vec<Draft>) {
    let Some(f) = card_field(ctx, label) else {
        return;
    };
    if f.value.is_empty() {
        return;
    }
    let missing: Vec<&String> = m
        .authors
        .iter()
        .filter(|a| !metadata::names_person(&f.value, a))
        .collect();
    if missing.is_empty() {
        return;
    }
    let names: Vec<String> = missing.iter().map(|a| code(a)).collect();
    out.push(
        Draft::new(
            "metadata-mismatch",
            f.line,
            message!(
                "{} lists {} among the authors, but the field {} does not name {}; make them agree.",
                code(&m.source),
                names.join(", "),
                code(&format!("{}:", f.label)),
                if missing.len() == 1 { "them" } else { "all of them" }
            ),
        )
        .field(label.to_string())
        .subject(message!("{}: authors", m.source)),
    );
}

/// One disagreement on a field line, naming both values and the file; the
/// metadata's value offered as the line's new value (unsafe: a person decides
/// which of the two is right).
#[allow(clippy::too_many_arguments)]
fn mismatch(
    ctx: &Context,
    f: &CardField,
    m: &Metadata,
    ours: &str,
    theirs: &str,
    card_verb: &str,
    their_verb: &str,
    replacement: Option<&str>,
    out: &mut Vec<Draft>,
) {
    let mut d = Draft::new(
        "metadata-mismatch",
        f.line,
        message!(
            "{} {card_verb} {} (the card) but {} {their_verb} {}; make them agree.",
            code(&f.label),
            code(ours),
            code(&m.source),
            code(theirs)
        ),
    )
    .field(f.label.clone())
    .subject(message!("{}: {}", m.source, f.label));
    if let Some(r) = replacement {
        let line = ctx.card.line_text(f.line);
        if let Some(colon) = line
            .find(":**")
            .map(|i| i + 3)
            .or_else(|| line.find(':').map(|i| i + 1))
        {
            d = d.unsafe_suggestion(format!("{} {r}", &line[..colon]));
        }
    }
    out.push(d);
}
