//! 市级同步 in 设置 (the server's address and password, which is never sent back to the page)
//! and 城市总览 (the city's picture as last read from the server).

use serde::Serialize;
use tauri::{AppHandle, State};
use tongxin_core::central;

use crate::city::{self, CitySync, Picture, Status};
use crate::error::CmdResult;
use crate::state::AppState;

#[derive(Serialize)]
pub struct CitySettings {
    /// The URL as entered, without any password it may have carried.
    url: String,
    /// A password is saved (it is not shown again).
    has_password: bool,
    /// A server off this machine may be reached without TLS (the red switch).
    plaintext: bool,
    /// The id of the server this desk last synced with ("" before the first round).
    server_id: String,
    status: Status,
}

/// A URL as shown: `postgres://login:secret@host` → `postgres://login@host`.
fn without_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let cred = &url[s + 3..at];
            let login = cred.split(':').next().unwrap_or("");
            format!("{}{}{}", &url[..s + 3], login, &url[at..])
        }
        _ => url.to_string(),
    }
}

#[tauri::command(async)]
pub fn city_settings(
    state: State<'_, AppState>,
    sync: State<'_, CitySync>,
) -> CmdResult<CitySettings> {
    let db = state.db()?;
    let s = central::server(&db)?;
    Ok(CitySettings {
        url: s
            .as_ref()
            .map(|s| without_password(&s.url))
            .unwrap_or_default(),
        has_password: s.is_some_and(|s| !s.password.is_empty()),
        plaintext: central::plaintext(&db)?,
        server_id: central::server_id(&db)?,
        status: sync.status(),
    })
}

/// Saves the server (empty: sync off). `password: None` keeps the one saved before;
/// `plaintext: None` keeps the switch as it was.
#[tauri::command(async)]
pub fn city_set(
    app: AppHandle,
    state: State<'_, AppState>,
    sync: State<'_, CitySync>,
    url: String,
    password: Option<String>,
    plaintext: Option<bool>,
) -> CmdResult<CitySettings> {
    {
        let db = state.db()?;
        if let Some(p) = plaintext {
            central::set_plaintext(&db, p)?;
        }
        // A password typed into the URL is kept apart like one typed in its own field.
        let (url, inline) = split_password(&url);
        let password = password.filter(|p| !p.is_empty()).or(inline);
        central::set_server(&db, &url, password.as_deref())?;
    }
    city::kick(&app);
    city_settings(state, sync)
}

fn split_password(url: &str) -> (String, Option<String>) {
    let url = url.trim();
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].split_once(':') {
            Some((_, pw)) => (without_password(url), Some(pw.to_string())),
            None => (url.to_string(), None),
        },
        _ => (url.to_string(), None),
    }
}

#[tauri::command(async)]
pub fn city_sync_now(app: AppHandle, sync: State<'_, CitySync>) -> Status {
    city::kick(&app);
    sync.status()
}

#[tauri::command(async)]
pub fn city_picture(sync: State<'_, CitySync>) -> CityView {
    CityView {
        picture: sync.picture(),
        status: sync.status(),
    }
}

#[derive(Serialize)]
pub struct CityView {
    picture: Picture,
    status: Status,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_url_is_taken_out_of_what_is_shown_and_saved() {
        assert_eq!(
            split_password("postgres://js1:s3cret@10.0.0.5:5432/tongxin"),
            (
                "postgres://js1@10.0.0.5:5432/tongxin".to_string(),
                Some("s3cret".to_string())
            )
        );
        assert_eq!(
            split_password(" postgres://js1@10.0.0.5/tongxin "),
            ("postgres://js1@10.0.0.5/tongxin".to_string(), None)
        );
        assert_eq!(
            without_password("postgres://js1:x@h/db"),
            "postgres://js1@h/db"
        );
    }
}
