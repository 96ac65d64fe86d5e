#!/usr/bin/env bash
# npm run test:browser: the platform page (lakestep ui) in a real headless browser.
# Installs Debian's chromium the first time (test/setup/chromium.sh), then runs the
# vitest suite of test/browser/ with it; screenshots go to test/browser/output/.
set -euo pipefail
cd "$(dirname "$0")/../.."
LAKESTEP_CHROMIUM=$(bash test/setup/chromium.sh)
export LAKESTEP_CHROMIUM
echo "test:browser: $("$LAKESTEP_CHROMIUM" --version 2>/dev/null | head -1)" >&2
exec npx vitest run --config vitest.browser.config.ts "$@"
