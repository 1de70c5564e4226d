//! Every output is written to a temporary file beside its target and renamed
//! into place only once complete.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The temporary name keeps the extension: some writers pick the format
    // from it.
    target.with_file_name(format!(
        ".{name}.tmp-{}.{}",
        std::process::id(),
        target.extension().and_then(|e| e.to_str()).unwrap_or("tmp")
    ))
}

fn output_error(path: &Path, e: std::io::Error) -> Error {
    Error::Output {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Writes `bytes` to `target` atomically.
pub fn write(target: &Path, bytes: &[u8]) -> Result<()> {
    write_with(target, |f| f.write_all(bytes))
}

/// Writes to `target` atomically what `fill` writes, in pieces, for
/// contents too large to hold twice in memory.
pub fn write_with(target: &Path, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let tmp = temp_path(target);
    let result = (|| {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        fill(&mut f)?;
        let f = f.into_inner().map_err(std::io::IntoInnerError::into_error)?;
        f.sync_all()?;
        std::fs::rename(&tmp, target)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(output_error(target, e));
    }
    Ok(())
}

pub fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| output_error(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.csv");
        write(&target, b"x,y\n").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"x,y\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn failure_names_the_target_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing").join("a.csv");
        let e = write(&target, b"x").unwrap_err();
        assert!(e.to_string().contains("a.csv"));
        assert!(!target.exists());
    }
}
