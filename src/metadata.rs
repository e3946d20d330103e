//! The machine-readable description next to a card — a bioimage.io `rdf.yaml` /
//! `bioimageio.yaml` in its folder, or the card's own YAML front matter — read into
//! the facts a card also states (license, authors, cited DOIs, repository, name,
//! documentation), and the normalising that lets the two be compared: SPDX ids,
//! DOIs, repository URLs, people's names. Pure: the bytes come from the caller.

use crate::yaml::Yaml;

/// The metadata files a card's folder may hold, in the order they are looked for.
pub const METADATA_FILES: &[&str] = &["rdf.yaml", "bioimageio.yaml"];

/// bioimage.io keys (and the same keys in front matter) and the labels of the
/// built-in template's fields that state the same fact: data, like the template; a
/// hub's config sets its own with `[rdf-fields]`. `new` fills the fields from them,
/// `metadata-mismatch` compares them.
pub const DEFAULT_RDF_FIELDS: &str = include_str!("../templates/rdf-fields.toml");

/// The built-in mapping, bioimage.io key → field label.
pub fn default_rdf_fields() -> Vec<(String, String)> {
    let table: std::collections::BTreeMap<String, String> =
        toml::from_str(DEFAULT_RDF_FIELDS).expect("templates/rdf-fields.toml is valid");
    table.into_iter().collect()
}

/// What one metadata source states.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Metadata {
    /// Where it comes from, as a message names it: `rdf.yaml`, `the front matter`.
    pub source: String,
    /// Key → value(s), for the keys the mapping compares (see `rules::metadata`).
    pub license: Option<String>,
    /// Hugging Face's `license: other` names its license here.
    pub license_name: Option<String>,
    pub authors: Vec<String>,
    pub dois: Vec<String>,
    pub git_repo: Option<String>,
    pub name: Option<String>,
    pub documentation: Option<String>,
}

/// A metadata source that could not be read: the file and why (with YAML's line).
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    pub source: String,
    pub why: String,
}

/// A metadata text as one YAML mapping: None when it holds no document; the reason,
/// in words for a message (with YAML's line), when it is not valid YAML or not a
/// mapping. Shared by `new`, which fills a card from it, and the metadata rules.
pub fn load(text: &str) -> Result<Option<Yaml>, String> {
    let Some(doc) = crate::yaml::load_first(text).map_err(|r| r.explain())? else {
        return Ok(None);
    };
    as_mapping(doc).map(Some)
}

/// A loaded document as the mapping metadata is, or why it is not one.
fn as_mapping(doc: Yaml) -> Result<Yaml, String> {
    if doc.as_hash().is_none() {
        return Err(format!(
            "it is {}, not a mapping of keys such as `name:`, `authors:` and `license:`",
            match doc {
                Yaml::Array(_) => "a list",
                Yaml::String(_) => "a single string",
                Yaml::Null => "empty",
                _ => "a single value",
            }
        ));
    }
    Ok(doc)
}

/// A scalar YAML value as trimmed text; None for anything else or blank text.
pub fn text_of(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Real(r) => Some(r.clone()),
        _ => None,
    }
}

/// One entry of `authors:` as the person's name: a mapping's `name:` or the entry
/// itself, without bioimage.io's `;@github-user` suffix (`Constantin Pape;@bioimage-io`).
pub fn author_name(entry: &Yaml) -> Option<String> {
    let n = text_of(&entry["name"]).or_else(|| text_of(entry))?;
    let n = n.split(';').next().unwrap_or(&n).trim();
    (!n.is_empty()).then(|| n.to_string())
}

/// Reads a metadata file's bytes: UTF-8 (a BOM dropped) within `yaml::MAX_BYTES`,
/// else unreadable, never read lossily (`Tom\u{fffd}s` would then mismatch the card).
pub fn read_bytes(source: &str, bytes: &[u8]) -> Result<Metadata, Unreadable> {
    let fail = |why: String| Unreadable {
        source: source.to_string(),
        why,
    };
    if bytes.len() > crate::yaml::MAX_BYTES {
        return Err(fail(
            crate::yaml::Refused::TooLarge { bytes: bytes.len() }.explain(),
        ));
    }
    read(source, utf8(bytes).map_err(fail)?)
}

/// A metadata file's bytes as text: UTF-8, a BOM dropped; else why not, with the
/// line of the first bad byte.
pub fn utf8(bytes: &[u8]) -> Result<&str, String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        format!("it is not UTF-8 text (line {line}); save it as UTF-8, as YAML requires")
    })
}

/// Reads a metadata file's text (`source` names it in messages).
pub fn read(source: &str, text: &str) -> Result<Metadata, Unreadable> {
    let fail = |why: String| Unreadable {
        source: source.to_string(),
        why,
    };
    let doc = load(text)
        .map_err(fail)?
        .ok_or_else(|| fail("it is empty".into()))?;
    Ok(from_doc(source, &doc))
}

/// The facts a metadata mapping states.
fn from_doc(source: &str, doc: &Yaml) -> Metadata {
    let authors = doc["authors"]
        .as_vec()
        .map(|people| people.iter().filter_map(author_name).collect())
        .unwrap_or_default();
    let mut dois = Vec::new();
    for c in doc["cite"].as_vec().map(Vec::as_slice).unwrap_or_default() {
        for v in [&c["doi"], &c["url"]] {
            if let Some(d) = text_of(v).and_then(|t| doi_in(&t)) {
                if !dois.contains(&d) {
                    dois.push(d);
                }
            }
        }
    }
    Metadata {
        source: source.to_string(),
        license: text_of(&doc["license"]),
        license_name: text_of(&doc["license_name"]),
        authors,
        dois,
        git_repo: text_of(&doc["git_repo"]),
        name: text_of(&doc["name"]),
        documentation: text_of(&doc["documentation"]),
    }
}

/// The card's YAML front matter's lines (after an opening `---` on the first line,
/// before the closing `---` or `...`), 1-based; None when the card has none.
pub fn front_matter_lines(card: &str) -> Option<std::ops::RangeInclusive<usize>> {
    let card = card.strip_prefix('\u{feff}').unwrap_or(card);
    let mut lines = card.lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    let close = lines.position(|l| matches!(l.trim_end(), "---" | "..."))?;
    (close > 0).then(|| 2..=close + 1)
}

/// The card's YAML front matter, read as metadata; None when the card has none.
/// Front matter that still holds template tags (`{{ license }}`) is left to the
/// placeholder rule.
pub fn front_matter(card: &str) -> Option<Result<Metadata, Unreadable>> {
    let lines = front_matter_lines(card)?;
    let card = card.strip_prefix('\u{feff}').unwrap_or(card);
    let text = card
        .lines()
        .skip(lines.start() - 1)
        .take(lines.end() - lines.start() + 1)
        .collect::<Vec<_>>()
        .join("\n");
    if text.contains("{{") || text.contains("{%") {
        return None;
    }
    const SOURCE: &str = "the front matter";
    let fail = |why: String| Unreadable {
        source: SOURCE.to_string(),
        why,
    };
    // Parsed once; YAML counts lines from the front matter's first: the card's second.
    match crate::yaml::load_first(&text) {
        // Comments only is valid YAML that states nothing.
        Ok(None | Some(Yaml::Null)) => None,
        Ok(Some(doc)) => Some(as_mapping(doc).map(|d| from_doc(SOURCE, &d)).map_err(fail)),
        Err(r) => Some(Err(fail(r.shifted(1).explain()))),
    }
}

/// The paths where a card's metadata may stand: each of `METADATA_FILES` in its
/// folder, in the order they are looked for.
pub fn beside(card_path: &str) -> impl Iterator<Item = String> + '_ {
    let folder = card_path.rsplit_once('/').map_or("", |(d, _)| d);
    METADATA_FILES.iter().map(move |name| {
        if folder.is_empty() {
            name.to_string()
        } else {
            format!("{folder}/{name}")
        }
    })
}

/// The card a changed metadata file describes (`models/x/rdf.yaml` →
/// `models/x/README.md`); None for any other file.
pub fn card_beside(path: &str) -> Option<String> {
    let (folder, base) = path.rsplit_once('/').unwrap_or(("", path));
    METADATA_FILES.contains(&base).then(|| {
        if folder.is_empty() {
            "README.md".to_string()
        } else {
            format!("{folder}/README.md")
        }
    })
}

/// A license as written in a card or metadata, as its SPDX id: `MIT License` → `MIT`,
/// `[CC BY 4.0](…)` → `CC-BY-4.0`, `Apache License 2.0` → `Apache-2.0`,
/// `BSD 3-Clause` → `BSD-3-Clause`, Hugging Face's `cc-by-4.0`. None when it names no
/// license of the SPDX list.
pub fn spdx_id(text: &str) -> Option<&'static str> {
    let t = text
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_' || c == '`');
    // A Markdown link: its text names the license.
    let t = match (t.find('['), t.find("](")) {
        (Some(open), Some(close)) if open < close => &t[open + 1..close],
        _ => t,
    };
    let t = t.trim().trim_end_matches(['.', ',', ';']);
    let mut candidates = vec![t.to_string()];
    // `MIT (see the LICENSE file)`, `Apache-2.0; weights CC-BY-4.0`: the first part.
    if let Some(first) = t.split(['(', ';', ',', '—']).next().map(str::trim) {
        if !first.is_empty() && first != t {
            candidates.push(first.to_string());
        }
    }
    for c in candidates.clone() {
        for suffix in [" license", " licence", " License", " Licence"] {
            if let Some(stripped) = c.strip_suffix(suffix) {
                candidates.push(stripped.trim().to_string());
            }
        }
    }
    for c in candidates {
        let dashed = c.split_whitespace().collect::<Vec<_>>().join("-");
        let key = loose(&c);
        for lic in spdx::identifiers::LICENSES {
            if lic.name.eq_ignore_ascii_case(&c)
                || lic.name.eq_ignore_ascii_case(&dashed)
                || loose(lic.full_name) == key
            {
                return Some(canonical(lic.name));
            }
        }
    }
    None
}

/// GNU's deprecated bare ids (`GPL-3.0`) as their `-only` form.
fn canonical(id: &'static str) -> &'static str {
    let only = format!("{id}-only");
    spdx::license_id(&only).map_or(id, |l| l.name)
}

fn loose(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() || *c == '.')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The first DOI in a text (`10.1038/s41592-020-01018-x`, also inside a
/// `https://doi.org/…` URL), lower-cased, without trailing punctuation.
pub fn doi_in(text: &str) -> Option<String> {
    dois_in(text).into_iter().next()
}

/// Every DOI in a text, lower-cased.
pub fn dois_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("10.") {
        let tail = &rest[at..];
        let (prefix, after) = match tail.split_once('/') {
            Some(x) => x,
            None => break,
        };
        let registrant = &prefix[3..];
        if registrant.len() >= 4
            && registrant.chars().all(|c| c.is_ascii_digit() || c == '.')
            && !after.is_empty()
        {
            let suffix: String = after
                .chars()
                .take_while(|c| {
                    !c.is_whitespace() && !matches!(c, ')' | ']' | '>' | '"' | '<' | '`')
                })
                .collect();
            let suffix = suffix.trim_end_matches(['.', ',', ';', ':']);
            if !suffix.is_empty() {
                let doi = format!("{prefix}/{suffix}").to_lowercase();
                if !out.contains(&doi) {
                    out.push(doi);
                }
            }
        }
        rest = &rest[at + 3..];
    }
    out
}

/// A repository URL as compared: no scheme, no `www.`, no trailing `/` or `.git`,
/// lower-cased.
pub fn repo_key(url: &str) -> String {
    let u = url.trim().trim_start_matches('<').trim_end_matches('>');
    let u = u
        .split_once("://")
        .map_or(u, |(_, rest)| rest)
        .trim_start_matches("www.");
    let u = u.trim_end_matches('/');
    let u = u.strip_suffix(".git").unwrap_or(u);
    u.trim_end_matches('/').to_lowercase()
}

/// Where the `[` that the `]` ending `bytes` closes stands (brackets nest).
fn opening_bracket(bytes: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    for i in (0..bytes.len()).rev() {
        match bytes[i] {
            b']' => depth += 1,
            b'[' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether two repository URLs name the same repository, or one a folder in the
/// other (`…/tree/master/unet` in the repository the card links).
pub fn same_repository(a: &str, b: &str) -> bool {
    let (a, b) = (repo_key(a), repo_key(b));
    let within = |inner: &str, outer: &str| {
        inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with("/tree/") || rest.starts_with("/blob/"))
    };
    a == b || within(&a, &b) || within(&b, &a)
}

/// The first http(s) URL in a text (a Markdown link's target or a bare one) that is
/// not an image's: in `[![badge](https://img.shields.io/…)](https://github.com/o/r)`
/// the repository is the link's target, not the badge.
pub fn url_in(text: &str) -> Option<&str> {
    let mut urls = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..]
        .find("http")
        .map(|i| from + i)
        .filter(|_| from < text.len())
    {
        let rest = &text[at..];
        if rest.starts_with("https://") || rest.starts_with("http://") {
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '>' | '"' | '`'))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';']);
            // An image's source: `![alt](url)`, or a badge.
            let image = text[..at].ends_with("](")
                && opening_bracket(&text.as_bytes()[..at - 1])
                    .is_some_and(|i| text[..i].ends_with('!'));
            let lower = url.to_ascii_lowercase();
            let badge = lower.contains("shields.io")
                || [".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"]
                    .iter()
                    .any(|x| lower.ends_with(x));
            urls.push((url, image || badge));
            from = at + end.max(1);
        } else {
            from = at + 4;
        }
    }
    urls.iter()
        .find(|(_, img)| !img)
        .or_else(|| urls.first())
        .map(|(u, _)| *u)
}

/// A person's name as compared: lower-case words without accents (`ü`, `ue` and `u`
/// alike, as German transliterates), titles (`Dr.`, `Prof.`) and initials' dots
/// dropped.
pub fn name_words(name: &str) -> Vec<String> {
    const TITLES: &[&str] = &["dr", "prof", "professor", "mr", "mrs", "ms", "phd"];
    name.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
        .map(fold_name)
        .filter(|w| !w.is_empty() && !TITLES.contains(&w.as_str()))
        .collect()
}

/// A name as one key (for comparing two metadata files' author lists).
pub fn person_key(name: &str) -> String {
    name_words(name).join(" ")
}

/// One word of a name, lower-case, its letters without accents, `ae`/`oe`/`ue`
/// read as the umlaut they transliterate.
fn fold_name(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => out.push('a'),
            'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => out.push('c'),
            'ď' | 'đ' => out.push('d'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => out.push('e'),
            'ğ' | 'ģ' => out.push('g'),
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => out.push('i'),
            'ķ' => out.push('k'),
            'ĺ' | 'ļ' | 'ľ' | 'ł' => out.push('l'),
            'ñ' | 'ń' | 'ņ' | 'ň' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => out.push('o'),
            'ŕ' | 'ř' => out.push('r'),
            'ś' | 'š' | 'ş' | 'ș' => out.push('s'),
            'ß' => out.push_str("ss"),
            'ť' | 'ţ' | 'ț' => out.push('t'),
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            'æ' => out.push('a'),
            'œ' => out.push('o'),
            c => out.push(c),
        }
    }
    // `Beuttenmueller` is how `Beuttenmüller` is written without the umlaut.
    out.replace("ae", "a").replace("oe", "o").replace("ue", "u")
}

/// Two words of names that may be the same: equal, or one an initial of the other.
fn same_name_word(a: &str, b: &str) -> bool {
    a == b
        || (a.chars().count() == 1 && b.starts_with(a))
        || (b.chars().count() == 1 && a.starts_with(b))
}

/// Whether `text` names the person: their first and last names appear in it in
/// order, close together, as words or initials (`E. Gómez-de-Mariscal` names
/// `Estibaliz Gómez-de-Mariscal`); middle names may be left out. Case and accents do
/// not count (`Maska` names `Maška`).
pub fn names_person(text: &str, person: &str) -> bool {
    let words = name_words(text);
    let want = name_words(person);
    let Some((first, rest)) = want.split_first() else {
        return true;
    };
    let Some((last, middle)) = rest.split_last() else {
        return words.iter().any(|w| w == first);
    };
    // A surname is written out: an initial alone names nobody.
    (0..words.len()).any(|i| {
        if !same_name_word(first, &words[i]) {
            return false;
        }
        let mut at = i + 1;
        for m in middle {
            if words.get(at).is_some_and(|w| same_name_word(m, w)) {
                at += 1;
            }
        }
        words.get(at) == Some(last)
            || (words.get(at + 1) == Some(last) && words[at].chars().count() == 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licenses_in_the_words_people_write_are_spdx_ids() {
        for (text, id) in [
            ("MIT", "MIT"),
            ("MIT License", "MIT"),
            ("mit", "MIT"),
            (
                "[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)",
                "CC-BY-4.0",
            ),
            ("cc-by-4.0", "CC-BY-4.0"),
            ("CC-BY-4.0", "CC-BY-4.0"),
            ("Apache License 2.0", "Apache-2.0"),
            ("apache-2.0", "Apache-2.0"),
            ("BSD 3-Clause", "BSD-3-Clause"),
            ("BSD 3-Clause License", "BSD-3-Clause"),
            ("GPL-3.0", "GPL-3.0-only"),
            ("GPL-3.0-only", "GPL-3.0-only"),
            (
                "Creative Commons Attribution 4.0 International",
                "CC-BY-4.0",
            ),
            ("MIT (see the LICENSE file in this folder)", "MIT"),
        ] {
            assert_eq!(spdx_id(text), Some(id), "{text}");
        }
        assert_eq!(spdx_id("our own license, ask us"), None);
        assert_eq!(spdx_id("other"), None);
    }

    #[test]
    fn dois_urls_and_names() {
        assert_eq!(
            doi_in("[Paper](https://doi.org/10.1038/S41592-020-01018-X)."),
            Some("10.1038/s41592-020-01018-x".into())
        );
        assert_eq!(
            doi_in("doi: 10.5281/zenodo.5764892"),
            Some("10.5281/zenodo.5764892".into())
        );
        assert_eq!(doi_in("version 10.2 of it"), None);
        assert_eq!(
            repo_key("https://github.com/Org/Repo.git/"),
            "github.com/org/repo"
        );
        assert_eq!(
            repo_key("http://www.github.com/org/repo/"),
            "github.com/org/repo"
        );
        assert!(same_repository(
            "https://github.com/o/r",
            "https://github.com/o/r/tree/master/unet"
        ));
        assert!(!same_repository(
            "https://github.com/o/r",
            "https://github.com/o/r2"
        ));
        assert!(!same_repository(
            "https://github.com/o/r",
            "https://github.com/o/rx/tree/master/unet"
        ));
        assert_eq!(
            url_in("[![gh](https://img.shields.io/b.svg)](https://github.com/o/r)"),
            Some("https://github.com/o/r")
        );
        assert_eq!(url_in("see https://x.org/a."), Some("https://x.org/a"));
        assert_eq!(
            url_in("[repo](http://x.org/r) and more"),
            Some("http://x.org/r")
        );
        assert_eq!(url_in("no link"), None);
        assert!(names_person("Dr. Jane Doe (EMBL), John Smith", "Jane Doe"));
        assert!(names_person("Jane Doe and J. Smith", "Prof. Jane Doe"));
        assert!(!names_person("Jane Doe", "John Smith"));
        // Initials, accents, German transliteration, middle names left out.
        assert!(names_person(
            "E. Gómez-de-Mariscal, C. García-López-de-Haro",
            "Estibaliz Gómez-de-Mariscal"
        ));
        assert!(names_person(
            "Estibaliz Gomez-de-Mariscal",
            "Estibaliz Gómez-de-Mariscal"
        ));
        assert!(names_person("Martin Maska", "Martin Maška"));
        assert!(names_person("Fynn Beuttenmueller", "Fynn Beuttenmüller"));
        assert!(names_person("Fynn Beuttenmuller", "Fynn Beuttenmüller"));
        assert!(names_person("Constantin Pape", "Constantin M. Pape"));
        assert!(names_person("C. Pape (EMBL)", "Constantin Pape"));
        // An initial that fits is not enough when the surname is someone else's.
        assert!(!names_person("J. Smith and A. Doe", "Jane Doe"));
        assert!(!names_person("Jane Smith", "Jane Doe"));
    }

    #[test]
    fn metadata_files_read_or_say_why_not() {
        let m = read(
            "rdf.yaml",
            "name: Nuclei U-Net\nlicense: CC-BY-4.0\nauthors:\n  - name: Jane Doe\n    affiliation: EMBL\n  - John Smith\ncite:\n  - text: Paper\n    doi: 10.1000/xyz123\ngit_repo: https://github.com/o/r\ndocumentation: README.md\n",
        )
        .unwrap();
        assert_eq!(m.authors, vec!["Jane Doe", "John Smith"]);
        assert_eq!(m.dois, vec!["10.1000/xyz123"]);
        assert_eq!(m.name.as_deref(), Some("Nuclei U-Net"));
        let e = read("rdf.yaml", "name: x\n  bad: [\n").unwrap_err();
        assert!(e.why.contains("line"), "{e:?}");
        let e = read("rdf.yaml", "- a\n- b\n").unwrap_err();
        assert!(e.why.contains("a list"), "{e:?}");
        let fm = front_matter("---\nlicense: mit\n---\n# M\n")
            .unwrap()
            .unwrap();
        assert_eq!(fm.license.as_deref(), Some("mit"));
        assert!(front_matter("# M\n").is_none());
        // A card that opens with a thematic break has no front matter to read.
        assert!(front_matter("---\n# M\n\nText.\n").is_none());
        assert_eq!(
            front_matter_lines("---\nlicense: mit\n---\n# M\n"),
            Some(2..=2)
        );
        assert_eq!(
            card_beside("models/x/rdf.yaml").as_deref(),
            Some("models/x/README.md")
        );
        assert_eq!(card_beside("models/x/notes.yaml"), None);
        assert_eq!(
            beside("models/x/README.md").collect::<Vec<_>>(),
            vec!["models/x/rdf.yaml", "models/x/bioimageio.yaml"]
        );
        assert!(front_matter("---\nlicense: {{ license }}\n---\n").is_none());
        // An error's line is the card's (the front matter starts on its second).
        let bad = front_matter("---\nname: x\nlicense: [mit\n---\n# M\n")
            .unwrap()
            .unwrap_err();
        let yaml_line = read("x", "name: x\nlicense: [mit\n").unwrap_err().why;
        let line = |w: &str| {
            w.rsplit_once("(line ")
                .unwrap()
                .1
                .trim_end_matches(')')
                .parse::<usize>()
                .unwrap()
        };
        assert_eq!(line(&bad.why), line(&yaml_line) + 1, "{bad:?} {yaml_line}");
        // Comments only: nothing is stated, nothing is wrong.
        assert!(front_matter("---\n# filled in later\n---\n# M\n").is_none());
    }
}
