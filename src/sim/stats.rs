//! The emulator's request counts (`GET /_sim/stats`).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::server::System;

/// Request counts per system, endpoint (route template) and status code.
#[derive(Debug, Default)]
pub struct Stats {
    pub counts: HashMap<(System, &'static str, u16), u64>,
}

impl Stats {
    pub fn record(&mut self, system: System, endpoint: &'static str, status: u16) {
        *self.counts.entry((system, endpoint, status)).or_default() += 1;
    }

    pub fn to_json(&self) -> Value {
        let mut systems = serde_json::Map::new();
        let mut total = 0u64;
        let mut keys: Vec<_> = self.counts.iter().collect();
        keys.sort_by_key(|((s, e, c), _)| (s.as_str(), *e, *c));
        for ((system, endpoint, status), count) in keys {
            total += count;
            let per_system = systems
                .entry(system.as_str())
                .or_insert_with(|| json!({"total": 0, "endpoints": {}}));
            if let Some(t) = per_system.get_mut("total") {
                *t = json!(t.as_u64().unwrap_or(0) + count);
            }
            if let Some(endpoints) = per_system
                .get_mut("endpoints")
                .and_then(Value::as_object_mut)
            {
                let per_endpoint = endpoints
                    .entry(endpoint.to_string())
                    .or_insert_with(|| json!({}));
                if let Some(map) = per_endpoint.as_object_mut() {
                    map.insert(status.to_string(), json!(count));
                }
            }
        }
        json!({"total": total, "systems": systems})
    }
}
