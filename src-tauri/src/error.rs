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
