//! The one integration-test binary: every test talks to a real server on a loopback port
//! backed by a temporary SQLite file.

mod accounts;
mod attacks;
mod backends;
#[cfg(feature = "browser-tests")]
mod browser;
mod database;
mod guides;
mod helpers;
mod logs;
mod pages;
mod plans;
mod robustness;
mod security;
mod smtp;
