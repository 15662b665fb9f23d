#!/usr/bin/env bash
# Installs what distributed training needs when it is missing: Open MPI (mpirun, libmpi.so.40) and METIS
# (libmetis.so.5), from Debian's packages. Needs root (as CI runs); says what it installs. docs/distributed.md.
set -euo pipefail
have() { [[ -x /usr/bin/mpirun ]] && ldconfig -p | grep -q 'libmpi.so.40' && ldconfig -p | grep -q 'libmetis.so.5'; }
have && exit 0
echo "forwardgnn: installing Open MPI and METIS for distributed training (apt-get install openmpi-bin libmetis5)..." >&2
if [[ $(id -u) -ne 0 ]]; then
  echo "forwardgnn: error: not root; install them with: sudo apt-get install openmpi-bin libmetis5" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq openmpi-bin libmetis5 >/dev/null
have
