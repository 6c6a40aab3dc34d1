#!/usr/bin/env bash
# A two-node Slurm cluster on this one machine, for the two-node end-to-end test (pipeline/e2e/two-node.slurm.test.ts):
#   bash scripts/slurm-two-node.sh up DIR     start it; prints SLURM_CONF=<DIR>/slurm.conf (export it for sbatch, squeue...)
#   bash scripts/slurm-two-node.sh down DIR   stop everything it started and remove DIR
#   bash scripts/slurm-two-node.sh check      exit 0 when this host can run it (root, slurm-wlm, munge, dockerd, unshare, nsenter, ip)
# A cluster of its own beside the one-node cluster of scripts/slurm-up.sh, which it does not touch (that cluster's conf,
# daemons and ports stay as they are): its own slurmctld (ports 6917/6918, state, logs and pid files under DIR),
#   node1  a slurmd in this machine's namespaces, whose jobs use this machine's Docker engine;
#   node2  a slurmd in its own network, UTS (hostname greenrt-node2) and mount namespaces, reached over a veth pair
#          (a /30 on a private subnet, nothing else routed), with its own Docker engine: empty data root, its own exec
#          root, pid file, socket and containerd, no bridge and no iptables rules (trials run with network none). In
#          node2's mount namespace that engine's socket is bind-mounted on /var/run/docker.sock, so its jobs see it as
#          the default engine and must load their images from the study folder.
# Each node's tasks get TMPDIR=DIR/<node>-tmp (a node's /tmp is its own; the study folder is on the shared file system).
# Everything lives under DIR (a short path: unix socket paths are limited to 108 bytes) and the namespaces die with
# their holder process, so `down` leaves nothing behind. Needs root; munged must run (scripts/slurm-up.sh starts it).
# Exit 0 done, 3 cannot be started here (the message says why and what to do).
set -euo pipefail
# shellcheck source=scripts/slurm-settings.sh
. "$(dirname "$0")/slurm-settings.sh"
fail() { echo "slurm-two-node: $1" >&2; exit 3; }
cmd="${1:-}"
ctld_port=6917
slurmd_port=6918

check() {
  [ "$(id -u)" -eq 0 ] || fail "needs root (slurmd, dockerd and namespaces): sudo bash scripts/slurm-two-node.sh $cmd ..."
  local missing=()
  for c in slurmctld slurmd sbatch munge dockerd unshare nsenter ip; do command -v "$c" >/dev/null || missing+=("$c"); done
  [ ${#missing[@]} -eq 0 ] || fail "missing ${missing[*]}: apt-get install slurm-wlm munge docker.io util-linux iproute2 (scripts/slurm-up.sh installs Slurm and munge)"
  munge -n 2>/dev/null | unmunge >/dev/null 2>&1 || fail "munged does not answer: start it with bash scripts/slurm-up.sh"
}

up() {
  local dir="$1"
  check
  [ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || fail "$dir exists and is not empty: give a new folder"
  [ "${#dir}" -le 40 ] || fail "$dir is too long (unix socket paths under it must stay below 108 bytes): use a short one such as /tmp/g2n.XXXX"
  mkdir -p "$dir"/{ctld,spool-node1,spool-node2,docker/data,docker/exec,node1-tmp,node2-tmp}
  dir="$(cd "$dir" && pwd)"
  # A free /30 in 10.213.0.0/16 (nothing on this host routes it already), and interface names unique to this DIR.
  local id net
  id="$(printf '%s' "$dir" | cksum | cut -c1-5)"
  net=""
  for third in $(seq $((id % 200 + 20)) 254); do
    if ! ip -o addr | grep -q " 10\.213\.$third\." && ! ip route | grep -q "^10\.213\.$third\."; then net="10.213.$third"; break; fi
  done
  [ -n "$net" ] || fail "no free /30 in 10.213.0.0/16 on this host"
  local host_if="g2n${id}h" node_if="g2n${id}n"
  # The namespace holder: node2's network, hostname and mounts live as long as it does.
  # Background processes get no stdio of ours: a caller reading this script's output would otherwise wait for them.
  unshare --net --uts --mount --propagation private sleep infinity </dev/null >/dev/null 2>&1 &
  local holder=$!
  echo "$holder" >"$dir/holder.pid"
  sleep 0.3
  kill -0 "$holder" 2>/dev/null || fail "unshare --net --uts --mount failed (is this a container without CAP_SYS_ADMIN?)"
  local in2=(nsenter -t "$holder" -n -u -m --)
  "${in2[@]}" hostname greenrt-node2
  ip link add "$host_if" type veth peer name "$node_if" netns "$holder" || fail "ip link add veth failed"
  ip addr add "$net.1/30" dev "$host_if" && ip link set "$host_if" up
  "${in2[@]}" ip addr add "$net.2/30" dev "$node_if"
  "${in2[@]}" ip link set "$node_if" up
  "${in2[@]}" ip link set lo up
  printf '%s\n' "$host_if" >"$dir/veth"

  # node2's Docker engine: own data root, exec root, pid file, socket, config; no bridge, no iptables. It must run in
  # node2's network namespace: dockerd with --bridge none deletes the docker0 interface of the namespace it runs in.
  echo '{}' >"$dir/docker/daemon.json"
  "${in2[@]}" dockerd --config-file "$dir/docker/daemon.json" --data-root "$dir/docker/data" --exec-root "$dir/docker/exec" \
    --pidfile "$dir/docker/dockerd.pid" --host "unix://$dir/docker/docker.sock" --bridge none --iptables=false --ip-masq=false \
    --ip-forward=false --ip6tables=false </dev/null >"$dir/docker/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do DOCKER_HOST="unix://$dir/docker/docker.sock" docker info >/dev/null 2>&1 && break; sleep 1; done
  DOCKER_HOST="unix://$dir/docker/docker.sock" docker info >/dev/null 2>&1 || { tail -n 20 "$dir/docker/dockerd.log" >&2; fail "node2's dockerd did not answer within 60 s; see $dir/docker/dockerd.log"; }
  "${in2[@]}" mount --bind "$dir/docker/docker.sock" /var/run/docker.sock || fail "cannot bind node2's engine socket on /var/run/docker.sock in its mount namespace"

  # Each node's tasks get a node-local TMPDIR, as a real node's /tmp is its own (greenrt keeps its per-host shard
  # registry there, which would otherwise see this machine's other Slurm jobs; the study folder is on the file
  # system both share).
  chmod 1777 "$dir/node1-tmp" "$dir/node2-tmp"
  cat >"$dir/task-prolog.sh" <<PROLOG
#!/bin/sh
case "\$SLURMD_NODENAME" in node1|node2) echo "export TMPDIR=$dir/\$SLURMD_NODENAME-tmp" ;; esac
exit 0
PROLOG
  chmod 0755 "$dir/task-prolog.sh"
  local hw
  hw="$(slurmd -C | head -n 1 | sed -E 's/^NodeName=[^ ]+ //')"
  cat >"$dir/slurm.conf" <<CONF
# written by greenrt scripts/slurm-two-node.sh: a two-node test cluster under $dir
ClusterName=greenrt2n
SlurmctldHost=localhost($net.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/spool-%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd-%n.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd-%n.log
TaskProlog=$dir/task-prolog.sh
$(slurm_shared_settings)
NodeName=node1 NodeAddr=$net.1 $hw State=UNKNOWN
NodeName=node2 NodeAddr=$net.2 $hw State=UNKNOWN
PartitionName=two Nodes=node1,node2 Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -f "$SLURM_CONF" </dev/null >>"$dir/slurmctld.log" 2>&1 || fail "slurmctld did not start; see $dir/slurmctld.log"
  for _ in $(seq 1 30); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.5; done
  scontrol ping 2>/dev/null | grep -q UP || { tail -n 20 "$dir/slurmctld.log" >&2 || true; fail "the two-node slurmctld does not answer; see $dir/slurmctld.log"; }
  slurmd -f "$SLURM_CONF" -N node1 </dev/null >>"$dir/slurmd-node1.log" 2>&1 || fail "node1's slurmd did not start; see $dir/slurmd-node1.log"
  "${in2[@]}" env SLURM_CONF="$SLURM_CONF" slurmd -f "$SLURM_CONF" -N node2 </dev/null >>"$dir/slurmd-node2.log" 2>&1 || fail "node2's slurmd did not start; see $dir/slurmd-node2.log"
  local state=""
  for _ in $(seq 1 60); do
    state="$(sinfo -h -N -o '%N=%T' 2>/dev/null | sort | tr '\n' ' ')"
    case "$state" in *node1=idle*node2=idle*) echo "slurm-two-node: up (node1 here, node2 = greenrt-node2 at $net.2 with its own Docker engine)"; echo "SLURM_CONF=$SLURM_CONF"; return 0 ;; esac
    for n in node1 node2; do sinfo -h -n "$n" -o %T 2>/dev/null | grep -qE '^(down|drain|fail)' && scontrol update NodeName="$n" State=RESUME >/dev/null 2>&1 || true; done
    sleep 1
  done
  tail -n 10 "$dir"/slurmd-node*.log >&2 || true
  fail "the nodes did not become idle ($state); see $dir/slurmd-node1.log and slurmd-node2.log"
}

stop_pidfile() {
  local file="$1" pid
  [ -s "$file" ] || return 0
  pid="$(cat "$file")"
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
}

down() {
  local dir="$1"
  [ -d "$dir" ] || { echo "slurm-two-node: $dir does not exist; nothing to stop"; return 0; }
  dir="$(cd "$dir" && pwd)"
  [ -f "$dir/slurm.conf" ] && grep -q '^# written by greenrt scripts/slurm-two-node.sh' "$dir/slurm.conf" || [ -f "$dir/holder.pid" ] ||
    fail "$dir was not made by this script (no slurm.conf or holder.pid of ours): not touching it"
  if [ -f "$dir/slurm.conf" ]; then SLURM_CONF="$dir/slurm.conf" scancel --full -p two 2>/dev/null || true; fi
  stop_pidfile "$dir/slurmd-node1.pid"
  stop_pidfile "$dir/slurmd-node2.pid"
  stop_pidfile "$dir/slurmctld.pid"
  stop_pidfile "$dir/docker/dockerd.pid"
  stop_pidfile "$dir/holder.pid"
  # The veth pair goes with node2's network namespace; remove the host end if the kernel has not yet.
  if [ -s "$dir/veth" ]; then ip link del "$(cat "$dir/veth")" 2>/dev/null || true; fi
  rm -rf -- "$dir"
  echo "slurm-two-node: stopped and removed $dir"
}

case "$cmd" in
  up) [ -n "${2:-}" ] || fail "usage: slurm-two-node.sh up DIR"; up "$2" ;;
  down) [ -n "${2:-}" ] || fail "usage: slurm-two-node.sh down DIR"; down "$2" ;;
  check) check; echo "slurm-two-node: this host can run a two-node cluster" ;;
  *) echo "usage: slurm-two-node.sh up DIR | down DIR | check" >&2; exit 2 ;;
esac
