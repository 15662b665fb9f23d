#!/usr/bin/env bash
# The BP acceptance matrix of docs/results/bp.md: 5 official splits per cell, appended as JSON lines to
# results/bp/<queue>.jsonl. Resumable: cells already in the file are skipped. Two queues share the 2 cores:
#   scripts/bp-matrix.sh a &   scripts/bp-matrix.sh b &
# then render the table with scripts/bp-table.py.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
queue=${1:?usage: bp-matrix.sh a|b}
out=results/bp/$queue.jsonl
mkdir -p results/bp
touch "$out"

cells() {
  case $queue in
    a) for g in gcn sage gat; do for l in 2 3 4; do echo "node cora_ml $g $l"; done; done
       for g in gcn sage gat; do for l in 3 4; do echo "node photo $g $l"; done; done ;;
    b) for g in gcn sage gat; do for l in 2 3 4; do echo "node citeseer $g $l"; done; done
       for d in cora_ml citeseer; do for g in gcn sage gat; do for l in 1 2; do echo "link $d $g $l"; done; done; done ;;
  esac
}

# A frozen build of its own, so source edits during a long matrix change nothing mid-way.
bin=artifacts/bp-matrix-$queue
dotnet build src/ForwardGnn.Cli/ForwardGnn.Cli.csproj -c Release -o "$bin" --nologo -v quiet -clp:NoSummary >&2
fgnn() { dotnet "$bin/ForwardGnn.Cli.dll" "$@"; }
cells | while read -r task dataset gnn layers; do
  key="\"task\":\"$task\",\"gnn\":\"$gnn\",\"algo\":\"bp\",\"layers\":$layers"
  name=$(fgnn datasets --json | python3 -c "import json,sys; print([d['name'] for d in json.load(sys.stdin) if d['name'].lower().endswith('$dataset'.lower())][0])")
  if grep -F "\"dataset\":\"$name\"" "$out" | grep -qF "$key"; then continue; fi
  echo "$(date +%T) $task $dataset $gnn L$layers" >&2
  fgnn train --task "$task" --dataset "$dataset" --gnn "$gnn" --layers "$layers" --algo bp --splits 0-4 \
    --threads 1 --json --out "runs/bp/$task-$dataset-$gnn-L$layers" 2>>"results/bp/$queue.log" | tail -n 1 >>"$out"
done
