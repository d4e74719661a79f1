//! The window's Chinese face, Tongxin Sans (Noto Sans CJK SC cut down to GB 2312, 3.5 MB a
//! weight; assets/fonts/README.md), ships beside the binary. The system's Noto Sans CJK faces
//! are 16–17 MB each, and the web process maps their pages 64 KiB at a time around every
//! character it draws: scrolling 100,000 names held 14 MiB of them; the cut-down faces hold 7.
//!
//! On Linux, before any thread starts, the app writes a fontconfig file that includes the
//! system's configuration and adds the shipped folder by its absolute path (fontconfig before
//! 2.13.91 has no `prefix="relative"`: a relative folder there is the working directory), and
//! points `FONTCONFIG_FILE` at it for itself and the WebKit processes it starts. Not when the
//! user set `FONTCONFIG_FILE`, nor when the system's configuration, the shipped faces or a
//! place to write are missing: the font stack then falls to the system's faces, as before.
//! Programs the app starts (the file manager) get the user's environment back.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

const VAR: &str = "FONTCONFIG_FILE";
/// Set beside `FONTCONFIG_FILE` to the same value when the app set it.
const OURS: &str = "TONGXIN_FONTCONFIG_FILE";
const SYSTEM_CONF: &str = "/etc/fonts/fonts.conf";

/// Call first thing in `main`, before any thread starts.
pub fn use_shipped() {
    if cfg!(not(target_os = "linux"))
        || std::env::var_os(VAR).is_some()
        || !Path::new(SYSTEM_CONF).is_file()
    {
        return;
    }
    let (Some(fonts), Some(conf)) = (shipped_folder(), conf_path()) else {
        return;
    };
    if write_if_changed(&conf, &conf_text(&fonts)).is_ok() {
        std::env::set_var(VAR, &conf);
        std::env::set_var(OURS, &conf);
    }
}

/// A program the app starts gets the user's fontconfig, not the app's.
pub fn for_child(cmd: &mut std::process::Command) {
    if is_ours(
        std::env::var_os(VAR).as_deref(),
        std::env::var_os(OURS).as_deref(),
    ) {
        cmd.env_remove(VAR).env_remove(OURS);
    }
}

fn is_ours(current: Option<&OsStr>, ours: Option<&OsStr>) -> bool {
    current.is_some() && current == ours
}

/// Installed (deb, rpm, AppImage): /usr/bin/tongxin and /usr/lib/tongxin/fonts, as Tauri
/// places resources. A build tree: target/<profile>/fonts, copied there by tauri-build.
fn shipped_folder() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    [dir.join("../lib/tongxin/fonts"), dir.join("fonts")]
        .into_iter()
        .find(|d| d.join("TongxinSans-Regular.otf").is_file())
        .and_then(|d| d.canonicalize().ok())
}

/// The user's cache folder (`$XDG_CACHE_HOME`, else `~/.cache`), the app's own place in it.
fn conf_path() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))?;
    Some(cache.join("cn.tongxin.checkin").join("fontconfig.conf"))
}

fn conf_text(fonts: &Path) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n\
         <!-- Written by Tongxin at start (src-tauri/src/fonts.rs): the system's fonts, and \
         Tongxin Sans for its window. -->\n<fontconfig>\n  \
         <include ignore_missing=\"yes\">{SYSTEM_CONF}</include>\n  <dir>{}</dir>\n</fontconfig>\n",
        escape(&fonts.to_string_lossy())
    )
}

/// Written whole (a temporary file renamed over it), and only when it would change.
fn write_if_changed(path: &Path, text: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|t| t == text) {
        return Ok(());
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!("fontconfig.conf.{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_conf_adds_the_shipped_folder_by_its_whole_path_to_the_systems_configuration() {
        let text = conf_text(Path::new("/opt/a&b <x>/fonts"));
        assert!(text.contains("<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>"));
        assert!(
            text.contains("<dir>/opt/a&amp;b &lt;x&gt;/fonts</dir>"),
            "{text}"
        );
        assert!(
            !text.contains("prefix="),
            "older fontconfig reads a relative folder from the working directory"
        );
    }

    #[test]
    fn only_the_apps_own_setting_is_taken_from_the_programs_it_starts() {
        let (ours, users) = (OsStr::new("/c/ours.conf"), OsStr::new("/home/u/fonts.conf"));
        assert!(is_ours(Some(ours), Some(ours)));
        assert!(!is_ours(Some(users), None), "the user's own is kept");
        assert!(!is_ours(Some(users), Some(ours)));
        assert!(!is_ours(None, None));
    }

    #[test]
    fn the_conf_is_written_once_and_rewritten_when_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cn.tongxin.checkin/fontconfig.conf");
        write_if_changed(&path, "a").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a");
        write_if_changed(&path, "b").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "b");
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
    }
}
