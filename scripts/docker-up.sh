#!/usr/bin/env bash
# Starts the Docker engine if it is not answering (as root, in the background) and waits for it.
set -euo pipefail
if docker info >/dev/null 2>&1; then echo "docker: engine already running"; exit 0; fi
if ! command -v dockerd >/dev/null; then
  echo "docker: dockerd not found. Install it: apt-get install -y docker.io" >&2; exit 3
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "docker: the engine is not running and starting it needs root: sudo dockerd &" >&2; exit 3
fi
nohup dockerd >/var/log/greenrt-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then echo "docker: engine started"; exit 0; fi
  sleep 1
done
echo "docker: the engine did not answer within 60 s; see /var/log/greenrt-dockerd.log" >&2
tail -n 20 /var/log/greenrt-dockerd.log >&2 || true
exit 3
