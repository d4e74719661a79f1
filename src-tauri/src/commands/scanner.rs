//! Serial scanner mode in Settings: list the ports, choose one (or none), read its state.

use tauri::{AppHandle, State};
use tongxin_core::scanner;

use crate::error::{CmdError, CmdResult};
use crate::serial::{self, SerialLink, SerialStatus};
use crate::state::AppState;

#[tauri::command(async)]
pub fn serial_ports() -> Vec<String> {
    serial::ports()
}

#[tauri::command]
pub fn serial_status(link: State<'_, SerialLink>) -> SerialStatus {
    link.status()
}

/// Reads badges from `port` from now on and remembers it; `None` goes back to keyboard only.
/// Only a serial device may be named: a port the system lists, or a path to a character
/// device (a scanner's /dev/ttyACM0 under another name).
#[tauri::command(async)]
pub fn serial_use(
    app: AppHandle,
    state: State<'_, AppState>,
    link: State<'_, SerialLink>,
    port: Option<String>,
) -> CmdResult<SerialStatus> {
    let port = port.filter(|p| !p.trim().is_empty());
    if let Some(p) = &port {
        if !serial::ports().contains(p) && !is_char_device(p) {
            return Err(CmdError::new(
                "serial_not_a_port",
                format!("“{p}”不是串口设备。请插上扫码枪（已设为 USB 串口模式）后从列表中选择。"),
            ));
        }
    }
    scanner::set_serial_port(&*state.db()?, port.as_deref())?;
    link.switch(&app, port);
    Ok(link.status())
}

#[cfg(unix)]
fn is_char_device(p: &str) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(p).is_ok_and(|m| m.file_type().is_char_device())
}

#[cfg(not(unix))]
fn is_char_device(_: &str) -> bool {
    false
}
