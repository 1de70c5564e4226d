//! How much memory this process may take, read from the limits a shell or
//! a job scheduler sets, so that a job too large for them is refused before
//! it starts rather than killed or aborted midway:
//! - the address-space limit (`ulimit -v`, RLIMIT_AS): past it an
//!   allocation fails, and a Rust program aborts;
//! - the memory limit of the process's control groups (v2 `memory.max`,
//!   v1 `memory.limit_in_bytes`, the cgroup's and every parent's), which
//!   Slurm's `--mem` sets: past it the kernel kills the job.
//!
//! Neither is a guess about what other programs will use: both are hard
//! limits that a job exceeding them cannot survive.

use std::path::{Path, PathBuf};

/// A memory limit and what sets it.
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    /// Bytes the whole process may take.
    pub bytes: u64,
    /// What sets it, for messages.
    pub what: &'static str,
}

/// The tightest of the address-space and control-group limits, if any.
pub fn memory() -> Option<Limit> {
    let address = address_space().map(|bytes| Limit {
        bytes,
        what: "address-space limit (ulimit -v)",
    });
    let group = control_group().map(|bytes| Limit {
        bytes,
        what: "control group's memory limit (a job scheduler's --mem)",
    });
    [address, group].into_iter().flatten().min_by_key(|l| l.bytes)
}

/// RLIMIT_AS, the whole limit: what is mapped at any moment says little,
/// since the allocator reserves address space ahead of its use (about
/// 1 GB without a limit, less under one), so callers budget against the
/// limit itself.
fn address_space() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::As).current
}

/// The smallest memory limit of this process's control groups and their
/// parents, in bytes.
fn control_group() -> Option<u64> {
    let membership = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let v2_root = if Path::new("/sys/fs/cgroup/cgroup.controllers").exists() {
        PathBuf::from("/sys/fs/cgroup")
    } else {
        PathBuf::from("/sys/fs/cgroup/unified")
    };
    let v1_root = PathBuf::from("/sys/fs/cgroup/memory");
    limit_files(&membership, &v2_root, &v1_root)
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .filter_map(|text| parse_limit(&text))
        .min()
}

/// The limit files that bind a process of `membership` (the text of
/// `/proc/self/cgroup`): for each of its memory hierarchies, the file of
/// its group and of every group above it.
fn limit_files(membership: &str, v2_root: &Path, v1_root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for line in membership.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(id), Some(controllers), Some(group)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let (root, file) = if id == "0" && controllers.is_empty() {
            (v2_root, "memory.max")
        } else if controllers.split(',').any(|c| c == "memory") {
            (v1_root, "memory.limit_in_bytes")
        } else {
            continue;
        };
        let mut dir = root.join(group.trim_start_matches('/'));
        loop {
            files.push(dir.join(file));
            if dir == root || !dir.pop() || !dir.starts_with(root) {
                break;
            }
        }
    }
    files
}

/// A limit file's value: bytes, or none for `max` and for v1's "no limit"
/// (a number near 2^63).
fn parse_limit(text: &str) -> Option<u64> {
    text.trim().parse::<u64>().ok().filter(|&b| b < 1 << 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_memory_hierarchy_and_every_parent_group_is_consulted() {
        let membership = "12:pids:/a\n4:memory:/slurm/job_7\n0::/slurm/job_7/step_0\n";
        let files = limit_files(membership, Path::new("/v2"), Path::new("/v1"));
        let shown: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        assert_eq!(
            shown,
            [
                "/v1/slurm/job_7/memory.limit_in_bytes",
                "/v1/slurm/memory.limit_in_bytes",
                "/v1/memory.limit_in_bytes",
                "/v2/slurm/job_7/step_0/memory.max",
                "/v2/slurm/job_7/memory.max",
                "/v2/slurm/memory.max",
                "/v2/memory.max",
            ]
        );
        assert_eq!(
            limit_files("0::/\n", Path::new("/v2"), Path::new("/v1")),
            [PathBuf::from("/v2/memory.max")]
        );
    }

    #[test]
    fn no_limit_reads_as_none() {
        assert_eq!(parse_limit("max\n"), None);
        assert_eq!(parse_limit("9223372036854771712\n"), None);
        assert_eq!(parse_limit("2147483648\n"), Some(2 << 30));
        assert_eq!(parse_limit("garbage"), None);
    }
}
