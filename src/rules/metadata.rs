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
    // A stub card is compared too: its title is there to agree with `name:`, and
    // its fields are not, so nothing else is said of it.
    // Both names are read when both are there: the current bioimage.io spec reads
    // `bioimageio.yaml`, older tools `rdf.yaml`, and a card must agree with each.
    let mut read = Vec::new();
    for path in metadata::beside(ctx.path) {
        let Some(got) = ctx.oracle.read(&path) else {
            continue;
        };
        let name = path.rsplit('/').next().unwrap_or(&path);
        let source = got
            .map_err(|why| metadata::Unreadable {
                source: name.to_string(),
                why,
            })
            .and_then(|bytes| metadata::read_bytes(name, &bytes));
        if let Ok(m) = &source {
            read.push(m.clone());
        }
        compare_source(ctx, source, out);
    }
    if let [a, b] = read.as_slice() {
        disagreement(ctx, a, b, out);
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
                        "{} next to this card cannot be read: {}. Until it can be, nothing in it is compared with the card.",
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
                    &m.dois.iter().map(String::as_str).collect::<Vec<_>>(),
                    "cites the DOI",
                    if m.dois.len() == 1 {
                        "cites"
                    } else {
                        "cites only these"
                    },
                    Some(&format!("https://doi.org/{}", m.dois[0])),
                    out,
                );
            }
        }
    }
    if let (Some(l), Some(repo)) = (label("git_repo"), &m.git_repo) {
        if let Some(f) = card_field(ctx, l) {
            if let Some(url) = metadata::url_in(ctx.card.line_text(f.line)) {
                if !metadata::same_repository(url, repo) {
                    mismatch(
                        ctx,
                        &f,
                        &m,
                        url,
                        &[repo],
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
        // A title still a placeholder is the placeholder rule's to report.
        let unfilled = ctx.card.blocks.iter().enumerate().any(|(bi, b)| {
            b.kind == crate::card::BlockKind::Heading
                && b.line == h.line
                && !ctx.facts.hits_of(bi).is_empty()
        });
        if !unfilled && !loose_key(title).contains(&loose_key(name)) {
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

/// Two metadata files in one folder that state different facts: whichever a tool
/// reads, the card cannot agree with both.
fn disagreement(ctx: &Context, a: &Metadata, b: &Metadata, out: &mut Vec<Draft>) {
    let license = |m: &Metadata| {
        m.license
            .as_deref()
            .map(|l| metadata::spdx_id(l).map_or_else(|| l.to_string(), str::to_string))
    };
    let authors = |m: &Metadata| {
        let mut names: Vec<String> = m.authors.iter().map(|n| metadata::person_key(n)).collect();
        names.sort();
        names
    };
    let repo = |m: &Metadata| m.git_repo.as_deref().map(metadata::repo_key);
    let mut differ = Vec::new();
    let mut facts = |what: &str, x: Option<String>, y: Option<String>| {
        if let (Some(x), Some(y)) = (x, y) {
            if x != y {
                differ.push(message!("{what} ({} / {})", code(&x), code(&y)));
            }
        }
    };
    facts("license", license(a), license(b));
    facts("name", a.name.clone(), b.name.clone());
    facts("repository", repo(a), repo(b));
    let (aa, ba) = (authors(a), authors(b));
    if !aa.is_empty() && !ba.is_empty() && aa != ba {
        differ.push("authors".to_string());
    }
    let mut ad = a.dois.clone();
    let mut bd = b.dois.clone();
    ad.sort();
    bd.sort();
    if !ad.is_empty() && !bd.is_empty() && ad != bd {
        differ.push("cited DOIs".to_string());
    }
    if differ.is_empty() {
        return;
    }
    let line = ctx.card.headings.first().map_or(1, |h| h.line);
    out.push(
        Draft::new(
            "metadata-mismatch",
            line,
            message!(
                "{} and {} in this card's folder disagree on {}: keep one file (the current bioimage.io spec reads {}), or make them agree, so the card can agree with both.",
                code(&a.source),
                code(&b.source),
                differ.join(", "),
                code(&b.source)
            ),
        )
        .subject(message!("{} vs {}", a.source, b.source)),
    );
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
            &[theirs],
            "says",
            "says",
            Some(theirs),
            out,
        ),
    }
}

/// People a message names before it counts the rest.
const MAX_NAMED: usize = 10;

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
    // A long list is named in part, with a count: the message stays readable and
    // under GitHub's limits whatever the file lists.
    let mut names: Vec<String> = missing.iter().take(MAX_NAMED).map(|a| code(a)).collect();
    if missing.len() > MAX_NAMED {
        names.push(format!("and {} more", missing.len() - MAX_NAMED));
    }
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
    theirs: &[&str],
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
            theirs
                .iter()
                .map(|t| code(t))
                .collect::<Vec<_>>()
                .join(", ")
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
