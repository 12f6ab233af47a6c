//! The one integration-test binary: every test talks to a real server on a loopback port
//! backed by a temporary SQLite file.

mod accounts;
mod attacks;
#[cfg(feature = "browser-tests")]
mod browser;
mod guides;
mod helpers;
mod logs;
mod pages;
mod robustness;
mod security;
mod smtp;
