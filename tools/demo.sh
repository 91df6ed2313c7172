#!/usr/bin/env bash
# The main job on bundled example data: build, generate the demo project (5 000 leads of a
# manufacturing-equipment maker, fixed seed), import it into SQLite, score every lead and
# explain the top ones.
#
#   DEMO_DIR=build/demo   where the demo project is written (recreated on every run)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/tools/setup.sh"
ls="$root/build/leadscore"
demo=${DEMO_DIR:-$root/build/demo}
end=2026-11-30   # the generator's last day; scoring as of it keeps the demo identical every day

echo "== Generating the demo project in $demo"
rm -rf "$demo"
mkdir -p "$demo"
"$root/build/leadscore_demo_gen" "$demo" --leads 5000 --seed 42 --end "$end"
cp "$root/rules/examples/demo/leadscore.yaml" "$root/rules/examples/demo/demo.score" "$demo/"
cd "$demo"

echo
echo "== Checking the model and running its rule tests"
"$ls" check demo.score --schema leadscore.yaml
"$ls" test "$root/rules/examples/demo"

echo
echo "== Importing the CRM exports"
"$ls" import leads leads.csv
"$ls" import events events.csv
"$ls" import outcomes deals.csv

echo
echo "== The 10 best leads as of $end"
"$ls" score --as-of "$end" --top 10 | tee top.txt

top=$(awk 'NR > 1 && NR <= 4 { print $1 }' top.txt)
for lead in $top; do
  echo
  echo "== Why $lead scores as it does"
  "$ls" explain --lead "$lead" --as-of "$end"
done

echo
echo "== Next: the timeline of one lead, and the project on your own data"
echo "  cd $demo && $ls replay --lead ${top%%$'\n'*} --as-of $end"
echo "  $ls init my-project   # a commented leadscore.yaml to map your own CSV exports"
