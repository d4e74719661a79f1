pub mod app;
pub mod desk;
pub mod experts;
pub mod import;
pub mod rollcall;
