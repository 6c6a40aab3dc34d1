#!/usr/bin/env bash
# Build a minimal Debian base image from Debian's default mirror (no registry needed):
#   debootstrap --variant=minbase SUITE DIR, then `docker import` as greenrt/debian:SUITE.
# Usage: images/base/build-base.sh [--force] SUITE [TAG]
#   SUITE  bookworm | trixie
#   TAG    image tag (default greenrt/debian:SUITE)
# Exit codes: 0 ok (built or already present), 2 bad usage, 3 missing tool or not root, 1 other failure.
# Env: GREENRT_DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail

force=0
args=()
for a in "$@"; do
  case "$a" in
    --force) force=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    -*) echo "build-base: unknown option $a. Use --force, SUITE [TAG]." >&2; exit 2 ;;
    *) args+=("$a") ;;
  esac
done
if [ "${#args[@]}" -lt 1 ] || [ "${#args[@]}" -gt 2 ]; then
  echo "build-base: usage: build-base.sh [--force] SUITE [TAG] (SUITE: bookworm|trixie)." >&2; exit 2
fi
suite="${args[0]}"
tag="${args[1]:-greenrt/debian:$suite}"
case "$suite" in
  bookworm|trixie) ;;
  *) echo "build-base: unsupported suite \"$suite\": use bookworm or trixie." >&2; exit 2 ;;
esac
mirror="${GREENRT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if ! command -v docker >/dev/null 2>&1; then
  echo "build-base: docker not found on PATH. Install Docker (e.g. apt-get install docker.io) and start dockerd." >&2; exit 3
fi
if ! docker info >/dev/null 2>&1; then
  echo "build-base: the Docker engine is not reachable (docker info failed). Start dockerd or set DOCKER_HOST." >&2; exit 3
fi
if [ "$force" -eq 0 ] && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "build-base: $tag already exists; skipping (use --force to rebuild)."
  exit 0
fi
debootstrap_bin="$(command -v debootstrap || true)"
[ -z "$debootstrap_bin" ] && [ -x /usr/sbin/debootstrap ] && debootstrap_bin=/usr/sbin/debootstrap
if [ -z "$debootstrap_bin" ]; then
  echo "build-base: debootstrap not found. Install it (apt-get install debootstrap) and run again." >&2; exit 3
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "build-base: debootstrap needs root (it creates device nodes and chroots). Run as root." >&2; exit 3
fi

rootfs="$(mktemp -d "${TMPDIR:-/tmp}/greenrt-rootfs-$suite.XXXXXX")"
trap 'rm -rf "$rootfs"' EXIT
started="$(date +%s)"
echo "build-base: debootstrap --variant=minbase $suite from $mirror"
if ! "$debootstrap_bin" --variant=minbase "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1; then
  tail -n 20 "$rootfs.log" >&2
  echo "build-base: debootstrap $suite failed (log above, full log $rootfs.log). Check the mirror is reachable." >&2
  exit 1
fi
rm -f "$rootfs.log"
# Keep the image small and deterministic-ish: no apt lists or caches inside the base.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb

created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
tar --numeric-owner -C "$rootfs" -c . | docker import \
  --change "LABEL org.opencontainers.image.created=$created" \
  --change "LABEL org.opencontainers.image.base.name=debian:$suite" \
  --change "LABEL dev.greenrt.debian.suite=$suite" \
  --change "LABEL dev.greenrt.debian.mirror=$mirror" \
  --change 'ENV LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/bash"]' \
  - "$tag" >/dev/null
echo "build-base: built $tag ($suite, $created) in $(( $(date +%s) - started )) s"
