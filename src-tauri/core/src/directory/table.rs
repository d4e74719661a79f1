//! The experts table held compactly: with 100,000 experts it is read once and kept while its
//! screen is open, so each row is a few numbers — its rowid, its place in the two sort orders
//! (pinyin of the name, code), which of the values many rows share (organisation, party,
//! group) it has, and its sign-up's state: what the screen filters and sorts by. The texts a
//! row shows are read from the file only for the window being drawn (200 rows by rowid).

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

impl From<store::directory::RowRef<'_>> for TableRow {
    fn from(r: store::directory::RowRef<'_>) -> TableRow {
        TableRow {
            id: r.id.into(),
            code: r.code.into(),
            name: r.name.into(),
            gender: r.gender.into(),
            party: r.party.into(),
            organisation: r.organisation.into(),
            title: r.title.into(),
            field: r.field.into(),
            phone: r.phone.into(),
            point_id: r.point_id.map(Into::into),
            point: r.point.into(),
            theme: r.theme.into(),
            theme_id: r.theme_id.map(Into::into),
            status: r.status,
            checked_in: r.checked_in,
        }
    }
}

/// A row's shared values, as indices into [`Table::values`].
#[derive(Clone, Copy)]
pub(super) enum Shared {
    Party,
    Organisation,
    Theme,
    /// `NONE` when the row's point has no group (or there is no point).
    ThemeId,
}
const SHARED: usize = 4;
const NONE: u32 = u32::MAX;

/// The two orders the table sorts by without a shared value.
#[derive(Clone, Copy)]
pub(super) enum Rank {
    /// Pinyin of the name, then code.
    Name,
    Code,
}

#[derive(Clone, Copy)]
struct Slot {
    rowid: i64,
    /// The row's place in each [`Rank`] order.
    ranks: [u32; 2],
    values: [u32; SHARED],
    status: Option<SignUpStatus>,
    /// Signed up at a service point.
    at_point: bool,
}

/// Every expert on file with their place in one event, in rowid order.
pub struct Table {
    event_id: String,
    slots: Vec<Slot>,
    values: Vec<Box<str>>,
    /// Each value's place among all the values, alphabetically.
    value_ranks: Vec<u32>,
}

impl Table {
    /// Reads every expert on file (not archived) with their place in `event_id`.
    pub fn read(db: &Db, event_id: &str) -> Result<Table> {
        let mut t = Table {
            event_id: event_id.to_string(),
            slots: Vec::new(),
            values: Vec::new(),
            value_ranks: Vec::new(),
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
        // The sort keys are needed only until each row's place in each order is known.
        let mut keys: Vec<(Box<str>, Box<str>)> = Vec::new();
        store::directory::each(db.conn(), event_id, |r| {
            let sort_name = pinyin::full_and_initials(&pinyin::normalise(r.name)).0;
            keys.push((sort_name.into(), r.code.into()));
            let v = &mut t.values;
            let theme_id = r.theme_id.map_or(NONE, |x| value(v, x));
            let values = [
                value(v, r.party),
                value(v, r.organisation),
                value(v, r.theme),
                theme_id,
            ];
            t.slots.push(Slot {
                rowid: r.rowid,
                ranks: [0; 2],
                values,
                status: r.status,
                at_point: r.point_id.is_some(),
            });
        })?;
        let mut order: Vec<u32> = (0..keys.len() as u32).collect();
        order.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
        for (rank, &i) in order.iter().enumerate() {
            t.slots[i as usize].ranks[Rank::Name as usize] = rank as u32;
        }
        order.sort_by(|&a, &b| keys[a as usize].1.cmp(&keys[b as usize].1).then(a.cmp(&b)));
        for (rank, &i) in order.iter().enumerate() {
            t.slots[i as usize].ranks[Rank::Code as usize] = rank as u32;
        }
        let mut by_value: Vec<u32> = (0..t.values.len() as u32).collect();
        by_value.sort_by(|&a, &b| t.values[a as usize].cmp(&t.values[b as usize]));
        t.value_ranks = vec![0; by_value.len()];
        for (rank, &at) in by_value.iter().enumerate() {
            t.value_ranks[at as usize] = rank as u32;
        }
        t.slots.shrink_to_fit();
        Ok(t)
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The row of the expert with this rowid.
    pub(super) fn at_rowid(&self, rowid: i64) -> Option<usize> {
        self.slots.binary_search_by_key(&rowid, |s| s.rowid).ok()
    }

    pub(super) fn rank(&self, i: usize, which: Rank) -> u32 {
        self.slots[i].ranks[which as usize]
    }

    /// The value's index, equal for equal values (`NONE` for none).
    pub(super) fn value_at(&self, i: usize, which: Shared) -> u32 {
        self.slots[i].values[which as usize]
    }

    /// The place of row `i`'s value among all the values, alphabetically (before all for none).
    pub(super) fn value_rank(&self, i: usize, which: Shared) -> u32 {
        let at = self.value_at(i, which);
        self.value_ranks.get(at as usize).map_or(0, |r| r + 1)
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

    pub(super) fn at_point(&self, i: usize) -> bool {
        self.slots[i].at_point
    }

    /// Rows `rows` as the screen shows them, in that order, read from the file as they are
    /// now; a row whose expert is no longer on file is left out.
    pub fn rows(&self, db: &Db, rows: &[usize]) -> Result<Vec<TableRow>> {
        let rowids: Vec<i64> = rows
            .iter()
            .filter_map(|&i| self.slots.get(i).map(|s| s.rowid))
            .collect();
        let mut read: HashMap<i64, TableRow> = HashMap::with_capacity(rowids.len());
        store::directory::by_rowids(db.conn(), &self.event_id, &rowids, |r| {
            read.insert(r.rowid, r.into());
        })?;
        Ok(rowids.iter().filter_map(|id| read.remove(id)).collect())
    }

    /// The memory the table holds, in bytes (for the benchmark).
    pub fn held_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.values.iter().map(|v| v.len() + 16).sum::<usize>()
            + self.value_ranks.capacity() * 4
    }
}
