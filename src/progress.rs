//! How core code reports progress without knowing about terminals.

/// Progress of a long job. The CLI implements it with a progress bar; tests and
/// non-terminals get [`Silent`].
pub trait Progress: Send + Sync {
    fn advance(&self, n: u64);
    fn set_stage(&self, stage: &str);
    /// Starts a new stage of `total` steps from zero (a sync's writes after its reads).
    fn restart(&self, total: u64, stage: &str);
    /// Adds `more` steps to `stage`, first starting it from zero when another stage is
    /// showing (a sync's two pipelines each add their writes).
    fn add_to_stage(&self, more: u64, stage: &str);
    fn finish(&self);
}

/// A progress a sync cycle advances as it goes (users decided, then writes answered).
#[derive(Clone)]
pub struct Shared(pub std::sync::Arc<dyn Progress>);

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {
    fn advance(&self, _n: u64) {}
    fn set_stage(&self, _stage: &str) {}
    fn restart(&self, _total: u64, _stage: &str) {}
    fn add_to_stage(&self, _more: u64, _stage: &str) {}
    fn finish(&self) {}
}
