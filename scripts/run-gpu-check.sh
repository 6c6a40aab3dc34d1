#!/usr/bin/env bash
# greenrt portable GPU bundle: unpack node (once) and run the GPU acceptance check
# (`greenrt doctor --measure`) with this host's Python, which must have torch with CUDA.
# Usage: ./run-gpu-check.sh [--artifacts DIR] [--idle-seconds S]     (or: ./run-gpu-check.sh doctor)
# Environment: GREENRT_PYTHON (default python3), GREENRT_NODE_DIR (where node is unpacked).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
node_dir="${GREENRT_NODE_DIR:-$here/.node}"
node="$node_dir/node"
if [ ! -x "$node" ]; then
  mkdir -p "$node_dir" 2>/dev/null || { node_dir="$(mktemp -d)"; node="$node_dir/node"; }
  if command -v xz >/dev/null 2>&1; then
    xz -dc "$here/node.xz" > "$node.tmp"
  else # Python's lzma reads xz: hosts without the xz tool still unpack
    "${GREENRT_PYTHON:-python3}" -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$here/node.xz" "$node.tmp"
  fi
  chmod 755 "$node.tmp" && mv "$node.tmp" "$node"
fi
cli="$here/greenrt/lib/cli/greenrt.mjs"
if [ "${1:-}" = "doctor" ] || [ "${1:-}" = "--help" ] || [ "${1:-}" = "run" ] || [ "${1:-}" = "validate" ] || [ "${1:-}" = "report" ]; then
  exec "$node" "$cli" "$@"
fi
# The bundle has no image build context: the check always runs the process runner (the host's Python).
exec "$node" "$cli" doctor --measure --runner process "$@"
