//! The desk's sync with the city office's server, in the background: a task on its own
//! SQLite connection (the desk's commands never wait on it, nor on the network), woken by the
//! desk after each write, by the server's `NOTIFY` when another desk's check-in arrives, or
//! every few seconds. It tells the main window the truth for its top bar (未设置 / 未联网 /
//! 同步中 / 已同步 09:12 / n 条待上传) and keeps the city dashboard's last picture.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::Notify;
use tongxin_core::{central, events, Db};
use tongxin_sync::{Notes, SyncError, Target, Venue};

use crate::screen;
use crate::state::AppState;

/// Seconds between rounds while nothing wakes the task.
const ROUND_SECS: u64 = 5;
/// The least time between two rounds woken by the server's notifications.
const NOTIFIED_GAP: Duration = Duration::from_millis(300);
/// Waits after a failed connection, growing up to the last.
const RETRY_SECS: [u64; 4] = [2, 5, 10, 30];

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// No server configured: the desk works on its own (file packages carry its records).
    Off,
    /// Connecting or syncing now.
    Syncing,
    /// The last round completed.
    Synced,
    /// The server could not be reached, or refused.
    Offline,
}

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub state: State,
    /// The server's host:port (never the password).
    pub host: String,
    /// When the last round completed (UTC, ISO 8601).
    pub synced_at: Option<String>,
    /// Rows still to upload.
    pub unsent: i64,
    pub error_code: Option<String>,
    pub error: Option<String>,
    /// The last round's notes: the server's id, and what it could not carry.
    #[serde(flatten)]
    pub notes: Notes,
    /// The explicit switch for a server off this machine without TLS is on (shown in red).
    pub plaintext: bool,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Picture {
    pub venues: Vec<Venue>,
    /// When it was read from the server (UTC), none before the first time.
    pub at: Option<String>,
}

pub struct CitySync {
    kick: Notify,
    status: Mutex<Status>,
    picture: Mutex<Picture>,
}

impl CitySync {
    fn new() -> CitySync {
        CitySync {
            kick: Notify::new(),
            status: Mutex::new(Status {
                state: State::Off,
                host: String::new(),
                synced_at: None,
                unsent: 0,
                error_code: None,
                error: None,
                notes: Notes::default(),
                plaintext: false,
            }),
            picture: Mutex::new(Picture::default()),
        }
    }

    /// A desk's write happened, or the settings changed: sync now (never blocks).
    pub fn kick(&self) {
        self.kick.notify_one();
    }

    pub fn status(&self) -> Status {
        self.status
            .lock()
            .map(|s| s.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    pub fn picture(&self) -> Picture {
        self.picture
            .lock()
            .map(|s| s.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }
}

/// Tells the sync task that the desk wrote something (a check-in, an undo, a walk-in…).
pub fn kick(app: &AppHandle) {
    if let Some(c) = app.try_state::<CitySync>() {
        c.kick();
    }
}

fn set(app: &AppHandle, f: impl FnOnce(&mut Status)) {
    let Some(c) = app.try_state::<CitySync>() else {
        return;
    };
    let now = {
        let mut s = c.status.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut s);
        s.clone()
    };
    let _ = app.emit_to("main", "sync-status", now);
}

fn host_of(url: &str) -> String {
    url.split('@')
        .next_back()
        .unwrap_or("")
        .split('/')
        .next()
        .unwrap_or("")
        .to_string()
}

/// Rows still to upload, for all of this desk's events (the server's list of them is not
/// known while offline).
fn unsent_here(db: &Db, known: &[String]) -> i64 {
    let ids: Vec<String> = if known.is_empty() {
        events::list(db)
            .map(|l| l.into_iter().map(|e| e.id).collect())
            .unwrap_or_default()
    } else {
        known.to_vec()
    };
    central::unsent(db, &ids).unwrap_or(0)
}

/// A notification names one of the desk's venues (all of them while they are not known yet).
fn ours(event: &str, events: &[String]) -> bool {
    events.is_empty() || events.iter().any(|e| e == event)
}

/// Takes the notifications queued behind the first: whether one of them was the desk's.
fn drain(woken: &mut tokio::sync::mpsc::UnboundedReceiver<String>, events: &[String]) -> bool {
    let mut any = false;
    while let Ok(ev) = woken.try_recv() {
        any |= ours(&ev, events);
    }
    any
}

/// Reads the city's picture (counts per venue) and hands it to 城市总览 and the big screen.
async fn refresh_picture(app: &AppHandle, link: &tongxin_sync::Link) {
    if let Ok(venues) = tongxin_sync::dashboard(link).await {
        if let Some(c) = app.try_state::<CitySync>() {
            let p = Picture {
                venues,
                at: Some(tongxin_core::clock::to_db(chrono::Utc::now())),
            };
            *c.picture.lock().unwrap_or_else(|e| e.into_inner()) = p.clone();
            let _ = app.emit("city-picture", p);
        }
    }
}

/// Starts the task; it runs as long as the app does.
pub fn start(app: &AppHandle, db_path: PathBuf, key: Option<tongxin_core::keys::DbKey>) {
    app.manage(CitySync::new());
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut db = match Db::reopen(&db_path, key.as_ref()) {
            Ok(db) => db,
            Err(e) => {
                set(&app, |s| {
                    s.state = State::Offline;
                    s.error_code = Some(e.code().into());
                    s.error = Some(e.to_string());
                });
                return;
            }
        };
        run(app, &mut db).await;
    });
}

async fn wait(app: &AppHandle, secs: u64) {
    if let Some(c) = app.try_state::<CitySync>() {
        let _ = tokio::time::timeout(Duration::from_secs(secs), c.kick.notified()).await;
    }
}

async fn run(app: AppHandle, db: &mut Db) {
    let mut failures = 0usize;
    let mut events: Vec<String> = Vec::new();
    loop {
        let server = central::server(db).ok().flatten();
        let Some(server) = server else {
            set(&app, |s| {
                s.state = State::Off;
                s.host.clear();
                s.error = None;
                s.error_code = None;
                s.unsent = 0;
            });
            wait(&app, 60).await;
            continue;
        };
        let plaintext = central::plaintext(db).unwrap_or(false);
        let target = Target::new(&server.url, Some(&server.password)).allow_plaintext(plaintext);
        let host = host_of(&server.url);
        set(&app, |s| {
            s.state = State::Syncing;
            s.host = host.clone();
            s.plaintext = plaintext;
        });
        let err = match tongxin_sync::connect_listening(&target).await {
            Ok((mut link, mut woken)) => {
                failures = 0;
                let mut last_round;
                loop {
                    if central::server(db).ok().flatten().as_ref() != Some(&server)
                        || central::plaintext(db).unwrap_or(false) != plaintext
                    {
                        break None; // the settings changed: connect again
                    }
                    set(&app, |s| s.state = State::Syncing);
                    last_round = tokio::time::Instant::now();
                    let desk = app.state::<AppState>().desk();
                    match tongxin_sync::round(&mut link, db, &desk, central::BATCH).await {
                        Ok(r) => {
                            events = r.events.clone();
                            if r.pulled.experts + r.pulled.signups + r.pulled.points > 0 {
                                app.state::<AppState>().invalidate_index();
                                app.state::<AppState>().invalidate_table();
                                crate::state::rebuild_index_soon(&app);
                            }
                            let changed = r.pulled.checkins
                                + r.pulled.revocations
                                + r.pulled.experts
                                + r.pulled.signups
                                > 0;
                            if changed {
                                let _ = app.emit_to("main", "sync-pulled", r.pulled);
                                screen::resync(&app);
                            }
                            refresh_picture(&app, &link).await;
                            set(&app, |s| {
                                s.state = State::Synced;
                                s.synced_at = Some(tongxin_core::clock::to_db(chrono::Utc::now()));
                                s.unsent = r.unsent;
                                s.error = None;
                                s.error_code = None;
                                s.notes = r.notes.clone();
                            });
                        }
                        Err(e) => break Some(e),
                    }
                    // Until the desk writes, a check-in of one of its venues arrives at the
                    // server, or a while. Another venue's check-in refreshes the city's
                    // picture only: 48 desks need not all sync for each of the city's arrivals.
                    let deadline = tokio::time::Instant::now() + Duration::from_secs(ROUND_SECS);
                    let closed = loop {
                        let kick = async {
                            if let Some(c) = app.try_state::<CitySync>() {
                                c.kick.notified().await;
                            }
                        };
                        tokio::select! {
                            _ = kick => break false,
                            n = woken.recv() => match n {
                                None => break true,
                                Some(ev) => {
                                    if ours(&ev, &events) | drain(&mut woken, &events) {
                                        // Anyone may send notifications: a flood of them
                                        // makes a round at most every NOTIFIED_GAP.
                                        tokio::time::sleep_until(last_round + NOTIFIED_GAP).await;
                                        drain(&mut woken, &events);
                                        break false;
                                    }
                                    refresh_picture(&app, &link).await;
                                }
                            },
                            _ = tokio::time::sleep_until(deadline) => break false,
                        }
                    };
                    if closed {
                        break Some(SyncError::Unreachable {
                            host: host.clone(),
                            why: "连接被断开".into(),
                        });
                    }
                }
            }
            Err(e) => Some(e),
        };
        if let Some(e) = err {
            let unsent = unsent_here(db, &events);
            set(&app, |s| {
                s.state = State::Offline;
                s.unsent = unsent;
                s.error_code = Some(e.code().into());
                s.error = Some(e.to_string());
            });
            let secs = RETRY_SECS[failures.min(RETRY_SECS.len() - 1)];
            failures += 1;
            wait(&app, secs).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_desk_wakes_for_its_own_venues_even_when_queued_behind_other_venues() {
        let mine = vec!["jinshan".to_string()];
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        for ev in ["pudong", "jinshan", "minhang"] {
            tx.send(ev.to_string()).unwrap();
        }
        assert!(!ours("xuhui", &mine));
        assert!(ours("jinshan", &mine));
        assert!(
            ours("anything", &[]),
            "before the first round every venue is ours"
        );
        assert!(drain(&mut rx, &mine), "jinshan sat behind pudong");
        assert!(rx.try_recv().is_err(), "the queue is taken whole");
        tx.send("pudong".to_string()).unwrap();
        assert!(!drain(&mut rx, &mine));
    }
}
