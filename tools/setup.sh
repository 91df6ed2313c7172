#!/usr/bin/env bash
# Installs what leadscore needs from Debian packages (only when something is missing) and
# builds it. Used by tools/demo.sh and tools/test.sh; safe to run again.
#
#   BUILD_DIR=build            where to build
#   LEADSCORE_SANITIZE=ON      build with AddressSanitizer + UndefinedBehaviorSanitizer
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-build}
case "$build_dir" in /*) ;; *) build_dir="$root/$build_dir" ;; esac

packages=(build-essential cmake pkg-config tao-pegtl-dev libyaml-cpp-dev libsqlite3-dev
          libboost-program-options-dev doctest-dev libre2-dev nlohmann-json3-dev ccache)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DLEADSCORE_SANITIZE="${LEADSCORE_SANITIZE:-OFF}" "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
