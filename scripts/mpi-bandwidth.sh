#!/usr/bin/env bash
# Measures this machine's MPI all-reduce and all-to-all times (scripts/mpi-bandwidth.c) with the settings --ranks
# uses, over shared memory and over TCP loopback, at K ranks (default: 2 and 4). Needs a C compiler and Open MPI
# (build/ensure-mpi.sh); no MPI headers.
# Usage: scripts/mpi-bandwidth.sh [REPS] [K...]
set -euo pipefail
command -v cc >/dev/null || { echo "mpi-bandwidth: needs a C compiler (cc)" >&2; exit 2; }
"$(dirname "$0")/../build/ensure-mpi.sh" >&2
reps="${1:-20}"; shift || true
ranks=("${@:-2 4}"); ranks=(${ranks[*]})
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
lib="$(ldconfig -p | awk '/libmpi\.so\.40 / {print $NF; exit}')"
[[ -n "$lib" ]] || { echo "mpi-bandwidth: libmpi.so.40 not found" >&2; exit 2; }
cc -O2 -o "$work/mpi-bandwidth" "$(dirname "$0")/mpi-bandwidth.c" "$lib"
root=(); [[ $(id -u) == 0 ]] && root=(--allow-run-as-root)
for k in "${ranks[@]}"; do
  for transport in "shared memory:vader,self" "TCP loopback:tcp,self"; do
    echo "== K = $k, ${transport%%:*} ($(uptime | sed 's/.*load/load/'))"
    mpirun "${root[@]}" -np "$k" --oversubscribe --bind-to none --mca mpi_yield_when_idle 1 --mca btl "${transport#*:}" \
      "$work/mpi-bandwidth" "$reps"
  done
done
