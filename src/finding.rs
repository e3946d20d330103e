//! What the checker reports: one `Finding` per problem, on the line a reviewer would
//! comment on, with a stable fingerprint that survives edits elsewhere in the card.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Notice,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Notice => "notice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The level at which a run fails (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    Notice,
    Never,
}

impl FailOn {
    pub fn parse(s: &str) -> Option<FailOn> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" => Some(FailOn::Error),
            "warning" => Some(FailOn::Warning),
            "notice" => Some(FailOn::Notice),
            "never" | "none" => Some(FailOn::Never),
            _ => None,
        }
    }

    pub fn fails(self, s: Severity) -> bool {
        match self {
            FailOn::Error => s >= Severity::Error,
            FailOn::Warning => s >= Severity::Warning,
            FailOn::Notice => true,
            FailOn::Never => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's id, one of `rules::RULES`.
    pub rule: &'static str,
    pub severity: Severity,
    /// Shared by the findings of one file.
    pub path: Arc<str>,
    pub line: usize,
    /// 1-based, in characters: where on `line` the problem starts.
    pub column: usize,
    /// 1-based, in characters, exclusive: where on `line` it ends (SARIF's
    /// `endColumn`); 0 when it runs to the end of the line.
    pub end_column: usize,
    pub end_line: usize,
    pub message: String,
    pub section: Option<String>,
    pub field: Option<String>,
    /// Replacement text for lines `line..=end_line`, when the fix is known.
    pub suggestion: Option<String>,
    /// A fix that touches lines elsewhere (a whole outline's levels, an inserted
    /// section): each edit replaces its own lines. Empty when the fix, if any, is the
    /// suggestion.
    pub edits: Vec<Edit>,
    /// The fix moves the author's text (`fix` applies it only with `--unsafe-fixes`).
    pub unsafe_fix: bool,
    /// The text that makes this finding distinct within its section (a placeholder,
    /// a link target…): with rule, path, section and field, its identity across
    /// pushes (see `fingerprints`), never the line number.
    pub subject: String,
    /// For a finding that stands for several places (one cause, one finding): every
    /// line it covers, `line` first. Empty for a finding of one place.
    pub lines: Vec<usize>,
}

impl Finding {
    /// The fix as edits: the finding's own, or its suggestion for its lines.
    pub fn fix(&self) -> Vec<Edit> {
        if !self.edits.is_empty() {
            return self.edits.clone();
        }
        match &self.suggestion {
            Some(s) => vec![Edit::replace(self.line, self.end_line, s)],
            None => Vec::new(),
        }
    }

    /// The hash of the finding's identity: rule, path, section, field and the
    /// subject's normalised words.
    pub fn fingerprint_hash(&self) -> u64 {
        let mut h = crate::text::Fnv::default();
        h.part(self.rule);
        h.part(&self.path);
        h.part(self.section.as_deref().unwrap_or(""));
        h.part(self.field.as_deref().unwrap_or(""));
        h.normalized_part(&self.subject);
        h.0
    }
}

/// The fingerprints of one file's findings, in their order: the nth finding whose
/// hash an earlier one has gets `-n`. Worked out only where they are written (SARIF,
/// the review): hashing every finding's texts cost more than formatting them.
pub fn fingerprints(findings: &[Finding]) -> Vec<Fingerprint> {
    let mut seen: rustc_hash::FxHashMap<u64, u32> = rustc_hash::FxHashMap::default();
    findings
        .iter()
        .map(|f| {
            let hash = f.fingerprint_hash();
            let repeat = seen.entry(hash).or_insert(0);
            *repeat += 1;
            Fingerprint {
                hash,
                repeat: *repeat,
            }
        })
        .collect()
}

/// A finding's identity across pushes, written as 16 hex digits, with `-n` for the
/// nth finding of one file that hashes the same. Kept as numbers until written: a
/// string per finding cost more than finding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    pub hash: u64,
    /// 1 for the first finding with this hash in its file, 2 for the second…
    pub repeat: u32,
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.hash)?;
        if self.repeat > 1 {
            write!(f, "-{}", self.repeat)?;
        }
        Ok(())
    }
}

/// One mechanical change: lines `line..=end_line` become `lines` (none: deleted).
/// With `end_line == line - 1` nothing is replaced: `lines` go in before `line`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub line: usize,
    pub end_line: usize,
    pub lines: Vec<String>,
}

impl Edit {
    pub fn replace(line: usize, end_line: usize, text: &str) -> Edit {
        Edit {
            line,
            end_line,
            lines: text.lines().map(str::to_string).collect(),
        }
    }

    /// `lines` go in before line `line` (one past the last line: at the end).
    pub fn insert_before(line: usize, lines: Vec<String>) -> Edit {
        Edit {
            line,
            end_line: line.saturating_sub(1),
            lines,
        }
    }

    pub fn is_insertion(&self) -> bool {
        self.end_line < self.line
    }
}

/// A finding as a rule produces it, before the path and severity are attached.
#[derive(Debug, Clone)]
pub struct Draft {
    pub rule: &'static str,
    pub line: usize,
    /// None: where the line's text starts.
    pub column: Option<usize>,
    pub end_column: usize,
    pub end_line: usize,
    pub message: String,
    pub section: Option<String>,
    pub field: Option<String>,
    pub suggestion: Option<String>,
    pub edits: Vec<Edit>,
    pub unsafe_fix: bool,
    /// The text that makes this finding distinct within its section (a placeholder,
    /// a link target…), part of the fingerprint.
    pub subject: String,
}

impl Draft {
    pub fn new(rule: &'static str, line: usize, message: String) -> Draft {
        Draft {
            rule,
            line,
            column: None,
            end_column: 0,
            end_line: line,
            message,
            section: None,
            field: None,
            suggestion: None,
            edits: Vec::new(),
            unsafe_fix: false,
            subject: String::new(),
        }
    }
    pub fn section(mut self, s: impl Into<String>) -> Self {
        self.section = Some(s.into());
        self
    }
    pub fn section_opt(mut self, s: Option<String>) -> Self {
        self.section = s;
        self
    }
    pub fn field(mut self, f: impl Into<String>) -> Self {
        self.field = Some(f.into());
        self
    }
    pub fn field_opt(mut self, f: Option<String>) -> Self {
        self.field = f;
        self
    }
    pub fn end_line(mut self, l: usize) -> Self {
        self.end_line = l.max(self.line);
        self
    }
    pub fn suggestion(mut self, s: impl Into<String>) -> Self {
        self.suggestion = Some(s.into());
        self
    }
    pub fn subject(mut self, s: impl Into<String>) -> Self {
        self.subject = s.into();
        self
    }
    /// The finding's span on its line: characters `from..to`, 1-based, `to` exclusive.
    pub fn columns(mut self, from: usize, to: usize) -> Self {
        self.column = Some(from);
        self.end_column = to.max(from + 1);
        self
    }
    pub fn column(mut self, c: usize) -> Self {
        self.column = Some(c.max(1));
        self
    }
    pub fn edits(mut self, e: Vec<Edit>) -> Self {
        self.edits = e;
        self
    }
    /// A fix that moves the author's text: applied only on request.
    /// A suggestion for a person to accept: `fix` applies it only with
    /// `--unsafe-fixes`; the review still offers it to commit in one click.
    pub fn unsafe_suggestion(mut self, s: impl Into<String>) -> Self {
        self.suggestion = Some(s.into());
        self.unsafe_fix = true;
        self
    }

    pub fn unsafe_edits(mut self, e: Vec<Edit>) -> Self {
        self.edits = e;
        self.unsafe_fix = true;
        self
    }

    /// The finding for one draft alone, for tests (`rules::finish` does this for a
    /// card's drafts together).
    #[cfg(test)]
    pub fn finish(mut self, path: &str, severity: Severity) -> Finding {
        self.take_finding(&Arc::from(path), severity)
    }

    /// The finding, with this draft's texts moved into it (left empty here).
    pub(crate) fn take_finding(&mut self, path: &Arc<str>, severity: Severity) -> Finding {
        Finding {
            rule: self.rule,
            severity,
            path: Arc::clone(path),
            line: self.line,
            column: self.column.unwrap_or(0),
            end_column: self.end_column,
            end_line: self.end_line.max(self.line),
            message: std::mem::take(&mut self.message),
            section: self.section.take(),
            field: self.field.take(),
            suggestion: self.suggestion.take(),
            edits: std::mem::take(&mut self.edits),
            unsafe_fix: self.unsafe_fix,
            subject: std::mem::take(&mut self.subject),
            lines: Vec::new(),
        }
    }
}

/// One rule's findings in one card: the shape a maintainer reads first (the bot's
/// summary, the audit page, `review --dry-run`), before each finding in full.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleGroup {
    pub rule: String,
    /// The most severe of them.
    pub severity: &'static str,
    /// Their lines, in the order given.
    pub lines: Vec<usize>,
    /// How many `fix` clears (safe fixes), and whether more need `--unsafe-fixes`.
    pub fixable: usize,
    pub unsafe_fix: bool,
    /// What the first says.
    pub message: String,
}

/// What grouping needs of a finding, from a `Finding` or a review's summary item.
pub struct GroupInput<'a> {
    pub rule: &'a str,
    pub severity: Severity,
    pub line: usize,
    /// `fix` clears it (a safe fix).
    pub fixable: bool,
    /// Only `fix --unsafe-fixes` does.
    pub unsafe_fix: bool,
    pub message: &'a str,
}

impl<'a> GroupInput<'a> {
    pub fn of(f: &'a Finding) -> GroupInput<'a> {
        let has_fix = !f.fix().is_empty();
        GroupInput {
            rule: f.rule,
            severity: f.severity,
            line: f.line,
            fixable: has_fix && !f.unsafe_fix,
            unsafe_fix: has_fix && f.unsafe_fix,
            message: &f.message,
        }
    }
}

/// Findings grouped by rule: errors first, then the most numerous; each rule once.
/// The one grouping every reader shows before the findings one by one.
pub fn group_by_rule<'a>(items: impl IntoIterator<Item = GroupInput<'a>>) -> Vec<RuleGroup> {
    let mut out: Vec<(Severity, RuleGroup)> = Vec::new();
    for i in items {
        match out.iter_mut().find(|(_, g)| g.rule == i.rule) {
            Some((sev, g)) => {
                g.lines.push(i.line);
                g.fixable += usize::from(i.fixable);
                g.unsafe_fix |= i.unsafe_fix;
                if i.severity > *sev {
                    *sev = i.severity;
                    g.severity = i.severity.as_str();
                }
            }
            None => out.push((
                i.severity,
                RuleGroup {
                    rule: i.rule.to_string(),
                    severity: i.severity.as_str(),
                    lines: vec![i.line],
                    fixable: usize::from(i.fixable),
                    unsafe_fix: i.unsafe_fix,
                    message: i.message.to_string(),
                },
            )),
        }
    }
    out.sort_by(|(sa, a), (sb, b)| {
        sb.cmp(sa)
            .then(b.lines.len().cmp(&a.lines.len()))
            .then(a.rule.cmp(&b.rule))
    });
    out.into_iter().map(|(_, g)| g).collect()
}

/// `format!` for the texts of findings, written once into a string with room for
/// almost all of them (95% of messages are under 256 bytes): `format!` grows its
/// string as it writes, one or two reallocations per message, and measuring first
/// doubled the formatting.
pub fn format_message(args: std::fmt::Arguments) -> String {
    if let Some(s) = args.as_str() {
        return s.to_string();
    }
    let mut out = String::with_capacity(256);
    // Writing into a `String` cannot fail.
    let _ = std::fmt::write(&mut out, args);
    out
}

/// `format!` through `format_message`.
macro_rules! message {
    ($($arg:tt)*) => {
        $crate::finding::format_message(format_args!($($arg)*))
    };
}
pub(crate) use message;

/// Counts per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notices: usize,
}

impl Counts {
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            c.add(f.severity);
        }
        c
    }
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Notice => self.notices += 1,
        }
    }
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.notices
    }
    pub fn fails(&self, fail_on: FailOn) -> bool {
        (self.errors > 0 && fail_on.fails(Severity::Error))
            || (self.warnings > 0 && fail_on.fails(Severity::Warning))
            || (self.notices > 0 && fail_on.fails(Severity::Notice))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn messages_are_formatted_as_format_does() {
        let (a, b) = ("Model Description", 3);
        assert_eq!(
            message!("The field **{a}:** is missing ({b} of {b:>4}) {:?}", "x"),
            format!("The field **{a}:** is missing ({b} of {b:>4}) {:?}", "x")
        );
        assert_eq!(message!("plain"), "plain");
        // One allocation for a usual message; a long one is still whole.
        let m = message!("{a} {a}");
        assert_eq!(m.capacity(), 256);
        let long = "x".repeat(300);
        assert_eq!(message!("{a}: {long}"), format!("{a}: {long}"));
    }

    #[test]
    fn fingerprints_are_written_as_sixteen_hex_digits_and_a_repeat() {
        for v in [0u64, 1, 0xdead_beef, u64::MAX, 0x0123_4567_89ab_cdef] {
            let fp = super::Fingerprint { hash: v, repeat: 1 };
            assert_eq!(fp.to_string(), format!("{v:016x}"));
            let fp = super::Fingerprint { hash: v, repeat: 3 };
            assert_eq!(fp.to_string(), format!("{v:016x}-3"));
        }
    }

    #[test]
    fn fingerprint_is_fnv_of_the_normalised_parts() {
        // The value is a contract with reviews already posted: it must not change.
        let d = super::Draft::new("placeholder", 3, String::new())
            .section("Model Details")
            .field("License")
            .subject("  *[License]*, Ünï  TODO ")
            .finish("m/README.md", Severity::Error);
        let expected = crate::text::fnv1a(&[
            "placeholder",
            "m/README.md",
            "Model Details",
            "License",
            &crate::text::normalized("  *[License]*, Ünï  TODO "),
        ]);
        assert_eq!(d.fingerprint_hash(), expected);
    }

    use super::*;

    #[test]
    fn fingerprint_ignores_line() {
        let a = Draft::new("placeholder", 3, "m".into())
            .section("Model Description")
            .subject("[Name]")
            .finish("a/README.md", Severity::Error);
        let b = Draft::new("placeholder", 30, "other".into())
            .section("Model Description")
            .subject("[Name]")
            .finish("a/README.md", Severity::Error);
        assert_eq!(a.fingerprint_hash(), b.fingerprint_hash());
        let c = Draft::new("placeholder", 3, "m".into())
            .section("Model Sources")
            .subject("[Name]")
            .finish("a/README.md", Severity::Error);
        assert_ne!(a.fingerprint_hash(), c.fingerprint_hash());
    }

    #[test]
    fn fail_levels() {
        let c = Counts {
            errors: 0,
            warnings: 1,
            notices: 0,
        };
        assert!(!c.fails(FailOn::Error));
        assert!(c.fails(FailOn::Warning));
        assert!(c.fails(FailOn::Notice));
        assert!(!c.fails(FailOn::Never));
    }
}
