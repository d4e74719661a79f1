//! End-to-end tests: the real `tongxin` window, driven through tauri-driver and
//! WebKitWebDriver under Xvfb. Each test gets its own temporary database.
//!
//! Needs the binary built first (`cargo build -p tongxin`) and tauri-driver installed
//! (`.ci/setup --with-driver`). Run with `--test-threads=1`.

// Tests panic on purpose when something is not as expected.
#![allow(clippy::unwrap_used)]
mod bigscreen;
mod city;
mod desk;
mod export;
mod harness;
mod ime;
mod import;
mod manage;
mod morning;
#[path = "../server/pg.rs"]
#[allow(dead_code)]
mod pg;
mod rollcall;
mod safety;
mod serial;
mod shell;
mod stations;
mod stats;
mod sync;
mod welcome;
