#!/usr/bin/env bash
# Import benchmark: `leadscore import` of N generated leads with ~10 events each, into a fresh
# database per run, as CSV with event ids and as CSV without them (content-keyed events, the
# slower path). Several binaries can be given: they run interleaved in the same session, so
# that an old and a new build see the same machine load. Prints each run and the medians.
#
#   bash tools/bench/bench_import.sh [LEADS=100000] [RUNS=5] [LEADSCORE_BINARY...]
#
# Without binaries it measures build/leadscore. Rows/s count the event rows of one import.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
leads=${1:-100000}
runs=${2:-5}
shift $(($# < 2 ? $# : 2))
build=${BUILD_DIR:-$root/build}
bench="$build/leadscore_bench_store"
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=("$build/leadscore")
work=$(mktemp -d /tmp/leadscore-bench-import.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$bench" generate "$work" "$leads" 10 >/dev/null
# The id-less variant: the same events with their id cells left empty.
awk 'NR == 1 { print; next } { sub(/^[^,]*/, ""); print }' "$work/events.csv" >"$work/events_noid.csv"
events=$(($(wc -l <"$work/events.csv") - 1))
cat >"$work/leadscore.yaml" <<YAML
database: leadscore.db
models:
  - {name: b2b, file: $root/rules/examples/b2b_saas.score}
import:
  events: {id: id}
YAML

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
seconds_of() { "$bench" run "$@" 2>&1 >/dev/null | tail -1 | awk '{ print $2 }'; }

declare -A with_id without_id
for i in $(seq "$runs"); do
  for b in "${!binaries[@]}"; do
    ls=${binaries[$b]}
    for variant in events events_noid; do
      rm -rf "$work/leadscore.db"* "$work/rejects"
      (cd "$work" && "$bench" run "$ls" import leads leads.csv >/dev/null 2>&1)
      s=$(cd "$work" && seconds_of "$ls" import events "$variant.csv")
      rate=$(awk -v n="$events" -v s="$s" 'BEGIN { printf "%.0f", n / s }')
      echo "run $i, $ls, $variant: $s s, $rate rows/s"
      if [ "$variant" = events ]; then with_id[$b]+="$rate "; else without_id[$b]+="$rate "; fi
    done
  done
done
echo "leads: $leads, events: $events, runs: $runs"
for b in "${!binaries[@]}"; do
  m1=$(printf '%s\n' ${with_id[$b]} | median)
  m2=$(printf '%s\n' ${without_id[$b]} | median)
  echo "${binaries[$b]}: median $m1 event rows/s with ids, $m2 without ids"
done
