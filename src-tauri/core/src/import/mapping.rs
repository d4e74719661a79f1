//! Which fields a column can be mapped to, and the mappings the user corrected, remembered for
//! the next file with the same headers.

use super::{Field, Kind, Mapping};
use crate::{store, Db, Result};

/// The fields a column of this kind of sheet can be mapped to, for the mapping editor.
pub fn fields_for(kind: Kind) -> &'static [Field] {
    match kind {
        Kind::Points => POINT_FIELDS,
        Kind::Activities => super::activities::FIELDS,
        _ => FIELDS,
    }
}

pub const POINT_FIELDS: &[Field] = &[
    Field::PointName,
    Field::Theme,
    Field::ShortName,
    Field::Address,
    Field::Contact,
    Field::Phone,
    Field::Capacity,
    Field::DepartTime,
    Field::Bus,
];

/// The fields a column of an expert or sign-up sheet can be mapped to.
pub const FIELDS: &[Field] = &[
    Field::Name,
    Field::Gender,
    Field::Party,
    Field::Organisation,
    Field::Title,
    Field::Phone,
    Field::Field,
    Field::Group,
    Field::Notes,
    Field::Code,
    Field::IdNumber,
];

fn mapping_key(signature: &str) -> String {
    format!("import_mapping:{signature}")
}

/// A mapping the user corrected for sheets with these headers, if any.
pub fn remembered_mapping(db: &Db, detected: &Mapping) -> Result<Option<Mapping>> {
    let Some(json) = store::setting::get(db.conn(), &mapping_key(&detected.signature()))? else {
        return Ok(None);
    };
    let fields: Vec<Option<Field>> = match serde_json::from_str(&json) {
        Ok(f) => f,
        Err(_) => return Ok(None),
    };
    if fields.len() != detected.columns.len() {
        return Ok(None);
    }
    let mut m = detected.clone();
    for (c, f) in m.columns.iter_mut().zip(fields) {
        c.field = f;
    }
    Ok(Some(m))
}

/// Remembers the mapping for the next file with the same headers.
pub fn remember_mapping(db: &Db, mapping: &Mapping) -> Result<()> {
    let fields: Vec<Option<Field>> = mapping.columns.iter().map(|c| c.field).collect();
    let json = serde_json::to_string(&fields).unwrap_or_default();
    store::setting::set(db.conn(), &mapping_key(&mapping.signature()), &json)
}
