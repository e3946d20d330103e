//! Files named by a user or a hub (cards, a config, its template, `new`'s metadata),
//! read safely: only regular files, and never more than a limit. A named pipe would
//! block `open` until something writes to it, and `/dev/zero` never ends; both are
//! refused before they are opened, and the size is capped while reading, since a
//! file may grow between the look and the read.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a file was not read.
#[derive(Debug)]
pub enum FileError {
    /// Not there, no permission, a dangling or looping symbolic link.
    Io(PathBuf, std::io::Error),
    /// A folder, named pipe, socket or device.
    NotRegular(PathBuf, &'static str),
    /// Over `limit` bytes.
    TooLarge(PathBuf, usize),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Io(p, e) => write!(f, "cannot read {}: {e}", p.display()),
            FileError::NotRegular(p, kind) => write!(
                f,
                "{} is {kind}, not a regular file, so it was not read",
                p.display()
            ),
            FileError::TooLarge(p, limit) => write!(
                f,
                "{} is larger than {limit} bytes, the limit for this file, so it was not read",
                p.display()
            ),
        }
    }
}

impl std::error::Error for FileError {}

/// What kind of file a non-regular one is, in words.
pub fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let ft = meta.file_type();
    if ft.is_dir() {
        return "a folder";
    }
    if ft.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a named pipe";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "a device";
        }
    }
    "not a file"
}

/// The words for a metadata file that is not a regular file.
pub fn not_regular(meta: &std::fs::Metadata) -> String {
    format!(
        "it is {}, not a regular file, so it was not read",
        kind_of(meta)
    )
}

/// A regular file's bytes (symbolic links followed), refused over `limit` bytes.
pub fn read_regular(path: &Path, limit: usize) -> Result<Vec<u8>, FileError> {
    let bytes = read_capped(path, limit)?;
    if bytes.len() > limit {
        return Err(FileError::TooLarge(path.to_path_buf(), limit));
    }
    Ok(bytes)
}

/// A regular file's first `limit` + 1 bytes at most, so a caller can tell a file
/// over the limit without reading it all.
pub fn read_capped(path: &Path, limit: usize) -> Result<Vec<u8>, FileError> {
    let io = |e| FileError::Io(path.to_path_buf(), e);
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(FileError::NotRegular(path.to_path_buf(), kind_of(&meta)));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // Swapped for something else between the look and the open.
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(FileError::NotRegular(path.to_path_buf(), kind_of(&meta)));
    }
    let mut bytes = Vec::with_capacity((meta.len() as usize).min(limit + 1));
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    Ok(bytes)
}

/// A regular file's text (UTF-8, a BOM dropped), refused over `limit` bytes.
pub fn read_text(path: &Path, limit: usize) -> anyhow::Result<String> {
    let bytes = read_regular(path, limit)?;
    let mut text = String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{} is not UTF-8 text: {e}", path.display()))?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.md");
        std::fs::write(&f, "\u{feff}hello").unwrap();
        assert_eq!(read_text(&f, 100).unwrap(), "hello");
        assert_eq!(read_capped(&f, 2).unwrap().len(), 3);
        let e = read_regular(&f, 2).unwrap_err();
        assert!(e.to_string().contains("larger than 2 bytes"), "{e}");
        let e = read_regular(dir.path(), 10).unwrap_err();
        assert!(e.to_string().contains("a folder"), "{e}");
        #[cfg(unix)]
        {
            let e = read_regular(Path::new("/dev/zero"), 10).unwrap_err();
            assert!(e.to_string().contains("a device"), "{e}");
            let fifo = dir.path().join("fifo");
            assert!(std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success());
            let e = read_regular(&fifo, 10).unwrap_err();
            assert!(e.to_string().contains("a named pipe"), "{e}");
            let link = dir.path().join("dangling");
            std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
            assert!(matches!(read_regular(&link, 10), Err(FileError::Io(..))));
        }
    }
}
