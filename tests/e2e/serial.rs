//! Serial scanner mode: a scanner switched to a USB virtual serial port sends each badge as a
//! line, bypassing the keyboard and every input method. A pseudo-terminal pair from socat
//! stands in for the port: the app reads one end, the test writes badges to the other, and
//! "unplugs" the scanner by stopping socat.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use chrono::Utc;
use serde_json::json;
use tongxin_core::Db;

use crate::harness::{page_state, screenshot, wait_js, App};
use crate::ime::{badges, wait_for_db};

/// socat's two linked pseudo-terminals: `scanner` (the app opens it) and `host` (the test
/// writes to it, as the scanner's firmware would).
struct Port {
    child: Child,
    scanner: PathBuf,
    host: PathBuf,
}

fn plug_in(dir: &Path) -> Result<Port> {
    let scanner = dir.join("ttyScanner");
    let host = dir.join("ttyHost");
    let _ = std::fs::remove_file(&scanner);
    let _ = std::fs::remove_file(&host);
    let child = Command::new("socat")
        .arg(format!("pty,raw,echo=0,link={}", scanner.display()))
        .arg(format!("pty,raw,echo=0,link={}", host.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("socat (apt-get install socat)")?;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if scanner.exists() && host.exists() {
            return Ok(Port {
                child,
                scanner,
                host,
            });
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bail!("socat did not create its pseudo-terminals")
}

impl Port {
    fn send(&self, line: &str) -> Result<()> {
        let mut f = std::fs::OpenOptions::new().write(true).open(&self.host)?;
        f.write_all(line.as_bytes())?;
        f.flush()?;
        Ok(())
    }

    fn unplug(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Port {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

async fn pill_state(c: &fantoccini::Client, state: &str) -> Result<()> {
    wait_js(
        c,
        &format!("return document.querySelector('#scanner-pill')?.dataset.state === '{state}'"),
        15,
    )
    .await
    .map(|_| ())
    .with_context(|| format!("the header never said the scanner is {state}"))
}

#[tokio::test]
async fn badges_sent_over_a_serial_port_check_in_and_the_desk_survives_an_unplug() -> Result<()> {
    let ports = tempfile::tempdir()?;
    let port = plug_in(ports.path())?;
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        Ok(())
    })
    .await?;
    let db = app.db.clone();
    let list = badges(&db, 21)?;
    let dir = ports.path().to_path_buf();
    let scanner = port.scanner.to_string_lossy().to_string();
    let (_dir, _db) = app
        .run(move |c| async move {
            let chosen = c
                .execute_async(
                    "const [port, done] = arguments;
                     window.__TAURI__.core.invoke('serial_use', { port }).then(done, (e) => done(e));",
                    vec![json!(scanner)],
                )
                .await?;
            if chosen["state"] != "connected" && chosen["state"] != "waiting" {
                bail!("serial_use answered {chosen}");
            }
            pill_state(&c, "connected").await?;
            // 20 badges, one line each, line endings as scanners are set up (CR, LF, CR LF).
            let endings = ["\r", "\n", "\r\n"];
            for (i, (id, code)) in list[..20].iter().enumerate() {
                port.send(&format!("TX:{code}{}", endings[i % 3]))?;
                if !wait_for_db(&db, id, 10).await {
                    bail!("badge {} ({code}) sent over the port is not checked in: {}", i + 1, page_state(&c).await);
                }
            }
            let _ = screenshot(&c, "serial-connected").await;
            // Unplugged: the desk says so and carries on.
            port.unplug();
            pill_state(&c, "waiting").await?;
            wait_js(&c, "return document.querySelector('#toasts')?.textContent.includes('扫码枪已断开')", 10).await?;
            let _ = screenshot(&c, "serial-unplugged").await;
            // Plugged back (the same port name): read again, and the next badge checks in.
            let again = plug_in(&dir)?;
            pill_state(&c, "connected").await?;
            let (id, code) = &list[20];
            again.send(&format!("TX:{code}\r\n"))?;
            if !wait_for_db(&db, id, 10).await {
                bail!("after replugging, {code} is not checked in: {}", page_state(&c).await);
            }
            Ok(())
        })
        .await?;
    Ok(())
}

#[tokio::test]
async fn only_a_serial_device_can_be_chosen_as_the_scanner_port() -> Result<()> {
    let app = App::start(|db| {
        let mut d = Db::open(db)?;
        tongxin_core::demo::load(&mut d, Utc::now())?;
        Ok(())
    })
    .await?;
    let file = app.db.to_string_lossy().to_string();
    app.run(move |c| async move {
        let r = c
            .execute_async(
                "const [port, done] = arguments;
                 window.__TAURI__.core.invoke('serial_use', { port }).then(done, (e) => done(e));",
                vec![json!(file)],
            )
            .await?;
        if r["code"] != "serial_not_a_port" {
            bail!("choosing the database file as a port answered {r}");
        }
        Ok(())
    })
    .await?;
    Ok(())
}
