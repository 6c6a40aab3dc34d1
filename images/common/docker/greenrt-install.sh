#!/bin/sh
# greenrt-install: install a runtime image's pinned packages from its lock files (run in a Dockerfile).
#   greenrt-install [--ca FILE] [--apt LOCK] [--venv DIR [--system-site-packages]] [--pip LOCK] [--record DIR]
# --ca FILE   extra CA bundle (TLS-intercepting proxies); installed before any https use when non-empty.
# --apt LOCK  lines "package=version" (# comments allowed), installed with --no-install-recommends.
# --venv DIR  create a virtual environment (with --system-site-packages: sees Debian's python3-* packages).
# --pip LOCK  pip requirements with --hash lines; installed with --require-hashes --no-deps (the lock lists
#             every package pip installs: nothing is resolved at build time), then `pip check`.
# --record DIR  write dpkg.txt (dpkg-query) and pip-freeze.txt there (the image's package list).
# --ld-cuda   list the venv's CUDA library folders (site-packages/nvidia/*/lib, tensorrt_libs, torch/lib) in
#             /etc/ld.so.conf.d/greenrt-cuda.conf and run ldconfig: libraries without a RUNPATH (ONNX Runtime's
#             CUDA provider, libmxnet.so) then find the wheels' CUDA libraries, and `ldd` sees what the loader sees.
# --unhashed-index URL --unhashed FILE  pins that no hash can lock yet (TensorRT from NVIDIA's own index), installed
#             with --no-deps after the locked wheels; pip's report (file names, sha256) goes to DIR/unhashed-report.json.
set -eu

unhashed_index="" unhashed=""
ca="" apt_lock="" venv="" system_site="" pip_lock="" record="" ld_cuda=0
while [ $# -gt 0 ]; do
  case "$1" in
    --ca) ca="$2"; shift 2 ;;
    --apt) apt_lock="$2"; shift 2 ;;
    --venv) venv="$2"; shift 2 ;;
    --system-site-packages) system_site="--system-site-packages"; shift ;;
    --pip) pip_lock="$2"; shift 2 ;;
    --record) record="$2"; shift 2 ;;
    --ld-cuda) ld_cuda=1; shift ;;
    --unhashed-index) unhashed_index="$2"; shift 2 ;;
    --unhashed) unhashed="$2"; shift 2 ;;
    *) echo "greenrt-install: unknown argument $1" >&2; exit 2 ;;
  esac
done

export DEBIAN_FRONTEND=noninteractive
extra_ca=""
if [ -n "$ca" ] && [ -s "$ca" ]; then
  extra_ca=/usr/local/share/ca-certificates/greenrt-extra.crt
  mkdir -p /usr/local/share/ca-certificates
  cp "$ca" "$extra_ca"
fi

if [ -n "$apt_lock" ]; then
  packages=$(sed -e 's/#.*//' "$apt_lock" | tr -s ' \t' '\n\n' | grep -v '^$' || true)
  apt-get update
  # shellcheck disable=SC2086 # word splitting is the point: one argument per pinned package
  apt-get install -y --no-install-recommends $packages
  rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
fi

if [ -n "$extra_ca" ]; then
  if command -v update-ca-certificates >/dev/null 2>&1; then
    update-ca-certificates >/dev/null
  else  # no ca-certificates package: give pip the extra bundle alone
    mkdir -p /etc/ssl/certs && cat "$extra_ca" >> /etc/ssl/certs/ca-certificates.crt
  fi
fi
[ -s /etc/ssl/certs/ca-certificates.crt ] && export PIP_CERT=/etc/ssl/certs/ca-certificates.crt

python=python3
if [ -n "$venv" ]; then
  python3 -m venv $system_site "$venv"
  python="$venv/bin/python"
fi
if [ -n "$pip_lock" ] && grep -q -- '--hash' "$pip_lock"; then
  "$python" -m pip install --no-cache-dir --disable-pip-version-check --require-hashes --no-deps -r "$pip_lock"
  # pip check, failing only on problems that involve a locked package: Debian's own metadata has known
  # mismatches (trixie's torch 2.6 asks for sympy==1.13.1 and setuptools) that apt, not pip, vouches for.
  "$python" - "$pip_lock" <<'PY'
import re, subprocess, sys
norm = lambda name: re.sub(r"[-_.]+", "-", name).lower()
locked = {norm(m.group(1)) for line in open(sys.argv[1]) if (m := re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==", line))}
result = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True)
lines = [l for l in result.stdout.splitlines() if l.strip() and not l.startswith("No broken")]
def involved(line):
    needed = re.search(r"(?:requires|requirement) ([A-Za-z0-9][A-Za-z0-9._-]*)", line)
    return norm(line.split()[0]) in locked or bool(needed and norm(needed.group(1)) in locked)
bad = [l for l in lines if involved(l)]
for l in lines:
    print(("pip check: " if l in bad else "pip check (system packages, ignored): ") + l)
sys.exit(1 if bad else 0)
PY
fi

if [ -n "$unhashed" ]; then
  [ -n "$unhashed_index" ] || { echo "greenrt-install: --unhashed needs --unhashed-index URL" >&2; exit 2; }
  "$python" -m pip install --no-cache-dir --disable-pip-version-check --no-deps --index-url "$unhashed_index" \
    --report /tmp/greenrt-unhashed-report.json -r "$unhashed"
fi

if [ "$ld_cuda" -eq 1 ]; then
  site="$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  conf=/etc/ld.so.conf.d/greenrt-cuda.conf
  : > "$conf"
  for dir in "$site"/nvidia/*/lib "$site"/tensorrt_libs "$site"/torch/lib; do
    [ -d "$dir" ] && echo "$dir" >> "$conf"
  done
  [ -s "$conf" ] || { echo "greenrt-install: --ld-cuda found no CUDA library folder in $site" >&2; exit 1; }
  ldconfig
  echo "greenrt-install: $(wc -l < "$conf") CUDA library folders on the loader path ($conf)"
fi

if [ -n "$record" ]; then
  mkdir -p "$record"
  dpkg-query -W -f '${Package}=${Version}\n' > "$record/dpkg.txt"
  "$python" -m pip list --format=freeze --disable-pip-version-check > "$record/pip-freeze.txt" 2>/dev/null || true
  if [ -f /tmp/greenrt-unhashed-report.json ]; then mv /tmp/greenrt-unhashed-report.json "$record/unhashed-report.json"; fi
fi
