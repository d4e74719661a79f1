//! Behaviour a coordinator would recognise, over the core and the CLI, on real SQLite files.
//! One binary, one module per area.

// Tests panic on purpose when something is not as expected.
#![allow(clippy::unwrap_used)]
mod at_rest;
mod badges;
mod bombs;
mod capacity;
mod cli;
mod desk;
mod durability;
mod export;
mod fonts;
mod import;
mod manage;
mod merge;
mod names;
mod one_person;
mod packages;
mod ranking;
mod restore;
mod rules;
mod stations;
mod upgrade;
mod year;
