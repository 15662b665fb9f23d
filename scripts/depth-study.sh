#!/usr/bin/env bash
# The depth study of docs/results/depth.md: SF, BP and FF-LA with GCN and SAGE at L = 2, 4, 8, 16, 32, 64 on
# Amazon-Photo, split 0, through `forwardgnn reproduce` (one thread, one run at a time), then the page and its plot.
# Layer-wise algorithms (SF, FF-LA) run once at L = 64 and report every depth; BP runs once per depth.
#   nohup scripts/depth-study.sh > runs/depth-study.log 2>&1 &     # resumable: finished runs are kept
#   scripts/depth-study.sh render          # only the page's tables and plot, from the records in docs/results/depth/
# EPOCHS (default 200) is the epoch budget per run, per layer for the layer-wise algorithms.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=runs/depth-photo
epochs="${EPOCHS:-200}"
if [[ "${1:-}" != render ]]; then
  bin=artifacts/depth   # a frozen build: editing the sources meanwhile does not change the runs
  dotnet build src/ForwardGnn.Cli/ForwardGnn.Cli.csproj -c Release -o "$bin" --nologo -v quiet -clp:NoSummary >&2
  root=$PWD; source build/native-env.sh   # as ./forwardgnn sets it
  matrix=(--datasets photo --tasks node --gnns gcn,sage --layers 2,4,8,16,32,64 --splits 0 --epochs "$epochs"
          --jobs 1 --threads 1 --out "$out")
  status=0
  dotnet "$bin/ForwardGnn.Cli.dll" reproduce "${matrix[@]}" --algos sf,bp || status=$?
  dotnet "$bin/ForwardGnn.Cli.dll" reproduce "${matrix[@]}" --algos ff-la || status=$?
  [[ $status == 0 ]] || echo "depth-study: some runs failed (above); the page shows the finished ones" >&2
  python3 scripts/depth-study.py collect "$out" docs/results dotnet "$bin/ForwardGnn.Cli.dll"
else
  python3 scripts/depth-study.py render docs/results
fi
