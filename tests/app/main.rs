//! The one integration-test binary: every test talks to a real server on a loopback port
//! backed by a temporary SQLite file.

mod accounts;
#[cfg(feature = "browser-tests")]
mod browser;
mod guide_truth;
mod guides;
mod helpers;
mod pages;
mod robustness;
mod security;
mod smtp;
