//! The rule registry: every rule's id, default severity and docs — the one source of
//! truth that `modelcard-review rules`, docs/rules.md, the README's table, SARIF's rule
//! list and the configuration's validation read. The bottom layer: it knows no rule's
//! code.

use crate::finding::Severity;

pub struct RuleInfo {
    pub id: &'static str,
    pub default_severity: Severity,
    pub summary: &'static str,
    pub why: &'static str,
    pub bad: &'static str,
    pub good: &'static str,
}

/// The project's home, where every rule's page is.
pub const INFORMATION_URI: &str = "https://github.com/ri-scale/modelcard-review";

/// Where a rule is explained: its heading in `docs/rules.md` (generated from `RULES`),
/// for every reader that links a rule (SARIF, the editor, the summary, the audit).
pub fn help_uri(rule: &str) -> String {
    format!("{INFORMATION_URI}/blob/main/docs/rules.md#{rule}")
}

/// `rules --format json`: every rule with its default level, its words and its page.
pub fn rules_json() -> String {
    let list: Vec<serde_json::Value> = RULES
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "severity": r.default_severity.as_str(),
                "summary": r.summary,
                "why": r.why,
                "bad": r.bad,
                "good": r.good,
                "help_uri": help_uri(r.id),
            })
        })
        .collect();
    serde_json::to_string_pretty(&list).expect("rules serialize")
}

pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        id: "missing-section",
        default_severity: Severity::Error,
        summary: "A heading of the template is absent from the card.",
        why: "Reviewers and readers look for every section of the template; a missing one is information the hub requires.",
        bad: "# Uses\n## Direct Use\n…\n## Out-of-Scope Use",
        good: "# Uses\n## Direct Use\n…\n## Downstream Use\n…\n## Out-of-Scope Use",
    },
    RuleInfo {
        id: "renamed-section",
        default_severity: Severity::Error,
        summary: "A heading is close to a missing template heading (case, typo, wording) and should be named exactly as in the template.",
        why: "The table of contents and the hub's tools find sections by their exact names.",
        bad: "# Training Detail",
        good: "# Training Details",
    },
    RuleInfo {
        id: "heading-level",
        default_severity: Severity::Warning,
        summary: "A template heading is used at the wrong level (number of `#`).",
        why: "The level decides which section a heading belongs to; a wrong level breaks the card's outline.",
        bad: "### Model Description",
        good: "## Model Description",
    },
    RuleInfo {
        id: "section-order",
        default_severity: Severity::Warning,
        summary: "A template section stands out of the template's order.",
        why: "Readers compare cards side by side; the same order everywhere makes that possible.",
        bad: "# Evaluation\n…\n# Training Details",
        good: "# Training Details\n…\n# Evaluation",
    },
    RuleInfo {
        id: "duplicate-section",
        default_severity: Severity::Warning,
        summary: "A template heading appears twice under the same parent.",
        why: "Two sections of one name split the information and break the table of contents links.",
        bad: "## Model Description\n…\n## Model Description",
        good: "## Model Description\n…",
    },
    RuleInfo {
        id: "empty-section",
        default_severity: Severity::Error,
        summary: "A template section has no content of its own and no filled subsection (instructions, placeholders and comments do not count).",
        why: "An empty section looks complete in the outline but tells the reader nothing.",
        bad: "## Direct Use\n\n*Explain how the model can be used…*",
        good: "## Direct Use\n\nSegment nuclei in 2D fluorescence images of fixed cells.",
    },
    RuleInfo {
        id: "placeholder",
        default_severity: Severity::Error,
        summary: "A placeholder is left in: one of the template's own (`[Model Name]`, `0.XX ± 0.XX`, `Condition A`) or a generic one (TODO, TBD, TBA, TBC, FIXME, coming soon, [More Information Needed] with or without a note, `[… to be added]`, `<insert …>`-style angle brackets, unrendered `{{ … }}`/`{% … %}` tags, Lorem ipsum). Mentions in code spans or quotes do not count.",
        why: "A placeholder is a question the card has not answered yet.",
        bad: "- **Developed by:** *[Name(s), Institution(s)]*",
        good: "- **Developed by:** Jane Doe, EMBL Heidelberg",
    },
    RuleInfo {
        id: "template-text",
        default_severity: Severity::Warning,
        summary: "Instruction or example text from the template is left in, verbatim or nearly.",
        why: "The template's guidance is for the author, not the reader; left in, it reads as if it described this model.",
        bad: "*Explain how this model can be fine-tuned or integrated into larger data analysis pipelines.*",
        good: "The model can be fine-tuned on 20 annotated images with the provided notebook.",
    },
    RuleInfo {
        id: "missing-field",
        default_severity: Severity::Error,
        summary: "A bold field label that the template puts in a section is absent from it.",
        why: "Fields such as the license or the developers are what users look up first.",
        bad: "## Model Description\n- **Developed by:** Jane Doe",
        good: "## Model Description\n- **Developed by:** Jane Doe\n- **License:** MIT",
    },
    RuleInfo {
        id: "field-elsewhere",
        default_severity: Severity::Warning,
        summary: "A field the template puts in one section is given in another.",
        why: "The fact is there, but readers and the hub's tools look for it where the template puts it.",
        bad: "## Compute Infrastructure\n- **Framework:** PyTorch 2.1",
        good: "### Training Hyperparameters\n- **Framework:** PyTorch 2.1",
    },
    RuleInfo {
        id: "empty-field",
        default_severity: Severity::Error,
        summary: "A field label has nothing after it.",
        why: "An empty field looks answered at a glance but is not.",
        bad: "- **License:**",
        good: "- **License:** CC-BY-4.0",
    },
    RuleInfo {
        id: "broken-anchor",
        default_severity: Severity::Warning,
        summary: "An in-document link (`#fragment`, as in the table of contents) matches no heading's anchor.",
        why: "A reader clicking the link goes nowhere.",
        bad: "- [Training Details](#training-detail)",
        good: "- [Training Details](#training-details)",
    },
    RuleInfo {
        id: "missing-toc-entry",
        default_severity: Severity::Warning,
        summary: "The card's table of contents has no entry for a section it has and the template's table of contents lists.",
        why: "Readers use the table of contents to jump to sections; a section left out of it is easy to miss.",
        bad: "# Table of Contents\n- [Model Details](#model-details)\n- [Training Details](#training-details)",
        good: "# Table of Contents\n- [Model Details](#model-details)\n- [Uses](#uses)\n- [Training Details](#training-details)",
    },
    RuleInfo {
        id: "table-shape",
        default_severity: Severity::Warning,
        summary: "A table row has more or fewer cells than the table's header.",
        why: "GitHub drops the extra cells and pads missing ones, so values end up in the wrong column or disappear.",
        bad: "| Metric | Overall | Condition A |\n|---|---|---|\n| IoU | 0.81 |",
        good: "| Metric | Overall | Nuclei |\n|---|---|---|\n| IoU | 0.81 | 0.78 |",
    },
    RuleInfo {
        id: "broken-link",
        default_severity: Severity::Warning,
        summary: "A relative link or image points to a file that does not exist (relative to the card's folder).",
        why: "Missing figures and files leave gaps a reader cannot fill.",
        bad: "![Example output](images/exmple.png)",
        good: "![Example output](images/example.png)",
    },
    RuleInfo {
        id: "image-alt-text",
        default_severity: Severity::Notice,
        summary: "An image has no alt text (nothing between `![` and `]`).",
        why: "Readers who cannot see the image (screen readers, a broken link, the review diff) learn nothing from it; a figure of results or an example output needs a sentence saying what it shows.",
        bad: "![](images/example-output.png)",
        good: "![Nuclei segmented in a fluorescence image: each nucleus outlined in its own colour](images/example-output.png)",
    },
    RuleInfo {
        id: "optional-marker",
        default_severity: Severity::Notice,
        summary: "A heading or field label still carries a template's ` [optional]` mark (Hugging Face's template writes them).",
        why: "The mark is an instruction to the author, not part of the name: the hub's configuration decides what is optional, and readers should not see it.",
        bad: "## Model Sources [optional]\n- **Funded by [optional]:** EU Horizon",
        good: "## Model Sources\n- **Funded by:** EU Horizon",
    },
    RuleInfo {
        id: "metadata-mismatch",
        default_severity: Severity::Error,
        summary: "The card and its machine-readable description (`rdf.yaml`, `bioimageio.yaml`, YAML front matter) state a fact differently: license, authors, cited DOI, repository, name or documentation.",
        why: "Tools and the hub's pages read the metadata, people read the card: when they disagree, users are misled about what they may do with a model and whom to credit.",
        bad: "- **License:** MIT          # rdf.yaml: license: CC-BY-4.0",
        good: "- **License:** [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)   # rdf.yaml: license: CC-BY-4.0",
    },
    RuleInfo {
        id: "metadata-unreadable",
        default_severity: Severity::Warning,
        summary: "The `rdf.yaml` / `bioimageio.yaml` beside the card, or its front matter, is not valid YAML or not a mapping, so nothing in it can be compared with the card.",
        why: "A description no tool can read helps no one, and every disagreement with the card goes unseen until it is fixed.",
        bad: "name: Nuclei U-Net\nauthors: [Jane Doe\n",
        good: "name: Nuclei U-Net\nauthors:\n  - name: Jane Doe\n",
    },
    RuleInfo {
        id: "invalid-suppression",
        default_severity: Severity::Warning,
        summary: "A `<!-- modelcard-review-disable … -->` comment names a rule that does not exist, so it suppresses nothing.",
        why: "A misspelt rule id leaves the finding it meant to silence, and hides that the comment is wrong.",
        bad: "<!-- modelcard-review-disable-next-line placeholdr -->",
        good: "<!-- modelcard-review-disable-next-line placeholder -->",
    },
    RuleInfo {
        id: "unreadable-file",
        default_severity: Severity::Error,
        summary: "The file is not UTF-8 text, looks binary, or is over the size limit (default 1 MiB).",
        why: "Nothing else can be checked, and GitHub may not render it.",
        bad: "README.md saved as UTF-16",
        good: "README.md saved as UTF-8",
    },
];

pub fn rule_info(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}
