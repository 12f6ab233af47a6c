//! Passwords, sessions, CSRF tokens and rate limits.

pub mod accounts;
pub mod csrf;
pub mod password;
pub mod rate_limit;
pub mod session_key;
pub mod session_store;
pub mod tokens;
