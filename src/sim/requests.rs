//! The emulator's request log: who (the caller's `User-Agent`, which names its mcteams
//! instance) sent what to which system, when (the host's clock, in ms), and the answer. Tests
//! read it through `GET /_sim/requests` to see which instance wrote what, and when.

use std::collections::VecDeque;

use serde_json::{Value, json};

use super::server::System;

/// The entries kept; older ones are dropped (a test reads the log as it goes). Bounded so a
/// long benchmark of the emulator does not measure the log: about 150 bytes an entry.
const KEPT: usize = 50_000;

#[derive(Debug, Clone)]
struct Entry {
    seq: u64,
    at_ms: i64,
    caller: String,
    system: System,
    method: String,
    path: String,
    status: u16,
}

#[derive(Debug, Default)]
pub struct RequestLog {
    entries: VecDeque<Entry>,
    next: u64,
}

impl RequestLog {
    pub fn record(&mut self, caller: &str, system: System, method: &str, path: &str, status: u16) {
        if self.entries.len() == KEPT {
            self.entries.pop_front();
        }
        self.next += 1;
        let at_ms = chrono::Utc::now().timestamp_millis();
        self.entries.push_back(Entry {
            seq: self.next,
            at_ms,
            caller: caller.to_string(),
            system,
            method: method.to_string(),
            path: path.to_string(),
            status,
        });
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The entries after `since` (a `seq`), writes only when `writes_only`.
    pub fn to_json(&self, since: u64, writes_only: bool) -> Value {
        let entries: Vec<Value> = self
            .entries
            .iter()
            .filter(|e| e.seq > since)
            .filter(|e| !writes_only || e.method != "GET")
            .map(|e| {
                json!({
                    "seq": e.seq, "at_ms": e.at_ms, "caller": e.caller,
                    "system": e.system.as_str(), "method": e.method, "path": e.path,
                    "status": e.status,
                })
            })
            .collect();
        json!({"last": self.next, "requests": entries})
    }
}
