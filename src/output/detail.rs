//! One object as key/value lines for people, or as itself for scripts.

use std::borrow::Cow;

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use serde_json::Value;

use super::{CellKind, Column, Format, Records, Shown, display_cell};

/// One object shown as key/value lines in a table, or as itself in JSON.
#[derive(Debug, Clone)]
pub struct Detail {
    pub(super) value: Value,
}

impl Detail {
    pub fn new(value: &impl Serialize) -> Self {
        Detail {
            value: serde_json::to_value(value).unwrap_or(Value::Null),
        }
    }

    pub fn render(&self, format: Format, width: Option<u16>) -> String {
        match format {
            Format::Json => {
                let mut text = serde_json::to_string_pretty(&self.value).unwrap_or_default();
                text.push('\n');
                text
            }
            Format::Jsonl => format!("{}\n", self.value),
            Format::Csv => {
                let columns = match &self.value {
                    Value::Object(map) => map
                        .keys()
                        .map(|k| Column {
                            key: Cow::Owned(k.clone()),
                            title: Cow::Owned(k.clone()),
                            kind: CellKind::Text,
                            shown: Shown::Always,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let mut records = Records::new(columns);
                records.rows.push(self.value.clone());
                records.render_csv()
            }
            Format::Table => {
                let mut table = Table::new();
                table.load_style(presets::NOTHING);
                if let Some(w) = width {
                    table
                        .set_content_arrangement(ContentArrangement::Dynamic)
                        .set_width(w);
                }
                if let Value::Object(map) = &self.value {
                    for (key, value) in map {
                        table.add_row(vec![format!("{key}:"), display_cell(Some(value))]);
                    }
                }
                // Flush left like the rest of the output: no padding before the keys.
                if let Some(keys) = table.column_mut(0) {
                    keys.set_padding((0, 1));
                }
                let text: String = table
                    .to_string()
                    .lines()
                    .map(|l| format!("{}\n", l.trim_end()))
                    .collect();
                text
            }
        }
    }
}
