//! Opening the database: one place sets the pragmas and applies the embedded migrations.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::keys::{self, DbKey};
use crate::{Error, Result};

/// How a database came to be open, for what the window says at start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Opened {
    /// With the key it had.
    #[default]
    AsBefore,
    /// A new database with a new key: its recovery key is shown once.
    NewKey,
    /// A plain database (an earlier version's) encrypted in place under a new key.
    Encrypted,
}

/// The first 16 bytes of every unencrypted SQLite file.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// True when `path` holds an unencrypted SQLite database (an earlier version's, or a backup
/// it made).
pub fn is_plain(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head == PLAIN_HEADER)
}

/// Opens `path` under `key` and reads it once: a wrong key (or a file that is not a database)
/// is `KeyWrong`, said before anything is written.
pub(crate) fn open_keyed(path: &Path, key: &DbKey) -> Result<Connection> {
    let conn = Connection::open(path).map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    })?;
    // A wrong key makes SQLCipher log an HMAC failure for every page it tries: the message we
    // give says it better.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.execute_batch(&format!("PRAGMA key = {};", key.literal()))?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())) {
        Ok(()) => Ok(conn),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            Err(Error::KeyWrong(path.to_path_buf()))
        }
        Err(source) => Err(Error::Open {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Encrypts the plain database at `path` under `key`, in place: the encrypted copy is written
/// beside it, checked (integrity, and every table's rows counted on both sides), and only then
/// renamed over the plain file, whose WAL goes with it. Cut short anywhere, the plain file is
/// still there, whole.
pub(crate) fn encrypt_in_place(path: &Path, key: &DbKey) -> Result<()> {
    let next = path.with_extension("db.encrypting");
    let _ = std::fs::remove_file(&next);
    {
        let plain = Connection::open(path).map_err(|source| Error::Open {
            path: path.to_path_buf(),
            source,
        })?;
        // The WAL folded in first: what it holds is part of the day.
        let version: i64 = plain.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        // A newer version's database is refused as it is, not encrypted first.
        if version > SCHEMA_VERSION {
            return Err(Error::SchemaTooNew {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        plain.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        crate::store::space::export_encrypted(&plain, &next, &key.literal())?;
        let check = open_keyed(&next, key)?;
        check.pragma_update(None, "user_version", version)?;
        crate::store::space::same_rows(&plain, &check)?;
    }
    std::fs::File::open(&next)?.sync_all()?;
    std::fs::rename(&next, path)?;
    for side in ["db-wal", "db-shm"] {
        let _ = std::fs::remove_file(path.with_extension(side));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::export::sync_dir(dir)?;
    }
    Ok(())
}

/// Numbered migrations, embedded in the binary. Migration N brings `user_version` to N.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_expert_name_index.sql"),
    include_str!("../migrations/0003_import_batch.sql"),
    include_str!("../migrations/0004_expert_merge.sql"),
    include_str!("../migrations/0005_event_key.sql"),
    include_str!("../migrations/0006_year_record.sql"),
    include_str!("../migrations/0007_central_sync.sql"),
    include_str!("../migrations/0008_signup_generation.sql"),
    include_str!("../migrations/0009_central_parked.sql"),
    include_str!("../migrations/0010_expert_code_nocase.sql"),
    include_str!("../migrations/0011_clock_flag.sql"),
    include_str!("../migrations/0012_erased.sql"),
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Takes the lock file beside the database (`<name>.db.lock`) for as long as the returned file
/// is kept: a second window on the same database is refused with a message saying so.
pub fn lock(path: &Path) -> Result<std::fs::File> {
    let lock_path = path.with_extension("db.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        // Held by another process: the window (or a CLI command that writes) has it.
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::AlreadyOpen(path.to_path_buf())),
        // Anything else (a file system without locks, a permission) is said as what it is.
        Err(std::fs::TryLockError::Error(e)) => Err(Error::Io(e)),
    }
}

/// Applies the migrations after the connection's `user_version`, up to `version`: a restore
/// builds the schema a backup was written with, copies its rows in, then migrates the rest.
pub(crate) fn migrate_to(conn: &mut Connection, version: i64) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let upto = version.clamp(0, SCHEMA_VERSION) as usize;
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(upto)
        .skip(found as usize)
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// The app's SQLite database, encrypted on disk (see `keys`).
pub struct Db {
    conn: Connection,
    path: Option<PathBuf>,
    /// The file's key (none in memory, nor for a benchmark's unencrypted reference).
    key: Option<DbKey>,
    /// What happened to the key when this was opened (made now, a plain file encrypted…).
    opened: Opened,
    /// What the desk's counts keep between calls (see `attendance`).
    memo: RefCell<crate::attendance::Memo>,
}

impl Db {
    /// Opens (creating if needed) the database file and brings its schema up to date, under
    /// its key (`keys::lookup`): a new file gets a new key, kept in the credential store; a
    /// plain file of an earlier version is encrypted in place first. No key and no store: an
    /// error saying what to do, and nothing written in the clear.
    pub fn open(path: &Path) -> Result<Db> {
        let exists = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
        let (key, opened) = match keys::lookup(path)? {
            Some((key, _)) if exists && is_plain(path) => {
                encrypt_in_place(path, &key)?;
                (key, Opened::Encrypted)
            }
            Some((key, _)) => (key, Opened::AsBefore),
            None if exists && !is_plain(path) => return Err(Error::KeyMissing(path.to_path_buf())),
            None => {
                let key = DbKey::random()?;
                let kept = keys::remember(path, &key)?;
                if exists {
                    encrypt_in_place(path, &key)?;
                    (key, Opened::Encrypted)
                } else if kept == keys::Source::Store {
                    (key, Opened::NewKey)
                } else {
                    // A script's own key: the script knows it.
                    (key, Opened::AsBefore)
                }
            }
        };
        let mut db = Db::open_with(path, &key)?;
        db.opened = opened;
        Ok(db)
    }

    /// Opens the database at `path` under `key` (a recovery key typed, a script's key).
    pub fn open_with(path: &Path, key: &DbKey) -> Result<Db> {
        let conn = open_keyed(path, key)?;
        Db::configured(conn, path, Some(key.clone()))
    }

    /// Another connection to a database already open: under the key the first one holds, else
    /// (in memory, never on disk) as [`Db::open`].
    pub fn reopen(path: &Path, key: Option<&DbKey>) -> Result<Db> {
        match key {
            Some(k) => Db::open_with(path, k),
            None => Db::open(path),
        }
    }

    /// Opens `path` unencrypted: only the benchmarks' reference, beside an encrypted copy.
    pub fn open_unencrypted(path: &Path) -> Result<Db> {
        let conn = Connection::open(path).map_err(|source| Error::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Db::configured(conn, path, None)
    }

    fn configured(conn: Connection, path: &Path, key: Option<DbKey>) -> Result<Db> {
        let mut db = Db {
            conn,
            path: Some(path.to_path_buf()),
            key,
            opened: Opened::AsBefore,
            memo: RefCell::default(),
        };
        // A database from a newer version is refused before anything (not even the journal
        // mode) is written to it.
        db.refuse_newer()?;
        db.configure(true)?;
        db.migrate()?;
        Ok(db)
    }

    fn refuse_newer(&self) -> Result<()> {
        let found: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(Error::SchemaTooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(())
    }

    /// A private database for tests.
    pub fn open_in_memory() -> Result<Db> {
        let mut db = Db {
            conn: Connection::open_in_memory()?,
            path: None,
            key: None,
            opened: Opened::AsBefore,
            memo: RefCell::default(),
        };
        db.configure(false)?;
        db.migrate()?;
        Ok(db)
    }

    fn configure(&mut self, on_disk: bool) -> Result<()> {
        if on_disk {
            // WAL lets readers (CLI, backups) run beside the desk; FULL syncs the WAL on every
            // commit, so a check-in the screen confirmed survives a killed process or power loss.
            self.conn
                .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        }
        // On macOS fsync reaches the drive's cache, not its platters: F_FULLFSYNC does, and
        // SQLite uses it for commits and checkpoints only when told (elsewhere these are no-ops).
        self.conn.execute_batch(
            "PRAGMA synchronous = FULL;
             PRAGMA fullfsync = ON;
             PRAGMA checkpoint_fullfsync = ON;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;",
        )?;
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Every transaction takes the write lock when it begins: a desk's check-in that read
        // first and wrote second would otherwise fail at once (SQLITE_BUSY, no waiting) when
        // another connection — the city sync in the background — committed in between. Begun
        // IMMEDIATE, it waits its turn (a few milliseconds) under the busy timeout instead.
        self.conn
            .set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        Ok(())
    }

    /// Brings the schema up to date (after a restore from an older backup).
    pub fn upgrade(&mut self) -> Result<()> {
        self.migrate()
    }

    fn migrate(&mut self) -> Result<()> {
        self.refuse_newer()?;
        migrate_to(&mut self.conn, SCHEMA_VERSION)
    }

    /// Lets the file grow by only `extra_pages` more pages (the end-to-end tests' full disk).
    pub fn limit_growth(&self, extra_pages: i64) -> Result<()> {
        crate::store::space::limit_growth(&self.conn, extra_pages)
    }

    /// Rows changed through this connection since it opened.
    pub fn total_changes(&self) -> Result<i64> {
        crate::store::space::total_changes(&self.conn)
    }

    /// The file's version as this connection sees it: equal twice when nothing was committed in
    /// between, through this connection or any other. A plan made on another connection is
    /// still true if this has not moved.
    pub fn version(&self) -> Result<(i64, i64)> {
        crate::store::space::seen_version(&self.conn)
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub(crate) fn memo(&self) -> &RefCell<crate::attendance::Memo> {
        &self.memo
    }

    /// Drops what is kept between calls, once the whole content was replaced under it.
    pub(crate) fn forget_kept(&self) {
        self.memo.take();
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The file's key: copies (backups) are written under it.
    pub fn key(&self) -> Option<&DbKey> {
        self.key.as_ref()
    }

    /// How the key came to be (a new one to show, a plain file just encrypted).
    pub fn opened(&self) -> Opened {
        self.opened
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_database_is_refused_until_the_first_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("day.db");
        let first = lock(&path).unwrap();
        let second = lock(&path);
        assert!(matches!(second, Err(Error::AlreadyOpen(_))));
        assert!(second.unwrap_err().to_string().contains("已经在运行"));
        drop(first);
        assert!(lock(&path).is_ok());
    }

    #[test]
    fn the_version_moves_with_a_commit_through_either_connection_and_only_then() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("day.db");
        let desk = Db::open(&path).unwrap();
        let other = Db::open(&path).unwrap();
        let write = |db: &Db, k: &str| {
            crate::store::setting::set(db.conn(), k, "1").unwrap();
        };
        let v0 = desk.version().unwrap();
        // Reading on another connection (a preview) is not a change.
        other.version().unwrap();
        assert_eq!(desk.version().unwrap(), v0);
        write(&other, "a");
        let v1 = desk.version().unwrap();
        assert_ne!(v1, v0, "another connection's commit (a sync round)");
        write(&desk, "b");
        assert_ne!(desk.version().unwrap(), v1, "the desk's own commit");
    }

    #[test]
    fn a_new_file_gets_the_current_schema_with_wal_and_full_sync() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        let v: i64 = db
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let mode: String = db
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = db
            .conn()
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "synchronous=FULL");
        for pragma in ["fullfsync", "checkpoint_fullfsync"] {
            let on: i64 = db
                .conn()
                .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
                .unwrap();
            assert_eq!(on, 1, "{pragma}: macOS's fsync stops at the drive's cache");
        }
        let fk: i64 = db
            .conn()
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
    }

    #[test]
    fn reopening_does_not_reapply_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.db");
        drop(Db::open(&p).unwrap());
        // Would fail with "table event already exists" if 0001 ran twice.
        Db::open(&p).unwrap();
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.db");
        {
            let c = Connection::open(&p).unwrap();
            c.pragma_update(None, "user_version", 99).unwrap();
        }
        let before = std::fs::read(&p).unwrap();
        let e = Db::open(&p).err().unwrap();
        assert_eq!(e.code(), "db_too_new");
        assert!(
            e.to_string()
                .starts_with("这个数据库来自更新版本的同心签到"),
            "{e}"
        );
        // Refused, not touched: the file is byte for byte what it was, and no WAL was made.
        assert_eq!(std::fs::read(&p).unwrap(), before);
        assert!(!p.with_extension("db-wal").exists());
    }
}
