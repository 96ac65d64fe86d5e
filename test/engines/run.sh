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

# Versions of the default release label: spark, spark minor, scala, iceberg.
read -r spark_version spark_minor scala_binary iceberg_version < <(python3 - "$root/infra/spark/engine-versions.json" <<'PY'
import json, sys
table = json.load(open(sys.argv[1]))
v = table["releases"][table["default"]]
print(v["spark"], ".".join(v["spark"].split(".")[:2]), v["scala"], v["iceberg"])
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
# Arguments go to pytest; without a test path, the whole of test/engines runs.
paths=("$root/test/engines")
for arg in "$@"; do [[ "$arg" == test/* || "$arg" == /* ]] && paths=(); done
exec "$venv/bin/python" -m pytest "${paths[@]}" -p no:cacheprovider -q -rfE "$@"
