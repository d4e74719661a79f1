pub mod app;
pub mod desk;
pub mod experts;
pub mod export;
pub mod import;
pub mod manage;
pub mod rollcall;
pub mod sync;
