//! The one place that decides how results and messages are shown.
//!
//! Results go to stdout as a table (people), JSON, JSON lines or CSV (scripts). Notes,
//! warnings and progress go to stderr, progress only on a terminal and never with `-q`.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};

use comfy_table::{ContentArrangement, Table, TableStyle, presets};
use serde::Serialize;
use serde_json::Value;

use crate::progress::Progress;

mod detail;
mod fit;
mod messages;
pub mod query;
mod sink;

pub use detail::Detail;
pub use fit::Shown;
pub use messages::json_error_line;

/// How `render` draws a table for people.
const TABLE_STYLE: TableStyle = presets::UTF8_FULL_CONDENSED;

/// The first character of the lines that open and close a rendered table and of the line
/// under its header, for code that shows a command's output in part (`demo`).
#[derive(Debug, Clone, Copy)]
pub struct TableMarks {
    pub top: char,
    pub header_rule: char,
    pub bottom: char,
}

impl TableMarks {
    pub const fn of_rendered_tables() -> TableMarks {
        const fn left(line: comfy_table::LineStyle) -> char {
            match line.left {
                Some(mark) => mark,
                None => '+',
            }
        }
        TableMarks {
            top: left(TABLE_STYLE.top_border),
            header_rule: left(TABLE_STYLE.header_separator),
            bottom: left(TABLE_STYLE.bottom_border),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Table,
    Json,
    Jsonl,
    Csv,
}

/// How a CSV cell is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Free text from people or other systems: neutralised against spreadsheet formulas.
    Text,
    /// A validated value (login, UPN, GUID, extension, code, number): written as is.
    Exact,
}

#[derive(Debug, Clone)]
pub struct Column {
    /// The field name in JSON and the CSV header.
    pub key: Cow<'static, str>,
    /// The table header.
    pub title: Cow<'static, str>,
    pub kind: CellKind,
    /// When a table shows it.
    pub shown: Shown,
}

impl Column {
    pub const fn text(key: &'static str, title: &'static str) -> Self {
        Column {
            key: Cow::Borrowed(key),
            title: Cow::Borrowed(title),
            kind: CellKind::Text,
            shown: Shown::Always,
        }
    }

    pub const fn exact(key: &'static str, title: &'static str) -> Self {
        Column {
            key: Cow::Borrowed(key),
            title: Cow::Borrowed(title),
            kind: CellKind::Exact,
            shown: Shown::Always,
        }
    }

    /// Left out of a table too narrow for it; of those, the highest `rank` goes first.
    pub const fn unless_narrow(mut self, rank: u8) -> Self {
        self.shown = Shown::UnlessNarrow(rank);
        self
    }

    /// Shown in tables only with `-o wide` (and always in JSON and CSV).
    pub const fn wide_only(mut self) -> Self {
        self.shown = Shown::Wide;
        self
    }
}

/// Rows of one kind, ready to render in any format. JSON keeps every field of the
/// serialized row (a stable, documented shape); table and CSV show the columns.
#[derive(Debug, Clone)]
pub struct Records {
    columns: Vec<Column>,
    rows: Vec<Value>,
}

impl Records {
    pub fn new(columns: Vec<Column>) -> Self {
        Records {
            columns,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: &impl Serialize) {
        self.rows
            .push(serde_json::to_value(row).unwrap_or_else(|e| Value::String(e.to_string())));
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Renders for `format`. `width` is the terminal width for tables (`None`: no limit).
    pub fn render(&self, format: Format, width: Option<u16>) -> String {
        match format {
            Format::Table => self.render_table(&self.fitting(width), width),
            Format::Json => {
                let mut text = serde_json::to_string_pretty(&self.rows).unwrap_or_default();
                text.push('\n');
                text
            }
            Format::Jsonl => self
                .rows
                .iter()
                .map(|r| format!("{r}\n"))
                .collect::<String>(),
            Format::Csv => self.render_csv(),
        }
    }

    /// Every column, in a table as wide as they need (`-o wide`).
    pub fn render_wide(&self) -> String {
        let all: Vec<&Column> = self.columns.iter().collect();
        self.render_table(&all, None)
    }

    fn render_table(&self, columns: &[&Column], width: Option<u16>) -> String {
        let mut table = Table::new();
        table.load_style(TABLE_STYLE);
        table.set_header(columns.iter().map(|c| c.title.as_ref()));
        match width {
            Some(w) => {
                table
                    .set_content_arrangement(ContentArrangement::Dynamic)
                    .set_width(w);
            }
            None => {
                table.set_content_arrangement(ContentArrangement::Disabled);
            }
        }
        for row in &self.rows {
            table.add_row(
                columns
                    .iter()
                    .map(|c| display_cell(row.get(c.key.as_ref()))),
            );
        }
        format!("{table}\n")
    }

    fn render_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let _ = writer.write_record(self.columns.iter().map(|c| c.key.as_ref()));
        for row in &self.rows {
            let cells = self.columns.iter().map(|c| {
                let text = csv_cell(row.get(c.key.as_ref()));
                match c.kind {
                    CellKind::Text => neutralise_formula(&text),
                    CellKind::Exact => text,
                }
            });
            let _ = writer.write_record(cells);
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

fn display_cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "-".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(true)) => "yes".to_string(),
        Some(Value::Bool(false)) => "no".to_string(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| display_cell(Some(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

fn csv_cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| csv_cell(Some(v)))
            .collect::<Vec<_>>()
            .join(";"),
        Some(other) => other.to_string(),
    }
}

/// Writes a file beside its target and renames it into place, so a reader never sees half
/// a file and a failed write leaves the old one.
pub fn write_atomically(
    path: &std::path::Path,
    fill: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a file in {}", dir.display()))?;
    fill(&mut temp)?;
    temp.flush()?;
    temp.persist(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice).
pub fn neutralise_formula(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// Settings of the printer, decided once from the flags and the environment.
#[derive(Debug, Clone)]
pub struct PrinterSettings {
    /// `--query`: a JMESPath the results are queried with before they are formatted.
    pub query: Option<String>,
    /// `--out`: the file results go to instead of stdout.
    pub out: Option<std::path::PathBuf>,
    pub format: Format,
    /// `-o wide`: tables with every column, as wide as they need.
    pub wide: bool,
    /// `--log-format json`: every line on stderr is a JSON object.
    pub log_json: bool,
    pub quiet: bool,
    pub verbose: u8,
    pub color: bool,
}

/// Decides what is shown where: results to stdout, notes and progress to stderr.
#[derive(Debug, Clone)]
pub struct Printer {
    settings: PrinterSettings,
    stderr_is_terminal: bool,
    stdout_is_terminal: bool,
    sink: sink::Sink,
}

impl Printer {
    pub fn new(settings: PrinterSettings) -> Self {
        Printer {
            sink: sink::Sink::to(settings.out.clone()),
            settings,
            stderr_is_terminal: std::io::stderr().is_terminal(),
            stdout_is_terminal: std::io::stdout().is_terminal(),
        }
    }

    pub fn format(&self) -> Format {
        self.settings.format
    }

    /// `--query`: results are queried before they are formatted.
    pub fn has_query(&self) -> bool {
        self.settings.query.is_some()
    }

    /// `-o wide`: every column of a table.
    pub fn is_wide(&self) -> bool {
        self.settings.wide
    }

    pub fn is_quiet(&self) -> bool {
        self.settings.quiet
    }

    pub fn verbose(&self) -> u8 {
        self.settings.verbose
    }

    pub fn color(&self) -> bool {
        self.settings.color
    }

    /// Whether a person can answer a prompt.
    pub fn can_prompt(&self) -> bool {
        std::io::stdin().is_terminal() && self.stderr_is_terminal
    }

    /// The width tables fit: the terminal's, else `COLUMNS` when set (a request to fit,
    /// as `ls` takes it), else none (a pipe gets whole lines).
    fn table_width(&self) -> Option<u16> {
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse().ok());
        // A file (`--out`) is not the terminal: whole lines, unless COLUMNS asks to fit.
        if self.stdout_is_terminal && self.out_path().is_none() {
            comfy_table::Table::new().width().or(columns).or(Some(100))
        } else {
            columns
        }
    }

    /// Writes results to stdout. A closed pipe (`| head`) is not an error. An empty table
    /// prints nothing (the command says why on stderr); JSON prints `[]`.
    pub fn results(&self, records: &Records) -> std::io::Result<()> {
        if self.for_people_hidden() {
            return Ok(());
        }
        if let Some(query) = &self.settings.query {
            let rows = Value::Array(records.rows.clone());
            return self.queried(query, &rows, &records.columns);
        }
        if records.is_empty() && self.settings.format == Format::Table {
            return Ok(());
        }
        if self.settings.wide && self.settings.format == Format::Table {
            return self.stdout(&records.render_wide());
        }
        let width = self.table_width();
        if self.settings.format == Format::Table && !self.settings.quiet {
            let left_out = records.left_out(width);
            if !left_out.is_empty() {
                self.note(format!(
                    "left out to fit {} columns: {} (-o wide shows every column)",
                    width.unwrap_or_default(),
                    left_out.join(", ")
                ));
            }
        }
        self.stdout(&records.render(self.settings.format, width))
    }

    /// A result queried with `--query`, then formatted.
    fn queried(&self, query: &str, value: &Value, columns: &[Column]) -> std::io::Result<()> {
        let result = query::apply(query, value).map_err(std::io::Error::other)?;
        let format = self.settings.format;
        self.stdout(&query::render(result, columns, format, self.table_width()))
    }

    pub fn detail(&self, detail: &Detail) -> std::io::Result<()> {
        if self.for_people_hidden() {
            return Ok(());
        }
        if let Some(query) = &self.settings.query {
            return self.queried(query, &detail.value, &[]);
        }
        self.stdout(&detail.render(self.settings.format, self.table_width()))
    }

    pub fn stdout(&self, text: &str) -> std::io::Result<()> {
        if self.to_sink(text)? {
            return Ok(());
        }
        let mut out = std::io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }

    /// `-q` shows nothing for people: a table on stdout is left out, and only what a
    /// script asked for (`-o json|jsonl|csv`) is printed.
    fn for_people_hidden(&self) -> bool {
        self.settings.quiet && self.settings.format == Format::Table && self.out_path().is_none()
    }

    /// A progress bar on a terminal (not with `-q` nor JSON logs); a silent one otherwise.
    pub fn progress(&self, total: u64, what: &str) -> Box<dyn Progress> {
        if self.settings.quiet || self.settings.log_json || !self.stderr_is_terminal {
            return Box::new(crate::progress::Silent);
        }
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg:>12} [{bar:30}] {pos}/{len} ({eta} left)",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_message(what.to_string());
        Box::new(BarProgress(bar))
    }
}

struct BarProgress(indicatif::ProgressBar);

impl Progress for BarProgress {
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }

    fn set_stage(&self, stage: &str) {
        self.0.set_message(stage.to_string());
    }

    fn restart(&self, total: u64, stage: &str) {
        self.0.set_length(total);
        self.0.set_position(0);
        self.0.reset_eta();
        self.0.set_message(stage.to_string());
    }

    fn add_to_stage(&self, more: u64, stage: &str) {
        if self.0.message() == stage {
            self.0.inc_length(more);
        } else {
            self.restart(more, stage);
        }
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        login: &'static str,
        message: Option<&'static str>,
        count: u32,
        enabled: bool,
    }

    fn sample() -> Records {
        let mut records = Records::new(vec![
            Column::exact("login", "Login"),
            Column::text("message", "Message"),
            Column::exact("count", "Count"),
            Column::exact("enabled", "Enabled"),
        ]);
        records.push(&Row {
            login: "alice",
            message: Some("=HYPERLINK(\"http://x\")"),
            count: 3,
            enabled: true,
        });
        records.push(&Row {
            login: "bob",
            message: None,
            count: 0,
            enabled: false,
        });
        records.push(&Row {
            login: "carol",
            message: Some("in a call, back soon"),
            count: 12,
            enabled: true,
        });
        records
    }

    #[test]
    fn table() {
        insta::assert_snapshot!(sample().render(Format::Table, None));
    }

    #[test]
    fn json() {
        insta::assert_snapshot!(sample().render(Format::Json, None));
    }

    #[test]
    fn jsonl() {
        insta::assert_snapshot!(sample().render(Format::Jsonl, None));
    }

    #[test]
    fn csv_neutralises_formulas_in_free_text_only() {
        insta::assert_snapshot!(sample().render(Format::Csv, None));
    }

    #[test]
    fn neutralise_cases() {
        let cases = [
            ("=1+1", "'=1+1"),
            ("+31 20 555", "'+31 20 555"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("plain", "plain"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(neutralise_formula(input), want, "{input:?}");
        }
    }

    #[test]
    fn detail_formats() {
        #[derive(Serialize)]
        struct D {
            key: &'static str,
            value: u32,
        }
        let d = Detail::new(&D { key: "a", value: 1 });
        insta::assert_snapshot!(d.render(Format::Table, None));
        assert_eq!(
            d.render(Format::Jsonl, None),
            "{\"key\":\"a\",\"value\":1}\n"
        );
        assert_eq!(d.render(Format::Csv, None), "key,value\na,1\n");
    }
}
