//! Where scenario files come from: the file system, or the copy of the bundled
//! Kyrgyz pack compiled into the binary (so `migsim run` works from any folder).

use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::path::{Component, Path, PathBuf};

pub trait Source {
    /// Reads a whole text file, or says why it cannot.
    fn read(&self, path: &Path) -> Result<String, String>;
    /// How the path is shown to the user in messages.
    fn display(&self, path: &Path) -> String {
        path.display().to_string()
    }
    /// How the path is written into outputs: relative to `folder`, the
    /// folder of the scenario file run, so that the same run from another
    /// working folder or machine writes the same bytes.
    fn portable(&self, path: &Path, folder: &Path) -> String {
        relative_to(path, folder).display().to_string()
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

    fn portable(&self, path: &Path, _folder: &Path) -> String {
        self.display(path)
    }
}

/// `path` relative to `folder`, by their components alone. Both are taken
/// as the loader builds them, by joining relative paths onto the scenario's
/// folder, so they are both relative or both absolute; an absolute path
/// under a relative folder stays as it is.
pub fn relative_to(path: &Path, folder: &Path) -> PathBuf {
    let (path, folder) = (normalize(path), normalize(folder));
    if path.is_absolute() != folder.is_absolute() {
        return path;
    }
    let p: Vec<Component> = path.components().collect();
    let f: Vec<Component> = folder.components().collect();
    let common = p.iter().zip(&f).take_while(|(a, b)| a == b).count();
    if f[common..].contains(&Component::ParentDir) {
        // The folder climbs above where the path starts: no relative form.
        return path;
    }
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c.as_os_str());
    }
    out
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
/// manifest; paths relative to the folder of the scenario file run.
pub struct ReadLog {
    folder: PathBuf,
    entries: RefCell<Vec<(String, String)>>,
}

impl ReadLog {
    /// A log for loading the scenario file `top`.
    pub fn new(top: &Path) -> ReadLog {
        ReadLog {
            folder: top.parent().map(Path::to_path_buf).unwrap_or_default(),
            entries: RefCell::default(),
        }
    }

    pub fn read(&self, source: &dyn Source, path: &Path) -> Result<String, String> {
        let text = source.read(path)?;
        let hash = Sha256::digest(text.as_bytes());
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        self.entries
            .borrow_mut()
            .push((source.portable(path, &self.folder), hex));
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
    fn a_path_is_written_relative_to_the_scenarios_folder() {
        let rel = |p: &str, f: &str| relative_to(Path::new(p), Path::new(f)).display().to_string();
        assert_eq!(
            rel("scenarios/kyrgyzstan/../data/home.csv", "scenarios/kyrgyzstan"),
            "../data/home.csv"
        );
        assert_eq!(rel("/tmp/a/scenarios/k/base.toml", "/tmp/a/scenarios/k"), "base.toml");
        assert_eq!(rel("k/../../x.csv", "k"), "../../x.csv");
        assert_eq!(rel("base.toml", ""), "base.toml");
        assert_eq!(rel("/data/x.csv", "k"), "/data/x.csv");
        assert_eq!(rel("x.csv", "../k"), "x.csv");
    }

    #[test]
    fn normalize_resolves_parent_and_current_components() {
        assert_eq!(
            normalize(Path::new("scenarios/kyrgyzstan/../data/./home.csv")),
            PathBuf::from("scenarios/data/home.csv")
        );
    }
}
