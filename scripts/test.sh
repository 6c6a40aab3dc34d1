#!/usr/bin/env bash
# Runs the static checks (scripts/lint.sh), then every test suite, and prints one closing line
# "N passed, N failed[, N skipped]" (a lint failure is printed just above it and fails the run).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .test-results
rm -f .test-results/*.json .test-results/*.xml

bash scripts/lint.sh
lint_rc=$?

npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json
vitest_rc=$?

python3 -m pytest -q images/common/tests --junitxml=.test-results/pytest-host.xml -p no:cacheprovider
pytest_rc=$?

if [ $lint_rc -ne 0 ]; then echo "lint failed: see the 'lint:' lines at the top (bash scripts/lint.sh)"; fi
node scripts/summarize-tests.mjs .test-results
summary_rc=$?
if [ $lint_rc -ne 0 ] || [ $vitest_rc -ne 0 ] || [ $pytest_rc -ne 0 ] || [ $summary_rc -ne 0 ]; then exit 1; fi
