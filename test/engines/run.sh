#!/usr/bin/env bash
# npm run test:engines: the generated jobs on real Spark + Iceberg (and the services
# test/engines/services.py starts, when present). Creates the pinned virtualenv
# .venv/engines, fetches the pinned jars of every test/engines/maven/spark-*.pom.xml
# into .cache/engines/jars (other *.pom.xml into .cache/engines/lib/<name>/) with
# Maven, then runs pytest on test/engines. Versions come from
# infra/spark/engine-versions.json (the default EMR release label). Downloads are
# cached under .cache/engines; a second run only starts Spark.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cache="$root/.cache/engines"
mkdir -p "$cache"
now() { date +%s.%N; }
t0=$(now)

# Java 17 for Spark 3.5.
if [[ -z "${JAVA_HOME:-}" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"17\.'; then
  for candidate in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk /usr/lib/jvm/java-17-*; do
    if [[ -x "$candidate/bin/java" ]]; then export JAVA_HOME="$candidate"; break; fi
  done
fi
[[ -n "${JAVA_HOME:-}" ]] || { echo "test:engines: no Java 17 found (set JAVA_HOME)" >&2; exit 2; }
export PATH="$JAVA_HOME/bin:$PATH"

venv=$(test/setup/python-env.sh engines)
t1=$(now)

# Versions of the default release label (spark, spark minor, scala, iceberg) and the
# PostgreSQL driver of generated jobs.
read -r spark_version spark_minor scala_binary iceberg_version postgresql_version < <(python3 - "$root/infra/spark/engine-versions.json" <<'PY'
import json, sys
table = json.load(open(sys.argv[1]))
v = table["releases"][table["default"]]
print(v["spark"], ".".join(v["spark"].split(".")[:2]), v["scala"], v["iceberg"], table["jdbcDrivers"]["postgresql"])
PY
)

jars="$cache/jars"
lib="$cache/lib"
want=$( { cat infra/spark/engine-versions.json; cat test/engines/maven/*.pom.xml; } | sha256sum | cut -d' ' -f1)
if [[ ! -f "$cache/jars.sha256" || "$(cat "$cache/jars.sha256")" != "$want" ]]; then
  echo "test:engines: fetching jars with Maven into .cache/engines" >&2
  rm -rf "$jars" "$lib"
  mkdir -p "$jars" "$lib"
  for pom in test/engines/maven/*.pom.xml; do
    name=$(basename "$pom" .pom.xml)
    case "$name" in spark-*) out="$jars" ;; *) out="$lib/$name" ;; esac
    mvn -q -B -f "$pom" -Dmaven.repo.local="$cache/m2" \
      -Dspark.version="$spark_version" -Dspark.minor="$spark_minor" \
      -Dscala.binary="$scala_binary" -Diceberg.version="$iceberg_version" \
      -Dpostgresql.version="$postgresql_version" \
      org.apache.maven.plugins:maven-dependency-plugin:3.11.0:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$out" >&2
  done
  echo "$want" > "$cache/jars.sha256"
fi
t2=$(now)

LAKESTEP_ENGINE_JARS=$(find "$jars" -name '*.jar' | sort | paste -sd, -)
export LAKESTEP_ENGINE_JARS
export LAKESTEP_ENGINE_LIB="$lib"
export LAKESTEP_ENGINE_SETUP_SECONDS
LAKESTEP_ENGINE_SETUP_SECONDS=$(python3 -c "print(f'venv={$t1-$t0:.1f} jars={$t2-$t1:.1f}')")
export PYARROW_IGNORE_TIMEZONE=1
# Everything the run creates (pytest's temporary folders, the PostgreSQL cluster, the
# Kafka log dirs, their pid files) lives in one private folder, removed at the end.
# Servers are stopped by their fixtures; whatever is still running when pytest is
# gone (killed, interrupted) is stopped here by the pid files services.py writes.
run_dir=$(mktemp -d "${TMPDIR:-/tmp}/lakestep-engines-XXXXXX")
chmod 711 "$run_dir"  # PostgreSQL runs as its own user below it
export LAKESTEP_ENGINE_RUN_DIR="$run_dir"
pytest_pid=
cleanup() {
  set +e  # every step runs, whatever failed before
  if [[ -n "$pytest_pid" ]]; then
    # pytest leads a process group of its own: it, the compiler runs and Spark's JVM.
    kill -TERM -- "-$pytest_pid" 2>/dev/null
    wait "$pytest_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 -- "-$pytest_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pytest_pid" 2>/dev/null
  fi
  local pidfile pid signal
  while IFS= read -r pidfile; do
    pid=$(head -n1 "$pidfile" 2>/dev/null) || continue
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    signal=TERM
    [[ "$pidfile" == */postmaster.pid ]] && signal=INT  # PostgreSQL's fast shutdown
    kill -"$signal" "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done < <(find "$run_dir" \( -name postmaster.pid -o -name '*.server.pid' \) 2>/dev/null)
  rm -rf "$run_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Arguments go to pytest; without a test path, the whole of test/engines runs.
paths=("$root/test/engines")
for arg in "$@"; do [[ "$arg" == test/* || "$arg" == /* ]] && paths=(); done
started=$(now)
setsid "$venv/bin/python" -m pytest "${paths[@]}" -p no:cacheprovider -q -rfE --basetemp "$run_dir/pytest" "$@" &
pytest_pid=$!
status=0
wait "$pytest_pid" || status=$?
pytest_pid=
python3 -c "print(f'test:engines: {$(now)-$t0:.0f}s wall (setup {$t2-$t0:.0f}s, pytest {$(now)-$started:.0f}s)')" >&2
exit "$status"
