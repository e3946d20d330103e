//! `modelcard-review new`: a card to start from — the template's sections, instructions
//! and fields as the template writes them, without its preamble and footer, the title
//! set to the model's name. Where a bioimage.io description (`rdf.yaml`,
//! `bioimageio.yaml`) sits in the folder, what it states fills the matching fields.

use crate::metadata::text_of;
use crate::template::Spec;
use anyhow::Result;

pub use crate::metadata::{default_rdf_fields, DEFAULT_RDF_FIELDS, METADATA_FILES as RDF_NAMES};

/// What a bioimage.io description states, as text for the card.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ModelFacts {
    pub name: Option<String>,
    pub description: Option<String>,
    /// Template field label → value.
    pub fields: Vec<(String, String)>,
}

/// Reads a bioimage.io description; `fields` maps its keys to field labels; unknown or
/// missing keys are left out.
pub fn read_rdf(text: &str, fields: &[(String, String)]) -> Result<ModelFacts> {
    let Some(doc) = crate::metadata::load(text).map_err(anyhow::Error::msg)? else {
        return Ok(ModelFacts::default());
    };
    let doc = &doc;
    let mut facts = ModelFacts {
        name: text_of(&doc["name"]),
        description: text_of(&doc["description"]),
        fields: Vec::new(),
    };
    for (key, label) in fields {
        let v = &doc[key.as_str()];
        let value = match key.as_str() {
            "authors" => v.as_vec().map(|people| {
                people
                    .iter()
                    .filter_map(|p| {
                        let name = crate::metadata::author_name(p)?;
                        Some(match text_of(&p["affiliation"]) {
                            Some(a) => format!("{name} ({a})"),
                            None => name,
                        })
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
            "cite" => v.as_vec().map(|refs| {
                refs.iter()
                    .filter_map(|c| {
                        let link = text_of(&c["doi"])
                            .map(|d| {
                                if d.starts_with("http") {
                                    d
                                } else {
                                    format!("https://doi.org/{d}")
                                }
                            })
                            .or_else(|| text_of(&c["url"]));
                        match (text_of(&c["text"]), link) {
                            (Some(t), Some(l)) => Some(format!("{t} ({l})")),
                            (t, l) => t.or(l),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            }),
            _ => text_of(v),
        };
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            facts.fields.push((label.clone(), value));
        }
    }
    Ok(facts)
}

/// The new card's text.
pub fn card_text(spec: &Spec, name: Option<&str>, facts: &ModelFacts) -> String {
    let name = name.or(facts.name.as_deref());
    let mut out = String::new();
    for s in &spec.sections {
        let heading = match (s.title_slot, name) {
            (true, Some(n)) => format!("{} {n}", "#".repeat(s.level as usize)),
            _ => s.heading_line(),
        };
        out.push_str(&heading);
        out.push_str("\n\n");
        if s.title_slot {
            if let Some(d) = &facts.description {
                out.push_str(d);
                out.push_str("\n\n");
                continue;
            }
        }
        if s.body.is_empty() {
            continue;
        }
        for line in &s.body {
            out.push_str(&fill_field(s, line, facts));
            out.push('\n');
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// A template field line with the description's value in place of the placeholder.
fn fill_field(s: &crate::template::SectionSpec, line: &str, facts: &ModelFacts) -> String {
    let Some(f) = s.fields.iter().find(|f| f.line == line) else {
        return line.to_string();
    };
    let key = crate::text::field_key(&f.label);
    let value = facts
        .fields
        .iter()
        .find(|(label, _)| crate::text::field_key(label) == key)
        .map(|(_, v)| v);
    match (value, line.find(":**")) {
        (Some(v), Some(i)) => format!("{} {v}", &line[..i + 3]),
        _ => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn rdf_values_fill_the_fields_the_template_has() {
        let facts = read_rdf(
            &String::from("name: NucleiSeg\ndescription: Segments nuclei.\nlicense: MIT\nauthors:\n  - name: Jo Doe\n    affiliation: EMBL\n  - name: Al Roe;@alroe\ncite:\n  - text: Doe et al. 2024\n    doi: 10.1/xyz\ngit_repo: https://github.com/x/y\nunknown_key: 3\n"),
            &default_rdf_fields(),
        )
        .unwrap();
        assert_eq!(facts.name.as_deref(), Some("NucleiSeg"));
        let got: Vec<(&str, &str)> = facts
            .fields
            .iter()
            .map(|(l, v)| (l.as_str(), v.as_str()))
            .collect();
        // In the mapping's (alphabetical) order of keys.
        assert_eq!(
            got,
            vec![
                ("Developed by", "Jo Doe (EMBL), Al Roe"),
                ("Paper", "Doe et al. 2024 (https://doi.org/10.1/xyz)"),
                ("Repository", "https://github.com/x/y"),
                ("License", "MIT"),
            ]
        );
        let spec = Spec::default_spec(&Config::default()).unwrap();
        let card = card_text(&spec, None, &facts);
        assert!(
            card.starts_with("# NucleiSeg\n\nSegments nuclei.\n\n# Table of Contents"),
            "{card}"
        );
        assert!(card.contains("\n- **Developed by:** Jo Doe (EMBL), Al Roe\n"));
        assert!(card.contains("\n- **License:** MIT\n"));
        assert!(
            card.contains("\n- **Funded by:** *[Funding agency, grant number if applicable]*\n")
        );
        assert!(read_rdf("a: [unclosed", &[]).is_err());
        assert_eq!(read_rdf("", &[]).unwrap(), ModelFacts::default());
    }
}
