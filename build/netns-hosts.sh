#!/usr/bin/env bash
# Simulated hosts for multi-host Open MPI runs on one machine (docs/distributed.md): network namespaces PREFIXh0..hN
# joined by a bridge in PREFIXbr, addresses 10.213.77.1..N+1/24 (h0 is the head that runs mpirun). The root namespace
# gets no link and no address; nothing is reachable from outside. Needs root.
#   netns-hosts.sh up PREFIX N      create h0..hN
#   netns-hosts.sh down PREFIX N    delete them (also what is left of a half-made set)
set -uo pipefail
cmd=${1:?up|down} prefix=${2:?prefix} hosts=${3:?number of hosts}
down() {
  for i in $(seq 0 "$hosts"); do ip netns del "${prefix}h$i" 2>/dev/null; done
  ip netns del "${prefix}br" 2>/dev/null
  return 0
}
if [[ $cmd == down ]]; then down; exit 0; fi
set -e
trap 'down; exit 1' ERR
ip netns add "${prefix}br"
ip -n "${prefix}br" link add br0 type bridge
ip -n "${prefix}br" link set br0 up
for i in $(seq 0 "$hosts"); do
  ns="${prefix}h$i"
  ip netns add "$ns"
  ip -n "${prefix}br" link add "p$i" type veth peer name eth0 netns "$ns"
  ip -n "${prefix}br" link set "p$i" master br0
  ip -n "${prefix}br" link set "p$i" up
  ip -n "$ns" addr add "10.213.77.$((i + 1))/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
done
