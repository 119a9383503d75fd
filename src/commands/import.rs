//! `mcteams import FILE.csv`: validated, atomic, re-runnable, a result for every row.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use anyhow::Context as _;
use serde::Serialize;

use crate::cli::ImportArgs;
use crate::exit::{CliError, ExitCode, ExitStatus};
use crate::import::{self, ImportPlan, ReadOptions, RowAction, csv_input};
use crate::output::{Column, Format, Records, neutralise_formula, write_atomically};

use super::Context;
use super::change::{Applied, Stop};
use crate::store::{RunId, Store};

/// Rows a table shows before it says how many more there are.
const TABLE_ROWS: usize = 50;

pub fn run(ctx: &Context, args: ImportArgs) -> anyhow::Result<ExitStatus> {
    let options = read_options(&args)?;
    let config = ctx.config()?;
    if !args.offline {
        super::sync::require_systems(&config)?;
    }
    let (name, bytes) = read_source(&args.file)?;
    let file = csv_input::read(&name, &bytes, &options)
        .map_err(|e| CliError::new(ExitStatus::Failure, e.to_string()))?;
    for warning in &file.warnings {
        ctx.printer.warn(format!("{name}: {warning}"));
    }
    let mut store = ctx.open_store(&config)?;
    let existing = store.list_mappings(true)?;
    let rt = super::runtime()?;
    let resolved = if args.offline {
        HashMap::new()
    } else {
        let systems = crate::connectors::connect(&config)?;
        rt.block_on(resolve_rows(ctx, &systems, &file))?
    };
    let plan = import::plan(&file, &existing, &resolved, !args.offline, args.prune);
    let live = existing.iter().filter(|m| m.removed_at.is_none()).count() as u64;
    let mut change = Import {
        args: &args,
        name,
        file,
        plan,
        live,
    };
    super::change::run(ctx, &rt, &mut store, &args.write, args.force, &mut change)
}

/// `--columns` and `--delimiter` as the CSV reader takes them.
fn read_options(args: &ImportArgs) -> anyhow::Result<ReadOptions> {
    let renames = match &args.columns {
        Some(text) => csv_input::parse_renames(text).map_err(CliError::usage)?,
        None => Default::default(),
    };
    let delimiter = match args.delimiter {
        Some(c) if c.is_ascii() && !c.is_ascii_alphanumeric() && c != '"' => Some(c as u8),
        Some(c) => {
            let message =
                format!("--delimiter {c:?}: use one ASCII punctuation character, e.g. ';'");
            return Err(CliError::usage(message).into());
        }
        None => None,
    };
    Ok(ReadOptions {
        renames,
        delimiter,
        any_of: None,
    })
}

/// An import as a change: the file's rows planned against the store, applied in one
/// transaction (nothing half-applied), with a result per row.
struct Import<'a> {
    args: &'a ImportArgs,
    name: String,
    file: import::CsvFile,
    plan: ImportPlan,
    /// Mappings in the store before the import (`--prune`'s limit is a share of them).
    live: u64,
}

impl Import<'_> {
    fn errors(&self) -> usize {
        self.plan.count(RowAction::Error)
    }

    /// `a.csv: 4 row(s): 1 create, …` with what became of them.
    fn summary(&self, stage: Stage) -> String {
        let plan = &self.plan;
        let pruned = if self.args.prune {
            format!(", {} to prune", plan.prune.len())
        } else {
            String::new()
        };
        let outcome = match stage {
            Stage::DryRun => " (dry run: nothing changed)",
            Stage::Stopped => " (nothing applied)",
            Stage::Applied if self.args.offline => " (applied; stored as unverified)",
            Stage::Applied => " (applied)",
        };
        format!(
            "{}: {} row(s): {} create, {} update, {} unchanged, {} error{pruned}{outcome}",
            self.name,
            plan.rows.len(),
            plan.count(RowAction::Create),
            plan.count(RowAction::Update),
            plan.count(RowAction::Unchanged),
            self.errors(),
        )
    }
}

impl super::change::Change for Import<'_> {
    fn command(&self) -> String {
        "import".into()
    }

    /// Guards before anything is applied; they stop a dry run too, so a script can check a
    /// file with `--dry-run --strict`.
    fn stopped(&self, force: bool) -> Option<Stop> {
        let stop = |status, message| Stop {
            status,
            message,
            in_dry_run: true,
        };
        let (prune, errors) = (self.plan.prune.len(), self.errors());
        let limit = self
            .args
            .max_deletes
            .unwrap_or_else(|| default_max_deletes(self.live));
        if self.args.prune && self.file.rows.is_empty() {
            let message = format!(
                "{} has no data rows: refusing to prune every mapping",
                self.name
            );
            Some(stop(ExitStatus::Guard, message))
        } else if self.args.prune && prune as u64 > limit && !force {
            let message = format!(
                "--prune would remove {prune} mapping(s), more than the limit of {limit}: \
                 check the file, then raise --max-deletes or add --force"
            );
            Some(stop(ExitStatus::Guard, message))
        } else if self.args.strict && errors > 0 {
            let message = format!("{errors} row(s) failed and --strict is set: nothing applied");
            Some(stop(ExitStatus::Partial, message))
        } else {
            None
        }
    }

    fn preview(&self) -> String {
        match self.plan.prune.len() {
            0 => String::new(),
            n => format!(
                "--prune will remove {n} mapping(s) not in {}: {}",
                self.name,
                sample(&self.plan.prune)
            ),
        }
    }

    fn planned_status(&self) -> ExitStatus {
        partial_if(self.errors() > 0)
    }

    /// Only removing mappings asks first; adding and updating them is what an import is.
    fn question(&self) -> Option<String> {
        let prune = self.plan.prune.len();
        (prune > 0).then(|| format!("Remove {prune} mapping(s)?"))
    }

    fn print(&self, ctx: &Context, stage: super::change::Stage) -> anyhow::Result<()> {
        let stage = match stage {
            super::change::Stage::Planned => Stage::DryRun,
            super::change::Stage::Stopped => Stage::Stopped,
            super::change::Stage::Changed => Stage::Applied,
            super::change::Stage::Unchanged | super::change::Stage::Cancelled => return Ok(()),
        };
        let results = result_rows(&self.plan, &self.file, stage);
        if let Some(path) = &self.args.results {
            write_results(path, &self.file, &results, self.args.only_failed)?;
        }
        print_plan(ctx, &results)?;
        ctx.printer.note(self.summary(stage));
        Ok(())
    }

    async fn apply(&mut self, store: &mut Store, run: RunId, _: &[i64]) -> anyhow::Result<Applied> {
        let plan = &self.plan;
        store
            .apply_import(&plan.changes(), &plan.prune, Some(run))
            .context("storing the import")?;
        // New mappings are an expected change: the sync onboards them without counting
        // them against the mass-change guard.
        let created: Vec<String> = plan
            .rows
            .iter()
            .filter(|r| r.action == RowAction::Create)
            .filter_map(|r| r.mapping.as_ref().map(|m| m.micollab_login.clone()))
            .collect();
        store.mark_onboarding(Some(run), &created, "import")?;
        Ok(Applied {
            status: partial_if(self.errors() > 0),
            summary: serde_json::json!({
                "file": self.name,
                "create": plan.count(RowAction::Create),
                "update": plan.count(RowAction::Update),
                "unchanged": plan.count(RowAction::Unchanged),
                "error": self.errors(),
                "pruned": plan.prune.len(),
            }),
            note: String::new(),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    DryRun,
    Stopped,
    Applied,
}

/// 50, or 10 % of the live mappings when that is smaller (at least 1).
fn default_max_deletes(live: u64) -> u64 {
    50.min(live.div_ceil(10)).max(1)
}

fn partial_if(some_failed: bool) -> ExitStatus {
    if some_failed {
        ExitStatus::Partial
    } else {
        ExitStatus::Success
    }
}

fn sample(logins: &[String]) -> String {
    let shown: Vec<&str> = logins.iter().take(5).map(String::as_str).collect();
    if logins.len() > shown.len() {
        format!(
            "{}, … ({} more)",
            shown.join(", "),
            logins.len() - shown.len()
        )
    } else {
        shown.join(", ")
    }
}

/// Checks the rows that pass the field rules against the systems, with a progress bar.
pub async fn resolve_rows<D: import::resolve::Directory>(
    ctx: &Context,
    directory: &D,
    file: &import::CsvFile,
) -> anyhow::Result<HashMap<usize, Result<import::Candidate, import::RowError>>> {
    let candidates: Vec<(usize, import::Candidate)> = file
        .rows
        .iter()
        .filter_map(|row| import::validate_row(row).ok().map(|c| (row.row, c)))
        .collect();
    let progress = ctx
        .printer
        .progress(import::resolve::SYSTEMS_ASKED, "asking the systems");
    let resolved = import::resolve::resolve(directory, &candidates, progress.as_ref())
        .await
        .map_err(|e| {
            CliError::new(
                e.exit_status(),
                format!("checking rows against the systems: {e}"),
            )
        });
    progress.finish();
    Ok(resolved?)
}

fn read_source(path: &Path) -> anyhow::Result<(String, Vec<u8>)> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        return Ok(("<stdin>".to_string(), bytes));
    }
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::new(ExitStatus::Failure, format!("cannot read {name}: {e}")))?;
    Ok((name, bytes))
}

/// One row of the import's result, as printed and as written to `--results`.
#[derive(Debug, Clone, Serialize)]
struct ResultRow {
    row: usize,
    line: u64,
    micollab_login: Option<String>,
    teams_upn: Option<String>,
    extension: Option<String>,
    action: &'static str,
    status: &'static str,
    error_code: Option<&'static str>,
    message: Option<String>,
}

fn result_rows(plan: &ImportPlan, file: &import::CsvFile, stage: Stage) -> Vec<ResultRow> {
    plan.rows
        .iter()
        .zip(&file.rows)
        .map(|(r, input)| {
            // Failed rows show what the file said; others the mapping as planned.
            let value = |column: &str, planned: Option<&String>| {
                planned
                    .cloned()
                    .or_else(|| input.value(column).map(str::to_string))
            };
            let status = match (r.action, stage) {
                (RowAction::Error, _) => "failed",
                (_, Stage::DryRun) => "planned",
                (_, Stage::Stopped) => "skipped",
                (_, Stage::Applied) => "ok",
            };
            ResultRow {
                row: r.row,
                line: r.line,
                micollab_login: value(
                    "micollab_login",
                    r.mapping.as_ref().map(|m| &m.micollab_login),
                ),
                teams_upn: value("teams_upn", r.mapping.as_ref().map(|m| &m.teams_upn)),
                extension: value("extension", r.mapping.as_ref().map(|m| &m.extension)),
                action: r.action.as_str(),
                status,
                error_code: r.error.as_ref().map(|e| e.code),
                message: r.error.as_ref().map(|e| e.message.clone()),
            }
        })
        .collect()
}

fn print_plan(ctx: &Context, results: &[ResultRow]) -> anyhow::Result<()> {
    let mut records = Records::new(vec![
        Column::exact("row", "Row"),
        Column::exact("line", "Line"),
        // Failed rows show the file's values, which may be anything: neutralised in CSV.
        Column::text("micollab_login", "MiCollab login"),
        Column::text("teams_upn", "Teams UPN"),
        Column::text("extension", "Extension"),
        Column::exact("action", "Action"),
        Column::exact("status", "Status"),
        Column::exact("error_code", "Error"),
        Column::text("message", "Message"),
    ]);
    if ctx.printer.format() == Format::Table {
        // People get the rows that need attention first, and not a 100,000-line table.
        let mut interesting: Vec<&ResultRow> = results
            .iter()
            .filter(|r| r.action == "error")
            .chain(
                results
                    .iter()
                    .filter(|r| r.action == "create" || r.action == "update"),
            )
            .collect();
        let more = interesting.len().saturating_sub(TABLE_ROWS);
        interesting.truncate(TABLE_ROWS);
        for r in interesting {
            records.push(r);
        }
        ctx.printer.results(&records)?;
        if more > 0 {
            ctx.printer.note(format!(
                "… {more} more row(s) not shown: use -o csv or --results FILE for all of them"
            ));
        }
    } else {
        for r in results {
            records.push(r);
        }
        ctx.printer.results(&records)?;
    }
    Ok(())
}

/// The input columns as given, then `row, action, status, error_code, message`, so failed
/// rows can be fixed and imported again as they are. Every cell is neutralised against
/// spreadsheet formulas: valid mapping values never start with one, so a re-import is unharmed.
fn write_results(
    path: &Path,
    file: &import::CsvFile,
    results: &[ResultRow],
    only_failed: bool,
) -> anyhow::Result<()> {
    write_atomically(path, |out| {
        let mut writer = csv::Writer::from_writer(out);
        let input_headers: Vec<&String> = file
            .headers
            .iter()
            .filter(|h| !import::RESULT_COLUMNS.contains(&h.trim().to_ascii_lowercase().as_str()))
            .collect();
        let kept: Vec<usize> = file
            .headers
            .iter()
            .enumerate()
            .filter(|(_, h)| {
                !import::RESULT_COLUMNS.contains(&h.trim().to_ascii_lowercase().as_str())
            })
            .map(|(i, _)| i)
            .collect();
        let mut header: Vec<String> = input_headers.iter().map(|h| h.to_string()).collect();
        header.extend(import::RESULT_COLUMNS.iter().map(|c| c.to_string()));
        writer.write_record(&header)?;
        for (input, result) in file.rows.iter().zip(results) {
            if only_failed && result.status != "failed" {
                continue;
            }
            let mut record: Vec<String> = kept
                .iter()
                .map(|&i| neutralise_formula(input.fields.get(i).map_or("", String::as_str)))
                .collect();
            record.push(result.row.to_string());
            record.push(result.action.to_string());
            record.push(result.status.to_string());
            record.push(result.error_code.unwrap_or("").to_string());
            record.push(neutralise_formula(result.message.as_deref().unwrap_or("")));
            writer.write_record(&record)?;
        }
        writer.flush()?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_prune_limit_is_50_or_a_tenth() {
        let cases = [(0, 1), (5, 1), (100, 10), (499, 50), (10_000, 50)];
        for (live, limit) in cases {
            assert_eq!(super::default_max_deletes(live), limit, "{live}");
        }
    }
}
