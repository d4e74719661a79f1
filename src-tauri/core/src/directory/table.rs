//! The experts table held compactly: with 100,000 experts it is read once and kept while its
//! screen is open, so each row is a few numbers — where its own texts (id, code, name, phone,
//! the name's pinyin) sit in one shared string, and which of the values many rows share (their
//! organisation, party, group …) it has. A row as the screen shows it is made only for the
//! window being drawn.

use std::collections::HashMap;

use serde::Serialize;

use crate::{pinyin, store, Db, Result, SignUpStatus};

/// A row of the experts table as the screen shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TableRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub gender: String,
    pub party: String,
    pub organisation: String,
    pub title: String,
    pub field: String,
    /// The phone as stored; serialised masked.
    #[serde(rename = "phone_masked", serialize_with = "crate::serialize_masked")]
    pub phone: String,
    pub point_id: Option<String>,
    /// The service point's short name.
    pub point: String,
    pub theme: String,
    pub theme_id: Option<String>,
    /// The sign-up for the event, if any.
    pub status: Option<SignUpStatus>,
    /// Checked in at the venue.
    pub checked_in: bool,
}

/// A row's own texts, in this order, end to end in [`Table::text`].
#[derive(Clone, Copy)]
pub(super) enum Own {
    Id,
    Code,
    Name,
    Phone,
    /// Pinyin of the name, for sorting.
    SortName,
}
const OWN: usize = 5;

/// A row's shared values, as indices into [`Table::values`].
#[derive(Clone, Copy)]
pub(super) enum Shared {
    Gender,
    Party,
    Organisation,
    Title,
    Field,
    Point,
    Theme,
    /// `NONE` when the row has no sign-up at a point.
    PointId,
    /// `NONE` when the row's point has no group.
    ThemeId,
}
const SHARED: usize = 9;
const NONE: u32 = u32::MAX;

#[derive(Clone, Copy)]
struct Slot {
    /// Where each own text ends in `text`; the first starts where the previous row's last ends.
    ends: [u32; OWN],
    start: u32,
    values: [u32; SHARED],
    status: Option<SignUpStatus>,
    checked_in: bool,
}

/// Every expert on file with their place in one event.
pub struct Table {
    slots: Vec<Slot>,
    text: String,
    values: Vec<Box<str>>,
}

impl Table {
    /// Reads every expert on file (not archived) with their place in `event_id`.
    pub fn read(db: &Db, event_id: &str) -> Result<Table> {
        let mut t = Table {
            slots: Vec::new(),
            text: String::new(),
            values: Vec::new(),
        };
        let mut known: HashMap<Box<str>, u32> = HashMap::new();
        let mut value = |values: &mut Vec<Box<str>>, v: &str| -> u32 {
            if let Some(at) = known.get(v) {
                return *at;
            }
            let at = values.len() as u32;
            values.push(v.into());
            known.insert(v.into(), at);
            at
        };
        store::directory::each(db.conn(), event_id, |r| {
            let start = t.text.len() as u32;
            let sort_name = pinyin::full_and_initials(&pinyin::normalise(r.name)).0;
            let mut ends = [0; OWN];
            for (end, own) in ends
                .iter_mut()
                .zip([r.id, r.code, r.name, r.phone, &sort_name])
            {
                t.text.push_str(own);
                *end = t.text.len() as u32;
            }
            let v = &mut t.values;
            let mut or_none = |x: Option<&str>| x.map_or(NONE, |x| value(v, x));
            let (point_id, theme_id) = (or_none(r.point_id), or_none(r.theme_id));
            let values = [
                value(v, r.gender),
                value(v, r.party),
                value(v, r.organisation),
                value(v, r.title),
                value(v, r.field),
                value(v, r.point),
                value(v, r.theme),
                point_id,
                theme_id,
            ];
            t.slots.push(Slot {
                ends,
                start,
                values,
                status: r.status,
                checked_in: r.checked_in,
            });
        })?;
        t.slots.shrink_to_fit();
        t.text.shrink_to_fit();
        Ok(t)
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub(super) fn own(&self, i: usize, which: Own) -> &str {
        let s = &self.slots[i];
        let k = which as usize;
        let from = if k == 0 { s.start } else { s.ends[k - 1] };
        &self.text[from as usize..s.ends[k] as usize]
    }

    /// The value's index, equal for equal values (`NONE` for none).
    pub(super) fn value_at(&self, i: usize, which: Shared) -> u32 {
        self.slots[i].values[which as usize]
    }

    pub(super) fn shared(&self, i: usize, which: Shared) -> Option<&str> {
        self.value(self.value_at(i, which))
    }

    pub(super) fn value(&self, at: u32) -> Option<&str> {
        self.values.get(at as usize).map(|v| &**v)
    }

    pub(super) fn status(&self, i: usize) -> Option<SignUpStatus> {
        self.slots[i].status
    }

    /// Row `i` as the screen shows it.
    pub fn row(&self, i: usize) -> TableRow {
        let own = |w| self.own(i, w).to_string();
        let shared = |w| self.shared(i, w).unwrap_or("").to_string();
        TableRow {
            id: own(Own::Id),
            code: own(Own::Code),
            name: own(Own::Name),
            gender: shared(Shared::Gender),
            party: shared(Shared::Party),
            organisation: shared(Shared::Organisation),
            title: shared(Shared::Title),
            field: shared(Shared::Field),
            phone: own(Own::Phone),
            point_id: self.shared(i, Shared::PointId).map(str::to_string),
            point: shared(Shared::Point),
            theme: shared(Shared::Theme),
            theme_id: self.shared(i, Shared::ThemeId).map(str::to_string),
            status: self.slots[i].status,
            checked_in: self.slots[i].checked_in,
        }
    }

    /// The memory the table holds, in bytes (for the benchmark).
    pub fn held_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.text.capacity()
            + self.values.iter().map(|v| v.len() + 16).sum::<usize>()
    }
}
