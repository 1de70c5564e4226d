//! Where scenario files come from: the file system, or the copy of the bundled
//! Kyrgyz pack compiled into the binary (so `migsim run` works from any folder).

use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::path::{Component, Path, PathBuf};

pub trait Source {
    /// Reads a whole text file, or says why it cannot.
    fn read(&self, path: &Path) -> Result<String, String>;
    /// How the path is shown to the user in messages and the manifest.
    fn display(&self, path: &Path) -> String {
        path.display().to_string()
    }
}

pub struct Disk;

impl Source for Disk {
    fn read(&self, path: &Path) -> Result<String, String> {
        crate::input::read_text(path)
    }
}

/// Files compiled into the binary, looked up by their path relative to the
/// repository root.
pub struct Embedded {
    pub files: &'static [(&'static str, &'static str)],
}

impl Source for Embedded {
    fn read(&self, path: &Path) -> Result<String, String> {
        let wanted = normalize(path);
        self.files
            .iter()
            .find(|(p, _)| Path::new(p) == wanted)
            .map(|(_, text)| text.to_string())
            .ok_or_else(|| "file not found among the bundled scenario files".to_string())
    }

    fn display(&self, path: &Path) -> String {
        format!("(bundled) {}", normalize(path).display())
    }
}

/// Removes `.` and resolves `..` lexically, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A record of every file read while loading, with its SHA-256, for the run
/// manifest.
#[derive(Default)]
pub struct ReadLog {
    entries: RefCell<Vec<(String, String)>>,
}

impl ReadLog {
    pub fn read(&self, source: &dyn Source, path: &Path) -> Result<String, String> {
        let text = source.read(path)?;
        let hash = Sha256::digest(text.as_bytes());
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        self.entries.borrow_mut().push((source.display(path), hex));
        Ok(text)
    }

    pub fn into_entries(self) -> Vec<(String, String)> {
        self.entries.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_parent_and_current_components() {
        assert_eq!(
            normalize(Path::new("scenarios/kyrgyzstan/../data/./home.csv")),
            PathBuf::from("scenarios/data/home.csv")
        );
    }
}
