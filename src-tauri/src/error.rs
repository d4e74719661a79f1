use serde::Serialize;

/// What crosses IPC when a command fails: the UI branches on `code` and shows `message`
/// (Chinese) or its own English text for the code.
#[derive(Debug, Serialize)]
pub struct CmdError {
    pub code: String,
    pub message: String,
}

impl From<tongxin_core::Error> for CmdError {
    fn from(e: tongxin_core::Error) -> Self {
        CmdError {
            code: e.code().to_string(),
            message: e.to_string(),
        }
    }
}

impl From<tongxin_sync::SyncError> for CmdError {
    fn from(e: tongxin_sync::SyncError) -> Self {
        CmdError {
            code: e.code().to_string(),
            message: e.to_string(),
        }
    }
}

impl CmdError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        CmdError {
            code: code.to_string(),
            message: message.into(),
        }
    }

    pub fn no_event() -> Self {
        CmdError::new(
            "no_event",
            "还没有活动。请在“设置”中恢复演示数据，或先导入名单。",
        )
    }
}

pub type CmdResult<T> = Result<T, CmdError>;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    fn is_code(s: &str) -> bool {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }

    /// The codes the English UI has a message for (`ERRORS` in ui/lib/errors.js).
    fn english() -> BTreeSet<String> {
        let js = include_str!("../../ui/lib/errors.js");
        let start = js.find("const ERRORS = {").expect("the ERRORS table");
        let table = &js[start..start + js[start..].find("\n};").expect("its end")];
        table
            .lines()
            .filter_map(|l| l.strip_prefix("  ")?.split_once(':').map(|(k, _)| k))
            .filter(|k| is_code(k))
            .map(str::to_string)
            .collect()
    }

    /// The codes the shell gives itself (`CmdError::new("…"`), read from its sources.
    fn shell_codes(dir: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir)
            .expect("the shell's sources")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                shell_codes(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                for piece in text.split("CmdError::new(").skip(1) {
                    let code = piece
                        .trim_start()
                        .strip_prefix('"')
                        .and_then(|c| c.split('"').next());
                    if let Some(code) = code.filter(|c| is_code(c)) {
                        out.insert(code.to_string());
                    }
                }
            }
        }
    }

    #[test]
    fn every_error_code_of_the_core_and_the_shell_has_an_english_message() {
        let english = english();
        let mut codes: BTreeSet<String> = tongxin_core::ERROR_CODES
            .iter()
            .map(|c| c.to_string())
            .collect();
        codes.extend(tongxin_sync::CODES.iter().map(|c| c.to_string()));
        let before = codes.len();
        shell_codes(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut codes,
        );
        assert!(before > 50 && codes.len() > before, "both lists were read");
        let missing: Vec<&String> = codes.iter().filter(|c| !english.contains(*c)).collect();
        assert!(
            missing.is_empty(),
            "no English message in ui/lib/errors.js for {missing:?}"
        );
    }
}
