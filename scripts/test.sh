#!/usr/bin/env bash
# Runs every test suite and prints one closing line "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .test-results
rm -f .test-results/*.json .test-results/*.xml

npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json
vitest_rc=$?

python3 -m pytest -q images/common/tests --junitxml=.test-results/pytest-host.xml -p no:cacheprovider
pytest_rc=$?

node scripts/summarize-tests.mjs .test-results
summary_rc=$?
if [ $vitest_rc -ne 0 ] || [ $pytest_rc -ne 0 ] || [ $summary_rc -ne 0 ]; then exit 1; fi
