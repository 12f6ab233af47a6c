//! The one integration-test binary: every test talks to a real server on a loopback port
//! backed by a temporary SQLite file, or a fresh PostgreSQL database when
//! `TEST_DATABASE_URL` names one.

mod accounts;
mod admin;
mod attacks;
mod backends;
#[cfg(feature = "browser-tests")]
mod browser;
mod database;
mod faults;
mod guide_truth;
mod guides;
mod helpers;
mod logs;
mod operations;
mod outbox;
mod pages;
mod plans;
mod practice;
mod reminders;
mod robustness;
mod scale;
mod security;
mod skills;
mod smtp;
