#!/usr/bin/env bash
# End-to-end scoring benchmark: N leads with ~10 events each in SQLite, scored with the B2B
# example model by `leadscore score`, next to a bare ordered scan of the same events in the
# same database. Prints each run and the medians of RUNS runs.
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
scan_rates=() score_rates=() memory=()
for i in $(seq "$runs"); do
  scan_line=$("$bench" scan "$work/leadscore.db")
  echo "$scan_line"
  rows=$(echo "$scan_line" | awk '{ print $2 }')
  scan_rates+=("$(echo "$scan_line" | awk '{ print $8 }')")
  run_line=$(cd "$work" && "$bench" run "$ls" score --as-of 2026-06-30 --top 5 2>&1 >/dev/null | tail -1)
  echo "$run_line"
  seconds=$(echo "$run_line" | awk '{ print $2 }')
  score_rates+=("$(awk -v r="$rows" -v s="$seconds" 'BEGIN { printf "%.0f", r / s }')")
  memory+=("$(echo "$run_line" | awk '{ print $5 }')")
done
scan_median=$(printf '%s\n' "${scan_rates[@]}" | median)
score_median=$(printf '%s\n' "${score_rates[@]}" | median)
memory_median=$(printf '%s\n' "${memory[@]}" | median)
echo "leads: $leads, events: $rows, runs: $runs"
echo "bare ordered scan:       median $scan_median rows/s"
echo "leadscore score (e2e):   median $score_median events/s ($(awk -v a="$score_median" -v b="$scan_median" 'BEGIN { printf "%.2f", a / b }') of the scan), peak memory median $memory_median MiB"
