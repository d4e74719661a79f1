//! The door under a real Chinese input method: ibus (ibus-libpinyin) and fcitx5 (pinyin, what
//! UOS and Kylin ship), each in Chinese mode on its own Xvfb display with its own D-Bus
//! session, fed by real X11 key events from xdotool — the path a keyboard-wedge scanner's keys
//! take (X server → GTK → the input method → WebKit). WebDriver's synthetic keys never pass
//! through an input method, so nothing here types through WebDriver; it only reads the page.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use chrono::Utc;
use fantoccini::Client;
use serde_json::Value;
use tongxin_core::{store, Db};

use crate::harness::{page_state, screenshot, start_xvfb, wait_js, App, Xvfb};

const EVENT: &str = "2024-jinshan";

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ime {
    Ibus,
    Fcitx5,
}

/// An X display with a D-Bus session and an input-method daemon in Chinese mode on it.
pub struct ImeDesktop {
    pub ime: Ime,
    pub display: String,
    home: tempfile::TempDir,
    bus: String,
    bus_pid: Option<u32>,
    ibus_address: Option<String>,
    daemon: Option<Child>,
    xvfb: Option<Xvfb>,
}

impl ImeDesktop {
    pub fn start(ime: Ime) -> Result<ImeDesktop> {
        let xvfb = start_xvfb()?;
        let display = xvfb.display.clone();
        let home = tempfile::tempdir()?;
        let out = Command::new("dbus-launch")
            .arg("--sh-syntax")
            .env("DISPLAY", &display)
            .env("HOME", home.path())
            .output()
            .context("dbus-launch (apt-get install dbus-x11)")?;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let var = |name: &str| -> Option<String> {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}='")))
                .and_then(|v| v.split('\'').next())
                .map(str::to_string)
        };
        let bus = var("DBUS_SESSION_BUS_ADDRESS").context("dbus-launch printed no address")?;
        let bus_pid = var("DBUS_SESSION_BUS_PID").and_then(|p| p.parse().ok());
        let mut desk = ImeDesktop {
            ime,
            display,
            home,
            bus,
            bus_pid,
            ibus_address: None,
            daemon: None,
            xvfb: Some(xvfb),
        };
        match ime {
            Ime::Ibus => desk.start_ibus()?,
            Ime::Fcitx5 => desk.start_fcitx5()?,
        }
        Ok(desk)
    }

    fn cmd(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("DISPLAY", &self.display)
            .env("HOME", self.home.path())
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .env("GSETTINGS_BACKEND", "memory")
            .env("NO_AT_BRIDGE", "1")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CACHE_HOME");
        c
    }

    fn start_ibus(&mut self) -> Result<()> {
        let status = self
            .cmd("ibus-daemon")
            .args(["-drx", "--panel", "disable"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .context("ibus-daemon (apt-get install ibus ibus-libpinyin ibus-gtk3)")?;
        if !status.success() {
            bail!("ibus-daemon did not start");
        }
        // `ibus engine NAME` exits 1 even when it worked: ask which engine is on.
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            let _ = self
                .cmd("ibus")
                .args(["engine", "libpinyin"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let out = self.cmd("ibus").arg("engine").output()?;
            if String::from_utf8_lossy(&out.stdout).trim() == "libpinyin" {
                let a = self.cmd("ibus").arg("address").output()?;
                self.ibus_address = Some(String::from_utf8_lossy(&a.stdout).trim().to_string());
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        bail!("ibus did not switch to the libpinyin engine")
    }

    fn start_fcitx5(&mut self) -> Result<()> {
        // A profile with pinyin as the input method, active in every new field (as a
        // coordinator's laptop has it after switching to Chinese once).
        let conf = self.home.path().join(".config/fcitx5");
        std::fs::create_dir_all(conf.join("conf"))?;
        std::fs::write(
            conf.join("profile"),
            "[Groups/0]\nName=Default\nDefault Layout=us\nDefaultIM=pinyin\n\n\
             [Groups/0/Items/0]\nName=keyboard-us\nLayout=\n\n\
             [Groups/0/Items/1]\nName=pinyin\nLayout=\n\n[GroupOrder]\n0=Default\n",
        )?;
        std::fs::write(
            conf.join("config"),
            "[Behavior]\nActiveByDefault=True\nShareInputState=All\n",
        )?;
        let child = self
            .cmd("fcitx5")
            .args([
                "--disable",
                "wayland,kimpanel,notificationitem,classicui,xim",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context(
                "fcitx5 (apt-get install fcitx5 fcitx5-chinese-addons fcitx5-frontend-gtk3)",
            )?;
        self.daemon = Some(child);
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            let out = self.cmd("fcitx5-remote").output();
            if out.is_ok_and(|o| o.status.success()) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        bail!("fcitx5 did not answer on D-Bus")
    }

    /// What the app needs to reach this input method (same HOME, same bus, the GTK module).
    pub fn app_env(&self) -> Vec<(&'static str, String)> {
        let (module, xmod) = match self.ime {
            Ime::Ibus => ("ibus", "@im=ibus"),
            Ime::Fcitx5 => ("fcitx", "@im=fcitx"),
        };
        let mut env = vec![
            ("DISPLAY", self.display.clone()),
            ("HOME", self.home.path().to_string_lossy().to_string()),
            ("DBUS_SESSION_BUS_ADDRESS", self.bus.clone()),
            ("GTK_IM_MODULE", module.to_string()),
            ("XMODIFIERS", xmod.to_string()),
            (
                "TONGXIN_KEYTAP_LOG",
                self.keytap_log().to_string_lossy().to_string(),
            ),
        ];
        // TONGXIN_KEYTAP=off runs the desk without the shell's key tap: the failure it fixes.
        if let Ok(v) = std::env::var("TONGXIN_KEYTAP") {
            env.push(("TONGXIN_KEYTAP", v));
        }
        // The harness gives the app its own XDG_CONFIG_HOME, where ibus clients would look
        // for the daemon's address: hand it over directly.
        if let Some(a) = &self.ibus_address {
            env.push(("IBUS_ADDRESS", a.clone()));
        }
        env
    }

    /// What the shell's key tap saw (every key event, and what it did with it).
    pub fn keytap_log(&self) -> PathBuf {
        self.home.path().join("keytap.log")
    }

    /// The display goes to the app, which stops it when it stops.
    pub fn take_display(&mut self) -> Option<Xvfb> {
        self.xvfb.take()
    }

    /// Real X11 keys on this display, for the test body (which runs on another task).
    pub fn keyboard(&self) -> Keyboard {
        Keyboard {
            display: self.display.clone(),
            home: self.home.path().to_path_buf(),
            bus: self.bus.clone(),
        }
    }
}

/// Sends real X11 key events to the display (what a keyboard or a keyboard-wedge scanner does).
#[derive(Clone)]
pub struct Keyboard {
    display: String,
    home: PathBuf,
    bus: String,
}

impl Keyboard {
    fn cmd(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("DISPLAY", &self.display)
            .env("HOME", &self.home)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus);
        c
    }

    /// `text` typed `delay_ms` apart.
    pub fn type_text(&self, text: &str, delay_ms: u32) -> Result<()> {
        let status = self
            .cmd("xdotool")
            .args(["type", "--delay", &delay_ms.to_string(), "--", text])
            .status()
            .context("xdotool (apt-get install xdotool)")?;
        if !status.success() {
            bail!("xdotool type failed");
        }
        Ok(())
    }

    pub fn key(&self, key: &str) -> Result<()> {
        let status = self.cmd("xdotool").args(["key", key]).status()?;
        if !status.success() {
            bail!("xdotool key {key} failed");
        }
        Ok(())
    }

    /// A badge: the code and Return, `delay_ms` apart, in one xdotool call (one burst, as a
    /// keyboard-wedge scanner types it: X key events, shifted where the character needs it).
    pub fn scan(&self, code: &str, delay_ms: u32) -> Result<()> {
        self.scan_many(&[code.to_string()], delay_ms)
    }

    /// Several badges in one stream of keys, each ended by Return.
    pub fn scan_many(&self, codes: &[String], delay_ms: u32) -> Result<()> {
        let mut keys: Vec<String> = Vec::new();
        for code in codes {
            keys.extend(code.chars().map(|c| match c {
                ':' => "colon".to_string(),
                '-' => "minus".to_string(),
                c => c.to_string(),
            }));
            keys.push("Return".into());
        }
        let status = self
            .cmd("xdotool")
            .args(["key", "--delay", &delay_ms.to_string()])
            .args(&keys)
            .status()?;
        if !status.success() {
            bail!("xdotool key failed");
        }
        Ok(())
    }

    /// Gives the app's window the X input focus (there is no window manager under Xvfb).
    pub fn focus_app(&self) -> Result<()> {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            let ok = self
                .cmd("xdotool")
                .args(["search", "--name", "同心签到", "windowfocus"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if ok {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("the app's window did not take the focus")
    }
}

impl Drop for ImeDesktop {
    fn drop(&mut self) {
        if let Some(mut d) = self.daemon.take() {
            let _ = d.kill();
            let _ = d.wait();
        }
        if self.ime == Ime::Ibus {
            let _ = self.cmd("ibus").arg("exit").output();
        }
        if let Some(pid) = self.bus_pid {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
    }
}

/// The demo day, plus one expert whose name the test types through the IME.
fn prepare(db: &Path, typed_name: &str) -> Result<()> {
    let mut d = Db::open(db)?;
    tongxin_core::demo::load(&mut d, Utc::now())?;
    tongxin_tests::cli(
        db,
        &[
            "experts",
            "add",
            "--name",
            typed_name,
            "--organisation",
            "同济大学",
        ],
    );
    Ok(())
}

/// Badges of demo experts who have not arrived yet, in code order.
pub fn badges(db: &Path, n: usize) -> Result<Vec<(String, String)>> {
    let d = Db::open(db)?;
    let mut out = Vec::new();
    for r in tongxin_core::rollcall::not_arrived(&d, EVENT)? {
        if let Some(e) = store::expert::get(d.conn(), &r.expert_id)? {
            out.push((e.id.clone(), e.code.clone()));
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out.truncate(n);
    if out.len() < n {
        bail!("the demo has only {} experts not yet arrived", out.len());
    }
    Ok(out)
}

fn checked_in(db: &Path, expert_id: &str) -> Result<bool> {
    let d = Db::open(db)?;
    let n: i64 = d.conn().query_row(
        "SELECT COUNT(*) FROM checkin c WHERE c.expert_id = ?1 AND c.point_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM revocation r WHERE r.checkin_id = c.id)",
        [expert_id],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

async fn search_value(c: &Client) -> Result<String> {
    let v: Value = c
        .execute(
            "return document.querySelector('#search')?.value ?? null",
            vec![],
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// The page's record of what WebKit delivered (see ui/lib/scanner.js), for the failure
/// message and the note.
async fn key_log_since(c: &Client, from: usize) -> String {
    c.execute(
        "return (window.__tongxinKeyLog || []).slice(arguments[0]).map(e =>
           [e.t, e.type, JSON.stringify(e.key), e.code, e.keyCode, e.composing ? 'composing' : '',
            e.data === null ? '' : 'data=' + JSON.stringify(e.data), e.inputType ?? '',
            'value=' + JSON.stringify(e.value)].join(' ')).join('\\n')",
        vec![serde_json::json!(from)],
    )
    .await
    .ok()
    .and_then(|v| v.as_str().map(str::to_string))
    .unwrap_or_default()
}

async fn log_len(c: &Client) -> usize {
    c.execute("return (window.__tongxinKeyLog || []).length", vec![])
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .unwrap_or(0) as usize
}

/// Scans 20 badges through the IME at `delay_ms` a key, then types a name through it (pinyin
/// and space to commit) and checks that person in with Enter.
async fn door_under(ime: Ime, delay_ms: u32) -> Result<()> {
    // The first candidate each IME offers for "zhangwei" (a fresh profile: nothing learnt).
    let typed_name = match ime {
        Ime::Ibus => "章为",
        Ime::Fcitx5 => "张伟",
    };
    let mut desk = ImeDesktop::start(ime)?;
    let env = desk.app_env();
    let app = App::start_on(|db| prepare(db, typed_name), &env, desk.take_display()).await?;
    let db = app.db.clone();
    let list = badges(&db, 20)?;
    let kb = desk.keyboard();
    let tap_log = desk.keytap_log();
    let label = format!("{ime:?}-{delay_ms}ms");
    let db_in = db.clone();
    let name_of_run = label.clone();
    let name = typed_name.to_string();
    let (_dir, _db) = app
        .run(move |c| async move {
            let label = name_of_run;
            kb.focus_app()?;
            wait_js(&c, "return document.activeElement?.id === 'search'", 10).await?;
            for (i, (id, code)) in list.iter().enumerate() {
                let from = log_len(&c).await;
                kb.scan(&format!("TX:{code}"), delay_ms)?;
                let ok = wait_for_db(&db_in, id, 10).await;
                // Nothing the burst leaked stays in the box, also a late commit.
                tokio::time::sleep(Duration::from_millis(300)).await;
                let left = search_value(&c).await?;
                if !ok || !left.is_empty() {
                    let _ = screenshot(&c, &format!("ime-{label}-fail")).await;
                    let tap = std::fs::read_to_string(&tap_log).unwrap_or_default();
                    let tail: Vec<&str> = tap.lines().rev().take(40).collect();
                    bail!(
                        "{label}: badge {} ({code}) — checked in: {ok}, left in the box: {left:?}\n\
                         page: {}\nevents:\n{}\nkey tap (newest first):\n{}",
                        i + 1,
                        page_state(&c).await,
                        key_log_since(&c, from).await,
                        tail.join("\n")
                    );
                }
                if i == 0 {
                    eprintln!("{label}: events of the first scan:\n{}", key_log_since(&c, from).await);
                }
            }
            let _ = screenshot(&c, &format!("ime-{label}-scans")).await;
            // A person typing a name through the same IME is not a scanner.
            let from = log_len(&c).await;
            kb.type_text("zhangwei", 90)?;
            kb.key("space")?;
            let typed = wait_js(
                &c,
                &format!(
                    "return document.querySelector('#search').value === '{name}'
                        && document.querySelector('.hit.selected .hit-name')?.textContent === '{name}'"
                ),
                10,
            )
            .await;
            if let Err(e) = typed {
                bail!("{label}: typing {name} through the IME: {e}\n{}", key_log_since(&c, from).await);
            }
            kb.key("Return")?;
            Ok(())
        })
        .await?;
    let d = Db::open(&db)?;
    let typed: String = d.conn().query_row(
        "SELECT e.id FROM expert e WHERE e.name = ?1 AND e.organisation = '同济大学'",
        [typed_name],
        |r| r.get(0),
    )?;
    drop(d);
    if !wait_for_db(&db, &typed, 5).await {
        bail!("{label}: {typed_name}, typed through the IME and Enter, is not checked in");
    }
    drop(desk);
    Ok(())
}

pub async fn wait_for_db(db: &Path, expert_id: &str, secs: u64) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(secs) {
        if checked_in(db, expert_id).unwrap_or(false) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn ibus_pinyin_scans_20_badges_and_a_typed_name() -> Result<()> {
    door_under(Ime::Ibus, 5).await
}

#[tokio::test]
async fn ibus_pinyin_keeps_up_with_a_scanner_at_1ms_a_key() -> Result<()> {
    door_under(Ime::Ibus, 1).await
}

#[tokio::test]
async fn fcitx5_pinyin_scans_20_badges_and_a_typed_name() -> Result<()> {
    door_under(Ime::Fcitx5, 5).await
}

#[tokio::test]
async fn fcitx5_pinyin_keeps_up_with_a_scanner_at_1ms_a_key() -> Result<()> {
    door_under(Ime::Fcitx5, 1).await
}

/// A queue at the door: 20 badges in one stream of X key events, 5 ms a key and nothing
/// between one badge's Enter and the next badge — all 20 check in, nothing stays in the box.
/// (It prints the rate the desk kept up with; the test asserts none.)
#[tokio::test]
async fn ibus_pinyin_20_badges_back_to_back() -> Result<()> {
    let mut desk = ImeDesktop::start(Ime::Ibus)?;
    let env = desk.app_env();
    let app = App::start_on(|db| prepare(db, "章为"), &env, desk.take_display()).await?;
    let db = app.db.clone();
    let list = badges(&db, 20)?;
    let kb = desk.keyboard();
    let db_in = db.clone();
    let tap_log = desk.keytap_log();
    app.run(move |c| async move {
        kb.focus_app()?;
        wait_js(&c, "return document.activeElement?.id === 'search'", 10).await?;
        let codes: Vec<String> = list.iter().map(|(_, code)| format!("TX:{code}")).collect();
        let start = Instant::now();
        kb.scan_many(&codes, 5)?;
        for (id, code) in &list {
            if !wait_for_db(&db_in, id, 20).await {
                // What the tap saw, kept for whoever reads the failure.
                let kept = tongxin_tests::root().join("tests/output/keytap-20-badges.log");
                let _ = std::fs::create_dir_all(kept.parent().unwrap_or(Path::new(".")));
                let _ = std::fs::copy(&tap_log, &kept);
                bail!(
                    "{code} of the queue is not checked in: {} (the tap's log: {})",
                    page_state(&c).await,
                    kept.display()
                );
            }
        }
        let took = start.elapsed().as_secs_f64();
        eprintln!(
            "ibus: 20 badges back to back checked in after {took:.2} s ({:.1} badges/s; the keys alone take {:.2} s)",
            20.0 / took,
            codes.iter().map(|s| s.len() + 1).sum::<usize>() as f64 * 0.005
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        let left = search_value(&c).await?;
        if !left.is_empty() {
            bail!("left in the box after the queue: {left:?}");
        }
        Ok(())
    })
    .await?;
    drop(desk);
    Ok(())
}
