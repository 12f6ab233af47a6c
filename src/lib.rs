//! CareerSwitch: a career-change planner for the UK.

pub mod auth;
pub mod catalogue;
pub mod config;
pub mod db;
pub mod domain;
pub mod email;
pub mod error;
pub mod metrics;
pub mod startup;
pub mod telemetry;
pub mod web;
