//! A run's outputs replaced as one generation.
//!
//! Every file of a run is written into a staging folder beside the output
//! folder (same parent, so on the same file system), and only when all of
//! them are complete does the staging folder take the output folder's place.
//! A reader, or a run killed at any moment, therefore sees the previous
//! generation whole or the new one whole, never a mix.
//!
//! The folder may also hold files that are not ours (`--out` pointed at a
//! folder of the user's own). A listing written with every generation,
//! [`LISTING`], says which files migsim wrote last time; only those are ever
//! replaced or removed. How the switch is made:
//! - the output folder does not exist: the staging folder is renamed to it;
//! - it holds only the previous generation: the two folders are exchanged
//!   in one system call (`renameat2(RENAME_EXCHANGE)` on Linux; elsewhere
//!   two renames, between which the folder is briefly absent, never mixed),
//!   and the old generation, now in the staging place, is removed;
//! - it holds anything else (the user's files, or outputs of a migsim from
//!   before listings): each new file is renamed into place, one at a time,
//!   then the files the previous listing names and this run did not write
//!   are removed. Each file is whole at every moment, but for that short
//!   sequence of renames the folder holds some new and some old files.
//!
//! A staging folder left by a killed run is removed by the next run into
//! the same folder once its process is gone.

use crate::error::{Error, Result};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The file, in every output folder, naming the files of its generation.
pub const LISTING: &str = ".migsim-outputs";

const LISTING_HEADER: &str = "# Written by migsim: the files of the last run written into this folder. The next run replaces or removes only these.\n";

/// The staging folder's name: `.<folder>.migsim-<pid>-<n>`.
fn staging_prefix(leaf: &str) -> String {
    format!(".{leaf}.migsim-")
}

fn output_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Output {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Refuses, before a command's work, an output folder that writing would
/// refuse after it: `target` exists and is not a folder, or the nearest
/// existing path above it is a file. The same error (exit 1) as `write`
/// gives, found before hours of draws rather than after them.
pub fn check_target(target: &Path) -> Result<()> {
    let target = resolve(target)?;
    if target.exists() && !target.is_dir() {
        return Err(output_error(&target, "exists and is not a folder"));
    }
    let above = target
        .ancestors()
        .skip(1)
        .find(|p| p.as_os_str().is_empty() || p.exists());
    match above {
        Some(p) if !p.as_os_str().is_empty() && !p.is_dir() => Err(output_error(
            p,
            "is not a folder, so no output folder can be made in it",
        )),
        _ => Ok(()),
    }
}

/// Writes a generation of outputs for `target`: `write` fills the folder it
/// is given, and only if it succeeds do its files replace the previous
/// generation in `target`. On failure nothing in `target` changes and the
/// staging folder is removed.
pub fn write<T>(target: &Path, write: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    let stage = Staging::begin(target)?;
    let value = write(&stage.path)?;
    stage.commit()?;
    Ok(value)
}

struct Staging {
    target: PathBuf,
    path: PathBuf,
    done: bool,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// The folder the target names, made absolute when its last component is
/// not a name (`.`, `..`), so that the staging folder has a parent and a name.
fn resolve(target: &Path) -> Result<PathBuf> {
    let named = matches!(target.components().next_back(), Some(std::path::Component::Normal(_)));
    if named {
        return Ok(target.to_path_buf());
    }
    let absolute = std::path::absolute(target).map_err(|e| output_error(target, e))?;
    // `absolute` keeps `..`; canonicalising needs the folder to exist.
    match absolute.canonicalize() {
        Ok(p) => Ok(p),
        Err(_) => Ok(absolute),
    }
}

impl Staging {
    fn begin(target: &Path) -> Result<Staging> {
        check_target(target)?;
        let target = resolve(target)?;
        let leaf = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "root".into());
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            Some(_) => PathBuf::from("."),
            None => target.clone(),
        };
        std::fs::create_dir_all(&parent).map_err(|e| output_error(&parent, e))?;
        remove_abandoned(&parent, &staging_prefix(&leaf));
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = parent.join(format!("{}{}-{n}", staging_prefix(&leaf), std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir(&path).map_err(|e| output_error(&path, e))?;
        Ok(Staging {
            target,
            path,
            done: false,
        })
    }

    fn commit(mut self) -> Result<()> {
        let new = files_under(&self.path).map_err(|e| output_error(&self.path, e))?;
        let listing = listing_text(&new);
        super::atomic::write(&self.path.join(LISTING), listing.as_bytes())?;
        if !self.target.exists() {
            std::fs::rename(&self.path, &self.target).map_err(|e| output_error(&self.target, e))?;
        } else if self.holds_only_our_outputs() {
            exchange(&self.path, &self.target).map_err(|e| output_error(&self.target, e))?;
            // The staging path now holds the previous generation.
            let _ = std::fs::remove_dir_all(&self.path);
        } else {
            self.replace_file_by_file(&new)?;
            let _ = std::fs::remove_dir_all(&self.path);
        }
        self.done = true;
        Ok(())
    }

    /// Whether every file in the target is one the previous listing names
    /// (or the listing itself), and the target is neither a symbolic link
    /// (which must stay one) nor the working folder (which must not be moved
    /// from under the user's shell).
    fn holds_only_our_outputs(&self) -> bool {
        let link = std::fs::symlink_metadata(&self.target).is_ok_and(|m| m.file_type().is_symlink());
        if link {
            return false;
        }
        let here = std::env::current_dir().ok().and_then(|d| d.canonicalize().ok());
        if here.is_some() && self.target.canonicalize().ok() == here {
            return false;
        }
        let Ok(present) = entries_under(&self.target) else {
            return false;
        };
        if present.is_empty() {
            return true;
        }
        let Some(previous) = read_listing(&self.target) else {
            return false;
        };
        let ours = |e: &String| match e.strip_suffix('/') {
            Some(dir) => previous.iter().any(|f| f.starts_with(&format!("{dir}/"))),
            None => e == LISTING || previous.contains(e),
        };
        present.iter().all(ours)
    }

    /// Moves each new file into place, then removes what the previous
    /// listing names and this generation lacks. The listing written first
    /// names both generations, so a kill midway leaves nothing migsim wrote
    /// unlisted, and the next run can still clean it.
    fn replace_file_by_file(&self, new: &BTreeSet<String>) -> Result<()> {
        // Checked before anything moves, so that a clash fails with the
        // folder as it was.
        for f in new {
            let to = self.target.join(f);
            if to.is_dir() {
                return Err(output_error(
                    &to,
                    "is a folder: cannot put this output file in its place",
                ));
            }
            let mut up = to.parent();
            while let Some(dir) = up.filter(|d| d.starts_with(&self.target) && *d != self.target) {
                if dir.exists() && !dir.is_dir() {
                    return Err(output_error(dir, "is a file: cannot make the output folder here"));
                }
                up = dir.parent();
            }
        }
        let previous = read_listing(&self.target).unwrap_or_default();
        let union: BTreeSet<String> = previous.union(new).cloned().collect();
        super::atomic::write(&self.target.join(LISTING), listing_text(&union).as_bytes())?;
        for f in new {
            let to = self.target.join(f);
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir).map_err(|e| output_error(dir, e))?;
            }
            std::fs::rename(self.path.join(f), &to).map_err(|e| output_error(&to, e))?;
        }
        for f in previous.difference(new) {
            let old = self.target.join(f);
            if old.is_file() {
                std::fs::remove_file(&old).map_err(|e| output_error(&old, e))?;
            }
            // A folder migsim made (charts/) goes when it is left empty.
            if let Some(dir) = old.parent().filter(|d| *d != self.target) {
                let _ = std::fs::remove_dir(dir);
            }
        }
        super::atomic::write(&self.target.join(LISTING), listing_text(new).as_bytes())
    }
}

fn listing_text(files: &BTreeSet<String>) -> String {
    let mut text = String::from(LISTING_HEADER);
    for f in files.iter().filter(|f| *f != LISTING) {
        text.push_str(f);
        text.push('\n');
    }
    text
}

/// The files a folder's listing names; `None` if it has none. Lines that
/// could lead out of the folder are ignored, so a forged listing cannot
/// make migsim remove anything elsewhere.
fn read_listing(dir: &Path) -> Option<BTreeSet<String>> {
    let text = std::fs::read_to_string(dir.join(LISTING)).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter(|l| {
                Path::new(l)
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)))
            })
            .map(str::to_string)
            .collect(),
    )
}

/// Every file under `root`, as `/`-separated paths relative to it.
fn files_under(root: &Path) -> std::io::Result<BTreeSet<String>> {
    Ok(entries_under(root)?.into_iter().filter(|e| !e.ends_with('/')).collect())
}

/// Every file and folder under `root`, relative to it; folders end in `/`.
fn entries_under(root: &Path) -> std::io::Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in std::fs::read_dir(root.join(&rel))? {
            let entry = entry?;
            let rel = rel.join(entry.file_name());
            let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            if entry.file_type()?.is_dir() {
                out.insert(parts.join("/") + "/");
                stack.push(rel);
            } else {
                out.insert(parts.join("/"));
            }
        }
    }
    Ok(out)
}

/// Removes the staging folders of runs into the same folder whose process
/// has ended (a run killed before its commit). Where the system cannot say
/// whether a process lives, nothing is removed.
fn remove_abandoned(parent: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && process_ended(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(target_os = "linux")]
fn process_ended(pid: u32) -> bool {
    Path::new("/proc/self").exists() && !Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(not(target_os = "linux"))]
fn process_ended(_pid: u32) -> bool {
    false
}

/// Swaps two folders in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // File systems without the exchange flag.
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::NOTSUP) => {
            exchange_by_renames(a, b)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    exchange_by_renames(a, b)
}

/// Two renames through a third name: `b` is briefly absent, never mixed.
fn exchange_by_renames(a: &Path, b: &Path) -> std::io::Result<()> {
    let mut aside = a.as_os_str().to_owned();
    aside.push(".old");
    let aside = PathBuf::from(aside);
    std::fs::rename(b, &aside)?;
    if let Err(e) = std::fs::rename(a, b) {
        let _ = std::fs::rename(&aside, b);
        return Err(e);
    }
    std::fs::rename(&aside, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(dir: &Path, files: &[(&str, &str)]) -> Result<()> {
        for (name, text) in files {
            let p = dir.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        Ok(())
    }

    fn contents(dir: &Path) -> Vec<(String, String)> {
        files_under(dir)
            .unwrap()
            .into_iter()
            .filter(|f| f != LISTING)
            .map(|f| {
                let text = std::fs::read_to_string(dir.join(&f)).unwrap();
                (f, text)
            })
            .collect()
    }

    fn siblings(parent: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_new_generation_replaces_the_old_whole_and_drops_files_it_no_longer_writes() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("run");
        write(&out, |d| {
            put(
                d,
                &[("series.csv", "old"), ("draws.csv", "old"), ("charts/a.png", "old")],
            )
        })
        .unwrap();
        write(&out, |d| put(d, &[("series.csv", "new"), ("charts/b.png", "new")])).unwrap();
        assert_eq!(
            contents(&out),
            vec![
                ("charts/b.png".into(), "new".into()),
                ("series.csv".into(), "new".into())
            ]
        );
        assert_eq!(siblings(tmp.path()), vec!["run"], "no staging folder left");
    }

    #[test]
    fn the_users_own_files_in_the_folder_are_never_touched() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("mine");
        put(
            &out,
            &[
                ("notes.txt", "mine"),
                ("series.csv.bak", "mine"),
                ("charts/logo.png", "mine"),
            ],
        )
        .unwrap();
        write(&out, |d| put(d, &[("series.csv", "old"), ("draws.csv", "old")])).unwrap();
        write(&out, |d| put(d, &[("series.csv", "new")])).unwrap();
        assert_eq!(
            contents(&out),
            vec![
                ("charts/logo.png".into(), "mine".into()),
                ("notes.txt".into(), "mine".into()),
                ("series.csv".into(), "new".into()),
                ("series.csv.bak".into(), "mine".into()),
            ]
        );
    }

    #[test]
    fn a_failed_generation_changes_nothing_and_leaves_no_staging() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("run");
        write(&out, |d| put(d, &[("series.csv", "old")])).unwrap();
        let e = write(&out, |d| -> Result<()> {
            put(d, &[("series.csv", "half")])?;
            Err(Error::Runtime("stopped".into()))
        });
        assert!(e.is_err());
        assert_eq!(contents(&out), vec![("series.csv".into(), "old".into())]);
        assert_eq!(siblings(tmp.path()), vec!["run"]);
    }

    #[test]
    fn a_forged_listing_cannot_remove_files_outside_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("run");
        put(tmp.path(), &[("precious.txt", "keep")]).unwrap();
        put(&out, &[("mine.txt", "keep")]).unwrap();
        std::fs::write(out.join(LISTING), "../precious.txt\n/etc/hostname\nmine.txt.gone\n").unwrap();
        write(&out, |d| put(d, &[("series.csv", "new")])).unwrap();
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("precious.txt")).unwrap(),
            "keep"
        );
        assert_eq!(std::fs::read_to_string(out.join("mine.txt")).unwrap(), "keep");
    }

    #[test]
    fn the_staging_folder_of_a_dead_run_is_removed_by_the_next() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("run");
        // No process has this id: pids stop well below 2^31 on Linux.
        let dead = tmp
            .path()
            .join(format!("{}{}-0", staging_prefix("run"), 2_147_483_000u32));
        put(&dead, &[("series.csv", "half")]).unwrap();
        write(&out, |d| put(d, &[("series.csv", "new")])).unwrap();
        if cfg!(target_os = "linux") {
            assert_eq!(siblings(tmp.path()), vec!["run"]);
        }
    }

    #[test]
    fn a_file_where_the_folder_should_be_is_an_error_and_stays() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("run");
        std::fs::write(&out, "a file").unwrap();
        let e = write(&out, |d| put(d, &[("series.csv", "new")])).unwrap_err();
        assert!(e.to_string().contains("not a folder"), "{e}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "a file");
    }
}
