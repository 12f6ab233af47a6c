//! Pure logic: no I/O, no framework types. Everything here is unit-tested in place.

pub mod account;
pub mod catalogue;
pub mod guide;
pub mod money;
pub mod plan;
pub mod practice;
pub mod reminders;
pub mod sitemap;
pub mod slug;
pub mod text;
pub mod transition;
