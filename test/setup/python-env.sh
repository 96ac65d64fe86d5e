#!/usr/bin/env bash
# Creates (or reuses) the git-ignored virtualenv .venv/NAME from the pinned
# test/setup/requirements-NAME.txt and prints its path on stdout.
# Reused as long as the requirements file is unchanged, so a second run is instant.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
name=${1:?usage: test/setup/python-env.sh NAME}
req="$root/test/setup/requirements-$name.txt"
venv="$root/.venv/$name"
stamp="$venv/.requirements.sha256"
[[ -f "$req" ]] || { echo "python-env: no $req" >&2; exit 2; }
want=$(sha256sum "$req" | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "python-env: installing $name into .venv/$name" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$req" >&2
  echo "$want" > "$stamp"
fi
echo "$venv"
