//! Fitting a table to the terminal, as kubectl does: the columns that matter least are
//! left out first, free text wraps, and `-o wide` shows them all.

use unicode_width::UnicodeWidthStr;

use super::{CellKind, Column, Records, display_cell};

/// When a table shows a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// In every table.
    Always,
    /// Unless the table is too narrow for it; the highest rank is left out first.
    UnlessNarrow(u8),
    /// Only with `-o wide`.
    Wide,
}

/// Free text narrower than this is not wrapped further: a column is left out instead.
const WRAP_AT_LEAST: usize = 24;

/// What a table's borders and padding take: `│ ` before each cell, ` ` after, a last `│`.
fn chrome(columns: usize) -> usize {
    3 * columns + 1
}

impl Records {
    /// The columns a table of `width` shows (`None`: every column not for `-o wide`).
    pub(super) fn fitting(&self, width: Option<u16>) -> Vec<&Column> {
        let mut shown: Vec<&Column> = self
            .columns
            .iter()
            .filter(|c| c.shown != Shown::Wide)
            .collect();
        let Some(width) = width.map(usize::from) else {
            return shown;
        };
        while self.needs(&shown) > width {
            let narrowest_first = shown
                .iter()
                .enumerate()
                .filter_map(|(i, c)| match c.shown {
                    Shown::UnlessNarrow(rank) => Some((rank, i)),
                    _ => None,
                })
                .max();
            match narrowest_first {
                Some((_, index)) => drop(shown.remove(index)),
                None => break,
            }
        }
        shown
    }

    /// The titles of the columns a table of `width` leaves out (not those for `-o wide`).
    pub fn left_out(&self, width: Option<u16>) -> Vec<String> {
        let shown = self.fitting(width);
        self.columns
            .iter()
            .filter(|c| c.shown != Shown::Wide && !shown.iter().any(|s| s.key == c.key))
            .map(|c| c.title.to_string())
            .collect()
    }

    /// The width `columns` need: each as wide as its widest line, free text wrapped down
    /// to [`WRAP_AT_LEAST`].
    fn needs(&self, columns: &[&Column]) -> usize {
        let content: usize = columns
            .iter()
            .map(|c| {
                let widest = self
                    .rows
                    .iter()
                    .map(|row| widest_line(&display_cell(row.get(c.key.as_ref()))))
                    .chain([widest_line(&c.title)])
                    .max()
                    .unwrap_or(0);
                match c.kind {
                    CellKind::Text => widest.min(WRAP_AT_LEAST),
                    CellKind::Exact => widest,
                }
            })
            .sum();
        content + chrome(columns.len())
    }
}

fn widest_line(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::*;

    fn records() -> Records {
        let mut records = Records::new(vec![
            Column::exact("user", "User"),
            Column::exact("when", "When").unless_narrow(2),
            Column::exact("flag", "Flag").unless_narrow(1),
            Column::text("hint", "Hint"),
            Column::exact("error", "Error").wide_only(),
        ]);
        records.push(&serde_json::json!({
            "user": "alice@contoso.com",
            "when": "2026-12-07T06:00:00Z",
            "flag": "off",
            "hint": "turn on the Microsoft Teams status checkbox for this user, or for their profile",
            "error": "MiCollab answered 503",
        }));
        records
    }

    #[test]
    fn the_columns_that_matter_least_are_left_out_first() {
        let records = records();
        // (width, the columns shown)
        let cases: [(Option<u16>, &[&str]); 5] = [
            (None, &["user", "when", "flag", "hint"]),
            (Some(200), &["user", "when", "flag", "hint"]),
            (Some(80), &["user", "when", "flag", "hint"]),
            (Some(70), &["user", "flag", "hint"]),
            (Some(40), &["user", "hint"]),
        ];
        for (width, expected) in cases {
            let shown: Vec<&str> = records
                .fitting(width)
                .iter()
                .map(|c| c.key.as_ref())
                .collect();
            assert_eq!(shown, expected, "at {width:?}");
        }
        assert_eq!(records.left_out(Some(70)), ["When"]);
        assert!(records.left_out(None).is_empty());
    }

    #[test]
    fn a_fitted_table_is_no_wider_than_asked_and_wide_shows_every_column() {
        let records = records();
        for width in [60u16, 80, 100] {
            let text = records.render(Format::Table, Some(width));
            let widest = text.lines().map(UnicodeWidthStr::width).max().unwrap();
            assert!(widest <= usize::from(width), "{widest} > {width}:\n{text}");
            assert!(!text.contains("Error"), "{text}");
        }
        let wide = records.render_wide();
        assert!(
            wide.contains("Error") && wide.contains("MiCollab answered 503"),
            "{wide}"
        );
        assert_eq!(
            wide.lines().count(),
            5,
            "one line per row, unwrapped:\n{wide}"
        );
    }
}
