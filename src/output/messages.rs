//! What goes to stderr besides logs, under one contract (README, "Messages and logs"):
//! `-q` errors only (and the warnings that mean a run did not do its job); by default also
//! notes and warnings; `--log-format json` makes each line a JSON object, as the logs are.

use serde_json::json;

use super::Printer;

/// A message's level, as the logs name theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Info,
    Warn,
    Error,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
        }
    }

    fn label(self) -> (&'static str, anstyle::AnsiColor) {
        match self {
            Level::Info => ("", anstyle::AnsiColor::White),
            Level::Warn => ("warning:", anstyle::AnsiColor::Yellow),
            Level::Error => ("error:", anstyle::AnsiColor::Red),
        }
    }
}

impl Printer {
    /// A note for people, hidden by `-q`. In JSON modes notes still go to stderr, so
    /// stdout stays parseable.
    pub fn note(&self, text: impl AsRef<str>) {
        if !self.settings.quiet {
            self.message(Level::Info, text.as_ref(), &[]);
        }
    }

    /// A warning, hidden by `-q`.
    pub fn warn(&self, text: impl AsRef<str>) {
        if !self.settings.quiet {
            self.message(Level::Warn, text.as_ref(), &[]);
        }
    }

    /// A warning `-q` does not hide: the run did not do its job although it did not fail
    /// (a store with no mappings checks nobody; a stop by a signal left it unfinished).
    pub fn alert(&self, text: impl AsRef<str>) {
        self.message(Level::Warn, text.as_ref(), &[]);
    }

    pub fn error(&self, text: impl AsRef<str>) {
        self.message(Level::Error, text.as_ref(), &[]);
    }

    /// An error with its causes: a `caused by` line each, or a `causes` array in JSON.
    pub fn error_with_causes(&self, text: &str, causes: &[String]) {
        self.message(Level::Error, text, causes);
    }

    /// A question asked on the terminal (the answer is read by the caller).
    pub fn prompt(&self, question: &str) {
        if self.settings.log_json {
            json_line(Level::Info, question, &[]);
        } else {
            eprint!("{question} [y/N] ");
        }
    }

    fn message(&self, level: Level, text: &str, causes: &[String]) {
        if self.settings.log_json {
            return json_line(level, text, causes);
        }
        let (label, color) = level.label();
        let style = color.on_default();
        match (label.is_empty(), self.settings.color) {
            (true, _) => eprintln!("{text}"),
            (false, true) => anstream::eprintln!("{style}{label}{style:#} {text}"),
            (false, false) => eprintln!("{label} {text}"),
        }
        for cause in causes {
            eprintln!("  caused by: {cause}");
        }
    }
}

/// An error before the printer exists (the command line did not parse), as a JSON line.
pub fn json_error_line(text: &str) {
    json_line(Level::Error, text, &[]);
}

/// One line as the JSON logs write theirs (`timestamp`, `level`, `message`).
fn json_line(level: Level, text: &str, causes: &[String]) {
    let timestamp = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let mut line = json!({"timestamp": timestamp, "level": level.name(), "message": text});
    if !causes.is_empty() {
        line["causes"] = json!(causes);
    }
    eprintln!("{line}");
}
