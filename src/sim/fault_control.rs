//! Faults as the control API sets and shows them (`/_sim/faults`): latency, held-back
//! answers, error rates, outages and 429 storms, per system.

use serde::Deserialize;
use serde_json::{Value, json};

use super::State;
use super::control::bad;
use super::server::{Reply, Req, System};

pub(super) fn set_fault(state: &mut State, req: &Req) -> Reply {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        system: String,
        latency_ms: Option<u64>,
        answer_delay_ms: Option<u64>,
        error_rate: Option<f64>,
        error_status: Option<u16>,
        retry_after_s: Option<f64>,
        outage: Option<bool>,
        throttle_for_s: Option<f64>,
    }
    let body: Body = match req.json() {
        Ok(b) => b,
        Err(e) => return bad(e),
    };
    let Some(system) = System::parse(&body.system) else {
        return bad(format!(
            "system {:?}: expected graph, micollab, pbx or cloudlink",
            body.system
        ));
    };
    if body.error_rate.is_some_and(|r| !(0.0..=1.0).contains(&r)) {
        return bad("error_rate is a share from 0.0 to 1.0");
    }
    if body
        .error_status
        .is_some_and(|s| !matches!(s, 500 | 502 | 503 | 504))
    {
        return bad("error_status is 500, 502, 503 or 504");
    }
    if body
        .retry_after_s
        .is_some_and(|s| !(0.0..=3600.0).contains(&s))
    {
        return bad("retry_after_s is a number of seconds from 0 to 3600");
    }
    let now = state.world.now_ms();
    let fault = state.faults.entry(system).or_default();
    if let Some(latency) = body.latency_ms {
        fault.latency_ms = latency;
    }
    if let Some(delay) = body.answer_delay_ms {
        fault.answer_delay_ms = delay;
    }
    if let Some(rate) = body.error_rate {
        fault.error_rate = rate;
    }
    if let Some(status) = body.error_status {
        fault.error_status = status;
    }
    if let Some(seconds) = body.retry_after_s {
        fault.retry_after_s = Some(seconds);
    }
    if let Some(outage) = body.outage {
        fault.outage = outage;
    }
    if let Some(seconds) = body.throttle_for_s {
        fault.throttle_until_ms = (seconds > 0.0).then(|| now + (seconds * 1000.0) as i64);
    }
    Reply::ok(faults_json(state))
}

pub(super) fn faults_json(state: &State) -> Value {
    let now = state.world.now_ms();
    let mut map = serde_json::Map::new();
    for system in System::ALL {
        if let Some(f) = state.faults.get(&system) {
            map.insert(
                system.as_str().to_string(),
                json!({
                    "latency_ms": f.latency_ms,
                    "answer_delay_ms": f.answer_delay_ms,
                    "error_rate": f.error_rate,
                    "error_status": if f.error_status == 0 { 500 } else { f.error_status },
                    "retry_after_s": f.retry_after_s,
                    "outage": f.outage,
                    "throttle_for_s": f.throttle_until_ms.map(|t| ((t - now).max(0) as f64) / 1000.0),
                }),
            );
        }
    }
    Value::Object(map)
}
