#!/usr/bin/env bash
# Export the demo model: MobileNetV2 from torchvision (seeded random weights by default), ONNX opset 17,
# through the greenrt PyTorch cpu image's `prepare` command. Runs the export twice and fails unless both
# runs give the same bytes, then writes experiments/models/<file>.onnx and its line in SHA256SUMS.
#   scripts/export-demo-model.sh [--pretrained] [--seed N] [--opset N] [--image TAG] [--rebuild]
# Needs Docker; builds greenrt/debian:trixie and greenrt/pytorch:cpu first when they are missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
weights=random seed=0 opset=17 image=greenrt/pytorch:cpu rebuild=0
while [ $# -gt 0 ]; do
  case "$1" in
    --pretrained) weights=pretrained; shift ;;
    --seed) seed="$2"; shift 2 ;;
    --opset) opset="$2"; shift 2 ;;
    --image) image="$2"; shift 2 ;;
    --rebuild) rebuild=1; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "export-demo-model: unknown argument $1 (see --help)." >&2; exit 2 ;;
  esac
done
command -v docker >/dev/null && docker info >/dev/null 2>&1 || {
  echo "export-demo-model: Docker is not reachable. Start dockerd (or set DOCKER_HOST) and run again." >&2; exit 3; }

if [ "$rebuild" -eq 1 ] || ! docker image inspect "$image" >/dev/null 2>&1; then
  "$root/images/base/build-base.sh" trixie
  ctx="$(mktemp --suffix=.tar)"
  GREENRT_CA_BUNDLE="${GREENRT_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}" \
    "$root/images/build-context.sh" pytorch cpu "$ctx"
  docker build -t "$image" --build-arg FLAVOUR=cpu - < "$ctx"
  rm -f "$ctx"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
network=(--network none)  # random weights need nothing from outside: prove it
[ "$weights" = pretrained ] && network=()
export_once() {  # $1: run name; prints the sha256 of model.onnx
  local out="$work/$1"
  mkdir -p "$out/in" "$out/prepared"
  cat > "$out/in/prepare.json" <<JSON
{"schemaVersion": 1, "framework": "pytorch", "model": "mobilenet_v2", "weights": "$weights", "seed": $seed,
 "referenceBatchSize": 1, "sequenceLength": 128, "exportOnnx": true, "opset": $opset, "outputDir": "/greenrt/out"}
JSON
  docker run --rm "${network[@]}" --user "$(id -u):$(id -g)" -e HOME=/tmp \
    -v "$out/in/prepare.json:/greenrt/in/prepare.json:ro" -v "$out/prepared:/greenrt/out" \
    "$image" python3 -m greenrt_harness prepare /greenrt/in/prepare.json >&2
  sha256sum "$out/prepared/model.onnx" | cut -d' ' -f1
}
first="$(export_once a)"
second="$(export_once b)"
if [ "$first" != "$second" ]; then
  echo "export-demo-model: two exports differ ($first vs $second): the export is not reproducible." >&2; exit 1
fi

name="mobilenet_v2.pytorch.$weights-seed$seed.onnx"
[ "$opset" != 17 ] && name="mobilenet_v2.pytorch.$weights-seed$seed.opset$opset.onnx"
dest="$root/experiments/models"
mkdir -p "$dest"
cp "$work/a/prepared/model.onnx" "$dest/$name"
sums="$dest/SHA256SUMS"
touch "$sums"
{ grep -v "  $name\$" "$sums" || true; echo "$first  $name"; } | sort -k2 > "$sums.tmp" && mv "$sums.tmp" "$sums"
torch_version="$(docker run --rm --network none "$image" python3 -c 'import torch; print(torch.__version__)')"
echo "export-demo-model: $dest/$name ($(stat -c %s "$dest/$name") bytes, sha256 $first, torch $torch_version, identical in two runs)"
