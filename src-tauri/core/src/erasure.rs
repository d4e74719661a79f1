//! Erasure on request (PIPL art. 47): 专家 → 删除个人信息. The person's name becomes a
//! placeholder and their phone, organisation, title, party, field and notes are cleared — on
//! their record and on every record merged into it — so the day's and the year's counts stand;
//! the audit log, an import's undo record and rows set aside from the city server stop saying
//! them; the audit log records the erasure without the values erased. A package or a sync that
//! still carries the details never writes them back (`erased`); the erasure itself goes to the
//! city server as an edit, so the other desks' copies are erased too.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{clock, search, store, Db, Desk, Error, Result};

/// What stands where the name was.
pub fn placeholder(code: &str) -> String {
    format!("已删除个人信息（{code}）")
}

#[derive(Debug, Clone, Serialize)]
pub struct Erased {
    pub code: String,
    /// The person's records erased (theirs and those merged into it).
    pub records: usize,
}

pub fn erase(db: &mut Db, expert_id: &str, desk: &Desk, now: DateTime<Utc>) -> Result<Erased> {
    let at = clock::to_db(now);
    // What was deleted is overwritten in the file too, not only unlinked.
    store::erased::overwrite_freed(db.conn())?;
    let tx = db.conn_mut().transaction()?;
    if store::expert::get(&tx, expert_id)?.is_none() {
        return Err(Error::ExpertNotFound(expert_id.to_string()));
    }
    let survivor = store::expert::resolve(&tx, expert_id)?;
    let mut ids = vec![survivor.clone()];
    ids.extend(store::erased::merged_into(&tx, &survivor)?);
    let code = store::expert::get(&tx, &survivor)?
        .map(|e| e.code)
        .unwrap_or_default();
    let name = placeholder(&code);
    for id in &ids {
        let Some(old) = store::expert::get(&tx, id)? else {
            continue;
        };
        let mut e = old.clone();
        e.name = placeholder(&old.code);
        for field in [
            &mut e.phone,
            &mut e.organisation,
            &mut e.title,
            &mut e.party,
            &mut e.field,
            &mut e.notes,
        ] {
            field.clear();
        }
        store::expert::update(&tx, &e, &search::stored_keys(&e.name), &at)?;
        store::erased::insert(&tx, id, &at)?;
        // What other tables say of them: the audit lines about them, and their record where
        // it is written out whole (an import's undo, a pulled row set aside).
        for (text, with) in [(&old.name, e.name.as_str()), (&old.phone, "")] {
            if !text.is_empty() {
                store::erased::scrub_audit(&tx, id, text, with)?;
            }
        }
        for (key, value, with) in [
            ("name", &old.name, e.name.as_str()),
            ("phone", &old.phone, ""),
            ("organisation", &old.organisation, ""),
            ("title", &old.title, ""),
            ("party", &old.party, ""),
            ("field", &old.field, ""),
            ("notes", &old.notes, ""),
        ] {
            if !value.is_empty() {
                let json = |v: &str| serde_json::to_string(v).unwrap_or_default();
                store::erased::scrub_records(
                    &tx,
                    &format!("\"{key}\":{}", json(value)),
                    &format!("\"{key}\":{}", json(with)),
                )?;
            }
        }
    }
    store::audit::append(
        &tx,
        &at,
        desk,
        "expert_erase",
        "expert",
        &survivor,
        &format!("{name}：已删除个人信息（姓名、手机、单位、职务、党派、领域、备注）"),
    )?;
    tx.commit()?;
    Ok(Erased {
        code,
        records: ids.len(),
    })
}

/// Whether the person's information was erased here (a package's or a pull's copy of them is
/// then not taken).
pub fn is_erased(db: &Db, expert_id: &str) -> Result<bool> {
    store::erased::contains(db.conn(), expert_id)
}
