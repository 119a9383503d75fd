//! How core code reports progress without knowing about terminals.

/// Progress of a long job. The CLI implements it with a progress bar; tests and
/// non-terminals get [`Silent`].
pub trait Progress: Send + Sync {
    fn advance(&self, n: u64);
    fn set_stage(&self, stage: &str);
    fn finish(&self);
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {
    fn advance(&self, _n: u64) {}
    fn set_stage(&self, _stage: &str) {}
    fn finish(&self) {}
}
