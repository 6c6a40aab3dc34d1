#!/usr/bin/env bash
# Assemble a runtime image's build context as docs/ARCHITECTURE.md, "Build contexts" describes, as a tar file
# (or a folder), for `docker build`. The TypeScript pipeline (pipeline/images) does the same in code.
#   images/build-context.sh RUNTIME FLAVOUR OUT        OUT ending in .tar: a tar file; else a folder
# Env: GREENRT_CA_BUNDLE  extra CA bundle copied to /ca-bundle.crt (default: empty file).
# Example: images/build-context.sh pytorch cpu /tmp/ctx.tar && docker build -t greenrt/pytorch:cpu \
#            --build-arg FLAVOUR=cpu - < /tmp/ctx.tar
set -euo pipefail
if [ $# -ne 3 ]; then sed -n '2,8p' "$0" >&2; exit 2; fi
runtime="$1" flavour="$2" out="$3"
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/images/$runtime"
[ -f "$src/Dockerfile" ] || { echo "build-context: $src/Dockerfile not found (runtime \"$runtime\")." >&2; exit 2; }
case "$flavour" in cpu|cuda) ;; *) echo "build-context: flavour must be cpu or cuda." >&2; exit 2 ;; esac

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp "$src/Dockerfile" "$stage/Dockerfile"
mkdir -p "$stage/runtime" "$stage/common" "$stage/schemas"
tar -C "$src" --exclude=./Dockerfile --exclude='__pycache__' --exclude='.pytest_cache' -cf - . | tar -C "$stage/runtime" -xf -
tar -C "$root/images/common" --exclude='__pycache__' --exclude='.pytest_cache' -cf - . | tar -C "$stage/common" -xf -
cp "$root"/schemas/*.schema.json "$stage/schemas/"
if [ -n "${GREENRT_CA_BUNDLE:-}" ]; then cp "$GREENRT_CA_BUNDLE" "$stage/ca-bundle.crt"; else : > "$stage/ca-bundle.crt"; fi

if [[ "$out" == *.tar ]]; then
  # Sorted names, fixed owner and mtime: the same sources give the same tar bytes.
  tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime='2000-01-01 00:00:00Z' -cf "$out" .
else
  mkdir -p "$out" && cp -a "$stage/." "$out/"
fi
echo "build-context: $runtime/$flavour -> $out"
