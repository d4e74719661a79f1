use std::path::PathBuf;

/// Every error a user can meet, with a Chinese message that says what to do next.
/// The front ends show `to_string()` and branch on `code()`, never on the text.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("无法打开数据库文件 {path}：{source}。请检查文件是否存在、是否有读写权限。")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "这个数据库来自更新版本的同心签到（数据库版本 {found}，本程序只认识到 {supported}）。请安装新版同心签到后再打开；文件没有被改动。"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("无法使用系统的凭据库（{0}）。数据库的密钥存放在那里：请在桌面会话中登录并解锁“登录”密钥环（钥匙串 / 凭据管理器）后重试。脚本可以用环境变量 TONGXIN_DB_KEY 给出密钥（64 位十六进制）。没有创建任何未加密的文件。")]
    KeyStore(String),
    #[error("这台电脑上没有数据库 {0} 的密钥（它可能来自另一台电脑，或系统凭据库被清空）。请用它的恢复密钥打开一次：tongxin-cli --db <这个文件> key recover <恢复密钥>，之后窗口照常打开。文件没有被改动。")]
    KeyMissing(PathBuf),
    #[error("密钥不对，数据库 {0} 打不开（或它不是同心签到的数据库）。请核对恢复密钥或 TONGXIN_DB_KEY；文件没有被改动。")]
    KeyWrong(PathBuf),
    #[error("备份 {0} 是另一台电脑的数据库加密的：请输入那台电脑的恢复密钥（13 组、每组 4 个字符）。当前数据没有改动。")]
    RestoreNeedsKey(PathBuf),
    #[error("环境变量 TONGXIN_DB_KEY 应为 64 位十六进制（256 位密钥）。")]
    KeyEnvInvalid,
    #[error("恢复密钥不对：应为 13 组、每组 4 个字符（如 ABCD-EFGH-…），请逐字核对。")]
    RecoveryKeyInvalid,
    #[error("系统无法提供随机数（{0}），没有创建密钥。")]
    Crypto(String),
    #[error("磁盘已满，刚才的操作没有保存；之前确认的签到都在。请释放磁盘空间后重试。")]
    DiskFull,
    #[error("无法写入磁盘：磁盘可能已满、U 盘被拔出或存储设备出错。刚才的操作没有保存，之前确认的签到都在。请释放空间或换一个位置后重试。")]
    DiskIo,
    #[error("数据文件夹是只读的，刚才的操作没有保存。请检查权限或换一个位置。")]
    ReadOnly,
    #[error("数据库正被另一个程序使用，请稍后重试或关闭另一个同心签到窗口。")]
    Busy,
    #[error("数据库出错：{0}")]
    Sqlite(rusqlite::Error),
    #[error("找不到活动“{0}”。请先在设置中选择一个活动。")]
    EventNotFound(String),
    #[error("找不到专家“{0}”。")]
    ExpertNotFound(String),
    #[error("找不到服务点位“{0}”。")]
    PointNotFound(String),
    #[error("找不到签到记录“{0}”。")]
    CheckinNotFound(String),
    #[error("这条签到已于 {at} 撤销，无需再次撤销。")]
    AlreadyRevoked { at: String },
    #[error("请填写撤销原因。")]
    ReasonRequired,
    #[error("请填写签到台名称（不超过 20 个字）。")]
    DeskName,
    #[error("这个数据库里已经有活动了。要换成示例，请在“设置”中恢复演示数据（会先备份）。")]
    NotFirstRun,
    #[error("数据库里已有演示活动。如需重新开始，请在设置中选择“恢复演示数据”。")]
    DemoExists,
    #[error("演示数据损坏：{0}")]
    DemoData(String),
    #[error("请填写姓名。")]
    NameRequired,
    #[error("姓名太长（{0} 个字），请检查是否粘贴了多余内容。")]
    NameTooLong(usize),
    #[error("手机号“{0}”不像有效号码，请核对（11 位手机号，或带区号的座机）。")]
    PhoneInvalid(String),
    #[error("{point}已满（{used}/{capacity} 人）。如确需调入，请确认超额。")]
    CapacityFull {
        point: String,
        used: i64,
        capacity: i64,
    },
    #[error("该专家本次活动没有报名记录，无法调整分组。")]
    NotSignedUp,
    #[error(
        "文件太大（{mb} MB）。名单文件最大 {limit_mb} MB，请确认选对了文件，或拆分后分批导入。"
    )]
    ImportTooLarge { mb: u64, limit_mb: u64 },
    #[error("无法读取这个文件：{0}。请确认它是 Excel（.xlsx/.xls）或 CSV 文件，且没有损坏。")]
    ImportUnreadable(String),
    #[error(
        "这个 Excel 文件解压后异常巨大（超过 {limit_mb} MB），可能已损坏或是恶意文件，已拒绝读取。"
    )]
    ImportZipBomb { limit_mb: u64 },
    #[error(
        "这个表格里的文字展开后超过 {limit_mb} MB（同一段文字被成千上万个格子引用），远超任何名单所需，可能已损坏或是恶意文件，已拒绝读取。"
    )]
    ImportTextBomb { limit_mb: u64 },
    #[error("文件是空的，没有可导入的内容。")]
    ImportEmpty,
    #[error("找不到表头：前 {rows} 行里没有“姓名”一类的列。请确认表格有一行列名（如 姓名、工作单位、手机）。")]
    ImportNoHeader { rows: usize },
    #[error("表格只有表头，没有数据行。请确认选对了工作表或文件。")]
    ImportNoRows,
    #[error("没有一行可以导入：{0}")]
    ImportNoUsableRows(String),
    #[error("{0}")]
    Export(String),
    #[error("{0}")]
    Backup(String),
    #[error(
        "这个手机号已属于 {name}（{code}）。同一手机号就是同一个人：请编辑那条记录，或把两条合并。"
    )]
    PhoneTaken { name: String, code: String },
    #[error("内容过长（最多 {0} 字）。")]
    TextTooLong(usize),
    #[error("请填写服务点位名称。")]
    PointNameRequired,
    #[error("名额 {0} 不对：请填 0（不限）或一个正整数。")]
    CapacityInvalid(i64),
    #[error("出发时间“{0}”无法识别，请写成 13:00。")]
    TimeInvalid(String),
    #[error("请填写活动名称。")]
    EventNameRequired,
    #[error("日期“{0}”无法识别，请写成 2025-09-28。")]
    DateInvalid(String),
    #[error("“{0}”不是一个数目：请填 0 或一个正整数（如 120）。")]
    CountInvalid(String),
    #[error("“{0}”不是上海的一个区：请写区名，如 金山区、浦东新区，或 市级。")]
    DistrictUnknown(String),
    #[error("找不到这场服务活动，它可能已被删除。")]
    ActivityNotFound(String),
    #[error("请填写建言的标题。")]
    SuggestionTitleRequired,
    #[error("找不到这条建言，它可能已被删除。")]
    SuggestionNotFound(String),
    #[error("请填写服务站的名称。")]
    StationNameRequired,
    #[error("{district}已有服务站“{name}”。")]
    StationExists { district: String, name: String },
    #[error("找不到这个服务站，它可能已被删除。")]
    StationNotFound(String),
    #[error("找不到这条聘任记录。")]
    AppointmentNotFound(String),
    #[error("聘期“{0}”不对：请填 1 到 10 年。")]
    TermInvalid(String),
    #[error("不能把一条记录与它自己合并。")]
    MergeSelf,
    #[error("已归档的记录不能合并。")]
    MergeArchived,
    #[error("{name}（{code}）的记录已归档，不能签到。若是同一个人的另一份记录，请在 专家 页把两份合并；否则请现场补录。")]
    ExpertArchived { name: String, code: String },
    #[error("{name} 已报名“{point}”：同一活动只能报一个服务点位。如需更换，请用“调组”。")]
    AlreadySignedUp { name: String, point: String },
    #[error("同心签到已经在运行，并且正在使用这个数据库：{0}。请切换到已打开的窗口；同一个数据库同时只能由一个窗口使用，以免签到记录冲突。")]
    AlreadyOpen(PathBuf),
    #[error("无法导入这个数据包：{0}。数据库没有任何改动；请向对方重新要一份。")]
    PackageInvalid(String),
    #[error(
        "这个数据包来自更新版本的同心签到（格式 {found}，本程序支持 {supported}），请先升级。"
    )]
    PackageTooNew { found: u32, supported: u32 },
    #[error("数据包无法通过验证：它不是由本活动的电脑生成的，或在途中被改动过。没有合并任何内容；请向对方重新要一份。")]
    PackageForged,
    #[error("这个数据包已加密，但本机没有它所属活动的密钥（两台电脑不是用同一份数据库设置的）。请让对方另存一份“未加密数据包”，或先用主会场的分会场数据包设置本机。没有合并任何内容。")]
    PackageNoKey,
    #[error("此数据包未加密，或不是本活动的电脑生成的：任何人都能制作或改动它。确认它确实来自你们的签到台后，才能选择“仍然合并”（命令行：--trust-foreign）。数据库没有任何改动。")]
    PackageUnsealed,
    #[error("这是分会场数据包，需要输入主会场电脑显示的口令才能打开。")]
    PassphraseRequired,
    #[error("口令不对，或数据包已被改动。请核对主会场电脑显示的口令；没有合并任何内容。")]
    PassphraseWrong,
    #[error("数据包里的{what}无效：{why}。整个数据包都没有合并；请向对方重新要一份。")]
    PackageRecord { what: String, why: String },
    #[error("这个签到数据包属于本机没有的活动“{0}”。请先用主会场的分会场数据包设置本机，或确认打开的是正确的数据库。没有合并任何内容。")]
    PackageEventUnknown(String),
    #[error("没有可撤销的导入。")]
    NothingToUndo,
    #[error("{name} 已经签到，不能撤销这次导入。请先撤销其签到，或保留这次导入。")]
    UndoBlockedByCheckIn { name: String },
    #[error("无法撤销：这次导入新增的点位“{name}”已有人报名或签到。请先把他们改到别的点位。")]
    UndoBlockedByPointInUse { name: String },
    #[error("表格超过 {limit} 行，请拆分后分批导入。")]
    ImportTooManyRows { limit: usize },
    #[error("{file} 不能用于恢复：{why}。当前的数据没有任何改动。")]
    RestoreRefused { file: PathBuf, why: Refusal },
    #[error("服务器地址应以 postgres:// 开头，例如 postgres://jinshan1@10.0.0.5:5432/tongxin 。")]
    ServerUrlInvalid,
    #[error("服务器上活动“{0}”的密钥不完整，本机没有任何改动。请城市办公室重新发布这场活动。")]
    ServerEventKey(String),
    #[error("文件操作失败：{0}")]
    Io(#[from] std::io::Error),
}

/// Why a file chosen for restore was refused; each has its own code, so that the UI can say it
/// in English too.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("无法读取这个文件，请确认它还在、有读取权限、U 盘没有拔出")]
    Unreadable,
    #[error("文件是空的（0 字节），可能没有复制完整。请选择备份文件夹里的另一份备份")]
    Empty,
    #[error(
        "这不是数据库文件。请选择同心签到保存的备份（backups 文件夹里的 tongxin-日期-时间.db）"
    )]
    NotADatabase,
    #[error("文件已损坏或不完整（可能没有复制完）。请选择备份文件夹里的另一份备份")]
    Damaged,
    #[error("这不是同心签到的数据库。请选择同心签到保存的备份（backups 文件夹里的 tongxin-日期-时间.db）")]
    NotOurs,
    #[error(
        "文件没有数据库版本号，不是同心签到保存的备份。请选择备份文件夹里的 tongxin-日期-时间.db"
    )]
    Unversioned,
    #[error("这个备份来自更新版本的同心签到（数据库版本 {found}，本程序只认识到 {supported}）。请安装新版同心签到后再恢复")]
    TooNew { found: i64, supported: i64 },
    #[error("文件里有同心签到从不创建的{0}，它被别的程序改动过，恢复后可能让签到不被保存。请选择备份文件夹里的另一份备份")]
    Foreign(String),
    #[error("文件缺少{0}，它被别的程序改动过或不完整。请选择备份文件夹里的另一份备份")]
    Incomplete(String),
    #[error("数据表 {0} 里有本版本不接受的记录（重复或不合规则的值），它被别的程序改动过。请选择备份文件夹里的另一份备份")]
    Rejected(String),
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Unreadable => "restore_unreadable",
            Refusal::Empty => "restore_empty",
            Refusal::NotADatabase => "restore_not_database",
            Refusal::Damaged => "restore_damaged",
            Refusal::NotOurs => "restore_not_tongxin",
            Refusal::Unversioned => "restore_unversioned",
            Refusal::TooNew { .. } => "restore_too_new",
            Refusal::Foreign(_) => "restore_foreign_objects",
            Refusal::Incomplete(_) => "restore_incomplete",
            Refusal::Rejected(_) => "restore_rejected",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => Error::DiskFull,
            Some(ErrorCode::SystemIoFailure) => Error::DiskIo,
            Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen) => Error::ReadOnly,
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Error::Busy,
            _ => Error::Sqlite(e),
        }
    }
}

impl Error {
    /// A stable machine-readable code: the UI translates and branches on it.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Open { .. } => "db_open",
            Error::SchemaTooNew { .. } => "db_too_new",
            Error::KeyStore(_) => "key_store",
            Error::KeyMissing(_) => "key_missing",
            Error::KeyWrong(_) => "key_wrong",
            Error::KeyEnvInvalid => "key_env_invalid",
            Error::RestoreNeedsKey(_) => "restore_needs_key",
            Error::RecoveryKeyInvalid => "recovery_key_invalid",
            Error::Crypto(_) => "crypto",
            Error::DiskFull => "disk_full",
            Error::DiskIo => "disk_io",
            Error::ReadOnly => "read_only",
            Error::Busy => "db_busy",
            Error::Sqlite(_) => "db_error",
            Error::EventNotFound(_) => "event_not_found",
            Error::ExpertNotFound(_) => "expert_not_found",
            Error::PointNotFound(_) => "point_not_found",
            Error::CheckinNotFound(_) => "checkin_not_found",
            Error::AlreadyRevoked { .. } => "already_revoked",
            Error::ReasonRequired => "reason_required",
            Error::DemoExists => "demo_exists",
            Error::NotFirstRun => "not_first_run",
            Error::DeskName => "desk_name",
            Error::DemoData(_) => "demo_data",
            Error::NameRequired => "name_required",
            Error::NameTooLong(_) => "name_too_long",
            Error::PhoneInvalid(_) => "phone_invalid",
            Error::CapacityFull { .. } => "capacity_full",
            Error::NotSignedUp => "not_signed_up",
            Error::ImportTooLarge { .. } => "import_too_large",
            Error::ImportUnreadable(_) => "import_unreadable",
            Error::ImportZipBomb { .. } => "import_zip_bomb",
            Error::ImportTextBomb { .. } => "import_text_bomb",
            Error::ImportEmpty => "import_empty",
            Error::ImportNoHeader { .. } => "import_no_header",
            Error::ImportTooManyRows { .. } => "import_too_many_rows",
            Error::ImportNoRows => "import_no_rows",
            Error::NothingToUndo => "nothing_to_undo",
            Error::UndoBlockedByCheckIn { .. } => "undo_blocked",
            Error::UndoBlockedByPointInUse { .. } => "undo_blocked_point",
            Error::ImportNoUsableRows(_) => "import_no_usable_rows",
            Error::Io(_) => "io",
            Error::ServerUrlInvalid => "server_url_invalid",
            Error::ServerEventKey(_) => "server_event_key",
            Error::Export(_) => "export_failed",
            Error::PackageInvalid(_) => "package_invalid",
            Error::Backup(_) => "backup_failed",
            Error::AlreadySignedUp { .. } => "already_signed_up",
            Error::PhoneTaken { .. } => "phone_taken",
            Error::TextTooLong(_) => "text_too_long",
            Error::MergeSelf => "merge_self",
            Error::EventNameRequired => "event_name_required",
            Error::PointNameRequired => "point_name_required",
            Error::CapacityInvalid(_) => "capacity_invalid",
            Error::TimeInvalid(_) => "time_invalid",
            Error::DateInvalid(_) => "date_invalid",
            Error::CountInvalid(_) => "count_invalid",
            Error::DistrictUnknown(_) => "district_unknown",
            Error::ActivityNotFound(_) => "activity_not_found",
            Error::SuggestionTitleRequired => "suggestion_title_required",
            Error::SuggestionNotFound(_) => "suggestion_not_found",
            Error::StationNameRequired => "station_name_required",
            Error::StationExists { .. } => "station_exists",
            Error::StationNotFound(_) => "station_not_found",
            Error::AppointmentNotFound(_) => "appointment_not_found",
            Error::TermInvalid(_) => "term_invalid",
            Error::MergeArchived => "merge_archived",
            Error::ExpertArchived { .. } => "expert_archived",
            Error::AlreadyOpen(_) => "already_open",
            Error::PackageTooNew { .. } => "package_too_new",
            Error::PackageForged => "package_forged",
            Error::PackageNoKey => "package_no_key",
            Error::PackageUnsealed => "package_unsealed",
            Error::PassphraseRequired => "passphrase_required",
            Error::PassphraseWrong => "passphrase_wrong",
            Error::PackageRecord { .. } => "package_record_invalid",
            Error::PackageEventUnknown(_) => "package_event_unknown",
            Error::RestoreRefused { why, .. } => why.code(),
        }
    }
}

/// Every code [`Error::code`] can return — the one list the window's message table is checked
/// against (a test in the shell fails when the UI lacks a message for one).
pub const CODES: &[&str] = &[
    "restore_needs_key",
    "key_store",
    "key_missing",
    "key_wrong",
    "key_env_invalid",
    "recovery_key_invalid",
    "crypto",
    "count_invalid",
    "district_unknown",
    "activity_not_found",
    "suggestion_title_required",
    "suggestion_not_found",
    "station_name_required",
    "station_exists",
    "station_not_found",
    "appointment_not_found",
    "term_invalid",
    "restore_unreadable",
    "restore_empty",
    "restore_not_database",
    "restore_damaged",
    "restore_not_tongxin",
    "restore_unversioned",
    "restore_too_new",
    "restore_foreign_objects",
    "restore_incomplete",
    "restore_rejected",
    "db_open",
    "db_too_new",
    "disk_full",
    "disk_io",
    "read_only",
    "db_busy",
    "db_error",
    "event_not_found",
    "expert_not_found",
    "point_not_found",
    "checkin_not_found",
    "already_revoked",
    "reason_required",
    "demo_exists",
    "not_first_run",
    "desk_name",
    "demo_data",
    "name_required",
    "name_too_long",
    "phone_invalid",
    "capacity_full",
    "not_signed_up",
    "import_too_large",
    "import_unreadable",
    "import_zip_bomb",
    "import_text_bomb",
    "import_empty",
    "import_no_header",
    "import_too_many_rows",
    "import_no_rows",
    "nothing_to_undo",
    "undo_blocked",
    "undo_blocked_point",
    "import_no_usable_rows",
    "io",
    "server_url_invalid",
    "server_event_key",
    "export_failed",
    "package_invalid",
    "backup_failed",
    "already_signed_up",
    "phone_taken",
    "text_too_long",
    "merge_self",
    "event_name_required",
    "point_name_required",
    "capacity_invalid",
    "time_invalid",
    "date_invalid",
    "merge_archived",
    "expert_archived",
    "already_open",
    "package_too_new",
    "package_forged",
    "package_no_key",
    "package_unsealed",
    "passphrase_required",
    "passphrase_wrong",
    "package_record_invalid",
    "package_event_unknown",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_of_codes_is_every_code_the_errors_give() {
        let source = include_str!("error.rs");
        let body = &source[..source.find("pub const CODES").unwrap()];
        let mut given: Vec<&str> = body
            .split("=> \"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        given.sort_unstable();
        given.dedup();
        let mut listed = CODES.to_vec();
        listed.sort_unstable();
        assert_eq!(given, listed);
    }

    #[test]
    fn a_full_disk_is_told_apart_from_other_sqlite_errors() {
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        let e = Error::from(full);
        assert_eq!(e.code(), "disk_full");
        assert!(e.to_string().contains("磁盘已满"));
    }
}
