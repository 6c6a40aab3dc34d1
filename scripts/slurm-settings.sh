# Sourced by scripts/slurm-up.sh and scripts/slurm-two-node.sh: the slurm.conf settings both test clusters share
# (measured on Debian bookworm, slurm-wlm 22.05): no cgroup set-up, cons_tres, accounting off.
# Timeouts for a busy 2-core test host: a batch job whose launch takes longer than BatchStartTimeout (default 10 s)
# is "missing from batch node" at the node's next registration and Slurm requeues it (seen here as a shard task
# "CANCELLED ... DUE TO JOB REQUEUE" at load ~15); slurmd's RPCs get MessageTimeout (default 10 s) to answer.
slurm_shared_settings() {
  cat <<'CONF'
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MinJobAge=3600
KillWait=30
SlurmdTimeout=300
BatchStartTimeout=120
MessageTimeout=30
CONF
}
