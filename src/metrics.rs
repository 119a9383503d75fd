//! Prometheus metrics and health of `mcteams sync --watch`.

use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::engine::CycleReport;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DirectionLabel {
    direction: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SystemLabel {
    system: &'static str,
}

/// Registers `metric` under `name` and hands it back, for the struct that keeps it.
fn add<M: prometheus_client::registry::Metric + Clone>(
    registry: &mut Registry,
    name: &str,
    help: &str,
    metric: M,
) -> M {
    registry.register(name, help, metric.clone());
    metric
}

/// The metrics of a running sync service.
pub struct SyncMetrics {
    registry: Registry,
    cycles: Counter,
    last_success: Gauge<f64, AtomicU64>,
    changes: Family<DirectionLabel, Counter>,
    errors: Family<SystemLabel, Counter>,
    throttled: Counter,
    guard_trips: Counter,
    cycle_duration: Histogram,
    /// Unix time of each lane's last successful cycle (`None`: none yet), for /healthz: the
    /// one joint cycle (`both`), or each direction's where they run on their own pace.
    last_success_unix: Mutex<std::collections::BTreeMap<&'static str, Option<f64>>>,
    /// Lanes whose cycles come at a period of their own ([`Self::set_lane_period`]).
    lane_periods: Mutex<std::collections::BTreeMap<&'static str, Duration>>,
    /// Another run holds the sync lease: this instance waits, calling no system.
    standby: std::sync::atomic::AtomicBool,
    standby_gauge: Gauge,
    /// Users whose changes the mass-change guard holds (0: none held).
    held_users: Gauge,
    /// 1 for a direction a system that could not be read holds up.
    degraded: Family<DirectionLabel, Gauge>,
    pace: Pace,
}

/// How fast presence goes and what it costs: propagation, the lanes' intervals, Graph's
/// budget used.
struct Pace {
    /// From a change mcteams learned of to its write confirmed, per path.
    propagation: Family<PathLabel, Histogram>,
    /// Each lane's time between full cycles now (`auto` moves it).
    lane_interval: Family<LaneLabel, Gauge<f64, AtomicU64>>,
    /// Graph requests in the last 30 s, and their share of what mcteams allows itself.
    graph_requests_30s: Gauge,
    graph_budget_used: Gauge<f64, AtomicU64>,
    /// Graph's clock minus this host's, as the last cycle found it.
    clock_skew: Gauge,
}

impl Pace {
    fn registered(r: &mut Registry) -> Pace {
        let propagation = Family::<PathLabel, Histogram>::new_with_constructor(|| {
            Histogram::new([0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0, 60.0])
        });
        Pace {
            propagation: add(
                r,
                "sync_propagation_seconds",
                "From a change mcteams learned of (the PBX's feed, a Teams poll, a session written) to its write confirmed, by path: pbx_to_teams, teams_to_micollab, pbx_to_micollab",
                propagation,
            ),
            lane_interval: add(
                r,
                "sync_interval_seconds",
                "Each lane's time between full cycles now (sync.interval, auto's pace, or the full reads of a lane that follows the PBX's change feed)",
                Family::default(),
            ),
            graph_requests_30s: add(
                r,
                "graph_requests_last_30s",
                "Graph requests sent in the last 30 s ($batch inner requests counted)",
                Gauge::default(),
            ),
            graph_budget_used: add(
                r,
                "graph_budget_used_ratio",
                "Graph requests in the last 30 s over what graph.budget_share allows (1,500 × share)",
                Gauge::default(),
            ),
            clock_skew: add(
                r,
                "graph_clock_skew_seconds",
                "Graph's clock minus this host's (0 within 2 s): sessions are judged on Graph's clock; fix the host's clock past a few seconds",
                Gauge::default(),
            ),
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PathLabel {
    path: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LaneLabel {
    lane: &'static str,
}

impl Default for SyncMetrics {
    fn default() -> Self {
        Self::new()
    }
}

impl SyncMetrics {
    pub fn new() -> SyncMetrics {
        let mut r = Registry::with_prefix("mcteams");
        let seconds = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0];
        SyncMetrics {
            cycles: add(&mut r, "sync_cycles", "Sync cycles run", Counter::default()),
            last_success: add(
                &mut r,
                "sync_last_success_timestamp_seconds",
                "Unix time of the last successful cycle",
                Gauge::default(),
            ),
            changes: add(
                &mut r,
                "sync_changes",
                "Writes applied, by direction",
                Family::default(),
            ),
            errors: add(
                &mut r,
                "sync_errors",
                "Failed reads and writes, by system",
                Family::default(),
            ),
            throttled: add(
                &mut r,
                "http_throttled",
                "Throttling answers (429, 503 with Retry-After; $batch inner answers included) from any system",
                Counter::default(),
            ),
            degraded: add(
                &mut r,
                "sync_direction_degraded",
                "1 while a system the direction needs could not be read at the last cycle",
                Family::default(),
            ),
            held_users: add(
                &mut r,
                "sync_guard_held_users",
                "Users whose changes the mass-change guard holds until `mcteams sync approve`",
                Gauge::default(),
            ),
            standby_gauge: add(
                &mut r,
                "sync_standby",
                "1 while another run holds the sync lease and this instance waits",
                Gauge::default(),
            ),
            guard_trips: add(
                &mut r,
                "sync_guard_trips",
                "Cycles whose writes the mass-change guard stopped",
                Counter::default(),
            ),
            cycle_duration: add(
                &mut r,
                "sync_cycle_duration_seconds",
                "Duration of a sync cycle",
                Histogram::new(seconds),
            ),
            pace: Pace::registered(&mut r),
            last_success_unix: Mutex::new([("both", None)].into()),
            lane_periods: Mutex::default(),
            standby: std::sync::atomic::AtomicBool::new(false),
            registry: r,
        }
    }

    /// The lanes whose cycles count for health: `both`, or one per direction.
    pub fn expect_lanes(&self, lanes: &[&'static str]) {
        if let Ok(mut last) = self.last_success_unix.lock() {
            *last = lanes.iter().map(|lane| (*lane, None)).collect();
        }
    }

    /// Counts one cycle of `lane`. The throttling answers are counted apart
    /// ([`Self::add_throttled`]): two lanes' cycles overlap, and each one's report counts
    /// the other's meanwhile.
    pub fn record(
        &self,
        report: &CycleReport,
        took: Duration,
        succeeded: bool,
        lane: &'static str,
        now_unix: f64,
    ) {
        self.cycles.inc();
        self.cycle_duration.observe(took.as_secs_f64());
        self.changes
            .get_or_create(&DirectionLabel {
                direction: "pbx_to_teams",
            })
            .inc_by(report.applied.pbx_to_teams);
        self.changes
            .get_or_create(&DirectionLabel {
                direction: "teams_to_micollab",
            })
            .inc_by(report.applied.teams_to_micollab);
        for (system, count) in &report.errors_by_system {
            self.errors
                .get_or_create(&SystemLabel { system })
                .inc_by(*count);
        }
        self.held_users
            .set(report.held_plan.map_or(0, |p| p.users as i64));
        if report.guard_tripped.is_some() {
            self.guard_trips.inc();
        }
        if report.read_errors.iter().all(|e| e.system != "graph") {
            self.pace
                .clock_skew
                .set(report.clock_skew_seconds.unwrap_or(0));
        }
        if succeeded && let Ok(mut last) = self.last_success_unix.lock() {
            last.insert(lane, Some(now_unix));
            // The gauge is the lane longest without a success: an alert on it sees either
            // direction fall behind.
            if let Some(oldest) = last.values().map(|at| at.unwrap_or(0.0)).reduce(f64::min) {
                self.last_success.set(oldest);
            }
        }
    }

    /// Observes each write of `report` as confirmed `after` mcteams learned of its change;
    /// `teams_driven`: its MiCollab writes follow a Teams change (else a phone's, through
    /// the session mcteams wrote).
    pub fn propagated(&self, report: &CycleReport, after: Duration, teams_driven: bool) {
        let micollab = if teams_driven {
            "teams_to_micollab"
        } else {
            "pbx_to_micollab"
        };
        let sessions = report.applied.pbx_to_teams.saturating_sub(report.refreshes);
        for (path, writes) in [
            ("pbx_to_teams", sessions),
            (micollab, report.applied.teams_to_micollab),
        ] {
            let histogram = self.pace.propagation.get_or_create(&PathLabel { path });
            for _ in 0..writes {
                histogram.observe(after.as_secs_f64());
            }
        }
    }

    /// Graph requests sent in the last 30 s, against `allowed` per 30 s.
    pub fn set_graph_use(&self, last_30s: u64, allowed: f64) {
        self.pace.graph_requests_30s.set(last_30s as i64);
        self.pace
            .graph_budget_used
            .set(last_30s as f64 / allowed.max(1.0));
    }

    /// Counts throttling answers (429s, 503s with `Retry-After`) the clients met.
    pub fn add_throttled(&self, answers: u64) {
        self.throttled.inc_by(answers);
    }

    /// The Prometheus text exposition.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        if prometheus_client::encoding::text::encode(&mut text, &self.registry).is_err() {
            text.clear();
        }
        text
    }

    /// Marks this instance as standby (another run holds the lease) or active again.
    pub fn set_standby(&self, standby: bool) {
        self.standby
            .store(standby, std::sync::atomic::Ordering::SeqCst);
        self.standby_gauge.set(i64::from(standby));
    }

    /// Marks which directions a system that could not be read holds up now.
    pub fn set_degraded(&self, degraded: &std::collections::BTreeSet<&'static str>) {
        for direction in ["pbx_to_teams", "teams_to_micollab"] {
            self.degraded
                .get_or_create(&DirectionLabel { direction })
                .set(i64::from(degraded.contains(direction)));
        }
    }

    /// Users whose changes the guard holds now.
    pub fn held_users(&self) -> i64 {
        self.held_users.get()
    }

    pub fn is_standby(&self) -> bool {
        self.standby.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The time between a lane's cycles, where it is not the service's interval: a phone
    /// lane following the PBX's change feed reads everything every few minutes.
    pub fn set_lane_period(&self, lane: &'static str, period: Duration) {
        self.pace
            .lane_interval
            .get_or_create(&LaneLabel { lane })
            .set(period.as_secs_f64());
        if let Ok(mut periods) = self.lane_periods.lock() {
            periods.insert(lane, period);
        }
    }

    /// Healthy while every lane's last success is at most three of its intervals old (its
    /// own period, else `interval`). `started_unix`: before a lane's first success, it
    /// counts as healthy for three intervals from the start.
    pub fn healthy(&self, now_unix: f64, started_unix: f64, interval: Duration) -> bool {
        let periods = self
            .lane_periods
            .lock()
            .map(|p| p.clone())
            .unwrap_or_default();
        let Ok(last) = self.last_success_unix.lock() else {
            return false;
        };
        last.iter().all(|(lane, at)| {
            let period = periods.get(lane).copied().unwrap_or(interval);
            now_unix - at.unwrap_or(started_unix) <= 3.0 * period.as_secs_f64()
        })
    }
}

/// Serves `/metrics` and `/healthz` until `shutdown` resolves.
pub async fn serve(
    addr: SocketAddr,
    metrics: std::sync::Arc<SyncMetrics>,
    started_unix: f64,
    interval: Duration,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<SocketAddr> {
    use axum::http::{StatusCode, header};
    use axum::routing::get;
    let for_metrics = metrics.clone();
    let app = axum::Router::new()
        .route(
            "/metrics",
            get(move || {
                let m = for_metrics.clone();
                async move {
                    (
                        [(
                            header::CONTENT_TYPE,
                            "application/openmetrics-text; version=1.0.0; charset=utf-8",
                        )],
                        m.encode(),
                    )
                }
            }),
        )
        .route(
            "/healthz",
            get(move || {
                let m = metrics.clone();
                async move {
                    let now = chrono::Utc::now().timestamp_millis() as f64 / 1000.0;
                    if m.is_standby() {
                        // Healthy: waiting is this instance's job while another one syncs.
                        (
                            StatusCode::OK,
                            "standby: another run holds the sync lease\n".to_string(),
                        )
                    } else if m.healthy(now, started_unix, interval) {
                        match m.held_users() {
                            0 => (StatusCode::OK, "ok\n".to_string()),
                            n => (
                                StatusCode::OK,
                                format!("ok; the mass-change guard holds {n} users' changes (mcteams sync approve)\n"),
                            ),
                        }
                    } else {
                        (
                            StatusCode::SERVICE_UNAVAILABLE,
                            "unhealthy: no successful sync for three intervals\n".to_string(),
                        )
                    }
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await;
    });
    Ok(bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cycles_and_tells_health() {
        let metrics = SyncMetrics::new();
        let mut report = CycleReport::default();
        report.applied.pbx_to_teams = 2;
        report.errors_by_system.insert("graph", 1);
        report.guard_tripped = Some((900, 500));
        metrics.add_throttled(3);
        metrics.record(&report, Duration::from_millis(300), true, "both", 1_000.0);
        let text = metrics.encode();
        for line in [
            "mcteams_sync_cycles_total 1",
            "mcteams_sync_changes_total{direction=\"pbx_to_teams\"} 2",
            "mcteams_sync_errors_total{system=\"graph\"} 1",
            "mcteams_http_throttled_total 3",
            "mcteams_sync_guard_trips_total 1",
            "mcteams_sync_last_success_timestamp_seconds 1000.0",
        ] {
            assert!(text.contains(line), "{line} missing in\n{text}");
        }
        let interval = Duration::from_secs(15);
        assert!(metrics.healthy(1_045.0, 0.0, interval));
        assert!(!metrics.healthy(1_046.0, 0.0, interval));
        // Before any success: healthy for three intervals from the start.
        let fresh = SyncMetrics::new();
        assert!(fresh.healthy(40.0, 0.0, interval));
        assert!(!fresh.healthy(46.0, 0.0, interval));
    }

    #[test]
    fn health_waits_for_every_lane() {
        let metrics = SyncMetrics::new();
        metrics.expect_lanes(&["pbx_to_teams", "teams_to_micollab"]);
        let report = CycleReport::default();
        let interval = Duration::from_secs(15);
        metrics.record(&report, Duration::ZERO, true, "teams_to_micollab", 100.0);
        // The phone lane never succeeded: healthy only within three intervals of the start.
        assert!(metrics.healthy(45.0, 0.0, interval));
        assert!(!metrics.healthy(46.0, 0.0, interval));
        metrics.record(&report, Duration::ZERO, true, "pbx_to_teams", 40.0);
        assert!(metrics.healthy(85.0, 0.0, interval));
        assert!(
            !metrics.healthy(86.0, 0.0, interval),
            "the phone lane is behind"
        );
        assert!(
            metrics
                .encode()
                .contains("mcteams_sync_last_success_timestamp_seconds 40.0"),
            "the gauge is the lane furthest behind"
        );
        // A phone lane following the PBX's feed reads everything every two minutes: three of
        // its own periods; the Teams lane's automatic interval is its own too.
        metrics.set_lane_period("pbx_to_teams", Duration::from_secs(120));
        metrics.set_lane_period("teams_to_micollab", Duration::from_secs(2));
        metrics.record(&report, Duration::ZERO, true, "teams_to_micollab", 395.0);
        assert!(metrics.healthy(400.0, 0.0, interval));
        assert!(
            !metrics.healthy(401.0, 0.0, interval),
            "the phone lane is behind"
        );
        metrics.record(&report, Duration::ZERO, true, "pbx_to_teams", 400.0);
        assert!(
            !metrics.healthy(402.0, 0.0, interval),
            "the Teams lane is behind"
        );
        let text = metrics.encode();
        assert!(
            text.contains("mcteams_sync_interval_seconds{lane=\"pbx_to_teams\"} 120.0"),
            "{text}"
        );
    }

    #[test]
    fn propagation_is_observed_per_path() {
        let metrics = SyncMetrics::new();
        let mut report = CycleReport::default();
        report.applied.pbx_to_teams = 3;
        report.refreshes = 1;
        report.applied.teams_to_micollab = 2;
        metrics.propagated(&report, Duration::from_millis(400), false);
        metrics.set_graph_use(600, 1_200.0);
        let skewed = CycleReport {
            clock_skew_seconds: Some(-7),
            ..CycleReport::default()
        };
        metrics.record(&skewed, Duration::from_secs(1), true, "both", 0.0);
        let text = metrics.encode();
        assert!(
            text.contains("mcteams_graph_clock_skew_seconds -7"),
            "{text}"
        );
        for line in [
            "mcteams_sync_propagation_seconds_count{path=\"pbx_to_teams\"} 2",
            "mcteams_sync_propagation_seconds_count{path=\"pbx_to_micollab\"} 2",
            "mcteams_graph_requests_last_30s 600",
            "mcteams_graph_budget_used_ratio 0.5",
        ] {
            assert!(text.contains(line), "{line}: {text}");
        }
    }
}
