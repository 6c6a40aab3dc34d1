#!/usr/bin/env bash
# Static checks, each named in the output; exit 1 when any fails (the findings are printed above).
#   Biome's linter and formatter check over the TypeScript and scripts (biome.jsonc; version pinned in package.json), tsc --noEmit
#   over everything (tests, fakes, e2e and bench included: tsconfig.json), the catalogue's and the schemas'
#   generated copies (drift), and Ruff over the Python (ruff.toml; PyPI `ruff`, version below).
set -uo pipefail
cd "$(dirname "$0")/.."
RUFF_VERSION=0.17.6
failed=()

echo "lint: biome lint (biome.jsonc)"
npx biome lint --error-on-warnings || failed+=(biome)

echo "lint: biome format (check only; fix with: npx biome format --write)"
npx biome format || failed+=(biome-format)

echo "lint: tsc --noEmit -p tsconfig.json"
npx tsc -p tsconfig.json --noEmit || failed+=(tsc)

echo "lint: generated copies (catalogue, types)"
node scripts/gen-catalogue.mjs --check || failed+=(gen-catalogue)
node scripts/gen-types.mjs --check || failed+=(gen-types)

ruff_cmd=()
if command -v ruff >/dev/null && [ "$(ruff --version)" = "ruff $RUFF_VERSION" ]; then ruff_cmd=(ruff)
elif python3 -m ruff --version 2>/dev/null | grep -qx "ruff $RUFF_VERSION"; then ruff_cmd=(python3 -m ruff)
fi
if [ ${#ruff_cmd[@]} -eq 0 ]; then
  echo "lint: ruff $RUFF_VERSION not found. Install it: python3 -m pip install ruff==$RUFF_VERSION" >&2
  failed+=(ruff)
else
  echo "lint: ${ruff_cmd[*]} check (ruff.toml)"
  "${ruff_cmd[@]}" check --no-cache || failed+=(ruff)
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "lint: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "lint: passed"
