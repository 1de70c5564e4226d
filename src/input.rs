//! Reading the user's files: only regular files, and never more than a
//! stated size, so that a pipe cannot block a run, a device cannot fill the
//! memory, and a mistaken path fails at once with a reason.

use std::io::Read;
use std::path::Path;

/// A problem with a command-line flag (or the command line as a whole):
/// reported like a file's, under the name `command line`.
pub fn command_line(key: &str, message: impl Into<String>) -> crate::Error {
    crate::Error::input(crate::InputProblem::new("command line", key, message))
}

/// The largest scenario file or table read: the bundled pack's largest
/// table is under 1 MB, so this leaves room for tables of any realistic
/// country while bounding the memory a mistaken path can take.
pub const MAX_TEXT_BYTES: u64 = 64 << 20;

/// Reads a whole text file of at most `MAX_TEXT_BYTES`; the error says why
/// it cannot, in words fit to follow the file's name.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = read_bytes(path, MAX_TEXT_BYTES)?;
    String::from_utf8(bytes).map_err(|e| format!("is not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
}

/// Reads a whole regular file of at most `limit` bytes.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = open(path)?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("is a folder; expected a file".into());
    }
    if !meta.is_file() {
        return Err("is not a regular file (a pipe, device or socket); expected a file".into());
    }
    if meta.len() > limit {
        return Err(too_big(meta.len(), limit));
    }
    // The length is read again as the bytes come: a file that grows while
    // it is read is still cut off at the limit.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(too_big(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

fn too_big(len: u64, limit: u64) -> String {
    let mb = |b: u64| b as f64 / (1u64 << 20) as f64;
    format!(
        "is {:.1} MB, more than the {:.0} MB an input file may have",
        mb(len),
        mb(limit)
    )
}

/// Opens without blocking: opening a pipe with no writer would otherwise
/// wait forever before its type could be checked.
fn open(path: &Path) -> Result<std::fs::File, String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "file not found".to_string(),
        _ => e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_a_device_and_a_missing_file_are_refused_by_type() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_text(dir.path()).unwrap_err(), "is a folder; expected a file");
        assert_eq!(read_text(&dir.path().join("none.csv")).unwrap_err(), "file not found");
        if Path::new("/dev/zero").exists() {
            let e = read_text(Path::new("/dev/zero")).unwrap_err();
            assert!(e.starts_with("is not a regular file"), "{e}");
        }
    }

    #[test]
    fn a_file_over_the_limit_is_refused_with_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        std::fs::write(&path, vec![b'1'; 3 << 20]).unwrap();
        assert_eq!(read_bytes(&path, 3 << 20).unwrap().len(), 3 << 20);
        let e = read_bytes(&path, 2 << 20).unwrap_err();
        assert_eq!(e, "is 3.0 MB, more than the 2 MB an input file may have");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_pipe_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("table.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let e = read_text(&fifo).unwrap_err();
        assert!(e.starts_with("is not a regular file"), "{e}");
    }
}
