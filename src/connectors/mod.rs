//! Connectors
