//! Which right-side lines a pull request touches. Inline review comments may only sit
//! on lines of the diff (GitHub answers 422 otherwise); we put them only on lines the
//! contributor added or changed.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedLines {
    /// Right-side lines added or changed.
    pub added: BTreeSet<usize>,
    /// Right-side line ranges of each hunk (added and context lines), inclusive.
    pub hunks: Vec<(usize, usize)>,
}

impl ChangedLines {
    /// Every line of a new file is added.
    pub fn all(line_count: usize) -> ChangedLines {
        ChangedLines {
            added: (1..=line_count).collect(),
            hunks: if line_count > 0 {
                vec![(1, line_count)]
            } else {
                Vec::new()
            },
        }
    }

    /// Reads a unified diff's hunks as GitHub gives them in a file's `patch`.
    /// Malformed hunk headers end the reading; what was read stays.
    pub fn from_patch(patch: &str) -> ChangedLines {
        let mut out = ChangedLines::default();
        let mut right = 0usize;
        let mut in_hunk = false;
        let mut hunk_start = 0usize;
        for raw in patch.split('\n') {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if let Some(rest) = line.strip_prefix("@@") {
                if in_hunk && right > hunk_start {
                    out.hunks.push((hunk_start, right - 1));
                }
                match parse_hunk_start(rest) {
                    Some(start) => {
                        right = start;
                        hunk_start = start;
                        in_hunk = true;
                    }
                    None => {
                        in_hunk = false;
                    }
                }
                continue;
            }
            if !in_hunk {
                continue;
            }
            match line.as_bytes().first() {
                Some(b'+') => {
                    out.added.insert(right);
                    right += 1;
                }
                Some(b'-') => {}
                Some(b'\\') => {} // "\ No newline at end of file"
                _ => right += 1,
            }
        }
        if in_hunk && right > hunk_start {
            out.hunks.push((hunk_start, right - 1));
        }
        out
    }

    /// Computes the change between two versions when GitHub sends no patch (large
    /// diffs): lines of `head` inserted or replaced relative to `base`.
    pub fn from_contents(base: &str, head: &str) -> ChangedLines {
        let diff = similar::TextDiff::configure()
            .timeout(std::time::Duration::from_secs(5))
            .diff_lines(base, head);
        let mut out = ChangedLines::default();
        for group in diff.grouped_ops(3) {
            let (mut lo, mut hi) = (usize::MAX, 0usize);
            for op in &group {
                let r = op.new_range();
                lo = lo.min(r.start + 1);
                hi = hi.max(r.end);
                if !matches!(op.tag(), similar::DiffTag::Equal) {
                    out.added.extend(r.start + 1..=r.end);
                }
            }
            if lo <= hi {
                out.hunks.push((lo, hi));
            }
        }
        out
    }

    pub fn is_added(&self, line: usize) -> bool {
        self.added.contains(&line)
    }

    /// Both lines lie in one hunk (a multi-line comment must not cross hunks).
    pub fn same_hunk(&self, a: usize, b: usize) -> bool {
        self.hunks
            .iter()
            .any(|(s, e)| *s <= a && a <= *e && *s <= b && b <= *e)
    }
}

/// `-12,7 +14,9 @@ …` → 14.
fn parse_hunk_start(rest: &str) -> Option<usize> {
    let plus = rest.split_whitespace().find(|t| t.starts_with('+'))?;
    let num = plus[1..].split(',').next()?;
    let n: usize = num.parse().ok()?;
    Some(n.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_github_patches() {
        let patch = "@@ -1,3 +1,4 @@\n # Title\n-old\n+new\n+added\n context\n@@ -20,2 +21,3 @@ ## Section\n a\n+b\n c";
        let c = ChangedLines::from_patch(patch);
        assert_eq!(c.added.iter().copied().collect::<Vec<_>>(), vec![2, 3, 22]);
        assert_eq!(c.hunks, vec![(1, 4), (21, 23)]);
        assert!(c.same_hunk(2, 4));
        assert!(!c.same_hunk(4, 21));
    }

    #[test]
    fn hostile_patches_do_not_panic() {
        for p in [
            "",
            "@@ garbage",
            "@@ -1 +x @@\n+a",
            "+no hunk",
            "@@ -0,0 +0,0 @@\n+a\n\\ No newline at end of file",
        ] {
            let _ = ChangedLines::from_patch(p);
        }
        let c = ChangedLines::from_patch("@@ -0,0 +1,2 @@\n+a\n+b");
        assert_eq!(c.added.len(), 2);
    }

    #[test]
    fn contents_diff_matches_patch_view() {
        let base = "a\nb\nc\nd\n";
        let head = "a\nB\nc\nd\ne\n";
        let c = ChangedLines::from_contents(base, head);
        assert_eq!(c.added.iter().copied().collect::<Vec<_>>(), vec![2, 5]);
        assert!(c.same_hunk(1, 5));
        assert_eq!(ChangedLines::all(3).added.len(), 3);
    }
}
