#!/usr/bin/env bash
# Runs the static checks (scripts/lint.sh), then every test suite, and prints one closing line
# "N passed, N failed[, N skipped]" (a lint failure is printed just above it and fails the run).
#
# The cuda image suite (four multi-GB image builds: network and disk bound) runs in a second vitest
# process beside the rest (trials in containers: CPU bound), which saves about a quarter of a fresh
# machine's time. The Debian bases both need are made first, so the two never debootstrap the same
# base at once. GREENRT_TEST_SERIAL=1 runs everything in one process instead.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .test-results
rm -f .test-results/*.json .test-results/*.xml .test-results/*.log

bash scripts/lint.sh
lint_rc=$?

cuda_suite=pipeline/e2e/gpu-images.docker.test.ts
cuda_pid=
parallel=0
if [ "${GREENRT_TEST_SERIAL:-0}" != 1 ] && docker info >/dev/null 2>&1; then
  parallel=1
  for suite in bookworm trixie; do
    bash images/base/build-base.sh "$suite" || { parallel=0; echo "test: base $suite not made here; running every suite in one process"; }
  done
fi
if [ $parallel = 1 ]; then
  echo "test: $cuda_suite runs in the background; its output follows the main run (.test-results/vitest-cuda.log)"
  npx vitest run "$cuda_suite" --reporter=default --reporter=json --outputFile.json=.test-results/vitest-cuda.json \
    >.test-results/vitest-cuda.log 2>&1 &
  cuda_pid=$!
  exclude=(--exclude "$cuda_suite")
else
  exclude=()
fi

npx vitest run "${exclude[@]}" --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json
vitest_rc=$?

cuda_rc=0
if [ -n "$cuda_pid" ]; then
  wait "$cuda_pid"
  cuda_rc=$?
  echo "----- $cuda_suite (ran in the background) -----"
  cat .test-results/vitest-cuda.log
fi

python3 -m pytest -q images/common/tests images/onnxruntime/tests/test_tensorrt_probe.py --junitxml=.test-results/pytest-host.xml -p no:cacheprovider
pytest_rc=$?

if [ $lint_rc -ne 0 ]; then echo "lint failed: see the 'lint:' lines at the top (bash scripts/lint.sh)"; fi
expect=(vitest.json)
[ -n "$cuda_pid" ] && expect+=(vitest-cuda.json)
node scripts/summarize-tests.mjs .test-results "${expect[@]}"
summary_rc=$?
if [ $lint_rc -ne 0 ] || [ $vitest_rc -ne 0 ] || [ $cuda_rc -ne 0 ] || [ $pytest_rc -ne 0 ] || [ $summary_rc -ne 0 ]; then exit 1; fi
