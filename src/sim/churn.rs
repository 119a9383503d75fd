//! `--churn PCT`: that share of users change their Teams client state or their phone state
//! per minute. The sequence of changes is deterministic for a seed (its timing follows the
//! wall clock).

use std::sync::Arc;
use std::time::Duration;

use rand::{RngExt, SeedableRng};

use crate::wire::graph::{Activity, Availability};

use super::Sim;
use super::world::{CLIENT_SESSION, CallState};

pub async fn run(sim: Arc<Sim>, seed: u64, churn_pct: f64) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0xC4_0C4);
    let mut owed = 0.0f64;
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    loop {
        ticker.tick().await;
        let mut state = sim.state();
        let world = &mut state.world;
        let users = world.dir.count;
        owed += users as f64 * churn_pct / 100.0 / 60.0;
        while owed >= 1.0 {
            owed -= 1.0;
            let i = rng.random_range(0..users);
            if world.user(i).deleted {
                continue;
            }
            match rng.random_range(0..8u8) {
                0 => world.set_session(
                    i,
                    CLIENT_SESSION,
                    Availability::Available,
                    Activity::Available,
                    None,
                ),
                1 => world.set_session(i, CLIENT_SESSION, Availability::Away, Activity::Away, None),
                2 => world.set_session(
                    i,
                    CLIENT_SESSION,
                    Availability::Busy,
                    Activity::InAMeeting,
                    None,
                ),
                3 => {
                    world.clear_session(i, CLIENT_SESSION);
                }
                4 | 5 => {
                    let next = if world.user(i).call_state == CallState::Idle {
                        CallState::Busy
                    } else {
                        CallState::Idle
                    };
                    super::control::set_phone(world, i, Some(next), None);
                }
                6 => super::control::set_phone(world, i, Some(CallState::Ringing), None),
                _ => {
                    let dnd = !world.user(i).dnd;
                    super::control::set_phone(world, i, None, Some(dnd));
                }
            }
        }
    }
}
