#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (into build-fuzz/) and runs each for a bounded time
# on seed corpora made from the repository's models and data. Exits 1 when a harness crashed,
# failed a check, hung or ran out of memory; the input that did it is saved under
# build-fuzz/fuzz-artifacts/<harness>/ (copy it to tests/fuzz/regressions/<harness>/ with the
# fix, so the ordinary build replays it).
#
#   bash tests/fuzz/run_fuzzers.sh [SECONDS_EACH [HARNESS...]]     default: 45 s, every harness
#   BUILD_DIR=build-fuzz   where to build
#   FUZZ_NICE=10           nice level of the fuzzing runs (0: none)
#   FUZZ_JOBS=$(nproc)     harnesses run at the same time
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-45}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(compile fmt generated csv jsonl project)
build_dir=${BUILD_DIR:-build-fuzz}
case "$build_dir" in /*) ;; *) build_dir="$root/$build_dir" ;; esac
fuzz_src="$root/tests/fuzz"

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# -O1 with line tables only: fuzzing speed is nearly that of -O2, the build (which CI pays for)
# is much faster, and the sanitizers' stack traces still name file and line.
CXX=clang++ cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEADSCORE_FUZZ=ON \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target leadscore_fuzzers

# Seeds are made fresh on every run from what the repository holds (nothing is copied into
# tests/fuzz). Each harness also keeps its own growing corpus in build-fuzz/fuzz-corpus/.
# One seed folder per run, so that two runs on different harnesses can share the build.
seeds="$build_dir/fuzz-seeds/$$"
trap 'rm -rf "$seeds"' EXIT
mkdir -p "$seeds"/{model,generated,csv,jsonl,project}
copy_seeds() {  # DEST FIND-ARGS...: copies matching files, numbered to avoid name clashes
  local dest=$1 n=0
  shift
  while IFS= read -r -d '' f; do
    n=$((n + 1))
    cp "$f" "$dest/$n-$(basename "$f")"
  done < <(find "$@" -type f -print0 | sort -z)
}
copy_seeds "$seeds/model" "$root/rules/examples" "$root/tests/semantics" "$root/tests/golden" \
  -name '*.score'
copy_seeds "$seeds/project" "$root/rules/examples" "$root/tests/semantics" -name '*.yaml'
copy_seeds "$seeds/jsonl" "$root/rules/examples/data" -name '*.json*'
# The CSV harness reads its first byte as reading options (chunk size, record limit), so each
# seed is a byte followed by CSV text: small records in each dialect the reader accepts.
csv_seed() {  # NAME KNOB-OCTAL TEXT
  { printf "\\$2"; printf '%b' "$3"; } >"$seeds/csv/$1.csv"
}
csv_seed plain 003 'id,email,employees\nL1,ann@example.com,800\nL2,bob@example.org,12\n'
csv_seed crlf 007 'id,ts,type\r\nE1,2026-03-01 12:00:00,page_view\r\nE2,2026-03-02,email_open\r\n'
csv_seed quoted 001 'id,note\n"L1","a ""quoted"" word, and a comma"\n"L2","two\nlines"\n'
csv_seed bom_cr 017 '\xef\xbb\xbfid,result\rL1,won\rL2,lost'
csv_seed limit 220 'id,text\nL1,"a long field that passes the small record limit of this seed"\n'
csv_seed blank_lines 002 'a,b\n\n\n1,2\n\r\n3,4'
for f in "$root"/build/demo/*.csv; do  # the demo export, when tools/demo.sh has made one
  [ -f "$f" ] && { printf '\005'; head -n 20 "$f"; } >"$seeds/csv/demo-$(basename "$f")"
done
printf '%s\n' '{"id": "L1", "at": "2026-01-05T10:00:00Z", "attrs": {"employees": 800, "ok": true}}' \
  '{"id": 7, "attrs": {"industry": "energy", "score": 1.5e3, "gone": null}}' >"$seeds/jsonl/leads.jsonl"
printf '%s\r\n' '{"id": "E9", "lead_id": "L1", "ts": "2026-03-01 12:00", "type": "page_view", "url": "/pricing"}' \
  '{"lead_id": "L1", "ts": "2026-03-01", "result": "won"}' '' '{"type": "webinar", "at": "2026-03-02T08:00:00+02:00"}' \
  >"$seeds/jsonl/events_crlf.jsonl"

# The generated harness reads its input as the generator's decisions: any bytes make a model.
for i in 1 2 3 4 5 6 7 8; do head -c $((64 * i)) /dev/urandom >"$seeds/generated/random-$i"; done

seed_dir() { case $1 in compile | fmt) echo model ;; *) echo "$1" ;; esac; }
dict() { case $1 in compile | fmt) echo model ;; jsonl) echo json ;; generated) ;; *) echo "$1" ;; esac; }

nice_cmd=()
[ "${FUZZ_NICE:-10}" != 0 ] && nice_cmd=(nice -n "${FUZZ_NICE:-10}")

# Runs one harness and writes its one-line result to fuzz-logs/HARNESS.result.
run_harness() {
  local h=$1 status=0
  local corpus="$build_dir/fuzz-corpus/$h" artifacts="$build_dir/fuzz-artifacts/$h"
  local log="$build_dir/fuzz-logs/$h.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  local dict_arg=()
  [ -n "$(dict "$h")" ] && dict_arg=(-dict="$fuzz_src/$(dict "$h").dict")
  # -timeout: an input that takes over 10 s is a hang; -rss_limit_mb: one over 2 GiB a leak or
  # a missing limit. New inputs go to the first folder, the corpus kept between runs.
  "${nice_cmd[@]}" "$build_dir/tests/fuzz/leadscore_fuzz_$h" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 ${dict_arg[@]+"${dict_arg[@]}"} \
    -artifact_prefix="$artifacts/" "$corpus" "$seeds/$(seed_dir "$h")" >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    echo "$h: FAILED (exit $status), see $log and $artifacts/" >"$log.result"
    return
  fi
  local done_line execs rate cov ft corp valid
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(echo "$done_line" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$done_line" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
  corp=$(echo "$done_line" | sed -n 's/.*corp: \([0-9]*\/[^ ]*\).*/\1/p')
  valid=$(sed -n 's/^[a-z]*: \(.* inputs were valid models.*\)/; \1/p' "$log" | tail -n 1)
  echo "$h: ${execs:-?} execs, ${rate:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}," \
    "corpus ${corp:-?}${valid}" >"$log.result"
}

# As many harnesses at a time as there are cores (FUZZ_JOBS), each on one core.
jobs_at_once=${FUZZ_JOBS:-$(nproc)}
for h in "${harnesses[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_at_once" ]; do wait -n || true; done
  echo "== fuzz $h (${seconds} s)"
  rm -f "$build_dir/fuzz-logs/$h.log.result"
  run_harness "$h" &
done
wait

echo "== fuzz summary"
failed=()
for h in "${harnesses[@]}"; do
  result="$build_dir/fuzz-logs/$h.log.result"
  if [ ! -f "$result" ]; then
    echo "$h: no result (the run did not finish)"
    failed+=("$h")
    continue
  fi
  cat "$result"
  if grep -q ': FAILED' "$result"; then
    failed+=("$h")
    grep -E 'ERROR|fuzz check failed|SUMMARY|Test unit written' "$build_dir/fuzz-logs/$h.log" |
      head -n 10 || true
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
