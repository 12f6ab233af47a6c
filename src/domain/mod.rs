//! Pure logic: no I/O, no framework types. Everything here is unit-tested in place.

pub mod account;
pub mod catalogue;
pub mod editing;
pub(crate) mod fuzz;
pub mod guide;
pub mod markdown;
pub mod money;
pub mod plan;
pub mod practice;
pub mod profile;
pub mod reminders;
pub mod revision;
pub mod sitemap;
pub mod slug;
pub mod text;
pub mod transition;
