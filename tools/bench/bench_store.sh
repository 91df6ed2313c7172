#!/usr/bin/env bash
# End-to-end scoring benchmark: N leads with ~10 events each in SQLite, scored with the B2B
# example model by `leadscore score`, next to a bare ordered scan of the same events in the
# same database, twice: opened with SQLite's defaults (the issue's minimal program) and opened
# as the engine opens its connection (no mutex), the stricter floor. Prints each run, the
# medians of RUNS runs and the engine's ratio to both.
#
#   bash tools/bench/bench_store.sh [LEADS=100000] [RUNS=3] [WORK_DIR=/tmp/leadscore-bench-LEADS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
leads=${1:-100000}
runs=${2:-3}
work=${3:-/tmp/leadscore-bench-$leads}
build=${BUILD_DIR:-$root/build}
bench="$build/leadscore_bench_store"
ls="$build/leadscore"

if [ ! -f "$work/leadscore.db" ]; then
  rm -rf "$work"
  "$bench" generate "$work" "$leads" 10
  cat > "$work/leadscore.yaml" <<YAML
database: leadscore.db
models:
  - {name: b2b, file: $root/rules/examples/b2b_saas.score}
YAML
  (cd "$work" && "$bench" run "$ls" import leads leads.csv && "$bench" run "$ls" import events events.csv)
  rm -f "$work/leads.csv" "$work/events.csv"
fi
ls -l "$work/leadscore.db"

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
scan_rates=() strict_rates=() score_rates=() memory=()
for i in $(seq "$runs"); do
  scan_line=$("$bench" scan "$work/leadscore.db")
  echo "$scan_line"
  rows=$(echo "$scan_line" | awk '{ print $2 }')
  scan_rates+=("$(echo "$scan_line" | awk '{ print $8 }')")
  strict_line=$("$bench" scan "$work/leadscore.db" --no-mutex)
  echo "$strict_line (no mutex)"
  strict_rates+=("$(echo "$strict_line" | awk '{ print $8 }')")
  run_line=$(cd "$work" && "$bench" run "$ls" score --as-of 2026-06-30 --top 5 2>&1 >/dev/null | tail -1)
  echo "$run_line"
  seconds=$(echo "$run_line" | awk '{ print $2 }')
  score_rates+=("$(awk -v r="$rows" -v s="$seconds" 'BEGIN { printf "%.0f", r / s }')")
  memory+=("$(echo "$run_line" | awk '{ print $5 }')")
done
scan_median=$(printf '%s\n' "${scan_rates[@]}" | median)
strict_median=$(printf '%s\n' "${strict_rates[@]}" | median)
score_median=$(printf '%s\n' "${score_rates[@]}" | median)
memory_median=$(printf '%s\n' "${memory[@]}" | median)
echo "leads: $leads, events: $rows, runs: $runs"
echo "bare ordered scan:              median $scan_median rows/s"
echo "bare scan, engine's connection: median $strict_median rows/s (opened without SQLite's mutex, as the engine opens it)"
echo "leadscore score (e2e):          median $score_median events/s, peak memory median $memory_median MiB"
echo "ratio: $(ratio "$score_median" "$scan_median") of the bare scan, $(ratio "$score_median" "$strict_median") of the engine-connection scan (target 0.5)"
