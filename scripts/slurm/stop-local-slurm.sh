#!/usr/bin/env bash
# Stops the daemons that start-local-slurm.sh started (by their pid files); munged is left running for other users.
set -euo pipefail
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
for daemon in slurmd slurmctld; do
  pid_file="/run/$daemon.pid"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    sudo_if_needed kill "$(cat "$pid_file")"
    echo "stopped $daemon"
  fi
done
