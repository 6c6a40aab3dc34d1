#!/bin/sh
# greenrt-install: install a runtime image's pinned packages from its lock files (run in a Dockerfile).
#   greenrt-install [--vendor DIR] [--ca FILE] [--apt LOCK] [--venv DIR [--system-site-packages] | --python PY]
#                   [--pip LOCK [--no-build-isolation]] [--record DIR]
# --vendor DIR  inputs from `greenrt images vendor` (DIR/debs: the .deb files and their Packages index; DIR/wheels):
#             when DIR/debs/Packages exists, apt's only source is `deb [trusted=yes] file:DIR/debs ./` and pip installs
#             with --no-index --find-links DIR/wheels, so the build needs no network. An empty DIR: the online mirrors.
# Reproducible (docs/ARCHITECTURE.md, "Reproducible images"): needs SOURCE_DATE_EPOCH (the Dockerfile's
# `ARG SOURCE_DATE_EPOCH`, passed by greenrt from images/common/source-date-epoch): pip and Debian's py3compile
# then write hash-based .pyc, useradd clamps /etc/shadow's day; PYTHONHASHSEED=0. The step ends by removing what
# differs between two runs (apt lists and caches, dpkg/apt logs, ldconfig's aux-cache, /root/.cache).
# --ca FILE   CA bundle for TLS-intercepting proxies (greenrt sends the host's trust store): trusted by apt and pip
#             during this call only, and removed again at its end (not in the image; not part of the tag).
# --apt LOCK  lines "package=version arch=A size=N sha256=H [auto]" (# comments allowed; images/common/docker/lock-apt.sh
#             writes them): every package the step adds, installed with --no-install-recommends after each .deb's
#             SHA-256 was checked against the lock (a mismatch stops the build naming the file); "auto" lines
#             (dependencies) are then marked automatic, as apt would have.
# --venv DIR  create a virtual environment (with --system-site-packages: sees Debian's python3-* packages).
# --python PY  pip installs into this interpreter's environment (an existing venv) instead of python3.
# --no-build-isolation  passed to pip (a locked sdist built against the locked packages already installed).
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
ca="" apt_lock="" venv="" system_site="" pip_lock="" record="" ld_cuda=0 vendor="" python=python3 isolation=""
while [ $# -gt 0 ]; do
  case "$1" in
    --vendor) vendor="$2"; shift 2 ;;
    --python) python="$2"; shift 2 ;;
    --no-build-isolation) isolation="--no-build-isolation"; shift ;;
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

case "${SOURCE_DATE_EPOCH:-}" in
  ''|*[!0-9]*) echo "greenrt-install: SOURCE_DATE_EPOCH is not set to a number: declare ARG SOURCE_DATE_EPOCH in the Dockerfile (greenrt passes images/common/source-date-epoch)" >&2; exit 2 ;;
esac
export SOURCE_DATE_EPOCH PYTHONHASHSEED=0 DEBIAN_FRONTEND=noninteractive

# The proxy CA is transport, not content: trusted while this call downloads, gone when it ends.
extra_ca="" appended_ca=""
if [ -n "$ca" ] && [ -s "$ca" ]; then
  extra_ca=/usr/local/share/ca-certificates/greenrt-extra.crt
  mkdir -p /usr/local/share/ca-certificates
  cp "$ca" "$extra_ca"
fi
remove_extra_ca() {
  [ -n "$extra_ca" ] || return 0
  rm -f "$extra_ca"
  rmdir /usr/local/share/ca-certificates 2>/dev/null || true
  if [ -n "$appended_ca" ]; then  # the bundle made by hand below: restore what was there before
    if [ -s "$appended_ca" ]; then cat "$appended_ca" > /etc/ssl/certs/ca-certificates.crt; else rm -f /etc/ssl/certs/ca-certificates.crt; fi
    rm -f "$appended_ca"
  elif command -v update-ca-certificates >/dev/null 2>&1; then
    update-ca-certificates --fresh >/dev/null
  fi
}

# Offline: the vendored flat repository is apt's only source, the vendored wheels pip's only index.
apt_opts="" pip_source=""
if [ -n "$vendor" ] && [ -f "$vendor/debs/Packages" ]; then
  printf 'deb [trusted=yes] file:%s/debs ./\n' "$vendor" > /tmp/greenrt-vendor.list
  apt_opts="-o Dir::Etc::SourceList=/tmp/greenrt-vendor.list -o Dir::Etc::SourceParts=/nonexistent"
  pip_source="--no-index --find-links $vendor/wheels"
  echo "greenrt-install: offline, from $vendor"
fi

if [ -n "$apt_lock" ]; then
  pins=$(sed -e 's/#.*//' "$apt_lock" | awk 'NF { print $1 }')
  if [ -z "$pins" ]; then echo "greenrt-install: $apt_lock pins no package" >&2; exit 2; fi
  if sed -e 's/#.*//' "$apt_lock" | awk 'NF && $0 !~ / sha256=[0-9a-f][0-9a-f]*/ { bad = 1 } END { exit !bad }'; then
    echo "greenrt-install: $apt_lock has lines without sha256=: refresh it with images/common/docker/lock-apt.sh" >&2; exit 2
  fi
  # shellcheck disable=SC2086 # word splitting is the point: one option or package per word
  apt-get $apt_opts update
  # shellcheck disable=SC2086
  apt-get $apt_opts install -y --no-install-recommends --download-only $pins
  # Each .deb apt would unpack, checked against the lock (the file name is apt's: epoch colon as %3a).
  debs=/var/cache/apt/archives
  [ -n "$apt_opts" ] && debs="$vendor/debs"
  sed -e 's/#.*//' "$apt_lock" | awk -v dir="$debs" 'NF {
      split($1, pv, "="); pkg = pv[1]; ver = substr($1, length(pkg) + 2); gsub(/:/, "%3a", ver)
      for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      printf "%s  %s/%s_%s_%s.deb\n", f["sha256"], dir, pkg, ver, f["arch"] }' > /tmp/greenrt-apt.sha256
  if ! sha256sum --quiet --strict -c /tmp/greenrt-apt.sha256 >&2; then
    echo "greenrt-install: a .deb above is missing or differs from its sha256 in $apt_lock (FAILED lines name it)." \
      "Missing: the base image already has another version (refresh the lock: lock-apt.sh). Differs: the source" \
      "serves other bytes under that version; do not build from it." >&2
    exit 4
  fi
  # Dependencies new to the image are marked automatic afterwards (upgraded base packages keep their mark).
  auto=""
  for p in $(sed -e 's/#.*//' "$apt_lock" | awk 'NF && $NF == "auto" { sub(/=.*/, "", $1); print $1 }'); do
    dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || auto="$auto $p"
  done
  # shellcheck disable=SC2086
  apt-get $apt_opts install -y --no-install-recommends $pins
  # shellcheck disable=SC2086
  if [ -n "$auto" ]; then apt-mark auto $auto >/dev/null; fi
  rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/cache/apt/*.bin /tmp/greenrt-apt.sha256 /tmp/greenrt-vendor.list
fi

if [ -n "$extra_ca" ]; then
  if command -v update-ca-certificates >/dev/null 2>&1; then
    update-ca-certificates >/dev/null
  else  # no ca-certificates package: give pip the extra bundle alone (restored by remove_extra_ca)
    mkdir -p /etc/ssl/certs
    appended_ca=/tmp/greenrt-ca-before.crt
    cat /etc/ssl/certs/ca-certificates.crt > "$appended_ca" 2>/dev/null || : > "$appended_ca"
    cat "$extra_ca" >> /etc/ssl/certs/ca-certificates.crt
  fi
fi
[ -s /etc/ssl/certs/ca-certificates.crt ] && export PIP_CERT=/etc/ssl/certs/ca-certificates.crt

if [ -n "$venv" ]; then
  python3 -m venv $system_site "$venv"
  python="$venv/bin/python"
fi
if [ -n "$pip_lock" ] && grep -q -- '--hash' "$pip_lock"; then
  # shellcheck disable=SC2086 # pip_source and isolation: zero or more options
  "$python" -m pip install --no-cache-dir --disable-pip-version-check --require-hashes --no-deps $pip_source $isolation \
    -r "$pip_lock"
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
  [ -z "$pip_source" ] || { echo "greenrt-install: --unhashed pins cannot be vendored (no hash to check): build that flavour online" >&2; exit 2; }
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
rm -f /tmp/greenrt-vendor.list

# What two runs of this step would write differently (docs/ARCHITECTURE.md, "Reproducible images"); the
# assembly drops the same paths again as a safety net.
remove_extra_ca
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb /var/log/apt/* /var/log/dpkg.log \
  /var/log/alternatives.log /var/log/bootstrap.log /var/cache/ldconfig/aux-cache /var/lib/dpkg/*-old \
  /var/cache/debconf/*-old /root/.cache
