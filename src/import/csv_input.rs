//! Reading a mapping CSV as admins really have them: BOM or not, CRLF or LF, `,` or `;`,
//! quoted fields with commas and newlines, headers in any order and case, blank lines,
//! surrounding spaces. Problems name the line, byte and column.

use std::collections::BTreeMap;

use crate::mapping::MAPPING_COLUMNS;

/// Columns a results file adds; a results file is re-imported as it is, so these are
/// recognised and ignored without a warning.
pub const RESULT_COLUMNS: [&str; 5] = ["row", "action", "status", "error_code", "message"];

/// Columns `mappings discover` adds to its proposals, also imported as they are.
pub const PROPOSAL_COLUMNS: [&str; 2] = ["confidence", "notes"];

const REQUIRED: [&str; 3] = ["micollab_login", "teams_upn", "extension"];

/// The longest value any mapping field may have; longer ones fail their row.
pub const MAX_FIELD_CHARS: usize = 320;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}: {message}")]
pub struct InputError {
    pub source_name: String,
    pub message: String,
}

/// How to read the file.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// `their_name -> our_name`, from `--columns`.
    pub renames: BTreeMap<String, String>,
    /// `None`: detected from the header line.
    pub delimiter: Option<u8>,
    /// `None`: every mapping column `import` needs; else at least one of these (a list of
    /// users, for `user enable --from-csv`).
    pub any_of: Option<&'static [&'static str]>,
}

/// One data row: where it was, its fields as given (for the results file), and the values of
/// our columns (trimmed; empty optional values are `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputRow {
    /// 1-based number of the data row (the header is row 0).
    pub row: usize,
    /// The line the row starts on in the file.
    pub line: u64,
    pub fields: Vec<String>,
    pub values: BTreeMap<&'static str, String>,
    /// A problem found while reading (ragged row, field too long): the row fails.
    pub read_error: Option<(&'static str, String)>,
}

impl InputRow {
    pub fn value(&self, column: &str) -> Option<&str> {
        self.values
            .get(column)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFile {
    /// The header as given, for the results file.
    pub headers: Vec<String>,
    pub delimiter: u8,
    pub rows: Vec<InputRow>,
    pub warnings: Vec<String>,
}

/// Parses `--columns their_name=our_name,…`.
pub fn parse_renames(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut renames = BTreeMap::new();
    for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
        let (theirs, ours) = pair
            .split_once('=')
            .ok_or_else(|| format!("--columns: {pair:?} is not their_name=our_name"))?;
        let ours = ours.trim().to_ascii_lowercase();
        if !MAPPING_COLUMNS.contains(&ours.as_str()) {
            return Err(format!(
                "--columns: {ours:?} is not a mapping column (expected one of {})",
                MAPPING_COLUMNS.join(", ")
            ));
        }
        renames.insert(normalise_header(theirs), ours);
    }
    Ok(renames)
}

fn normalise_header(text: &str) -> String {
    text.trim_start_matches('\u{feff}')
        .trim()
        .trim_matches('"')
        .trim()
        .to_ascii_lowercase()
}

/// Picks `;` when the header line has more semicolons than commas (Excel in many locales).
fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

/// A short, printable rendering of untrusted text for messages.
pub fn shown(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .take(40)
        .collect();
    if text.chars().count() > 40 {
        format!("{clean:?}…")
    } else {
        format!("{clean:?}")
    }
}

/// Reads the whole file. File-level problems (not UTF-8, no header, a required column
/// missing) are errors; row-level problems stay on their row.
pub fn read(source_name: &str, bytes: &[u8], options: &ReadOptions) -> Result<CsvFile, InputError> {
    let fail = |message: String| InputError {
        source_name: source_name.to_string(),
        message,
    };
    let text = text_of(bytes).map_err(fail)?;
    let delimiter = options.delimiter.unwrap_or_else(|| detect_delimiter(text));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| fail(format!("cannot read the header line: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let (columns, warnings) = columns_of(&headers, options).map_err(fail)?;
    let tabbed = delimiter == b',' && text.lines().next().is_some_and(|l| l.contains('\t'));
    needed_columns(options, &columns, &headers, tabbed).map_err(fail)?;
    let rows = rows_of(&mut reader, text, headers.len(), &columns).map_err(fail)?;
    unclosed_quote(&rows, text).map_err(fail)?;
    Ok(CsvFile {
        headers,
        delimiter,
        rows,
        warnings,
    })
}

/// Refuses a header without the columns the reader needs: every mapping column `import`
/// needs, or one of `options.any_of`.
fn needed_columns(
    options: &ReadOptions,
    columns: &[Option<&'static str>],
    headers: &[String],
    tabbed: bool,
) -> Result<(), String> {
    let found: Vec<String> = headers.iter().take(8).map(|h| shown(h)).collect();
    let tab_hint = if tabbed { "; is it tab-separated?" } else { "" };
    if let Some(any_of) = options.any_of {
        if any_of.iter().any(|c| columns.contains(&Some(*c))) {
            return Ok(());
        }
        return Err(format!(
            "needs a {} column; the header has {}{tab_hint}",
            any_of.join(" or "),
            found.join(", ")
        ));
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|r| !columns.contains(&Some(*r)))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "required column(s) {} missing; the header has {} (use --columns their_name=our_name to map other names{tab_hint})",
        missing.join(", "),
        found.join(", "),
    ))
}

/// The file as text: UTF-8 (a BOM dropped), not empty, no NUL bytes.
fn text_of(bytes: &[u8]) -> Result<&str, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        format!(
            "not valid UTF-8 at byte {at} (line {line}); save the file as UTF-8 (CSV UTF-8 in Excel)"
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(
            "the file is empty; expected a header line: micollab_login,teams_upn,teams_id,extension,cloudlink_user_id"
                .into(),
        );
    }
    if text.contains('\0') {
        return Err("the file holds NUL bytes: it is not a CSV text file".into());
    }
    Ok(text)
}

/// Which mapping column each header is (after `--columns` renames), and a warning for each
/// column that is none of ours; a mapping column named twice is an error.
fn columns_of(
    headers: &[String],
    options: &ReadOptions,
) -> Result<(Vec<Option<&'static str>>, Vec<String>), String> {
    let mut warnings = Vec::new();
    let mut columns: Vec<Option<&'static str>> = Vec::with_capacity(headers.len());
    for (index, header) in headers.iter().enumerate() {
        let name = normalise_header(header);
        let name = options.renames.get(&name).cloned().unwrap_or(name);
        let ours = MAPPING_COLUMNS.iter().copied().find(|c| *c == name);
        if let Some(ours) = ours
            && columns.contains(&Some(ours))
        {
            return Err(format!(
                "column {ours} appears twice in the header (column {})",
                index + 1
            ));
        }
        if ours.is_none()
            && !RESULT_COLUMNS.contains(&name.as_str())
            && !PROPOSAL_COLUMNS.contains(&name.as_str())
        {
            warnings.push(format!(
                "column {} ({}) is not a mapping column: ignored",
                index + 1,
                shown(header)
            ));
        }
        columns.push(ours);
    }
    Ok((columns, warnings))
}

/// A quote opened and never closed makes the rest of the file one field of the last row (the
/// CSV reader says nothing): refused, naming the row and line where it opened.
fn unclosed_quote(rows: &[InputRow], text: &str) -> Result<(), String> {
    let Some(last) = rows.last() else {
        return Ok(());
    };
    let runs_on = last.fields.iter().any(|f| f.contains('\n'));
    if !runs_on || text.trim_end().ends_with('"') {
        return Ok(());
    }
    let lines = text.lines().count();
    Err(format!(
        "row {} (line {}): a quote opened there is never closed, so lines {}-{lines} were read as one field; close the quote (a quote inside a field is written twice: \"\")",
        last.row, last.line, last.line
    ))
}

/// Every non-blank row, numbered from 1, with its line in the file.
fn rows_of(
    reader: &mut csv::Reader<&[u8]>,
    text: &str,
    header_count: usize,
    columns: &[Option<&'static str>],
) -> Result<Vec<InputRow>, String> {
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(rows),
            Ok(true) => {}
            Err(e) => return Err(format!("line {line}: {e}")),
        }
        // The reader places a record after blank lines at the first of them.
        let line = record.position().map_or(line, |p| {
            let blank = text.get(p.byte() as usize..).unwrap_or_default().bytes();
            let skipped = blank.take_while(|b| matches!(b, b'\n' | b'\r' | b' ' | b'\t'));
            p.line() + skipped.filter(|b| *b == b'\n').count() as u64
        });
        if record.iter().all(|f| f.trim().is_empty()) {
            continue; // Blank line.
        }
        let fields: Vec<String> = record.iter().map(str::to_string).collect();
        rows.push(input_row(
            rows.len() + 1,
            line,
            fields,
            header_count,
            columns,
        ));
    }
}

/// One row's values by mapping column, and the first problem reading it (too many fields,
/// a field too long), which stays on the row.
fn input_row(
    row: usize,
    line: u64,
    fields: Vec<String>,
    header_count: usize,
    columns: &[Option<&'static str>],
) -> InputRow {
    let mut values = BTreeMap::new();
    let mut read_error = None;
    if fields.iter().skip(header_count).any(|f| !f.is_empty()) {
        read_error = Some((
            "ragged_row",
            format!(
                "row has {} fields, the header has {header_count}",
                fields.len()
            ),
        ));
    }
    for (field, column) in fields.iter().zip(columns) {
        let Some(column) = column else { continue };
        if field.chars().count() > MAX_FIELD_CHARS && read_error.is_none() {
            read_error = Some((
                "field_too_long",
                format!(
                    "{column} is {} characters long (at most {MAX_FIELD_CHARS})",
                    field.chars().count()
                ),
            ));
        }
        values.insert(*column, field.clone());
    }
    InputRow {
        row,
        line,
        fields,
        values,
        read_error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> Result<CsvFile, InputError> {
        read("users.csv", text.as_bytes(), &ReadOptions::default())
    }

    #[test]
    fn reads_what_admins_have() {
        let cases = [
            "micollab_login,teams_upn,extension\nalice,alice@contoso.com,1001\n",
            "\u{feff}Micollab_Login,TEAMS_UPN,Extension\r\nalice,alice@contoso.com,1001\r\n",
            "extension;teams_upn;micollab_login\n1001;alice@contoso.com;alice\n",
            "micollab_login,teams_upn,extension\n\n  alice , alice@contoso.com ,1001\n\n",
            "\"micollab_login\",\"teams_upn\",\"extension\",\"notes\"\n\"alice\",\"alice@contoso.com\",\"1001\",\"likes, commas\nand lines\"\n",
        ];
        for text in cases {
            let file = read_str(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(file.rows.len(), 1, "{text:?}");
            let row = &file.rows[0];
            assert_eq!(row.value("micollab_login"), Some("alice"), "{text:?}");
            assert_eq!(
                row.value("teams_upn"),
                Some("alice@contoso.com"),
                "{text:?}"
            );
            assert_eq!(row.value("extension"), Some("1001"), "{text:?}");
        }
    }

    #[test]
    fn file_level_problems_are_named() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "the file is empty"),
            (b"\n\n  \n", "the file is empty"),
            (
                b"login,upn\nalice,a@b.c\n",
                "required column(s) micollab_login, teams_upn, extension missing",
            ),
            (
                b"micollab_login,teams_upn,extension\nal\xffce,a@b.c,1\n",
                "not valid UTF-8 at byte 37 (line 2)",
            ),
            (b"\x00\x01\x02binary", "NUL bytes"),
            (
                b"micollab_login,teams_upn,extension,extension\n",
                "column extension appears twice",
            ),
        ];
        for (bytes, fragment) in cases {
            let err = read("users.csv", bytes, &ReadOptions::default())
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("users.csv: "), "{err}");
            assert!(err.contains(fragment), "{err:?} lacks {fragment:?}");
        }
    }

    #[test]
    fn row_problems_stay_on_their_row() {
        let long = "x".repeat(1_000_000);
        let text = format!(
            "micollab_login,teams_upn,extension\nalice,alice@contoso.com,1001,surplus,more\nbob,{long}@contoso.com,1002\ncarol,carol@contoso.com\n"
        );
        let file = read_str(&text).unwrap();
        assert_eq!(file.rows.len(), 3);
        assert_eq!(file.rows[0].read_error.as_ref().unwrap().0, "ragged_row");
        assert_eq!(
            file.rows[1].read_error.as_ref().unwrap().0,
            "field_too_long"
        );
        // A short row just lacks values; validation names them.
        assert!(file.rows[2].read_error.is_none());
        assert_eq!(file.rows[2].value("extension"), None);
        assert_eq!(file.rows[2].line, 4);
    }

    #[test]
    fn a_quote_never_closed_names_the_row_and_line_it_opened_on() {
        let text = "micollab_login,teams_upn,extension\nalice,alice@contoso.com,1001\n\nbob,\"bob@contoso.com,1002\ncarol,carol@contoso.com,1003\n";
        let err = read("users.csv", text.as_bytes(), &ReadOptions::default()).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "users.csv: row 2 (line 4): a quote opened there is never closed, so lines 4-5"
            ),
            "{err}"
        );
        // A quoted field over two lines, closed, is a field like any other.
        let text =
            "micollab_login,teams_upn,extension,note\nbob,bob@contoso.com,1002,\"two\nlines\"\n";
        let file = read("users.csv", text.as_bytes(), &ReadOptions::default()).unwrap();
        assert_eq!(file.rows[0].fields[3], "two\nlines");
    }

    #[test]
    fn renames_and_unknown_columns() {
        let options = ReadOptions {
            renames: parse_renames("User=micollab_login, Email=teams_upn,Ext=extension").unwrap(),
            delimiter: None,
            any_of: None,
        };
        let file = read(
            "f.csv",
            b"User,Email,Ext,Department,row,status\nalice,alice@contoso.com,1001,Sales,1,ok\n",
            &options,
        )
        .unwrap();
        assert_eq!(file.rows[0].value("micollab_login"), Some("alice"));
        assert_eq!(
            file.warnings,
            vec!["column 4 (\"Department\") is not a mapping column: ignored"]
        );
        assert!(parse_renames("a=nonsense").is_err());
        assert!(parse_renames("novalue").is_err());
    }
}
