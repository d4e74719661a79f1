//! The server's side, run by the city office: creating or upgrading the schema (idempotent),
//! desk and dashboard logins, publishing a day, and the version check every desk makes first.

use crate::{connect, Link, Result, SyncError, Target, SCHEMA_VERSION};

/// The server's migrations, in order: migration N brings `tongxin.meta.schema_version` to N.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../server/0001_schema.sql"),
    include_str!("../server/0002_trust.sql"),
];

/// The server's id: the one `server init` made (`meta.server_id`, new for a rebuilt server or
/// after `server new-id`) and the cluster's own (`pg_control_system()`, new for a dump
/// restored elsewhere). Either changing makes every desk start over with it.
pub async fn id(link: &Link) -> Result<String> {
    let row = link
        .client
        .query_one(
            "SELECT coalesce((SELECT value FROM tongxin.meta WHERE key = 'server_id'), '')
                    || '/' || (SELECT system_identifier::text FROM pg_catalog.pg_control_system())",
            &[],
        )
        .await
        .map_err(|e| link.err(e))?;
    Ok(row.get(0))
}

/// Gives the server a new id (after restoring it from a backup): every desk then pulls from
/// the start and offers it everything again.
pub async fn new_id(t: &Target) -> Result<String> {
    let link = connect(t).await?;
    check(&link).await?;
    link.client
        .execute(
            "UPDATE tongxin.meta SET value = pg_catalog.gen_random_uuid()::text
             WHERE key = 'server_id'",
            &[],
        )
        .await
        .map_err(|e| link.err(e))?;
    id(&link).await
}

/// The schema version on the server, 0 when it has none.
async fn version(link: &Link) -> Result<i64> {
    let exists = link
        .client
        .query_one("SELECT to_regclass('tongxin.meta') IS NOT NULL", &[])
        .await
        .map_err(|e| link.err(e))?;
    if !exists.get::<_, bool>(0) {
        return Ok(0);
    }
    let row = link
        .client
        .query_opt(
            "SELECT value FROM tongxin.meta WHERE key = 'schema_version'",
            &[],
        )
        .await
        .map_err(|e| link.err(e))?;
    Ok(row
        .and_then(|r| r.get::<_, String>(0).parse().ok())
        .unwrap_or(0))
}

/// Refuses a server this program cannot speak with, before anything is exchanged.
pub async fn check(link: &Link) -> Result<()> {
    match version(link).await? {
        0 => Err(SyncError::NotInitialised),
        v if v == SCHEMA_VERSION => Ok(()),
        v => Err(SyncError::Schema {
            found: v,
            supported: SCHEMA_VERSION,
            hint: if v > SCHEMA_VERSION {
                "请把本机的同心签到升级到新版。"
            } else {
                "请城市办公室运行 tongxin-cli server init 升级服务器。"
            },
        }),
    }
}

/// Creates or upgrades the schema; returns the version before and after. Safe to run again;
/// two runs at once wait for each other (an advisory lock).
pub async fn init(t: &Target) -> Result<(i64, i64)> {
    let mut link = connect(t).await?;
    let host = link.host.clone();
    // A desk's session holding a table (or the advisory lock) makes the upgrade give up with a
    // message instead of waiting, while holding others, for as long as it likes.
    link.client
        .batch_execute("SET lock_timeout = '10s'")
        .await
        .map_err(|e| SyncError::from_pg(&host, e))?;
    let before = version(&link).await?;
    if before > SCHEMA_VERSION {
        return Err(SyncError::Schema {
            found: before,
            supported: SCHEMA_VERSION,
            hint: "这个服务器由更新版本的同心签到建立，请用新版的 tongxin-cli。",
        });
    }
    for sql in MIGRATIONS.iter().skip(before.max(0) as usize) {
        let tx = link
            .client
            .transaction()
            .await
            .map_err(|e| SyncError::from_pg(&host, e))?;
        let locked: bool = tx
            .query_one("SELECT pg_try_advisory_xact_lock(7226010)", &[])
            .await
            .map_err(|e| SyncError::from_pg(&host, e))?
            .get(0);
        if !locked {
            return Err(SyncError::Server(
                "另一个 server init 正在升级这个服务器，请稍后再运行".into(),
            ));
        }
        tx.batch_execute(sql)
            .await
            .map_err(|e| SyncError::from_pg(&host, e))?;
        tx.commit()
            .await
            .map_err(|e| SyncError::from_pg(&host, e))?;
    }
    Ok((before, version(&link).await?))
}

/// Which kind of login: a desk of some venues, or the city office's dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Desk,
    City,
}

/// Creates a login (or sets its password again) and, for a desk, the venues (events) it
/// serves. Names and passwords are quoted by the server (`format('%I', '%L')`).
pub async fn add_login(
    t: &Target,
    role: Role,
    name: &str,
    password: &str,
    events: &[String],
) -> Result<()> {
    let link = connect(t).await?;
    check(&link).await?;
    let group = match role {
        Role::Desk => "tongxin_desk",
        Role::City => "tongxin_city",
    };
    let exists: bool = link
        .client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)",
            &[&name],
        )
        .await
        .map_err(|e| link.err(e))?
        .get(0);
    let sql: String = link
        .client
        .query_one(
            if exists {
                "SELECT format('ALTER ROLE %I LOGIN PASSWORD %L CONNECTION LIMIT 8', $1::text, $2::text)
                 || format('; GRANT %I TO %I', $3::text, $1::text)"
            } else {
                "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L CONNECTION LIMIT 8 IN ROLE %I',
                               $1::text, $2::text, $3::text)"
            },
            &[&name, &password, &group],
        )
        .await
        .map_err(|e| link.err(e))?
        .get(0);
    link.client
        .batch_execute(&sql)
        .await
        .map_err(|e| link.err(e))?;
    for ev in events {
        link.client
            .execute(
                "INSERT INTO tongxin.access (role, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&name, ev],
            )
            .await
            .map_err(|e| link.err(e))?;
    }
    Ok(())
}
