#!/usr/bin/env bash
# Scale series of docs/performance.md: SF-GCN (L=4, every depth reported) and BP-GCN (L=2 and L=4) on synthetic
# SBM graphs of 10k, 100k and 1M nodes (degree 10, so 10 directed edges per node; 128 features; 10 classes),
# `train --bench` with an epoch budget of 100 per layer, except BP on 1M nodes: 20 (its peak memory is reached in the
# first epochs); 2 threads. Appends one JSON line per run to
# results/scale.jsonl; runs already there are skipped, so it can be stopped and started again.
#   nohup scripts/scale.sh > results/scale.log 2>&1 &
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=results/scale.jsonl
mkdir -p results
touch "$out"
bin=artifacts/scale
dotnet build src/ForwardGnn.Cli/ForwardGnn.Cli.csproj -c Release -o "$bin" --nologo -v quiet -clp:NoSummary >&2
root=$PWD; source build/native-env.sh   # as ./forwardgnn sets it

for nodes in 10000 100000 1000000; do
  dataset="sbm:nodes=$nodes,degree=10,features=128,classes=10,seed=1"
  for run in "sf 4" "bp 2" "bp 4"; do
    read -r algo layers <<<"$run"
    key="\"dataset\":\"$dataset\",\"task\":\"node\",\"gnn\":\"gcn\",\"algo\":\"$algo\",\"layers\":$layers,"
    if grep -qF "$key" "$out"; then continue; fi
    epochs=$([[ $algo == bp && $nodes -ge 1000000 ]] && echo 20 || echo 100)
    echo "$(date +%T) $algo L$layers $nodes nodes, $epochs epochs" >&2
    /usr/bin/time -f "%e s wall, %M KiB peak" dotnet "$bin/ForwardGnn.Cli.dll" train --dataset "$dataset" --algo "$algo" \
      --gnn gcn --layers "$layers" --epochs "$epochs" --threads 2 --bench --json --out "runs/scale/$algo-L$layers-$nodes" \
      | tail -n 1 >>"$out"
  done
done
