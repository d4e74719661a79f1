//! Shared helpers for the acceptance and end-to-end tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root (this crate lives in `tests/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// A binary built by `cargo build` in this workspace (the test command builds them first).
pub fn target_bin(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    target.join("debug").join(name)
}

/// A plain SQLite connection to a database the app wrote, under the key the tests run with
/// (`TONGXIN_DB_KEY`): for a test that reaches under the app (a query plan, a forged row).
pub fn open_raw(path: &Path) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if let Ok(hex) = std::env::var("TONGXIN_DB_KEY") {
        c.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex.trim()))
            .unwrap_or_else(|e| panic!("keying {}: {e}", path.display()));
    }
    c
}

/// Runs `tongxin-cli --db DB ARGS…`.
pub fn cli(db: &Path, args: &[&str]) -> Output {
    let bin = target_bin("tongxin-cli");
    Command::new(&bin)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TONGXIN_DB")
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} ({e}); build it first: cargo build -p tongxin-cli",
                bin.display()
            )
        })
}

/// Runs the CLI with `--json` and parses its standard output, failing with its stderr.
pub fn cli_json(db: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = cli(db, &all);
    assert!(
        out.status.success(),
        "tongxin-cli {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "tongxin-cli {args:?} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// The demo day loaded by the CLI into `day.db` in `dir`: the set-up most tests start from.
pub fn demo_db(dir: &Path) -> PathBuf {
    let db = dir.join("day.db");
    let out = cli(&db, &["demo"]);
    assert!(
        out.status.success(),
        "demo: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

/// [`demo_db`] in a folder of its own, kept as long as the returned guard lives.
pub fn demo_day() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = demo_db(dir.path());
    (dir, db)
}
