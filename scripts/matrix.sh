#!/usr/bin/env bash
# Runs a list of `forwardgnn train` cells (5 official splits each) and appends each cell's JSON result line to
# results/<list>.jsonl. Resumable: cells already in that file are skipped, and a cell stopped half-way goes on.
# Lists live in scripts/matrix/<list>.txt, one cell per line: "<task> <dataset alias> <gnn> <layers> <algo>". Lists can run side by side:
#   nohup scripts/matrix.sh bp-node-a & nohup scripts/matrix.sh sf-node &
# Render with: scripts/results-table.py results/<list>.jsonl ...
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
list=${1:?usage: matrix.sh LIST (see scripts/matrix/)}
cells=scripts/matrix/$list.txt
out=results/$list.jsonl
mkdir -p results
touch "$out"

# A frozen build of its own, so source edits during a long matrix change nothing mid-way.
bin=artifacts/matrix-$list
dotnet build src/ForwardGnn.Cli/ForwardGnn.Cli.csproj -c Release -o "$bin" --nologo -v quiet -clp:NoSummary >&2
root=$PWD; source build/native-env.sh   # as ./forwardgnn sets it
fgnn() { dotnet "$bin/ForwardGnn.Cli.dll" "$@"; }

grep -v '^#' "$cells" | while read -r task dataset gnn layers algo; do
  [[ -z "$task" ]] && continue
  name=$(fgnn datasets --json | python3 -c "import json,sys; print([d['name'] for d in json.load(sys.stdin) if d['name'].lower().endswith('$dataset'.lower())][0])")
  key="\"dataset\":\"$name\",\"task\":\"$task\",\"gnn\":\"$gnn\",\"algo\":\"$algo\",\"layers\":$layers,"
  if grep -qF "$key" "$out"; then continue; fi
  echo "$(date +%T) $task $dataset $gnn L$layers $algo" >&2
  # --resume: a cell that was stopped (the matrix killed, or a native crash) goes on from its finished splits and
  # layers; a cell that fails is retried once that way, then skipped.
  cell=(train --task "$task" --dataset "$dataset" --gnn "$gnn" --layers "$layers" --algo "$algo" --splits 0-4
    --threads 1 --json --resume --out "runs/$list/$task-$dataset-$algo-$gnn-L$layers")
  if result=$(fgnn "${cell[@]}" 2>>"results/$list.log" || fgnn "${cell[@]}" 2>>"results/$list.log"); then
    tail -n 1 <<<"$result" >>"$out"
  else
    echo "$(date +%T) failed: $task $dataset $gnn L$layers $algo (see results/$list.log)" >&2
  fi
done
