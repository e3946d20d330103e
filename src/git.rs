//! Reading a repository with git, never checking anything out: commands run in a
//! folder, one `git cat-file --batch` for many files, and a commit's tree as the
//! answer to "does this file exist?". Shared by the review preview and the audit's
//! trend.

use crate::rules::LinkOracle;
use anyhow::{bail, Context, Result};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs git in `dir`; its standard output, or an error with what git said.
pub fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .context("cannot run git: is it installed?")?;
    if !out.status.success() {
        bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(out.stdout)
}

/// `git`'s output as trimmed text.
pub fn git_text(dir: &Path, args: &[&str]) -> Result<String> {
    Ok(String::from_utf8_lossy(&git(dir, args)?).trim().to_string())
}

/// Reads objects (`SHA`, or `REV:PATH`) through one `git cat-file --batch`, instead of
/// a process per file.
pub struct Blobs {
    child: std::process::Child,
    input: std::process::ChildStdin,
    output: BufReader<std::process::ChildStdout>,
}

impl Blobs {
    pub fn start(root: &Path) -> Result<Blobs> {
        let mut child = Command::new("git")
            .current_dir(root)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("cannot run git cat-file: is git installed?")?;
        let input = child.stdin.take().context("git cat-file: no stdin")?;
        let output = BufReader::new(child.stdout.take().context("git cat-file: no stdout")?);
        Ok(Blobs {
            child,
            input,
            output,
        })
    }

    /// The object's bytes (None: no such object), at most `limit` + 1 of them kept (a
    /// larger card is then unreadable, as on disk).
    pub fn read(&mut self, object: &str, limit: usize) -> Result<Option<Vec<u8>>> {
        writeln!(self.input, "{object}")?;
        self.input.flush()?;
        let mut header = String::new();
        self.output.read_line(&mut header)?;
        if header.trim_end().ends_with(" missing") || header.trim_end().ends_with(" ambiguous") {
            return Ok(None);
        }
        let size: usize = header
            .split_whitespace()
            .nth(2)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("git cat-file: unexpected answer {:?}", header.trim()))?;
        let mut bytes = Vec::with_capacity(size.min(limit + 1));
        (&mut self.output)
            .take(size.min(limit + 1) as u64)
            .read_to_end(&mut bytes)?;
        // The rest of an oversized object, and the newline after every object.
        std::io::copy(
            &mut (&mut self.output).take((size - bytes.len()) as u64 + 1),
            &mut std::io::sink(),
        )?;
        Ok(Some(bytes))
    }
}

impl Drop for Blobs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A commit's files and the folders holding them: whether a link's target exists.
#[derive(Debug, Default)]
pub struct Tree {
    files: HashSet<String>,
    dirs: HashSet<String>,
}

impl Tree {
    pub fn new<S: Into<String>>(files: impl IntoIterator<Item = S>) -> Tree {
        let mut t = Tree::default();
        for f in files {
            t.insert(f.into());
        }
        t
    }

    pub fn insert(&mut self, file: String) {
        let mut d = Path::new(&file).parent();
        while let Some(x) = d.filter(|x| !x.as_os_str().is_empty()) {
            if !self.dirs.insert(x.to_string_lossy().into_owned()) {
                break;
            }
            d = x.parent();
        }
        self.files.insert(file);
    }

    pub fn has_file(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    pub fn files(&self) -> impl Iterator<Item = &String> {
        self.files.iter()
    }
}

impl LinkOracle for Tree {
    fn exists(&self, path: &str) -> Option<bool> {
        let path = path.trim_end_matches('/');
        Some(self.files.contains(path) || self.dirs.contains(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_knows_its_files_and_folders() {
        let t = Tree::new(["models/a/README.md", "models/a/rdf.yaml", "LICENSE"]);
        assert_eq!(t.exists("models/a/rdf.yaml"), Some(true));
        assert_eq!(t.exists("models/a"), Some(true));
        assert_eq!(t.exists("models/"), Some(true));
        assert_eq!(t.exists("models/b"), Some(false));
        assert_eq!(t.exists("mod"), Some(false));
    }
}
