//! mcteams: bi-directional presence between Microsoft Teams and Mitel MiCollab.
//!
//! The binary is a thin shell over this library: `cli` parses, `commands` runs, and the
//! layers below (config, store, output) know nothing of the command line.

pub mod cli;
pub mod commands;
pub mod config;
pub mod exit;
pub mod mapping;
pub mod output;
pub mod progress;
pub mod sim;
pub mod store;
pub mod wire;
