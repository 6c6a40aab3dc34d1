#!/usr/bin/env bash
# Write a runtime image's build context (docs/ARCHITECTURE.md, "Build contexts") as a tar file (or a folder),
# for `docker build` by hand. A wrapper around `greenrt images context`: the same bytes, and so the same
# content-hash tag, as `greenrt images build` (one layout, pipeline/images/build-context.ts). Needs `make build`.
#   images/build-context.sh RUNTIME FLAVOUR OUT        OUT ending in .tar: a tar file; else a folder
# Env: GREENRT_CA_BUNDLE  CA bundle copied to /ca-bundle.crt (default: the host trust store; "none": empty). Not in the tag.
# Example: images/build-context.sh pytorch cpu /tmp/ctx.tar && docker build -t greenrt/pytorch:cpu \
#            --build-arg FLAVOUR=cpu --build-arg SOURCE_DATE_EPOCH=$(cat images/common/source-date-epoch) - < /tmp/ctx.tar
set -euo pipefail
if [ $# -ne 3 ]; then sed -n '2,8p' "$0" >&2; exit 2; fi
runtime="$1" flavour="$2" out="$3"
root="$(cd "$(dirname "$0")/.." && pwd)"
[ -f "$root/dist/cli/main.js" ] || { echo "build-context: the greenrt CLI is not built ($root/dist). Run make build first." >&2; exit 2; }
greenrt() { node "$root/bin/greenrt.js" "$@"; }

if [[ "$out" == *.tar ]]; then
  greenrt images context "$runtime" --flavour "$flavour" --out "$out" >&2
else
  stage="$(mktemp -d)"
  trap 'rm -rf "$stage"' EXIT
  greenrt images context "$runtime" --flavour "$flavour" --out "$stage/context.tar" >&2
  mkdir -p "$out" && tar -C "$out" -xf "$stage/context.tar"
fi
echo "build-context: $runtime/$flavour -> $out"
