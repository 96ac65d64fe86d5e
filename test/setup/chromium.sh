#!/usr/bin/env bash
# Prints the path of a headless browser for the browser tests: Debian's chromium,
# installed with apt-get the first time (as root; the browser is a system package,
# so it is the one thing this suite installs outside the repository). Set
# LAKESTEP_CHROMIUM to use another Chromium-based browser instead.
set -euo pipefail
if [[ -n "${LAKESTEP_CHROMIUM:-}" ]]; then
  [[ -x "$LAKESTEP_CHROMIUM" ]] || { echo "chromium.sh: LAKESTEP_CHROMIUM=$LAKESTEP_CHROMIUM is not an executable" >&2; exit 2; }
  echo "$LAKESTEP_CHROMIUM"
  exit 0
fi
if ! command -v chromium >/dev/null 2>&1; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "chromium.sh: chromium is not installed and only root can apt-get install it (or set LAKESTEP_CHROMIUM)" >&2
    exit 2
  fi
  echo "chromium.sh: installing Debian's chromium with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium >&2
fi
command -v chromium
