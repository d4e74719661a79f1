//! Memory of a running app as the benchmarks measure it.

use std::path::Path;

/// PSS in KiB summed over the app's processes: the program named `comm` started on `db`
/// (TONGXIN_DB) and everything under it (its web processes), from smaps_rollup.
pub fn pss_kib(comm: &str, db: &Path) -> u64 {
    parts(comm, db).iter().map(|(_, kib)| kib).sum()
}

/// The same, process by process: (its name, PSS in KiB).
pub fn parts(comm: &str, db: &Path) -> Vec<(String, u64)> {
    pids(comm, db)
        .iter()
        .filter_map(|p| {
            let name = std::fs::read_to_string(format!("/proc/{p}/comm")).ok()?;
            let rollup = std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")).ok()?;
            let kib = rollup
                .lines()
                .filter(|l| l.starts_with("Pss:"))
                .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum();
            Some((name.trim().to_string(), kib))
        })
        .collect()
}

/// Where each process's memory is, by what is mapped (a file, the heap, anonymous memory):
/// (process name, mapping, PSS in KiB), largest first — to find where the memory goes.
#[allow(dead_code)] // the memory bench's alone
pub fn by_mapping(comm: &str, db: &Path) -> Vec<(String, String, u64)> {
    let mut out = Vec::new();
    for p in pids(comm, db) {
        let Ok(name) = std::fs::read_to_string(format!("/proc/{p}/comm")) else {
            continue;
        };
        let Ok(smaps) = std::fs::read_to_string(format!("/proc/{p}/smaps")) else {
            continue;
        };
        let mut sums: std::collections::HashMap<String, u64> = Default::default();
        let mut current = String::new();
        for l in smaps.lines() {
            let mut words = l.split_whitespace();
            let first = words.next().unwrap_or("");
            if first.contains('-') && !first.ends_with(':') {
                // A mapping's header: range, perms, offset, dev, inode, path. A file's code
                // (r-x) and its data (r--, rw-) are told apart.
                let perms = words.next().unwrap_or("");
                current = match words.nth(3) {
                    Some(path) if path.starts_with('/') => format!("{path} ({perms})"),
                    Some(other) => other.to_string(),
                    None => "[anon]".to_string(),
                };
            } else if first == "Pss:" {
                let kib: u64 = words.next().and_then(|k| k.parse().ok()).unwrap_or(0);
                *sums.entry(current.clone()).or_default() += kib;
            }
        }
        out.extend(
            sums.into_iter()
                .map(|(m, k)| (name.trim().to_string(), m, k)),
        );
    }
    out.sort_by_key(|m| std::cmp::Reverse(m.2));
    out
}

fn pids(comm: &str, db: &Path) -> Vec<u32> {
    let procs: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let ppid = stat
                .rsplit(')')
                .next()?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            Some((pid, ppid))
        })
        .collect();
    let needle = format!("TONGXIN_DB={}", db.display());
    let roots: Vec<u32> = procs
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/comm")).is_ok_and(|c| c.trim() == comm)
                && std::fs::read(format!("/proc/{p}/environ"))
                    .is_ok_and(|e| e.split(|b| *b == 0).any(|v| v == needle.as_bytes()))
        })
        .collect();
    let mut all = roots.clone();
    let mut i = 0;
    while i < all.len() {
        let parent = all[i];
        all.extend(
            procs
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    all
}
