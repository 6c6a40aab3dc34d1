#!/usr/bin/env bash
# Build a minimal Debian base image from Debian's default mirror (no registry needed), reproducibly:
#   debootstrap --variant=minbase SUITE DIR with SOURCE_DATE_EPOCH, host files and logs replaced or removed,
#   one sorted, normalised tar layer, a config written here, then `docker load` as greenrt/debian:SUITE.
#   The same Debian packages and epoch give the same image id (config digest) on any host and any day.
# Usage: images/base/build-base.sh [--force] SUITE [TAG]
#   SUITE  bookworm | trixie
#   TAG    image tag (default greenrt/debian:SUITE)
# Exit codes: 0 ok (built or already present), 2 bad usage, 3 missing tool or not root, 1 other failure.
# Env: GREENRT_DEBIAN_MIRROR (default http://deb.debian.org/debian; not recorded in the image: its sources.list
#      always names deb.debian.org). SOURCE_DATE_EPOCH (default: images/common/source-date-epoch).
set -euo pipefail

force=0
args=()
for a in "$@"; do
  case "$a" in
    --force) force=1 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
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
here="$(cd "$(dirname "$0")" && pwd)"
epoch="${SOURCE_DATE_EPOCH:-$(cat "$here/../common/source-date-epoch" 2>/dev/null || true)}"
case "$epoch" in
  ''|*[!0-9]*) echo "build-base: no epoch: images/common/source-date-epoch is missing or not a number (\"$epoch\"). Restore it from git." >&2; exit 2 ;;
esac
export SOURCE_DATE_EPOCH="$epoch"  # useradd/pwconv day fields and py_compile inside debootstrap

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

work="$(mktemp -d "${TMPDIR:-/tmp}/greenrt-base-$suite.XXXXXX")"
rootfs="$work/rootfs"
trap 'rm -rf "$work"' EXIT
started="$(date +%s)"
echo "build-base: debootstrap --variant=minbase $suite from $mirror (SOURCE_DATE_EPOCH=$epoch)"
if ! "$debootstrap_bin" --variant=minbase "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
  tail -n 20 "$work/debootstrap.log" >&2
  cp "$work/debootstrap.log" "${TMPDIR:-/tmp}/greenrt-debootstrap-$suite.log" 2>/dev/null || true
  echo "build-base: debootstrap $suite failed (log above, full log ${TMPDIR:-/tmp}/greenrt-debootstrap-$suite.log). Check the mirror is reachable." >&2
  exit 1
fi
# Reproducible rootfs (the steps of debuerreotype-init/-fixup): nothing of the build host, the mirror or the clock.
printf 'deb http://deb.debian.org/debian %s main\n' "$suite" > "$rootfs/etc/apt/sources.list"
printf 'greenrt\n' > "$rootfs/etc/hostname"
: > "$rootfs/etc/resolv.conf"
[ -s "$rootfs/etc/machine-id" ] && : > "$rootfs/etc/machine-id"
chown 0:0 "$rootfs"; chmod 0755 "$rootfs"
day=$(( epoch / 86400 ))
for f in etc/shadow etc/shadow-; do  # field 3: the day of the last password change
  [ -e "$rootfs/$f" ] || continue
  awk -F: -v OFS=: -v d="$day" '{ if ($3 != "" && $3 > d) $3 = d; print }' "$rootfs/$f" > "$work/shadow.new"
  cat "$work/shadow.new" > "$rootfs/$f"
done
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
  "$rootfs"/var/log/apt/* "$rootfs"/var/cache/ldconfig/aux-cache "$rootfs"/var/lib/dpkg/*-old \
  "$rootfs"/var/cache/debconf/*-old "$rootfs"/run/mount/utab
find "$rootfs/var/log" -type f -delete
find "$rootfs" -xdev -newermt "@$epoch" -exec touch --no-dereference --date="@$epoch" {} +
tar --sort=name --numeric-owner --owner=0 --group=0 --format=posix --xattrs \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
  --mtime="@$epoch" --clamp-mtime -C "$rootfs" -cf "$work/layer.tar" .
rm -rf "$rootfs"

# The config is written here (canonical JSON: sorted keys, no spaces), not by `docker import`: no build date, no mirror.
diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -c1-64)"
created="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)"
arch="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
mkdir -p "$work/archive/layer"
mv "$work/layer.tar" "$work/archive/layer/layer.tar"
printf '{"architecture":"%s","config":{"Cmd":["/bin/bash"],"Env":["LANG=C.UTF-8","PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Labels":{"dev.greenrt.debian.suite":"%s","dev.greenrt.source-date-epoch":"%s","org.opencontainers.image.base.name":"debian:%s"}},"created":"%s","history":[{"created":"%s","created_by":"images/base/build-base.sh %s"}],"os":"linux","rootfs":{"diff_ids":["%s"],"type":"layers"}}' \
  "$arch" "$suite" "$epoch" "$suite" "$created" "$created" "$suite" "$diff_id" > "$work/archive/config.json"
printf '[{"Config":"config.json","Layers":["layer/layer.tar"],"RepoTags":["%s"]}]' "$tag" > "$work/archive/manifest.json"
tar -C "$work/archive" -c . | docker load >/dev/null
id="$(docker image inspect --format '{{.Id}}' "$tag")"
echo "build-base: built $tag ($suite, epoch $epoch, config digest $id) in $(( $(date +%s) - started )) s"
