//! `--out FILE`: a command's results written to a file instead of stdout, whole or not at
//! all (a temporary file beside it, renamed into place once the command succeeded), so a
//! script never reads half a report and a failed run leaves the old file.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::Printer;

/// Where results go with `--out`: the file, and what was written so far.
#[derive(Debug, Clone, Default)]
pub struct Sink {
    path: Option<PathBuf>,
    written: Arc<Mutex<Option<tempfile::NamedTempFile>>>,
}

impl Sink {
    pub fn to(path: Option<PathBuf>) -> Sink {
        Sink {
            path,
            written: Arc::default(),
        }
    }
}

fn directory_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

impl Printer {
    /// The file `--out` names, if any.
    pub fn out_path(&self) -> Option<&Path> {
        self.sink.path.as_deref()
    }

    /// Starts the `--out` file before any work, so a directory that cannot take it is said
    /// before a command acts, not after.
    pub fn prepare_out(&self) -> Result<(), String> {
        let Some(path) = &self.sink.path else {
            return Ok(());
        };
        let mut written = self.sink.written.lock().unwrap_or_else(|e| e.into_inner());
        let file = tempfile::NamedTempFile::new_in(directory_of(path)).map_err(|e| {
            format!(
                "--out {}: cannot write in {}: {e}",
                path.display(),
                directory_of(path).display()
            )
        })?;
        *written = Some(file);
        Ok(())
    }

    /// Writes `text` to the `--out` file being made; `false`: there is no `--out`.
    pub(super) fn to_sink(&self, text: &str) -> std::io::Result<bool> {
        let Some(path) = &self.sink.path else {
            return Ok(false);
        };
        let mut written = self.sink.written.lock().unwrap_or_else(|e| e.into_inner());
        if written.is_none() {
            *written = Some(tempfile::NamedTempFile::new_in(directory_of(path))?);
        }
        if let Some(file) = written.as_mut() {
            file.write_all(text.as_bytes())?;
        }
        Ok(true)
    }

    /// Ends `--out`: a command that `succeeded` puts its results in place (an empty file
    /// when it had none); one that failed leaves the file as it was.
    pub fn finish(&self, succeeded: bool) -> std::io::Result<()> {
        let Some(path) = &self.sink.path else {
            return Ok(());
        };
        let mut written = self.sink.written.lock().unwrap_or_else(|e| e.into_inner());
        let file = match (written.take(), succeeded) {
            (_, false) => return Ok(()),
            (Some(file), true) => file,
            (None, true) => tempfile::NamedTempFile::new_in(directory_of(path))?,
        };
        file.as_file().sync_all()?;
        file.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}
