#!/usr/bin/env bash
# CloudFormation validity as a test: synthesizes the example platform (`npm run synth`,
# offline, cdk-nag on), the example with `governance: lake_formation` (cdk-nag on), and
# with `state_machine_roles: per_use_case` (cdk-nag on), golden
# case maintenance-managed (a table optimizer role; its clickstream use case is quarantined
# on purpose, so the compile exits 1 with a build) and a
# generated 200-workflow platform whose first use case migrates 2,000 tables through one
# DataSync task (test:scale checks the quotas of 300 use cases like it; linting all of
# them would not fit the CI's time), then runs the pinned
# cfn-lint (test/setup/requirements-cfnlint.txt) over every template. Passes only with
# no error and no warning: accepted findings are ignored in code, each with its reason
# (infra/nag/cfn-lint.ts). Ends with "cfn-lint: N templates passed, N failed".
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work="$root/.cache/cfnlint"
mkdir -p "$work"
venv=$(test/setup/python-env.sh cfnlint)

echo "cfn-lint: synthesizing the example platform (npm run synth)" >&2
npm run --silent synth >&2

echo "cfn-lint: synthesizing the example platform with governance: lake_formation" >&2
rm -rf "$work/specs-lf" "$work/build-lf" "$work/cdk.out-lf"
cp -r specs "$work/specs-lf"
sed -i 's/^governance: .*$/governance: lake_formation/' "$work/specs-lf/platform.yaml"
grep -qx 'governance: lake_formation' "$work/specs-lf/platform.yaml"
npx tsx src/cli/main.ts compile "$work/specs-lf" --out "$work/build-lf" > "$work/compile-lf.log" 2>&1 || { cat "$work/compile-lf.log" >&2; exit 1; }
npx cdk synth --quiet -c buildDir="$work/build-lf" -o "$work/cdk.out-lf" >&2

echo "cfn-lint: synthesizing the example platform with state_machine_roles: per_use_case" >&2
rm -rf "$work/specs-shared" "$work/build-shared" "$work/cdk.out-shared"
cp -r specs "$work/specs-shared"
printf '\nstate_machine_roles: per_use_case\n' >> "$work/specs-shared/platform.yaml"
npx tsx src/cli/main.ts compile "$work/specs-shared" --out "$work/build-shared" > "$work/compile-shared.log" 2>&1 || { cat "$work/compile-shared.log" >&2; exit 1; }
grep -q '"stateMachineRoles":"per_use_case"' "$work/build-shared/manifest.json"
npx cdk synth --quiet -c buildDir="$work/build-shared" -o "$work/cdk.out-shared" >&2

echo "cfn-lint: synthesizing golden case maintenance-managed (a use case's table optimizer role)" >&2
rm -rf "$work/build-managed" "$work/cdk.out-managed"
npx tsx src/cli/main.ts compile test/golden/maintenance-managed/specs --out "$work/build-managed" > "$work/compile-managed.log" 2>&1 || true
test -f "$work/build-managed/manifest.json" || { cat "$work/compile-managed.log" >&2; exit 1; }
npx cdk synth --quiet -c buildDir="$work/build-managed" -o "$work/cdk.out-managed" >&2

use_cases=40   # × 5 dags = 200 workflows
tables=2000    # in the first use case's migration
echo "cfn-lint: synthesizing a generated platform of $use_cases use cases, one migrating $tables tables" >&2
npx tsx test/setup/generated-specs.ts "$work/specs" "$use_cases" "$tables" >&2
# Its warnings (joins on rate() upstreams) are the generator's, not the templates'.
rm -rf "$work/build"
npx tsx src/cli/main.ts compile "$work/specs" --out "$work/build" > "$work/compile.log" 2>&1 || { cat "$work/compile.log" >&2; exit 1; }
rm -rf "$work/cdk.out"
npx cdk synth --quiet -c buildDir="$work/build" -o "$work/cdk.out" >&2

templates=(cdk.out/*.template.json "$work"/cdk.out-lf/*.template.json "$work"/cdk.out-shared/*.template.json "$work"/cdk.out-managed/*.template.json "$work"/cdk.out/*.template.json)
report="$work/report.txt"
set +e
region=$(node -p "JSON.parse(require('fs').readFileSync('build/manifest.json','utf8')).platform.region")
# Two processes (cfn-lint is single-threaded); any finding makes an invocation exit non-zero.
printf '%s\0' "${templates[@]}" | xargs -0 -n 12 -P 2 "$venv/bin/cfn-lint" --format parseable --regions "$region" -- > "$report"
status=$?
set -e
cat "$report"
failed=$(cut -d: -f1 "$report" | sort -u | grep -c . || true)
errors=$(grep -cE ':E[0-9]+:' "$report" || true)
warnings=$(grep -cE ':W[0-9]+:' "$report" || true)
echo "cfn-lint: ${#templates[@]} templates, $errors errors, $warnings warnings (exit $status)" >&2
echo "cfn-lint: $(( ${#templates[@]} - failed )) templates passed, $failed failed"
exit $(( status == 0 ? 0 : 1 ))
