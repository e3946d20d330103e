//! Link rules: `broken-anchor` (a `#fragment` that no heading's GitHub anchor matches)
//! and `broken-link` (a relative link or image whose file does not exist).

use super::Context;
use crate::finding::{message, Draft, Edit};
use crate::text::similarity_at_least;
use rustc_hash::FxHashSet as HashSet;

pub fn check(ctx: &Context, out: &mut Vec<Draft>) {
    toc_entries(ctx, out);
    let card = ctx.card;
    if card.links.is_empty() {
        return;
    }
    let html: Vec<String> = card.html_anchors.iter().map(|a| a.to_lowercase()).collect();
    let mut anchors: HashSet<&str> = card.headings.iter().map(|h| card.heading_slug(h)).collect();
    anchors.extend(html.iter().map(String::as_str));
    for link in &card.links {
        let dest = card.link_dest(link).trim();
        if link.empty_alt {
            alt_text(ctx, dest, link.line, link.section, out);
        }
        if let Some(frag) = dest.strip_prefix('#') {
            anchor(ctx, &anchors, frag, link.line, link.section, out);
        } else if let Some(inner) = nested_address(dest) {
            // `[paper]([https://doi.org/…](https://doi.org/…))`: a link written as
            // another link's address. Its path would read `https:/…`.
            let line = ctx.card.line_text(link.line);
            let mut d = Draft::new(
                "broken-link",
                link.line,
                message!(
                    "The link's address {} holds another link: write the address alone, {}.",
                    crate::text::code(dest),
                    crate::text::code(&format!("({inner})"))
                ),
            )
            .section_opt(ctx.section_name(link.section))
            .subject(dest.to_string());
            let written = format!("({dest})");
            if line.matches(&written).count() == 1 {
                d = d.unsafe_suggestion(line.replacen(&written, &format!("({inner})"), 1));
            }
            out.push(d);
        } else if is_placeholder_target(dest) {
            // `[the log](TODO)`: an address not written yet, not a missing file.
            let line = ctx.card.line_text(link.line);
            let column = line
                .find(&format!("]({dest}"))
                .map(|i| line[..i + 2].chars().count() + 1);
            let mut d = Draft::new(
                "placeholder",
                link.line,
                message!(
                    "The link's address {} is a placeholder: write the address it should point to, or remove the link.",
                    crate::text::code(dest)
                ),
            )
            .section_opt(ctx.section_name(link.section))
            .subject(dest.to_string());
            if let Some(c) = column {
                d = d.columns(c, c + dest.chars().count());
            }
            out.push(d);
        } else if is_relative(dest) {
            relative(ctx, dest, link.line, link.is_image, link.section, out);
        }
    }
}

/// The address inside a link target that is itself a link or holds one
/// (`[https://x.org](https://x.org)`, `docs/[a](https://x.org)`): the URL meant.
fn nested_address(dest: &str) -> Option<String> {
    if !is_relative(dest) || !(dest.contains("](") || dest.starts_with('[')) {
        return None;
    }
    let at = dest.find("https://").or_else(|| dest.find("http://"))?;
    let url = &dest[at..];
    let end = url
        .find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '>' | '"'))
        .unwrap_or(url.len());
    Some(url[..end].to_string())
}

/// A link target that is a marker of unfinished text (`TODO`, `TBD`, `link`, `url`,
/// `…`), not a path.
fn is_placeholder_target(dest: &str) -> bool {
    const MARKERS: &[&str] = &[
        "todo",
        "tbd",
        "tba",
        "tbc",
        "fixme",
        "wip",
        "link",
        "url",
        "...",
        "…",
        "xxx",
        "insert-link",
        "link-here",
        "url-here",
    ];
    let d = dest
        .trim_matches(|c| c == '<' || c == '>' || c == ' ')
        .to_ascii_lowercase();
    MARKERS.contains(&d.as_str())
}

/// `missing-toc-entry`: a section the template's table of contents lists, present in
/// the card, with no entry in the card's table of contents.
fn toc_entries(ctx: &Context, out: &mut Vec<Draft>) {
    let (Some(toc), card) = (&ctx.spec.toc, ctx.card) else {
        return;
    };
    let Some(tc) = ctx.outline.spec_to_card[toc.section] else {
        return;
    };
    // The card's entries: (line, fragment), in order.
    let entries: Vec<(usize, String)> = card
        .links
        .iter()
        .filter(|l| l.section == Some(tc))
        .filter_map(|l| Some((l.line, card.link_dest(l).strip_prefix('#')?.to_lowercase())))
        .collect();
    // The slug of an entry's own text (`[Model Details](#details)` → `model-details`),
    // worked out only for an entry whose anchor matches nothing.
    let named = |line: usize, frag: &str| {
        link_text(card.line_text(line), frag).map(|t| {
            let mut slug = String::new();
            crate::text::push_github_slug(t, &mut slug);
            slug
        })
    };
    let anchors: HashSet<&str> = card.headings.iter().map(|h| card.heading_slug(h)).collect();
    let links_to = |si: usize| {
        let spec_slug = ctx.spec.sections[si].slug.as_str();
        let card_slug = ctx.outline.spec_to_card[si].map(|c| card.heading_slug(&card.headings[c]));
        let is = |f: &str| f == spec_slug || Some(f) == card_slug;
        // A mistyped entry is this section's (broken-anchor fixes its anchor).
        let near = |f: &str| {
            !anchors.contains(f)
                && [Some(spec_slug), card_slug]
                    .into_iter()
                    .flatten()
                    .any(|slug| similarity_at_least(f, slug, 0.8).is_some())
        };
        // An entry whose text names the section is its entry, whatever its anchor
        // (broken-anchor points the anchor at the heading the text names).
        entries
            .iter()
            .position(|(_, f)| is(f))
            .or_else(|| {
                entries.iter().position(|(l, f)| {
                    !anchors.contains(f.as_str()) && named(*l, f).as_deref().is_some_and(is)
                })
            })
            .or_else(|| entries.iter().position(|(_, f)| near(f)))
    };
    let mut last_listed: Option<usize> = None;
    for &si in &toc.entries {
        if let Some(k) = links_to(si) {
            last_listed = Some(k);
            continue;
        }
        let Some(c) = ctx.outline.spec_to_card[si] else {
            continue;
        };
        let h = &card.headings[c];
        let entry = message!("- [{}](#{})", card.heading_text(h), card.heading_slug(h));
        // After the entry of the section listed before it, else before the first entry.
        let (line, fix) = match (last_listed, entries.first()) {
            (Some(k), _) => (
                entries[k].0,
                Edit::insert_before(entries[k].0 + 1, vec![entry.clone()]),
            ),
            (None, Some(first)) => (first.0, Edit::insert_before(first.0, vec![entry.clone()])),
            (None, None) => {
                let at = card
                    .headings
                    .get(tc + 1)
                    .map_or(card.line_count() + 1, |n| n.line);
                (
                    card.headings[tc].line,
                    super::missing::insertion(ctx, at, vec![entry.clone()]),
                )
            }
        };
        out.push(
            Draft::new(
                "missing-toc-entry",
                line,
                message!(
                    "The table of contents has no entry for {}. Add the line {} (its place is after the entry of the section before it).",
                    ctx.heading_display(c),
                    crate::text::code(&entry)
                ),
            )
            .section_opt(ctx.section_name(Some(tc)))
            .subject(ctx.spec.sections[si].text.clone())
            .edits(vec![fix]),
        );
    }
}

/// `image-alt-text`: an image with nothing between `![` and `]`.
fn alt_text(ctx: &Context, dest: &str, line: usize, section: Option<usize>, out: &mut Vec<Draft>) {
    out.push(
        at_target(
            Draft::new(
                "image-alt-text",
                line,
                message!(
                    "The image {} has no alt text. Say what it shows between the brackets, e.g. {}, for readers who cannot see it.",
                    crate::text::code(dest),
                    crate::text::code(&format!("![Example segmentation: each nucleus outlined]({dest})"))
                ),
            ),
            ctx.card.line_text(line),
            dest,
        )
        .section_opt(ctx.section_name(section))
        .subject(dest.to_string()),
    );
}

fn anchor(
    ctx: &Context,
    anchors: &HashSet<&str>,
    frag: &str,
    line: usize,
    section: Option<usize>,
    out: &mut Vec<Draft>,
) {
    if frag.is_empty() {
        return;
    }
    // Most fragments are already what they point at (a table of contents).
    if anchors.contains(frag) {
        return;
    }
    let decoded = crate::text::percent_decode(frag).to_lowercase();
    let decoded = decoded
        .strip_prefix("user-content-")
        .unwrap_or(&decoded)
        .to_string();
    if anchors.contains(decoded.as_str()) {
        return;
    }
    let mut d = at_target(
        Draft::new("broken-anchor", line, String::new()),
        ctx.card.line_text(line),
        &format!("#{frag}"),
    )
    .section_opt(ctx.section_name(section))
    .subject(frag.to_string());
    // A link to a template section whose heading is missing or renamed is fixed by
    // fixing the heading, not the link.
    if let Some(s) = ctx.spec.sections.iter().find(|s| s.slug == decoded) {
        d.message = message!(
            "The link {} points to the section `{}`, but no heading in this card has that anchor. Add or rename the heading to match the template; the link will then work.",
            crate::text::code(&format!("#{frag}")),
            s.heading_line()
        );
        out.push(d);
        return;
    }
    // The link's own text names the heading it means: `[Model Details](#details)`.
    let line_text = ctx.card.line_text(line);
    let named = link_text(line_text, frag).and_then(|t| {
        let mut slug = String::new();
        crate::text::push_github_slug(t, &mut slug);
        anchors.get(slug.as_str()).copied()
    });
    // Only slugs of about the same length can be a near miss; compare just those.
    let len = decoded.chars().count();
    let best = named.map(|slug| (1.0, slug)).or_else(|| {
        ctx.card
            .headings
            .iter()
            .map(|h| ctx.card.heading_slug(h))
            .filter(|slug| slug.len() * 10 >= len * 6 && slug.len() * 6 <= len * 10 + 30)
            .filter_map(|slug| Some((similarity_at_least(&decoded, slug, 0.6)?, slug)))
            .max_by(|a, b| a.0.total_cmp(&b.0))
    });
    match best {
        Some((_, slug)) => {
            d.message = message!(
                "The link {} matches no heading in this card. Did you mean {}? GitHub makes a heading's anchor from its text: lower case, spaces as `-`, punctuation dropped.",
                crate::text::code(&format!("#{frag}")),
                crate::text::code(&format!("#{slug}"))
            );
            let needle = format!("(#{frag})");
            if line_text.contains(&needle) {
                d = d.suggestion(line_text.replacen(&needle, &format!("(#{slug})"), 1));
            }
        }
        None => {
            d.message = message!(
                "The link {} matches no heading in this card. Point it at an existing heading (GitHub's anchor: the heading text in lower case, spaces as `-`, punctuation dropped) or remove it.",
                crate::text::code(&format!("#{frag}"))
            );
        }
    }
    out.push(d);
}

/// Where a link's target stands on its line (`[text](TARGET)`): 1-based character
/// columns, the end exclusive; None when it is not written inline there.
fn target_columns(line: &str, dest: &str) -> Option<(usize, usize)> {
    let at = line.find(&format!("]({dest}"))? + 2;
    let from = line[..at].chars().count() + 1;
    Some((from, from + dest.chars().count()))
}

/// Marks the link's target on its line, where it can be found.
fn at_target(d: Draft, line_text: &str, dest: &str) -> Draft {
    match target_columns(line_text, dest) {
        Some((from, to)) => d.columns(from, to),
        None => d,
    }
}

/// The text of the link `[text](#frag)` on a line, if written inline there.
fn link_text<'a>(line: &'a str, frag: &str) -> Option<&'a str> {
    let end = line.find(&format!("](#{frag})"))?;
    let open = line[..end].rfind('[')?;
    let text = line[open + 1..end].trim();
    (!text.is_empty()).then_some(text)
}

fn is_relative(dest: &str) -> bool {
    if dest.is_empty() || dest.starts_with("//") || dest.starts_with('<') {
        return false;
    }
    // A scheme (`https:`, `mailto:`, `data:`) makes a link absolute.
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            let is_scheme = !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
            !is_scheme
        }
        None => true,
    }
}

fn relative(
    ctx: &Context,
    dest: &str,
    line: usize,
    is_image: bool,
    section: Option<usize>,
    out: &mut Vec<Draft>,
) {
    let path_part = dest.split(['#', '?']).next().unwrap_or("");
    if path_part.is_empty() {
        return;
    }
    let decoded = crate::text::percent_decode(path_part);
    let what = if is_image { "image" } else { "link" };
    let resolved = match resolve(ctx.path, &decoded) {
        Some(p) => p,
        None => {
            out.push(
                at_target(
                    Draft::new(
                        "broken-link",
                        line,
                        message!("The {what} {} points outside the repository. Link to a file inside the repository, or use a full https:// address.", crate::text::code(dest)),
                    ),
                    ctx.card.line_text(line),
                    dest,
                )
                .section_opt(ctx.section_name(section))
                .subject(dest.to_string()),
            );
            return;
        }
    };
    if resolved.is_empty() {
        return;
    }
    if ctx.oracle.exists(&resolved) == Some(false) {
        let read_from = if decoded.starts_with('/') {
            "a path that starts with `/` is read from the repository root"
        } else {
            "it is relative to the card's folder"
        };
        out.push(
            at_target(
                Draft::new(
                    "broken-link",
                    line,
                    message!(
                        "The {what} {} points to {}, which does not exist. Add the file to your pull request, or correct the path ({read_from}).",
                        crate::text::code(dest),
                        crate::text::code(&resolved)
                    ),
                ),
                ctx.card.line_text(line),
                dest,
            )
            .section_opt(ctx.section_name(section))
            .subject(dest.to_string()),
        );
    }
}

/// Resolves a link target against the card's folder into a repository path;
/// None when it climbs above the repository root.
pub fn resolve(card_path: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    if !target.starts_with('/') {
        let dir = card_path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        parts.extend(dir.split('/').filter(|p| !p.is_empty() && *p != "."));
    }
    for p in target.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::rules::test_support::*;
    use crate::rules::LinkOracle;

    const T: &str = "# [Name]\n\n*Summary text goes here*\n\n# Table of Contents\n\n- [Model Details](#model-details)\n\n# Model Details\n\nx\n";

    #[test]
    fn anchors_are_checked() {
        let s = spec_from(T);
        let f = run(&s, "# M\n\nA model.\n\n# Table of Contents\n\n- [Model Details](#model-details)\n- [Extra](#extr)\n- [Gone](#nowhere-at-all)\n\n# Model Details\n\nx\n\n## Extra\n\ny\n");
        let a = only(&f, "broken-anchor");
        assert_eq!(a.len(), 2, "{f:#?}");
        assert_eq!(a[0].suggestion.as_deref(), Some("- [Extra](#extra)"));
        assert!(a[1].suggestion.is_none());
    }

    #[test]
    fn a_mistyped_toc_anchor_is_one_finding_pointing_where_its_text_says() {
        // The built-in template (its table of contents lists Model Details, Task
        // Details, Training Details among others).
        let s = crate::template::Spec::default_spec(&Config::default()).unwrap();
        let card = crate::template::DEFAULT_TEMPLATE
            .replace("(#model-details)", "(#details)")
            .replace("(#task-details)", "(#tasks)")
            .replace("(#training-details)", "(#training)");
        let f = run(&s, &card);
        let a = only(&f, "broken-anchor");
        let fixes: Vec<&str> = a.iter().filter_map(|x| x.suggestion.as_deref()).collect();
        assert_eq!(a.len(), 3, "{a:#?}");
        assert!(
            fixes
                .iter()
                .any(|x| x.contains("[Model Details](#model-details)")),
            "{fixes:?}"
        );
        assert!(
            fixes
                .iter()
                .any(|x| x.contains("[Task Details](#task-details)")),
            "{fixes:?}"
        );
        assert!(
            fixes
                .iter()
                .any(|x| x.contains("[Training Details](#training-details)")),
            "{fixes:?}"
        );
        assert!(only(&f, "missing-toc-entry").is_empty(), "{f:#?}");
        // And `fix` puts them right, with no second entry.
        let fixed = crate::fix::fix_text(
            &s,
            &Config::default(),
            "m/README.md",
            &card,
            &crate::rules::NoOracle,
            false,
        );
        assert_eq!(fixed.text.matches("](#model-details)").count(), 1);
        assert_eq!(fixed.text.matches("](#task-details)").count(), 1);
    }

    #[test]
    fn anchor_to_renamed_template_section_blames_heading() {
        let s = spec_from(T);
        let f = run(&s, "# M\n\nA model.\n\n# Table of Contents\n\n- [Model Details](#model-details)\n\n# Model Detail\n\nx\n");
        let a = only(&f, "broken-anchor");
        assert_eq!(a.len(), 1);
        assert!(a[0].suggestion.is_none());
        assert!(a[0].message.contains("# Model Details"));
    }

    #[test]
    fn resolve_paths() {
        assert_eq!(
            resolve("models/a/README.md", "img/x.png").as_deref(),
            Some("models/a/img/x.png")
        );
        assert_eq!(
            resolve("models/a/README.md", "../b/x.png").as_deref(),
            Some("models/b/x.png")
        );
        assert_eq!(resolve("README.md", "../x.png"), None);
        assert_eq!(
            resolve("models/a/README.md", "/docs/x.md").as_deref(),
            Some("docs/x.md")
        );
        assert!(is_relative("img/a b.png"));
        assert!(!is_relative("https://x.org"));
        assert!(!is_relative("mailto:a@b"));
    }

    struct Only(&'static str);
    impl LinkOracle for Only {
        fn exists(&self, p: &str) -> Option<bool> {
            Some(p == self.0)
        }
    }

    #[test]
    fn relative_links_use_the_oracle() {
        let s = spec_from(T);
        let card = "# M\n\nA model. ![fig](img/ok.png) ![bad](img/missing%20one.png) [up](../../../x)\n\n# Table of Contents\n\n- [Model Details](#model-details)\n\n# Model Details\n\n[site](https://example.org)\n";
        let f = crate::rules::check_text(
            &s,
            &Config::default(),
            "models/a/README.md",
            card,
            &Only("models/a/img/ok.png"),
        );
        let b = only(&f, "broken-link");
        assert_eq!(b.len(), 2, "{f:#?}");
        assert!(
            b[0].message.contains("models/a/img/missing one.png")
                || b[1].message.contains("models/a/img/missing one.png")
        );
    }

    #[test]
    fn absolute_links_are_read_from_the_repository_root() {
        let s = spec_from(T);
        let card = "# M\n\nSee [the docs](/docs/guide.md) and [here](/docs/missing.md).\n";
        let f = crate::rules::check_text(
            &s,
            &Config::default(),
            "models/a/README.md",
            card,
            &Only("docs/guide.md"),
        );
        let b = only(&f, "broken-link");
        assert_eq!(b.len(), 1, "{f:#?}");
        assert!(
            b[0].message.contains("points to `docs/missing.md`"),
            "{}",
            b[0].message
        );
        assert!(
            b[0].message.contains("read from the repository root"),
            "{}",
            b[0].message
        );
    }

    #[test]
    fn images_need_alt_text() {
        let s = spec_from(T);
        let f = run(
            &s,
            "# M\n\nA model.\n\n![](images/a.png) and ![ ](images/b.png)\n\n![Nuclei outlined](images/c.png) [](#x)\n",
        );
        let a: Vec<(usize, &str)> = only(&f, "image-alt-text")
            .iter()
            .map(|x| (x.line, x.subject.as_str()))
            .collect();
        assert_eq!(a, vec![(5, "images/a.png"), (5, "images/b.png")], "{f:#?}");
    }

    #[test]
    fn a_link_written_as_another_links_address_is_one_finding_with_the_url() {
        let s = spec_from("# [Name]\n\n# Details\n\n*Describe it in detail please.*\n");
        let card = "# M\n\nA model.\n\n# Details\n\n[paper]([https://doi.org/10.1/x](https://doi.org/10.1/x))\n";
        let f = crate::rules::check_text(
            &s,
            &crate::config::Config::default(),
            "m/README.md",
            card,
            &Only("m/README.md"),
        );
        let b: Vec<&crate::finding::Finding> =
            f.iter().filter(|x| x.rule == "broken-link").collect();
        assert_eq!(b.len(), 1, "{f:#?}");
        assert!(!b[0].message.contains("https:/d"), "{}", b[0].message);
        assert!(
            b[0].message.contains("`(https://doi.org/10.1/x)`"),
            "{}",
            b[0].message
        );
        assert_eq!(
            b[0].suggestion.as_deref(),
            Some("[paper](https://doi.org/10.1/x)")
        );
    }

    #[test]
    fn a_broken_link_is_marked_at_its_target() {
        let s = spec_from(T);
        let f = crate::rules::check_text(
            &s,
            &Config::default(),
            "models/a/README.md",
            "# M\n\nSee [the guide](docs/nowhere.md) and [up](#upp).\n\n# Table of Contents\n\n- [Model Details](#model-details)\n\n# Model Details\n\nx\n",
            &Only("nothing"),
        );
        let b = only(&f, "broken-link");
        assert_eq!((b[0].column, b[0].end_column), (17, 32), "{b:#?}");
        let a = only(&f, "broken-anchor");
        assert_eq!((a[0].column, a[0].end_column), (43, 47), "{a:#?}");
    }
}
