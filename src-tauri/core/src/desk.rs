//! This laptop as a desk: its id and name, kept in `desk.json` beside (not inside) the
//! database, so that a database copied from another desk does not bring that desk's id along.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{export, Desk, Error, Result};

/// Longest desk name (it is printed beside every check-in: “2号台 09:05”).
pub const MAX_NAME_CHARS: usize = 20;

const FILE: &str = "desk.json";

#[derive(Serialize, Deserialize)]
struct DeskFile {
    id: String,
    name: String,
}

fn write(dir: &Path, desk: &Desk) -> Result<()> {
    let file = DeskFile {
        id: desk.id.clone(),
        name: desk.name.clone(),
    };
    let json = serde_json::to_string_pretty(&file).unwrap_or_default();
    // Whole or not at all: a torn desk.json would give this laptop a new desk id.
    export::save(&dir.join(FILE), json.as_bytes())
}

/// This laptop's desk, made (a new id, “1号台”) the first time; `name_override` (the tests'
/// `TONGXIN_DESK`) renames it for this run only.
pub fn load(dir: &Path, name_override: Option<&str>) -> Desk {
    let stored = std::fs::read_to_string(dir.join(FILE))
        .ok()
        .and_then(|s| serde_json::from_str::<DeskFile>(&s).ok());
    let mut desk = match stored {
        Some(d) => Desk {
            id: d.id,
            name: d.name,
        },
        None => {
            let d = Desk {
                id: uuid::Uuid::new_v4().to_string(),
                name: "1号台".to_string(),
            };
            // Failing to keep the id is not fatal: the desk still works with it this run.
            let _ = write(dir, &d);
            d
        }
    };
    if let Some(name) = name_override.map(str::trim).filter(|n| !n.is_empty()) {
        desk.name = name.to_string();
    }
    desk
}

/// The desk renamed, and kept so.
pub fn rename(dir: &Path, desk: &Desk, name: &str) -> Result<Desk> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(Error::DeskName);
    }
    let renamed = Desk {
        id: desk.id.clone(),
        name: name.to_string(),
    };
    write(dir, &renamed)?;
    Ok(renamed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_desk_keeps_its_id_across_starts_and_its_name_once_renamed() {
        let dir = tempfile::tempdir().unwrap();
        let first = load(dir.path(), None);
        assert_eq!(first.name, "1号台");
        let renamed = rename(dir.path(), &first, " 2号台 ").unwrap();
        let again = load(dir.path(), None);
        assert_eq!(
            (again.id.as_str(), again.name.as_str()),
            (first.id.as_str(), "2号台")
        );
        assert_eq!(renamed, again);
        assert_eq!(load(dir.path(), Some("测试台")).name, "测试台");
        assert!(matches!(
            rename(dir.path(), &again, " "),
            Err(Error::DeskName)
        ));
        assert!(matches!(
            rename(dir.path(), &again, &"台".repeat(21)),
            Err(Error::DeskName)
        ));
        assert_eq!(
            load(dir.path(), None).name,
            "2号台",
            "a refused name changes nothing"
        );
    }
}
