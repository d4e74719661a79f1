// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    #[cfg(target_os = "linux")]
    without_gpu_no_dmabuf();
    tongxin_lib::fonts::use_shipped();
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
