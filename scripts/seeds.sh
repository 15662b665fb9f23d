#!/usr/bin/env bash
# How much a cell's 5-split mean moves with the base seed alone (the seed draws the initial weights; the splits stay).
# Lists live in scripts/seeds/<list>.txt, one cell per line: "<task> <dataset alias> <gnn> <layers> <algo> <seed>...".
# Appends one `train --json` line per cell and seed to results/seeds-<list>.jsonl (resumable: a cell and seed already
# there is skipped). Print the table with: python3 scripts/seeds-table.py results/seeds-<list>.jsonl
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
list=${1:?usage: seeds.sh LIST (see scripts/seeds/)}
out=results/seeds-$list.jsonl
mkdir -p results
touch "$out"
grep -v '^#' "scripts/seeds/$list.txt" | while read -r task dataset gnn layers algo seeds; do
  [[ -z "$task" ]] && continue
  key="\"task\":\"$task\",\"gnn\":\"$gnn\",\"algo\":\"$algo\",\"layers\":$layers,"
  for seed in $seeds; do
    if grep -F "$key" "$out" | grep -iF "$dataset" | grep -qF "\"seed\":$((seed * 101)),"; then continue; fi
    ./forwardgnn train --task "$task" --dataset "$dataset" --gnn "$gnn" --layers "$layers" --algo "$algo" --splits 0-4 \
      --seed "$seed" --threads 1 --json --out "runs/seeds-$list/$task-$dataset-$algo-$gnn-L$layers-seed$seed" \
      2>/dev/null | tail -n 1 >>"$out"
  done
done
