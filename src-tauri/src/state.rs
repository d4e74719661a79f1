//! What the shell keeps while the window is open: the database, this desk, and the search
//! index of the current event.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use tongxin_core::search::SearchIndex;
use tongxin_core::{Db, Desk};

use crate::error::{CmdError, CmdResult};

pub struct AppState {
    db: Mutex<Db>,
    index: Mutex<Option<SearchIndex>>,
    pub desk: Desk,
    pub data_dir: PathBuf,
}

impl AppState {
    pub fn new(db: Db, desk: Desk, data_dir: PathBuf) -> Self {
        AppState {
            db: Mutex::new(db),
            index: Mutex::new(None),
            desk,
            data_dir,
        }
    }

    pub fn db(&self) -> CmdResult<MutexGuard<'_, Db>> {
        self.db
            .lock()
            .map_err(|_| CmdError::new("internal", "内部错误：数据库连接不可用，请重启程序。"))
    }

    /// Runs `f` with the search index of `event_id`, building it first if needed.
    pub fn with_index<T>(
        &self,
        db: &Db,
        event_id: &str,
        f: impl FnOnce(&SearchIndex) -> T,
    ) -> CmdResult<T> {
        let mut guard = self
            .index
            .lock()
            .map_err(|_| CmdError::new("internal", "内部错误：搜索索引不可用，请重启程序。"))?;
        let stale = guard.as_ref().is_none_or(|i| i.event_id() != event_id);
        if stale {
            *guard = Some(SearchIndex::build(db, event_id)?);
        }
        match guard.as_ref() {
            Some(index) => Ok(f(index)),
            None => Err(CmdError::new("internal", "内部错误：搜索索引不可用。")),
        }
    }

    /// Called after anything that changes who can be found (reset, new event, walk-ins).
    pub fn invalidate_index(&self) {
        if let Ok(mut g) = self.index.lock() {
            *g = None;
        }
    }
}

/// This laptop's identity, kept in its own file beside (not inside) the database, so that a
/// database copied from another desk does not bring that desk's id along.
#[derive(Serialize, Deserialize)]
struct DeskFile {
    id: String,
    name: String,
}

pub fn load_desk(dir: &Path) -> Desk {
    let path = dir.join("desk.json");
    let stored = std::fs::read_to_string(&path)
        .ok()
        .and_then(|s| serde_json::from_str::<DeskFile>(&s).ok());
    let mut desk = match stored {
        Some(d) => Desk {
            id: d.id,
            name: d.name,
        },
        None => {
            let d = DeskFile {
                id: uuid::Uuid::new_v4().to_string(),
                name: "1号台".to_string(),
            };
            // Failing to persist the desk id is not fatal: the desk still works with it.
            if let Ok(s) = serde_json::to_string_pretty(&d) {
                let _ = std::fs::write(&path, s);
            }
            Desk {
                id: d.id,
                name: d.name,
            }
        }
    };
    if let Ok(name) = std::env::var("TONGXIN_DESK") {
        if !name.trim().is_empty() {
            desk.name = name.trim().to_string();
        }
    }
    desk
}
