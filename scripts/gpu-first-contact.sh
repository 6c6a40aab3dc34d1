#!/usr/bin/env bash
# greenrt's first contact with a GPU host: what only a real NVIDIA GPU can confirm, in one text file to send back.
# Usage: scripts/gpu-first-contact.sh [--out FILE] [--image IMAGE] [--skip-tf]
#   (in the portable bundle: ./gpu-first-contact.sh; the TensorFlow step needs a checkout and Docker)
# Steps: host facts (driver, MIG, persistence, Docker, toolkit hooks); nvidia-smi line flushing through a pipe;
# the hardened container greenrt creates (read-only root, no capabilities, uid 10001, a UUID device request);
# the acceptance check (greenrt doctor --measure); one TensorFlow cuda trial twice, to time the PTX JIT (first
# warm-up) against the cache hit (second) and trialTimeoutS.
# Exit codes: 0 every step ran (read the file for the verdicts), 3 no NVIDIA GPU or driver here, 2 bad usage.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="gpu-first-contact-$(hostname 2>/dev/null || echo host)-$(date -u +%Y%m%dT%H%M%SZ).txt"
image=""
skip_tf=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="${2:?--out needs a file}"; shift 2 ;;
    --image) image="${2:?--image needs an image}"; shift 2 ;;
    --skip-tf) skip_tf=1; shift ;;
    -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu-first-contact: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
: > "$out" || { echo "gpu-first-contact: cannot write $out" >&2; exit 2; }
say() { printf '%s\n' "$*" | tee -a "$out"; }
step() { say ""; say "=== $* ($(date -u +%H:%M:%SZ))"; }
run() { say "\$ $*"; "$@" 2>&1 | tee -a "$out"; return "${PIPESTATUS[0]}"; }

# Where greenrt is: the portable bundle (run-gpu-check.sh beside this script) or a checkout (scripts/..).
if [ -x "$here/run-gpu-check.sh" ]; then greenrt=("$here/run-gpu-check.sh"); check=("$here/run-gpu-check.sh" --artifacts "$PWD/artifacts"); root=""
else root="$(cd "$here/.." && pwd)"; greenrt=(node "$root/bin/greenrt.js"); check=(node "$root/bin/greenrt.js" doctor --measure); fi

step "0. host"
say "greenrt gpu-first-contact, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -srm)"
if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >/dev/null 2>&1; then
  say "No NVIDIA GPU here: nvidia-smi is $(command -v nvidia-smi >/dev/null 2>&1 && echo 'present but fails' || echo 'not on PATH')."
  say "This script needs an NVIDIA GPU and its driver; run it on the GPU host (exit 3). Written: $out"
  exit 3
fi
run nvidia-smi -L
# 1. MIG, persistence and driver facts (greenrt refuses a GPU in MIG mode; persistence off adds start-up latency).
step "1. driver, MIG, persistence"
run nvidia-smi --query-gpu=index,uuid,name,driver_version,compute_cap,mig.mode.current,persistence_mode,power.limit --format=csv
run docker version --format 'docker server {{.Server.Version}}'
run nvidia-ctk --version
say "\$ command -v nvidia-container-runtime-hook nvidia-cdi-hook nvidia-container-runtime"
for t in nvidia-container-runtime-hook nvidia-cdi-hook nvidia-container-runtime; do say "$t: $(command -v "$t" || echo absent)"; done
run ls -l /dev/nvidiactl /dev/nvidia-uvm /dev/nvidia0

# 2. Does nvidia-smi flush each -lms line into a pipe? Arrival gaps near 0.1 s: yes; bursts: block-buffered.
step "2. nvidia-smi line flushing through a pipe (arrival time, then the line)"
timeout 3 nvidia-smi --query-gpu=timestamp,index,power.draw.instant --format=csv,noheader,nounits -lms 100 2>&1 \
  | while IFS= read -r l; do echo "$(date +%s.%N) $l"; done | tee -a "$out" | tail -3 >/dev/null
say "(gaps between consecutive arrival times should be ~0.1 s)"

# 3. The hardened container greenrt creates, with a UUID device request.
step "3. hardened GPU container (read-only root, cap-drop ALL, no-new-privileges, uid 10001, device=UUID)"
uuid="$(nvidia-smi --query-gpu=uuid --format=csv,noheader -i "${CUDA_VISIBLE_DEVICES%%,*}" 2>/dev/null || nvidia-smi --query-gpu=uuid --format=csv,noheader -i 0)"
[ -n "$image" ] || image="$(docker images --format '{{.Repository}}:{{.Tag}}' 2>/dev/null | grep '^greenrt/pytorch:cuda' | head -1)"
if [ -n "$image" ]; then
  run docker run --rm --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges --user 10001:10001 \
    --gpus "\"device=$uuid\"" -e HOME=/tmp "$image" python3 -c 'import torch; print("cuda", torch.cuda.is_available(), torch.cuda.get_device_name(0))'
else
  say "skipped: no greenrt/pytorch:cuda image (build it: greenrt images build pytorch --flavour cuda, or pass --image)"
fi

# 4. The acceptance check itself (counter period, counter-vs-integrated disagreement, cool-down within maxS).
step "4. acceptance check: ${check[*]}"
run "${check[@]}"
say "acceptance check exit: $?"

# 5. TensorFlow on CUDA twice: the first warm-up JIT-compiles PTX on Hopper, the second hits the compute cache.
step "5. TensorFlow cuda trial twice (PTX JIT vs cache hit, against trialTimeoutS)"
if [ "$skip_tf" = 1 ] || [ -z "$root" ] || ! command -v docker >/dev/null 2>&1; then
  say "skipped: needs a greenrt checkout and Docker with GPU access (and not --skip-tf)"
else
  work="$(mktemp -d)"
  cat > "$work/tf-jit.yaml" <<'YAML'
schemaVersion: 1
name: tf-jit
description: gpu-first-contact, TensorFlow's PTX JIT on first use and the compute cache on the second trial.
order: sequential
weights: random
runtimes:
  - { name: tensorflow, providers: [cuda], modes: [function] }
models: [resnet50]
batchSizes: [1]
repetitions: 2
warmupIterations: 10
measuredIterations: 50
trialTimeoutS: 1800
power: { sources: [nvml, nvidia-smi], baselineS: 5 }
YAML
  run "${greenrt[@]}" run "$work/tf-jit.yaml" --yes --artifacts "$work/artifacts"
  for t in "$work"/artifacts/*/trials/*.json; do
    [ -f "$t" ] || continue
    python3 - "$t" <<'PY' 2>&1 | tee -a "$out"
import json, sys
r = json.load(open(sys.argv[1]))
ph = r.get("phases") or {}
ms = {k: round((int(v["endNs"]) - int(v["startNs"])) / 1e6) for k, v in ph.items() if isinstance(v, dict) and "endNs" in v}
print(r["trialId"], r["status"], "phase durations (ms):", json.dumps(ms), "reasons:", "; ".join(r.get("reasons", []))[:300])
PY
  done
  say "trialTimeoutS: 1800 (the first warm-up must stay well inside it)"
fi
say ""
say "Done. Send back: $out"
