#!/usr/bin/env bash
# A single-node Slurm on this machine (Debian 12's slurm-wlm 22.05 and munge), for the Slurm launcher's integration
# test and CI: no systemd, no accounting, the node is localhost with every core. Idempotent: installs what is missing,
# (re)writes the config, starts only the daemons not already answering, then waits for the node to be idle.
set -euo pipefail
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  echo "start-local-slurm: installing slurm-wlm and munge..." >&2
  sudo_if_needed apt-get update -qq >&2
  # The packages' own service starts fail harmlessly without systemd; this script starts the daemons itself.
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq slurm-wlm munge >&2
fi

host="$(hostname -s)"
cpus="$(nproc)"
# Slurm drains a node that has less memory than configured: claim 90% of what the kernel reports.
memory_mb="$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)"
conf_dir=/etc/slurm
log_dir=/var/log/slurm
sudo_if_needed mkdir -p "$conf_dir" "$log_dir" /var/spool/slurmctld /var/spool/slurmd /run/munge
config="$(cat <<CONF
# Written by scripts/slurm/start-local-slurm.sh: one node on localhost, daemons as root, no accounting.
ClusterName=local
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=${log_dir}/slurmctld.log
SlurmdLogFile=${log_dir}/slurmd.log
NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${memory_mb} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
)"
if [ "$(cat "$conf_dir/slurm.conf" 2>/dev/null)" != "$config" ]; then
  printf '%s\n' "$config" | sudo_if_needed tee "$conf_dir/slurm.conf" >/dev/null
fi

if [ ! -s /etc/munge/munge.key ]; then
  sudo_if_needed mkdir -p /etc/munge
  sudo_if_needed dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
sudo_if_needed chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
sudo_if_needed chmod 400 /etc/munge/munge.key
if ! munge -n >/dev/null 2>&1 </dev/null; then
  sudo_if_needed runuser -u munge -- /usr/sbin/munged
fi

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
# -D keeps each daemon in the foreground of its own background job; setsid detaches it from this shell.
if ! running /run/slurmctld.pid; then
  sudo_if_needed setsid slurmctld -D >>"$log_dir/slurmctld.out" 2>&1 </dev/null &
fi
if ! running /run/slurmd.pid; then
  sudo_if_needed setsid slurmd -D >>"$log_dir/slurmd.out" 2>&1 </dev/null &
fi

for _ in $(seq 60); do
  state="$(sinfo -h -n "$host" -o %T 2>/dev/null || true)"
  case "$state" in
    idle*|mixed*|allocated*) echo "slurm ready: node $host ($cpus CPUs, ${memory_mb} MB) is $state; logs in $log_dir"; exit 0 ;;
    drain*|down*) sudo_if_needed scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true ;;
  esac
  sleep 1
done
echo "start-local-slurm: the node did not become idle in 60 s (state '${state:-no answer}'); see $log_dir" >&2
exit 1
