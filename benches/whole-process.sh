#!/usr/bin/env bash
# Whole-process figures (docs/benchmarks.md): the emulator and mcteams each run in their own
# process, from the release build, and mcteams is measured with /usr/bin/time -v.
#
#   benches/whole-process.sh            # sync cycle, Graph read and propagation, 100,000 users
#   MCTEAMS_BENCH_USERS=10000 benches/whole-process.sh sync
#
# Arguments pick the benchmarks (sync, graph, propagation; all by default; and, with
# MCTEAMS_BENCH_POSTGRES naming a PostgreSQL server (.ci/postgres starts one; its password in
# MCTEAMS_BENCH_POSTGRES_PASSWORD), sync-postgres: the sync benchmark on a PostgreSQL store,
# and migrate: `state migrate` of the converged SQLite store to it):
#
#   MCTEAMS_BENCH_POSTGRES=$(.ci/postgres) MCTEAMS_BENCH_POSTGRES_PASSWORD=mcteams-ci \
#     benches/whole-process.sh sync sync-postgres migrate
# Every knob of the
# benchmarks (MCTEAMS_BENCH_*) passes through; the defaults below are the README's figures'.
# The machine should be otherwise idle: run nothing else (no build) alongside, and quote
# medians over several runs. Output goes to the terminal and to target/whole-process.log.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! [ -x /usr/bin/time ]; then
  echo "needs /usr/bin/time (Debian: apt-get install time)" >&2
  exit 1
fi

export MCTEAMS_BENCH_USERS="${MCTEAMS_BENCH_USERS:-100000}"
export MCTEAMS_BENCH_LATENCY_MS="${MCTEAMS_BENCH_LATENCY_MS:-20}"
export MCTEAMS_BENCH_LATENCY="${MCTEAMS_BENCH_LATENCY:-${MCTEAMS_BENCH_LATENCY_MS}ms}"

benches=("$@")
if [ ${#benches[@]} -eq 0 ]; then
  benches=(sync graph propagation)
fi

# Build first, so no compiler shares the machine with a measurement.
targets=()
for bench in "${benches[@]}"; do
  case "$bench" in
    sync-postgres | migrate) targets+=(sync) ;;
    *) targets+=("$bench") ;;
  esac
done
cargo bench --no-run $(printf -- '--bench %s ' "${targets[@]}")

log=target/whole-process.log
: >"$log"
for bench in "${benches[@]}"; do
  echo "== ${bench} (${MCTEAMS_BENCH_USERS} users, ${MCTEAMS_BENCH_LATENCY} per request)" | tee -a "$log"
  case "$bench" in
    sync) env -u MCTEAMS_BENCH_POSTGRES cargo bench --bench sync ;;
    sync-postgres) MCTEAMS_BENCH_POSTGRES="${MCTEAMS_BENCH_POSTGRES:?needs a PostgreSQL server}" cargo bench --bench sync ;;
    migrate) MCTEAMS_BENCH_MIGRATE=1 cargo bench --bench sync ;;
    *) cargo bench --bench "$bench" ;;
  esac 2>&1 | tee -a "$log"
done
echo "== written to ${log}"
