#!/usr/bin/env bash
# Sets everything up, builds, and runs the whole test suite with ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/tools/setup.sh"
build_dir=${BUILD_DIR:-build}
case "$build_dir" in /*) ;; *) build_dir="$root/$build_dir" ;; esac
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"
