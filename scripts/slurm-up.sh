#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this host (munged, slurmctld, slurmd) for the end-to-end test,
# installing Debian's slurm-wlm and munge when missing. Idempotent: a cluster that already answers
# with an idle node is left as it is. Needs root. Settings measured on Debian bookworm (slurm-wlm 22.05):
# proctrack/linuxproc and task/none (no cgroup set-up), select/cons_tres, accounting off (sacct then
# answers "disabled"; greenrt slurm status uses squeue and scontrol).
# Exit 0 up, 3 cannot be started (the message says why and what to do).
set -euo pipefail
# shellcheck source=scripts/slurm-settings.sh
. "$(dirname "$0")/slurm-settings.sh"
conf=/etc/slurm/slurm.conf
marker='# written by greenrt scripts/slurm-up.sh'
node=localhost
fail() { echo "slurm-up: $1" >&2; exit 3; }

if [ "$(id -u)" -ne 0 ]; then
  if scontrol ping 2>/dev/null | grep -q UP; then echo "slurm-up: a controller answers; not root, so nothing else checked"; exit 0; fi
  fail "starting munged, slurmctld and slurmd needs root: sudo bash scripts/slurm-up.sh"
fi

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  echo "slurm-up: installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq slurm-wlm munge >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq slurm-wlm munge >/dev/null; } \
    || fail "apt-get install slurm-wlm munge failed. Check the Debian mirror (apt-get update), then run this again."
fi

# munge: a key, its run folder, the daemon (as the munge user).
if [ ! -s /etc/munge/munge.key ]; then
  mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge && chmod 0755 /run/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged --force || fail "munged did not start; see /var/log/munge/munged.log"
  for _ in $(seq 1 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.5; done
  munge -n | unmunge >/dev/null 2>&1 || fail "munged does not answer; see /var/log/munge/munged.log"
fi

# slurm.conf: this machine's CPUs and memory (slurmd -C), one node named localhost. A slurm.conf
# written by someone else is never replaced.
if [ -e "$conf" ] && ! grep -qF "$marker" "$conf"; then
  if scontrol ping 2>/dev/null | grep -q UP; then echo "slurm-up: $conf is not ours and a controller answers: using that cluster"; exit 0; fi
  fail "$conf exists and was not written by this script. Move it away to let this script write a one-node test cluster's, or start that cluster yourself."
fi
hw=$(slurmd -C | head -n 1 | sed -E "s/^NodeName=[^ ]+/NodeName=$node NodeAddr=127.0.0.1/")
[ -n "$hw" ] || fail "slurmd -C printed nothing; cannot size the node"
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
want=$(cat <<CONF
$marker
ClusterName=greenrt
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
$(slurm_shared_settings)
$hw State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
)
changed=0
if [ ! -e "$conf" ] || [ "$(cat "$conf")" != "$want" ]; then printf '%s\n' "$want" > "$conf"; changed=1; fi

if ! pgrep -x slurmctld >/dev/null; then
  slurmctld || fail "slurmctld did not start; see /var/log/slurm/slurmctld.log"
elif [ "$changed" = 1 ]; then
  scontrol reconfigure || true
fi
for _ in $(seq 1 30); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.5; done
scontrol ping 2>/dev/null | grep -q UP || { tail -n 20 /var/log/slurm/slurmctld.log >&2 || true; fail "slurmctld does not answer scontrol ping; see /var/log/slurm/slurmctld.log"; }
if ! pgrep -x slurmd >/dev/null; then
  slurmd -N "$node" || fail "slurmd did not start; see /var/log/slurm/slurmd.log"
fi
for _ in $(seq 1 60); do
  state=$(sinfo -h -n "$node" -o %T 2>/dev/null | head -n 1)
  case "$state" in
    idle|mixed|allocated|completing) echo "slurm-up: one-node cluster up (node $node: $state; $(echo "$hw" | grep -o 'CPUs=[0-9]*'))"; exit 0 ;;
    down*|drain*|fail*) scontrol update NodeName="$node" State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 1
done
tail -n 20 /var/log/slurm/slurmd.log >&2 || true
fail "node $node did not become idle (state: ${state:-none}); see /var/log/slurm/slurmd.log and slurmctld.log"
