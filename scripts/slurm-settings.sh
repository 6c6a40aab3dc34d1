# Sourced by scripts/slurm-up.sh and scripts/slurm-two-node.sh: the slurm.conf settings both test clusters share
# (measured on Debian bookworm, slurm-wlm 22.05): no cgroup set-up, cons_tres, accounting off.
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
CONF
}
