//! Serial scanner mode: badges read from a scanner switched to a virtual serial port (USB-COM /
//! CDC-ACM). That path bypasses the keyboard and every input method. Each line the scanner
//! sends goes to the page as a `scanner-burst`, exactly like a keyboard scan; a scanner
//! unplugged is waited for and read again when it comes back, and the page is told both.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Emitter};
use tongxin_core::scanner::SerialLines;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// Keyboard mode only.
    Off,
    /// Port open, reading.
    Connected,
    /// Port chosen but not there (unplugged, or not yet plugged in): retried every second.
    Waiting,
}

#[derive(Debug, Clone, Serialize)]
pub struct SerialStatus {
    pub port: Option<String>,
    pub state: LinkState,
    /// Why it is waiting (the system's words), for the Settings screen.
    pub detail: String,
}

/// The reader thread of the chosen port, if any.
#[derive(Default)]
pub struct SerialLink {
    inner: Mutex<Option<Reader>>,
    status: Arc<Mutex<Option<SerialStatus>>>,
}

struct Reader {
    stop: Arc<AtomicBool>,
}

impl SerialLink {
    pub fn status(&self) -> SerialStatus {
        self.status
            .lock()
            .ok()
            .and_then(|s| s.clone())
            .unwrap_or(SerialStatus {
                port: None,
                state: LinkState::Off,
                detail: String::new(),
            })
    }

    /// Reads badges from `port` from now on (None: stop reading any port).
    pub fn switch(&self, app: &AppHandle, port: Option<String>) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if let Some(old) = inner.take() {
            old.stop.store(true, Ordering::SeqCst);
        }
        let Some(port) = port else {
            set(&self.status, app, None, LinkState::Off, "");
            return;
        };
        // Until the reader has opened it, the port is being waited for.
        set(&self.status, app, Some(&port), LinkState::Waiting, "");
        let stop = Arc::new(AtomicBool::new(false));
        let (stop2, status, app) = (stop.clone(), self.status.clone(), app.clone());
        std::thread::spawn(move || read_loop(&app, &port, &stop2, &status));
        *inner = Some(Reader { stop });
    }
}

fn set(
    status: &Arc<Mutex<Option<SerialStatus>>>,
    app: &AppHandle,
    port: Option<&str>,
    state: LinkState,
    detail: &str,
) {
    let s = SerialStatus {
        port: port.map(str::to_string),
        state,
        detail: detail.to_string(),
    };
    if let Ok(mut cur) = status.lock() {
        let changed = cur
            .as_ref()
            .is_none_or(|c| c.state != s.state || c.port != s.port);
        *cur = Some(s.clone());
        if changed {
            let _ = app.emit("serial-status", s);
        }
    }
}

fn read_loop(
    app: &AppHandle,
    port: &str,
    stop: &AtomicBool,
    status: &Arc<Mutex<Option<SerialStatus>>>,
) {
    while !stop.load(Ordering::SeqCst) {
        // CDC-ACM scanners ignore the baud rate; 9600 8N1 is what the others default to.
        match serialport::new(port, 9600)
            .timeout(Duration::from_millis(200))
            .open()
        {
            Ok(mut device) => {
                set(status, app, Some(port), LinkState::Connected, "");
                let mut lines = SerialLines::default();
                let mut buf = [0u8; 256];
                while !stop.load(Ordering::SeqCst) {
                    match device.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            for line in lines.feed(&buf[..n]) {
                                let _ = app.emit("scanner-burst", line);
                            }
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        // Unplugged (EIO), or the port went away.
                        Err(_) => break,
                    }
                }
                if !stop.load(Ordering::SeqCst) {
                    set(status, app, Some(port), LinkState::Waiting, "");
                }
            }
            Err(e) => set(status, app, Some(port), LinkState::Waiting, &e.to_string()),
        }
        for _ in 0..10 {
            if stop.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The serial ports the system lists (a scanner in USB-COM mode shows up here).
pub fn ports() -> Vec<String> {
    serialport::available_ports()
        .map(|l| l.into_iter().map(|p| p.port_name).collect())
        .unwrap_or_default()
}
