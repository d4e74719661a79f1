//! A bare Tauri 2 window: the reference the benchmarks measure Tongxin beside (same release
//! profile, same WebKitGTK, same start-up probe). With `TONGXIN_STARTUP_PROBE` set, its page
//! reports the first screen drawn (two animation frames after load) by writing the moment
//! (ns since the epoch) to that file, and the app exits — as Tongxin does.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[tauri::command]
fn first_screen_drawn(app: tauri::AppHandle) {
    let Some(file) = std::env::var_os("TONGXIN_STARTUP_PROBE") else {
        return;
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let _ = std::fs::write(file, now.to_string());
    app.exit(0);
}

fn main() {
    let built = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![first_screen_drawn])
        .build(tauri::generate_context!());
    match built {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            eprintln!("bare window: {e}");
            std::process::exit(1);
        }
    }
}
