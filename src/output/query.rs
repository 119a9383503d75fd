//! `--query JMESPATH` (as CLI for Microsoft 365 and az have it): a command's JSON result,
//! queried before it is formatted, so `-o table|csv` show the query's result too.

use serde_json::Value;

use super::{Column, Detail, Format, Records};

/// Checks a query once, before any work: a bad one is a usage error naming the flag.
pub fn check(query: &str) -> Result<(), String> {
    jmespath::compile(query)
        .map(drop)
        .map_err(|e| format!("--query {query:?}: {e}"))
}

/// `value` queried.
pub fn apply(query: &str, value: &Value) -> Result<Value, String> {
    let expression = jmespath::compile(query).map_err(|e| format!("--query: {e}"))?;
    let found = expression
        .search(value)
        .map_err(|e| format!("--query: {e}"))?;
    serde_json::to_value(&*found).map_err(|e| format!("--query: {e}"))
}

/// A query's result, shown in `format`: a list of objects as rows (the command's columns
/// first, in their order, then any the query made), a list of values as one column, an
/// object as key/value lines, a value as itself.
pub fn render(result: Value, columns: &[Column], format: Format, width: Option<u16>) -> String {
    match (&result, format) {
        (_, Format::Json) => format!(
            "{}\n",
            serde_json::to_string_pretty(&result).unwrap_or_default()
        ),
        (Value::Array(items), Format::Jsonl) => {
            items.iter().map(|item| format!("{item}\n")).collect()
        }
        (_, Format::Jsonl) => format!("{result}\n"),
        (Value::Array(items), _) => rows(items, columns).render(format, width),
        (Value::Object(_), _) => Detail::new(&result).render(format, width),
        // CSV is for spreadsheets: a single value is a one-cell column, quoted and
        // neutralised like every other cell.
        (Value::Null, Format::Csv) => String::new(),
        (value, Format::Csv) => rows(std::slice::from_ref(value), columns).render(format, width),
        (Value::String(text), _) => format!("{text}\n"),
        (Value::Null, _) => String::new(),
        (other, _) => format!("{other}\n"),
    }
}

fn rows(items: &[Value], columns: &[Column]) -> Records {
    let objects = items.iter().all(Value::is_object) && !items.is_empty();
    if !objects {
        let mut records = Records::new(vec![Column::text("value", "Value")]);
        for item in items {
            records.push(&serde_json::json!({ "value": item }));
        }
        return records;
    }
    let mut keys: Vec<String> = Vec::new();
    for item in items {
        for key in item.as_object().into_iter().flat_map(|o| o.keys()) {
            if !keys.contains(key) {
                keys.push(key.clone());
            }
        }
    }
    let known = |key: &str| columns.iter().find(|c| c.key == key).cloned();
    let mut chosen: Vec<Column> = columns
        .iter()
        .filter(|c| keys.iter().any(|k| *k == c.key))
        .cloned()
        .map(|mut c| {
            c.shown = super::Shown::Always;
            c
        })
        .collect();
    for key in keys.iter().filter(|k| known(k).is_none()) {
        chosen.push(Column {
            key: key.clone().into(),
            title: key.clone().into(),
            kind: super::CellKind::Text,
            shown: super::Shown::Always,
        });
    }
    let mut records = Records::new(chosen);
    for item in items {
        records.push(item);
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> Vec<Column> {
        vec![
            Column::exact("micollab_login", "MiCollab login"),
            Column::exact("teams_upn", "Teams UPN"),
            Column::exact("extension", "Extension"),
        ]
    }

    fn data() -> Value {
        serde_json::json!([
            {"micollab_login": "alice", "teams_upn": "alice@contoso.com", "extension": "1001"},
            {"micollab_login": "bob", "teams_upn": "bob@contoso.com", "extension": "2002"},
        ])
    }

    #[test]
    fn a_query_shapes_the_result_before_any_format() {
        // (query, format, what is printed)
        let cases = [
            (
                "[?extension=='2002'].micollab_login",
                Format::Json,
                "[\n  \"bob\"\n]\n",
            ),
            ("[].micollab_login", Format::Jsonl, "\"alice\"\n\"bob\"\n"),
            ("[].micollab_login", Format::Csv, "value\nalice\nbob\n"),
            ("length(@)", Format::Table, "2\n"),
            ("[0].teams_upn", Format::Csv, "value\nalice@contoso.com\n"),
            ("'=cmd|calc'", Format::Csv, "value\n'=cmd|calc\n"),
            (
                "[].{upn: teams_upn, login: micollab_login}",
                Format::Csv,
                "login,upn\nalice,alice@contoso.com\nbob,bob@contoso.com\n",
            ),
            (
                "[?micollab_login=='alice'].[extension][]",
                Format::Json,
                "[\n  \"1001\"\n]\n",
            ),
        ];
        for (query, format, expected) in cases {
            let result = apply(query, &data()).unwrap();
            assert_eq!(
                render(result, &columns(), format, None),
                expected,
                "{query}"
            );
        }
        // The command's columns keep their order; a subset stays a table of them.
        let result = apply(
            "[].{extension: extension, micollab_login: micollab_login}",
            &data(),
        )
        .unwrap();
        assert_eq!(
            render(result, &columns(), Format::Csv, None),
            "micollab_login,extension\nalice,1001\nbob,2002\n"
        );
    }

    #[test]
    fn a_bad_query_is_named() {
        assert!(
            check("[?extension==")
                .unwrap_err()
                .starts_with("--query \"[?extension==\": ")
        );
        assert!(check("[].micollab_login").is_ok());
    }
}
