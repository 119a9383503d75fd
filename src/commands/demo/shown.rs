//! How the commands' output is shown: cut into lines and tables (where a table starts and
//! ends is the output module's to say), long tables shortened, hints wrapped.

use super::Block;
use crate::output::TableMarks;

/// The marks of the tables the commands print.
const MARKS: TableMarks = TableMarks::of_rendered_tables();

/// Cuts a command's output into lines and tables.
pub(super) fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut table: Option<Vec<String>> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        match table.as_mut() {
            Some(lines) => {
                lines.push(line.to_string());
                if trimmed.starts_with(MARKS.bottom) {
                    out.extend(table.take().map(Block::Table));
                }
            }
            None if trimmed.starts_with(MARKS.top) => table = Some(vec![line.to_string()]),
            None => out.push(Block::Line(line.to_string())),
        }
    }
    out.extend(table.map(Block::Table));
    out
}

/// Keeps the header and the first `rows` rows of each table, and says how many are left out.
pub(super) fn shorten_tables(blocks: Vec<Block>, rows: usize) -> Vec<Block> {
    blocks
        .into_iter()
        .map(|block| match block {
            Block::Table(lines) => {
                let Some(header) = lines
                    .iter()
                    .position(|l| l.trim_start().starts_with(MARKS.header_rule))
                else {
                    return Block::Table(lines);
                };
                let body = lines.len().saturating_sub(header + 2);
                if body <= rows {
                    return Block::Table(lines);
                }
                let mut kept: Vec<String> = lines[..=header + rows].to_vec();
                kept.push(format!("… {} more row(s) in this table", body - rows));
                kept.extend(lines.last().cloned());
                Block::Table(kept)
            }
            line => line,
        })
        .collect()
}

/// The arguments as a person would type them (quoted when they hold a space or a quote).
pub(super) fn shell_words(args: &[&str]) -> String {
    args.iter()
        .map(|a| {
            if a.is_empty() || a.contains(|c: char| c.is_whitespace() || "'\"$\\".contains(c)) {
                format!("'{}'", a.replace('\'', r"'\''"))
            } else {
                (*a).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Word-wraps `text` to lines of at most `width` characters (a longer word gets its own line).
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_tables_are_shortened_with_a_count() {
        // A table as the commands render it, then a line after it.
        let mut records = crate::output::Records::new(vec![crate::output::Column::exact("n", "n")]);
        for n in 1..=4 {
            records.push(&serde_json::json!({ "n": n }));
        }
        let rendered = records.render(crate::output::Format::Table, None);
        let table: Vec<&str> = rendered.lines().collect();
        let shown = shorten_tables(blocks(&format!("{rendered}summary\n")), 2);
        let Block::Table(lines) = &shown[0] else {
            panic!("a table first: {rendered}")
        };
        // The top, the header and its rule, two rows, the count, the bottom.
        let mut expected: Vec<String> = table[..5].iter().map(|l| l.to_string()).collect();
        expected.push("… 2 more row(s) in this table".into());
        expected.push(table[table.len() - 1].to_string());
        assert_eq!(lines, &expected);
        assert!(matches!(&shown[1], Block::Line(l) if l == "summary"));
    }

    #[test]
    fn arguments_are_quoted_like_a_shell() {
        assert_eq!(
            shell_words(&["profile", "enable", "Contact Center", "--yes"]),
            "profile enable 'Contact Center' --yes"
        );
    }

    #[test]
    fn hints_wrap_on_words() {
        assert_eq!(wrap("aa bb cc dd", 5), vec!["aa bb", "cc dd"]);
        assert_eq!(wrap("", 5), Vec::<String>::new());
    }
}
