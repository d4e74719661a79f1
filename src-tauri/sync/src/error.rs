//! What can go wrong between a desk and the server, each with a Chinese message that says
//! what happened to the desk (nothing) and what to do; the window translates by `code()`.

/// A failed exchange with the server. The desk's own file is never left half-changed by one.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("连不上市级服务器 {host}：{why}。本机照常签到，联网后会自动补传。")]
    Unreachable { host: String, why: String },
    #[error("市级服务器 {0} 在规定时间内没有应答。本机照常签到，稍后自动重试。")]
    Timeout(String),
    #[error("市级服务器拒绝了登录：用户名或密码不对（{0}）。请在 设置 → 市级同步 里重新输入密码；本机照常签到，记录都在本机。")]
    Auth(String),
    #[error(
        "市级服务器的数据结构版本是 {found}，本程序需要 {supported}。{hint}本机没有任何改动。"
    )]
    Schema {
        found: i64,
        supported: i64,
        hint: &'static str,
    },
    #[error("这个服务器上还没有同心签到的数据结构：请城市办公室先运行 tongxin-cli server init。本机没有任何改动。")]
    NotInitialised,
    #[error("市级服务器不允许这个账号这样做：{0}。请向城市办公室确认本机账号所属的会场；本机照常签到，记录都在本机。")]
    Denied(String),
    #[error("服务器地址不对：{0}。请写成 postgres://账号@地址:5432/数据库 ；本机照常签到，没有任何改动。")]
    BadUrl(String),
    #[error("与市级服务器的加密连接失败：{0}。本机照常签到，记录都在本机。")]
    Tls(String),
    #[error("市级服务器 {0} 不提供加密连接。它不在本机上，本机不会把密码和名单明文发过网络：请城市办公室为服务器开启 TLS（ssl = on）。本机照常签到，记录都在本机。")]
    Plaintext(String),
    #[error(
        "市级服务器拒收了这条记录（{0}）。其余记录照常上传；这一条留在本机，请向城市办公室确认。"
    )]
    Refused(String),
    #[error("市级服务器出错：{0}。本机照常签到，稍后自动重试。")]
    Server(String),
    #[error(transparent)]
    Local(#[from] tongxin_core::Error),
}

/// Every code `SyncError::code` gives (the window's English messages are checked against it).
pub const CODES: &[&str] = &[
    "server_unreachable",
    "server_timeout",
    "server_auth",
    "server_schema",
    "server_not_initialised",
    "server_denied",
    "server_url",
    "server_tls",
    "server_plaintext",
    "server_refused",
    "server_error",
];

impl SyncError {
    pub fn code(&self) -> &'static str {
        match self {
            SyncError::Unreachable { .. } => "server_unreachable",
            SyncError::Timeout(_) => "server_timeout",
            SyncError::Auth(_) => "server_auth",
            SyncError::Schema { .. } => "server_schema",
            SyncError::NotInitialised => "server_not_initialised",
            SyncError::Denied(_) => "server_denied",
            SyncError::BadUrl(_) => "server_url",
            SyncError::Tls(_) => "server_tls",
            SyncError::Plaintext(_) => "server_plaintext",
            SyncError::Refused(_) => "server_refused",
            SyncError::Server(_) => "server_error",
            SyncError::Local(e) => e.code(),
        }
    }

    /// The network or the server is away (as opposed to a refusal that retrying will not fix).
    pub fn is_offline(&self) -> bool {
        matches!(
            self,
            SyncError::Unreachable { .. } | SyncError::Timeout(_) | SyncError::Server(_)
        )
    }

    /// The server refused what was sent (a row this login may not write, or one that breaks
    /// its rules), as opposed to the network or the server being away.
    pub fn is_refusal(&self) -> bool {
        matches!(self, SyncError::Denied(_) | SyncError::Refused(_))
    }

    /// Classifies a client error from an exchange with `host`.
    pub(crate) fn from_pg(host: &str, e: tokio_postgres::Error) -> SyncError {
        use tokio_postgres::error::SqlState;
        if let Some(db) = e.as_db_error() {
            let c = db.code();
            return if *c == SqlState::INVALID_PASSWORD
                || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
            {
                SyncError::Auth(db.message().to_string())
            } else if *c == SqlState::INSUFFICIENT_PRIVILEGE {
                SyncError::Denied(db.message().to_string())
            } else if *c == SqlState::UNDEFINED_TABLE
                || *c == SqlState::INVALID_SCHEMA_NAME
                || *c == SqlState::UNDEFINED_FUNCTION
            {
                SyncError::NotInitialised
            } else if *c == SqlState::ADMIN_SHUTDOWN
                || *c == SqlState::CRASH_SHUTDOWN
                || *c == SqlState::CANNOT_CONNECT_NOW
            {
                SyncError::Unreachable {
                    host: host.to_string(),
                    why: db.message().to_string(),
                }
            } else if c.code().starts_with("23") || c.code().starts_with("22") {
                // Integrity or data: this row, not the server, is the problem.
                SyncError::Refused(db.message().to_string())
            } else {
                SyncError::Server(db.message().to_string())
            };
        }
        let text = e.to_string();
        let why = std::error::Error::source(&e)
            .map(|s| s.to_string())
            .unwrap_or_else(|| text.clone());
        if text.contains("does not support TLS") || why.contains("does not support TLS") {
            SyncError::Plaintext(host.to_string())
        } else if text.contains("timeout") || text.contains("timed out") {
            SyncError::Timeout(host.to_string())
        } else if text.contains("tls") || text.contains("TLS") || text.contains("certificate") {
            SyncError::Tls(why)
        } else {
            SyncError::Unreachable {
                host: host.to_string(),
                why: if e.is_closed() {
                    "连接被断开".to_string()
                } else {
                    why
                },
            }
        }
    }
}
