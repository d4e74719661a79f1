//! Starts Xvfb (when there is no display), tauri-driver and the app on a temporary database,
//! and always stops them again, even when the test body panics.

use std::future::Future;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn wait_port(port: u16, timeout: Duration) -> Result<()> {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bail!("port {port} did not open within {timeout:?}")
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let home_bin = std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".cargo/bin/tauri-driver"))
        .filter(|p| p.exists());
    home_bin.unwrap_or_else(|| PathBuf::from("tauri-driver"))
}

/// SIGTERM, then wait: a killed tauri-driver leaves WebKitWebDriver orphaned on its port.
fn terminate(child: &mut Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

pub struct Xvfb {
    child: Child,
    pub display: String,
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        terminate(&mut self.child);
    }
}

/// The caller's display when it has one; otherwise an Xvfb of our own (stopped with the app).
pub fn own_display() -> Result<Option<Xvfb>> {
    match std::env::var("DISPLAY") {
        Ok(d) if !d.is_empty() => Ok(None),
        _ => Ok(Some(start_xvfb()?)),
    }
}

pub fn start_xvfb() -> Result<Xvfb> {
    start_xvfb_sized("1280x800x24")
}

/// An Xvfb screen of the given geometry (`1920x1080x24`: room for the big screen's window).
pub fn start_xvfb_sized(geometry: &str) -> Result<Xvfb> {
    for n in 90..140 {
        let sock = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let lock = PathBuf::from(format!("/tmp/.X{n}-lock"));
        if sock.exists() || lock.exists() {
            continue;
        }
        let child = Command::new("Xvfb")
            .arg(format!(":{n}"))
            .args(["-screen", "0", geometry, "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting Xvfb (apt-get install xvfb)")?;
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if sock.exists() {
                return Ok(Xvfb {
                    child,
                    display: format!(":{n}"),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        bail!("Xvfb :{n} did not start");
    }
    bail!("no free X display number")
}

pub struct App {
    pub client: Client,
    pub db: PathBuf,
    driver: Child,
    xvfb: Option<Xvfb>,
    _dir: Option<tempfile::TempDir>,
}

impl App {
    /// Starts the app on a fresh database that `prepare` may fill first.
    pub async fn start(prepare: impl FnOnce(&Path) -> Result<()>) -> Result<App> {
        App::start_with(prepare, &[]).await
    }

    /// Like [`start`](Self::start), with extra environment for the app (fault injection).
    pub async fn start_with(
        prepare: impl FnOnce(&Path) -> Result<()>,
        env: &[(&str, String)],
    ) -> Result<App> {
        App::start_on(prepare, env, own_display()?).await
    }

    /// Starts the app on a display the caller set up (the input-method tests start their
    /// daemons on it first); the display is stopped with the app.
    pub async fn start_on(
        prepare: impl FnOnce(&Path) -> Result<()>,
        env: &[(&str, String)],
        xvfb: Option<Xvfb>,
    ) -> Result<App> {
        // TONGXIN_APP_BIN runs another build (the window benchmark uses a release build).
        let app = std::env::var_os("TONGXIN_APP_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| tongxin_tests::target_bin("tongxin"));
        App::start_bin(&app, prepare, env, xvfb).await
    }

    /// Starts `app` (another Tauri program too: the benchmarks' bare window) the way
    /// [`start_on`](Self::start_on) starts Tongxin.
    pub async fn start_bin(
        app: &Path,
        prepare: impl FnOnce(&Path) -> Result<()>,
        env: &[(&str, String)],
        xvfb: Option<Xvfb>,
    ) -> Result<App> {
        let dir = tempfile::tempdir()?;
        let db = dir.path().join("e2e.db");
        prepare(&db)?;
        let mut all: Vec<(String, std::ffi::OsString)> = vec![
            ("TONGXIN_DB".into(), db.clone().into()),
            // The webview keeps its storage (the UI language, …) under the XDG folders: a
            // fresh set per test, so no test sees another's settings.
            ("XDG_DATA_HOME".into(), dir.path().join("data").into()),
            ("XDG_CONFIG_HOME".into(), dir.path().join("config").into()),
            ("XDG_CACHE_HOME".into(), dir.path().join("cache").into()),
            ("TONGXIN_DESK".into(), "测试台".into()),
            // An empty database opens on the demo day, as with the README's run command
            // (the installed app shows its welcome screen instead: tests/installed/).
            ("TONGXIN_DEMO".into(), "1".into()),
            // Backups go beside the database, into the test's folder.
            ("TONGXIN_BACKUP_SECS".into(), "2".into()),
            // WebDriver cannot drive a native dialog: the app takes the next dialog's answer
            // from this file instead (see `answer_dialog`).
            (
                "TONGXIN_TEST_DIALOG".into(),
                dir.path().join(DIALOG_ANSWER).into(),
            ),
        ];
        all.extend(env.iter().map(|(k, v)| (k.to_string(), v.into())));
        App::launch(app, db, Some(dir), all, xvfb).await
    }

    /// Starts `app` as a coordinator would start the installed program: no database chosen,
    /// nothing preset, with `home` as the user's home folder (its data lands in
    /// `~/.local/share/cn.tongxin.checkin/`). The caller keeps `home` (reinstall tests reuse it).
    #[allow(dead_code)] // tests/installed/ uses it
    pub async fn start_home(app: &Path, home: &Path, xvfb: Option<Xvfb>) -> Result<App> {
        let db = home.join(".local/share/cn.tongxin.checkin/tongxin.db");
        let env = vec![
            ("HOME".to_string(), home.as_os_str().to_owned()),
            ("XDG_DATA_HOME".into(), home.join(".local/share").into()),
            ("XDG_CONFIG_HOME".into(), home.join(".config").into()),
            ("XDG_CACHE_HOME".into(), home.join(".cache").into()),
            // The dialogs' answers (see `answer_dialog_in`), in the home folder.
            (
                "TONGXIN_TEST_DIALOG".into(),
                home.join(DIALOG_ANSWER).into(),
            ),
        ];
        App::launch(app, db, None, env, xvfb).await
    }

    async fn launch(
        app: &Path,
        db: PathBuf,
        dir: Option<tempfile::TempDir>,
        env: Vec<(String, std::ffi::OsString)>,
        xvfb: Option<Xvfb>,
    ) -> Result<App> {
        if !app.exists() {
            bail!(
                "{} is missing: build it first (cargo build -p tongxin)",
                app.display()
            );
        }
        let port = free_port()?;
        let native_port = free_port()?;
        let mut cmd = Command::new(tauri_driver());
        cmd.args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            // The app's own choices come only from `env`: none leaks in from the caller.
            .env_remove("TONGXIN_DB")
            .env_remove("TONGXIN_DEMO")
            .env("GSETTINGS_BACKEND", "memory")
            .env("NO_AT_BRIDGE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(x) = &xvfb {
            cmd.env("DISPLAY", &x.display);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut driver = cmd
            .spawn()
            .context("starting tauri-driver (cargo install tauri-driver --version '^2')")?;
        let ready = wait_port(port, Duration::from_secs(20))
            .and_then(|_| wait_port(native_port, Duration::from_secs(20)));
        if let Err(e) = ready {
            terminate(&mut driver);
            return Err(e);
        }
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            json!({ "application": app.to_string_lossy() }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = match ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => c,
            Err(e) => {
                terminate(&mut driver);
                return Err(anyhow!("WebDriver session failed: {e}"));
            }
        };
        let app = App {
            client,
            db,
            driver,
            xvfb,
            _dir: dir,
        };
        // The page is ready when the shell has drawn the brand and the first screen.
        app.wait_js("return document.body.classList.contains('ready')", 20)
            .await?;
        Ok(app)
    }

    /// Runs `body` against the window, then always closes the session and stops the driver.
    /// The temporary folder (and its database) is handed back for the assertions after.
    pub async fn run<F, Fut>(self, body: F) -> Result<(Option<tempfile::TempDir>, PathBuf)>
    where
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = Result<()>> + Send + 'static,
    {
        let outcome = tokio::spawn(body(self.client.clone())).await;
        let App {
            client,
            db,
            mut driver,
            xvfb,
            _dir,
        } = self;
        let _ = client.close().await;
        terminate(&mut driver);
        drop(xvfb);
        match outcome {
            Ok(Ok(())) => Ok((_dir, db)),
            Ok(Err(e)) => Err(e),
            Err(join) => std::panic::resume_unwind(join.into_panic()),
        }
    }

    async fn wait_js(&self, script: &str, secs: u64) -> Result<Value> {
        wait_js(&self.client, script, secs).await
    }
}

/// Polls `script` (a function body returning a value) until it returns something truthy.
pub async fn wait_js(c: &Client, script: &str, secs: u64) -> Result<Value> {
    let start = Instant::now();
    let mut last = Value::Null;
    while start.elapsed() < Duration::from_secs(secs) {
        match c.execute(script, vec![]).await {
            Ok(v) if truthy(&v) => return Ok(v),
            Ok(v) => last = v,
            Err(e) => last = Value::String(e.to_string()),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("timed out after {secs}s waiting for `{script}` (last: {last})")
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|x| x != 0.0),
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

/// The trimmed text of the first element matching `css`, or "" when there is none.
pub async fn text(c: &Client, css: &str) -> Result<String> {
    let v = c
        .execute(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : '';",
            vec![json!(css)],
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// Saves a screenshot of the page under tests/output/ for people to look at.
pub async fn screenshot(c: &Client, name: &str) -> Result<PathBuf> {
    // WebKitWebDriver's first snapshot of a session comes back blank (before the first
    // composited frame reaches it); the second is the page. Without a GPU the app uses
    // WebKit's non-DMA-BUF renderer (src-tauri/src/main.rs), whose snapshot waits for a frame
    // to be drawn: a still page (the welcome screen) would never give one, so a pixel in a
    // corner flickers imperceptibly for a moment to keep frames coming.
    c.execute(
        "let el = document.getElementById('__shot'); \
         if (!el) { el = document.createElement('div'); el.id = '__shot'; \
           el.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;z-index:2147483647'; \
           document.body.append(el); } \
         let n = 0; (function tick() { el.style.background = n % 2 ? 'rgba(0,0,0,0.01)' : 'rgba(0,0,0,0.02)'; \
           if (++n < 240) requestAnimationFrame(tick); else el.remove(); })();",
        vec![],
    )
    .await?;
    c.screenshot().await?;
    let png = c.screenshot().await?;
    let dir = tongxin_tests::root().join("tests/output");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png)?;
    Ok(path)
}

/// Presses keys as a keyboard (or a USB scanner) would: no pauses between them, sent to
/// whatever has the focus.
pub async fn keys(c: &Client, text: &str) -> Result<()> {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let mut seq = KeyActions::new("keyboard".into());
    for ch in text.chars() {
        // WebDriver's Enter is a private-use code point, not '\n'.
        let ch = if ch == '\n' {
            fantoccini::key::Key::Enter.into()
        } else {
            ch
        };
        seq = seq
            .then(KeyAction::Down { value: ch })
            .then(KeyAction::Up { value: ch });
    }
    c.perform_actions(seq).await?;
    Ok(())
}

/// Presses one key with a modifier held (e.g. Ctrl+Z).
pub async fn chord(c: &Client, modifier: fantoccini::key::Key, key: char) -> Result<()> {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let m: char = modifier.into();
    let seq = KeyActions::new("chord".into())
        .then(KeyAction::Down { value: m })
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key })
        .then(KeyAction::Up { value: m });
    c.perform_actions(seq).await?;
    Ok(())
}

/// The present (实到) count on the desk.
pub async fn present(c: &Client) -> Result<i64> {
    wait_js(
        c,
        "return /^\\d+$/.test(document.querySelector('#present-count').textContent)",
        10,
    )
    .await?;
    Ok(text(c, "#present-count").await?.parse()?)
}

/// Waits until the present count reads `n`.
pub async fn wait_present(c: &Client, n: i64) -> Result<()> {
    wait_js(
        c,
        &format!("return document.querySelector('#present-count').textContent === '{n}'"),
        10,
    )
    .await
    .map(|_| ())
}

/// What the page shows right now (toasts, search box, confirmation): for failure messages.
pub async fn page_state(c: &Client) -> String {
    c.execute(
        "return JSON.stringify({
            toasts: document.querySelector('#toasts')?.textContent,
            search: document.querySelector('#search')?.value,
            focus: document.activeElement?.id || document.activeElement?.tagName,
            confirm: document.querySelector('#confirm')?.textContent.trim().slice(0, 120),
            modal: document.querySelector('.modal h2')?.textContent,
            present: document.querySelector('#present-count')?.textContent,
            hits: document.querySelector('#results')?.textContent.trim().slice(0, 120),
        })",
        vec![],
    )
    .await
    .map(|v| v.as_str().unwrap_or_default().to_string())
    .unwrap_or_else(|e| format!("(page state unavailable: {e})"))
}

/// The file, in the test's folder beside the database, the app reads a dialog's answer from.
const DIALOG_ANSWER: &str = "dialog-answer";

/// The next file dialog returns `path` (a file in the test's folder, where the database is), as
/// if the coordinator had chosen it there. The app still checks, as always, that the command
/// that follows names the file the dialog returned.
#[allow(dead_code)]
pub fn answer_dialog(path: &str) -> Result<()> {
    let dir = Path::new(path)
        .ancestors()
        .skip(1)
        .find(|d| d.join("e2e.db").exists())
        .context("a path in the test's folder")?;
    answer_dialog_in(dir, path)
}

/// [`answer_dialog`] for an app started with [`App::start_home`]: the answer file is in `home`.
#[allow(dead_code)]
pub fn answer_dialog_in(home: &Path, path: &str) -> Result<()> {
    std::fs::write(home.join(DIALOG_ANSWER), path)?;
    Ok(())
}
