//! mcteams: bi-directional presence between Microsoft Teams and Mitel MiCollab.
//!
//! The binary is a thin shell over this library: `cli` parses, `commands` runs, and the
//! layers below (config, store, output) know nothing of the command line.

pub mod admin;
pub mod cli;
pub mod commands;
pub mod config;
pub mod connectors;
pub mod engine;
pub mod exit;
pub mod http;
pub mod ids;
pub mod import;
pub mod mapping;
pub mod metrics;
pub mod output;
pub mod pacing;
pub mod presence;
pub mod progress;
pub mod reconcile;
pub mod report;
pub mod signals;
pub mod sim;
pub mod store;
#[cfg(test)]
mod test_support;
pub mod wire;
