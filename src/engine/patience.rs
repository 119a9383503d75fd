//! How long a slice's reads wait for a system that was down at the last cycle: as long as
//! the other systems take, then [`GRACE`], and no longer. A system still down then holds up
//! neither the other direction nor the loop; one that is back answers within the grace and
//! its direction recovers in the same cycle. (Kubernetes controllers requeue a failing
//! object on its own backoff instead of stopping the loop; here the object is a system.)

use std::collections::BTreeSet;
use std::future::Future;
use std::time::Duration;

use crate::connectors::ports::SourceError;

/// How much longer than the other systems a system known to be down is waited for.
pub const GRACE: Duration = Duration::from_secs(2);

/// One slice's patience with each system.
pub struct Patience {
    impatient: BTreeSet<&'static str>,
    /// How many of the patient reads have answered, and how many there are.
    answered: tokio::sync::watch::Sender<usize>,
    patient: usize,
}

impl Patience {
    /// `down`: the systems that were down at the last cycle. When every system was, each is
    /// waited for as usual (there is nobody to hold up).
    pub fn new(down: &BTreeSet<&'static str>, systems: &[&'static str]) -> Patience {
        let patient = systems.iter().filter(|s| !down.contains(*s)).count();
        let impatient = if patient == 0 {
            BTreeSet::new()
        } else {
            down.clone()
        };
        Patience {
            impatient,
            answered: tokio::sync::watch::channel(0).0,
            patient,
        }
    }

    /// Runs one system's read; for a system known down, `gave_up` answers in its place once
    /// the patient reads are done and [`GRACE`] has passed.
    pub async fn read<T>(
        &self,
        system: &'static str,
        read: impl Future<Output = T>,
        gave_up: impl FnOnce(SourceError) -> T,
    ) -> T {
        if !self.impatient.contains(system) {
            let out = read.await;
            self.answered.send_modify(|n| *n += 1);
            return out;
        }
        let mut answered = self.answered.subscribe();
        let patient = self.patient;
        tokio::select! {
            out = read => out,
            _ = async {
                let _ = answered.wait_for(|n| *n >= patient).await;
                tokio::time::sleep(GRACE).await;
            } => gave_up(SourceError {
                system,
                unavailable: true,
                maybe_applied: false,
                gave_up: true,
                configuration: false,
                message: format!(
                    "no answer within {}s after the other systems (down at the last cycle too; \
                     tried again next cycle)",
                    GRACE.as_secs()
                ),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_system_known_down_is_waited_for_only_the_grace_after_the_others() {
        let down: BTreeSet<&'static str> = ["pbx"].into();
        let patience = Patience::new(&down, &["graph", "pbx"]);
        let started = tokio::time::Instant::now();
        let never = std::future::pending::<Result<u8, SourceError>>();
        let (graph, pbx) = tokio::join!(
            patience.read(
                "graph",
                async {
                    tokio::time::sleep(Duration::from_secs(3)).await;
                    Ok::<u8, SourceError>(1)
                },
                Err
            ),
            patience.read("pbx", never, Err),
        );
        assert_eq!(graph.unwrap(), 1);
        assert!(pbx.unwrap_err().unavailable);
        assert_eq!(started.elapsed(), Duration::from_secs(3) + GRACE);
        // A system back in time answers as usual.
        let patience = Patience::new(&down, &["graph", "pbx"]);
        let back = patience.read("pbx", async { Ok::<u8, SourceError>(7) }, Err);
        assert_eq!(back.await.unwrap(), 7);
        // Everything down: nobody to hold up, so each is waited for as usual.
        let all: BTreeSet<&'static str> = ["graph", "pbx"].into();
        let patience = Patience::new(&all, &["graph", "pbx"]);
        let slow = patience.read(
            "pbx",
            async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                Ok::<u8, SourceError>(2)
            },
            Err,
        );
        assert_eq!(slow.await.unwrap(), 2);
    }
}
