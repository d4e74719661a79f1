//! What the shell keeps while the window is open: the database, this desk, and the search
//! index of the current event.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, RwLock};

use tongxin_core::backup::AutoStatus;
use tongxin_core::directory::{Table, TableQuery};
use tongxin_core::keys::DbKey;
use tongxin_core::search::SearchIndex;
use tongxin_core::{Db, Desk};

use crate::error::{CmdError, CmdResult};

pub struct AppState {
    db: Mutex<Db>,
    /// The database's file (none in memory): the search index is built through a connection
    /// of its own, so that the desk's stays free for check-ins meanwhile.
    db_path: Option<PathBuf>,
    /// The database's key: the connections of its own (index, previews) open with it.
    key: Option<DbKey>,
    /// The recovery key was shown and noted since a new key was made (or a plain file encrypted).
    pub recovery_noted: std::sync::atomic::AtomicBool,
    index: Mutex<Option<SearchIndex>>,
    table: Mutex<Option<TableCache>>,
    desk: RwLock<Desk>,
    pub data_dir: PathBuf,
    /// The last automatic backup: when it succeeded, or why it failed (shown in the window).
    pub backup: Mutex<AutoStatus>,
    /// Held while the app runs: a second instance on the same database is refused.
    _lock: std::fs::File,
    /// Files the native dialogs returned (see `commands::files`).
    chosen: Mutex<Chosen>,
}

#[derive(Default)]
struct Chosen {
    read: HashSet<PathBuf>,
    write: HashSet<PathBuf>,
}

/// The experts table of one event, and the order of its last query (scrolling asks for
/// windows of the same order again and again).
pub struct TableCache {
    pub event_id: String,
    pub rows: Table,
    pub last: Option<(TableQuery, Vec<usize>)>,
}

impl AppState {
    pub fn new(db: Db, desk: Desk, data_dir: PathBuf, lock: std::fs::File) -> Self {
        AppState {
            db_path: db.path().map(Path::to_path_buf),
            key: db.key().cloned(),
            recovery_noted: std::sync::atomic::AtomicBool::new(false),
            db: Mutex::new(db),
            index: Mutex::new(None),
            table: Mutex::new(None),
            desk: RwLock::new(desk),
            data_dir,
            backup: Mutex::new(AutoStatus::default()),
            _lock: lock,
            chosen: Mutex::new(Chosen::default()),
        }
    }

    fn chosen(&self) -> MutexGuard<'_, Chosen> {
        self.chosen.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Remembers a file the open dialog returned; its path for the page.
    pub fn grant_read(&self, path: PathBuf) -> String {
        let shown = path.display().to_string();
        self.chosen().read.insert(path);
        shown
    }

    /// Remembers a file the save dialog returned; its path for the page.
    pub fn grant_write(&self, path: PathBuf) -> String {
        let shown = path.display().to_string();
        self.chosen().write.insert(path);
        shown
    }

    /// `path` if the open dialog returned it.
    pub fn chosen_for_reading(&self, path: &str) -> CmdResult<PathBuf> {
        let p = PathBuf::from(path);
        if self.chosen().read.contains(&p) {
            Ok(p)
        } else {
            Err(crate::commands::files::not_chosen(path))
        }
    }

    /// `path` if the save dialog returned it.
    pub fn chosen_for_writing(&self, path: &str) -> CmdResult<PathBuf> {
        let p = PathBuf::from(path);
        if self.chosen().write.contains(&p) {
            Ok(p)
        } else {
            Err(crate::commands::files::not_chosen(path))
        }
    }

    /// A backup to restore: one of this app's backups (listed in its folder), or a file the
    /// open dialog returned.
    pub fn restorable(&self, path: &str) -> CmdResult<PathBuf> {
        let p = PathBuf::from(path);
        let ours = p.parent() == Some(self.backups_dir().as_path())
            && tongxin_core::backup::list(&self.backups_dir())
                .map(|l| l.iter().any(|b| Path::new(&b.path) == p))
                .unwrap_or(false);
        if ours {
            Ok(p)
        } else {
            self.chosen_for_reading(path)
        }
    }

    /// The folder of a file saved through the dialog, to open in the file manager.
    pub fn saved_folder(&self, path: &str) -> CmdResult<PathBuf> {
        let p = self.chosen_for_writing(path)?;
        p.parent()
            .filter(|d| d.is_dir())
            .map(Path::to_path_buf)
            .ok_or_else(|| crate::commands::files::not_chosen(path))
    }

    /// This desk as it is now (its name can be changed in the settings).
    pub fn desk(&self) -> Desk {
        self.desk
            .read()
            .map(|d| d.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    /// Renames this desk and keeps the name in desk.json.
    pub fn rename_desk(&self, name: &str) -> CmdResult<Desk> {
        let mut d = self.desk.write().unwrap_or_else(|e| e.into_inner());
        *d = tongxin_core::desk::rename(&self.data_dir, &d, name)?;
        Ok(d.clone())
    }

    pub fn backups_dir(&self) -> PathBuf {
        self.data_dir.join("backups")
    }

    /// An automatic backup if anything changed since the last one; the outcome is kept for
    /// the window to show.
    pub fn auto_backup(&self, force: bool) {
        // The desk's connection only to say whether anything changed and where the file is: the
        // copy reads through a connection of its own, so that with 100,000 experts on file the
        // desk does not stop for the copy's half a second every few minutes (measured in
        // `bench arrivals`: each backup held a check-in up by ~400 ms).
        let (changes, path) = {
            let Ok(db) = self.db() else { return };
            (
                db.total_changes().unwrap_or(0),
                db.path().map(Path::to_path_buf),
            )
        };
        let Ok(mut status) = self.backup.lock() else {
            return;
        };
        if !status.due(changes, force) {
            return;
        }
        let now = chrono::Utc::now();
        match path.map(|p| Db::open(&p)) {
            Some(Ok(own)) => status.tick_with(changes, &own, &self.backups_dir(), force, now),
            // In memory (unit tests), or the file would not open a second time: the desk's own.
            _ => {
                let Ok(db) = self.db() else { return };
                status.tick(&db, &self.backups_dir(), force, now);
            }
        }
    }

    /// The database. A command that panicked while holding it poisons the lock; the
    /// connection is still sound (a rusqlite transaction rolls back when the unwind drops it,
    /// one begun by hand is rolled back here), so the next command takes it instead of every
    /// later command failing until a restart.
    pub fn db(&self) -> CmdResult<MutexGuard<'_, Db>> {
        Ok(self.db.lock().unwrap_or_else(|poisoned| {
            self.db.clear_poison();
            let db = poisoned.into_inner();
            // A transaction begun by hand and left open by the panic is rolled back too.
            if !db.conn().is_autocommit() {
                let _ = db.conn().execute_batch("ROLLBACK");
            }
            db
        }))
    }

    /// A connection of its own to the database, under the desk's key.
    pub fn open_own(&self, path: &Path) -> tongxin_core::Result<Db> {
        Db::reopen(path, self.key.as_ref())
    }

    /// The database's key (none in memory).
    pub fn key(&self) -> Option<&DbKey> {
        self.key.as_ref()
    }

    /// Runs `f` on a connection of its own, so the desk's stays free while a long read (a list's
    /// preview) runs; in memory (unit tests) on the desk's.
    pub fn with_reader<T>(&self, f: impl FnOnce(&Db) -> CmdResult<T>) -> CmdResult<T> {
        match &self.db_path {
            Some(path) => f(&self.open_own(path)?),
            None => f(&*self.db()?),
        }
    }

    /// Runs `f` with the search index of `event_id`, building it first if needed. The caller
    /// must not hold the database: a badge scanned while the index is built (over a second
    /// with 100,000 experts, after a merge or an import) is checked in meanwhile.
    pub fn with_index<T>(&self, event_id: &str, f: impl FnOnce(&SearchIndex) -> T) -> CmdResult<T> {
        let mut guard = fresh_if_poisoned(&self.index);
        let stale = guard.as_ref().is_none_or(|i| i.event_id() != event_id);
        if stale {
            // The old index goes before the new one is built: the two are never held at once.
            *guard = None;
            let index = match &self.db_path {
                Some(path) => SearchIndex::build(&self.open_own(path)?, event_id)?,
                // In memory (unit tests) there is no second connection: the desk's.
                None => SearchIndex::build(&*self.db()?, event_id)?,
            };
            *guard = Some(index);
            // The build's scratch (the rows read, the unsorted lists) back to the system.
            tongxin_trim::give_back();
        }
        match guard.as_ref() {
            Some(index) => Ok(f(index)),
            None => Err(CmdError::new("internal", "内部错误：搜索索引不可用。")),
        }
    }

    /// Builds the index of the current event now, through a connection of its own, if nothing
    /// has built it since it was dropped: after a merge or an import the first search then finds
    /// it ready, and a badge scanned meanwhile does not wait for it (the desk's connection stays
    /// free; with 100,000 experts the build takes over a second). A search arriving while this
    /// runs waits for it rather than building the same index a second time.
    pub fn rebuild_index(&self) {
        let Some(path) = &self.db_path else {
            return;
        };
        let mut guard = fresh_if_poisoned(&self.index);
        if guard.is_some() {
            return;
        }
        let Ok(own) = self.open_own(path) else { return };
        let Ok(Some(event)) = tongxin_core::events::current(&own) else {
            return;
        };
        if let Ok(index) = SearchIndex::build(&own, &event.id) {
            *guard = Some(index);
            tongxin_trim::give_back();
        }
    }

    /// Called after anything that changes who can be found (reset, new event, walk-ins).
    pub fn invalidate_index(&self) {
        *fresh_if_poisoned(&self.index) = None;
        self.invalidate_table();
    }

    /// Called after anything the experts table shows changed (check-ins, sign-ups, edits).
    pub fn invalidate_table(&self) {
        *fresh_if_poisoned(&self.table) = None;
    }

    /// Runs `f` with the experts table of `event_id`, read first if needed.
    pub fn with_table<T>(
        &self,
        db: &Db,
        event_id: &str,
        f: impl FnOnce(&mut TableCache) -> T,
    ) -> CmdResult<T> {
        let mut guard = fresh_if_poisoned(&self.table);
        if guard.as_ref().is_none_or(|t| t.event_id != event_id) {
            *guard = None;
            *guard = Some(TableCache {
                event_id: event_id.to_string(),
                rows: Table::read(db, event_id)?,
                last: None,
            });
            // What reading it left behind (SQLite's row buffers, the strings deduplicated away).
            tongxin_trim::give_back();
        }
        match guard.as_mut() {
            Some(t) => Ok(f(t)),
            None => Err(CmdError::new("internal", "内部错误：专家表不可用。")),
        }
    }
}

/// `AppState::rebuild_index` in the background: the command that dropped the index answers at once.
pub fn rebuild_index_soon(app: &tauri::AppHandle) {
    let app = app.clone();
    std::thread::spawn(move || {
        use tauri::Manager;
        if let Some(state) = app.try_state::<AppState>() {
            state.rebuild_index();
        }
    });
}

/// A cache whose lock a panic poisoned is taken back empty: it is rebuilt from the database on
/// next use, instead of failing every later command until a restart.
fn fresh_if_poisoned<T>(m: &Mutex<Option<T>>) -> MutexGuard<'_, Option<T>> {
    m.lock().unwrap_or_else(|poisoned| {
        m.clear_poison();
        let mut g = poisoned.into_inner();
        *g = None;
        g
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn state(dir: &Path) -> AppState {
        let lock = std::fs::File::create(dir.join("lock")).unwrap();
        let desk = Desk {
            id: "d".into(),
            name: "1号台".into(),
        };
        AppState::new(Db::open_in_memory().unwrap(), desk, dir.to_path_buf(), lock)
    }

    /// A command that panics while it holds the database (a bug, a hostile file) must not
    /// leave every later command answering "数据库连接不可用" until a restart.
    #[test]
    fn a_panic_while_holding_the_database_does_not_lock_out_the_next_command() {
        let dir = tempfile::tempdir().unwrap();
        let st = std::sync::Arc::new(state(dir.path()));
        let s2 = st.clone();
        let crashed = std::thread::spawn(move || {
            let db = s2.db().unwrap();
            db.conn()
                .execute_batch("BEGIN; CREATE TABLE half_done(x);")
                .unwrap();
            panic!("a bug in a command");
        })
        .join();
        assert!(crashed.is_err());
        let db = st.db().expect("the next command gets the database");
        assert!(!st.db.is_poisoned());
        // What the panicking command had half done is gone, and the next one can write.
        assert!(db.conn().is_autocommit());
        let half: i64 = db
            .conn()
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(half, 0);
        db.conn().execute_batch("BEGIN; COMMIT;").unwrap();
    }

    /// After a merge or an import drops the index, it is built again through a connection of
    /// the app's own, not waiting for the next search (which would hold the desk up for it).
    #[test]
    fn a_dropped_index_is_built_again_for_the_current_event_without_a_search() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.db");
        let mut db = Db::open(&file).unwrap();
        tongxin_core::demo::load(&mut db, chrono::Utc::now()).unwrap();
        let current = tongxin_core::events::current(&db).unwrap().unwrap().id;
        let lock = std::fs::File::create(dir.path().join("lock")).unwrap();
        let desk = Desk {
            id: "d".into(),
            name: "1号台".into(),
        };
        let st = AppState::new(db, desk, dir.path().to_path_buf(), lock);
        st.invalidate_index();
        assert!(st.index.lock().unwrap().is_none());
        st.rebuild_index();
        let guard = st.index.lock().unwrap();
        let index = guard.as_ref().expect("built without a search");
        assert_eq!(index.event_id(), current);
        assert!(!index.is_empty(), "the demo day's experts are in it");
    }

    #[test]
    fn a_cache_poisoned_by_a_panic_comes_back_empty_and_usable() {
        let m = std::sync::Arc::new(Mutex::new(Some(41)));
        let m2 = m.clone();
        let _ = std::thread::spawn(move || {
            let _g = m2.lock().unwrap();
            panic!("while building the index");
        })
        .join();
        assert!(m.is_poisoned());
        assert_eq!(*fresh_if_poisoned(&m), None);
        *fresh_if_poisoned(&m) = Some(42);
        assert_eq!(
            *fresh_if_poisoned(&m),
            Some(42),
            "the cache keeps what is put in it again"
        );
    }
}
