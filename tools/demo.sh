#!/usr/bin/env bash
# The main job on the bundled example data: build, check every example model, run their
# rule tests, and score one sample lead with the B2B model, explained rule by rule.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/tools/setup.sh"
ls="$root/build/leadscore"
examples="$root/rules/examples"

echo "== Checking the example models"
"$ls" check "$examples"/*.score
echo
echo "== Running their rule tests"
"$ls" test "$examples"
echo
echo "== Scoring a sample lead with the B2B SaaS model"
"$ls" eval "$examples/b2b_saas.score" --lead "$examples/data/lead.json" \
  --events "$examples/data/events.jsonl" --as-of 2026-06-30T00:00:00Z
