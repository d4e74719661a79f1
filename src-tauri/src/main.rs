// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    #[cfg(target_os = "linux")]
    {
        without_gpu_no_dmabuf();
        with_shipped_fonts();
    }
    tongxin_lib::run()
}

/// WebKitGTK's DMA-BUF renderer needs a GPU render node. Without one (a laptop whose graphics
/// driver is missing, a virtual machine, a remote desktop) it falls back to a path that takes
/// a second or more to draw the first frame: measured 2.0 s to the first screen against 0.43 s
/// with the older renderer on a machine without /dev/dri. Before any thread starts, choose the
/// older renderer when there is no render node, unless the user chose already.
#[cfg(target_os = "linux")]
fn without_gpu_no_dmabuf() {
    const VAR: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
    if std::env::var_os(VAR).is_some() {
        return;
    }
    let render_node = std::fs::read_dir("/dev/dri").is_ok_and(|dir| {
        dir.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    });
    if !render_node {
        std::env::set_var(VAR, "1");
    }
}

/// The window's Chinese face, Tongxin Sans (Noto Sans CJK SC cut down to GB 2312, 3.5 MB a
/// weight), ships beside the binary with a fontconfig file that adds its folder to the
/// system's configuration. The system's Noto Sans CJK faces are 16–17 MB each, and the web
/// process maps their pages 64 KiB at a time around every character it draws: scrolling
/// 100,000 names held 14 MiB of them; the cut-down faces hold 7 (assets/fonts/README.md).
/// Set for this process and the WebKit processes it starts, before any thread starts; not
/// when the user set FONTCONFIG_FILE, nor when the system's configuration or the shipped
/// fonts are not where they should be (the stack then falls to the system's faces, as before).
#[cfg(target_os = "linux")]
fn with_shipped_fonts() {
    const VAR: &str = "FONTCONFIG_FILE";
    if std::env::var_os(VAR).is_some() || !std::path::Path::new("/etc/fonts/fonts.conf").is_file() {
        return;
    }
    let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(std::path::Path::to_path_buf))
    else {
        return;
    };
    // Installed (deb, rpm, AppImage): /usr/bin/tongxin and /usr/lib/tongxin/fonts, as Tauri
    // places resources. A build tree: target/release/fonts, copied there by tauri-build.
    let conf = [
        exe_dir.join("../lib/tongxin/fonts/fonts.conf"),
        exe_dir.join("fonts/fonts.conf"),
    ]
    .into_iter()
    .find(|c| c.is_file() && c.with_file_name("TongxinSans-Regular.otf").is_file());
    if let Some(conf) = conf {
        std::env::set_var(VAR, conf);
    }
}
