#!/usr/bin/env bash
# The four runs of the PyTorch reference's table (docs/performance.md): CitationFull-Cora_ML, official split 0, the
# paper's settings (1000-epoch budget, patience 100, validation every 2 epochs), 2 threads, each REPEAT times
# (default 3) in turn. Prints one line per run and then the medians; raw JSON lines go to results/bench-reference.jsonl.
# Run it on a quiet machine: nothing else should compete for the two cores.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repeat=${REPEAT:-3}
out=results/bench-reference.jsonl
mkdir -p results
: >"$out"
./forwardgnn datasets >/dev/null   # build first, outside the timings
for ((i = 1; i <= repeat; i++)); do
  for run in "bp 2" "bp 4" "sf 4" "sf-t2l 4"; do
    read -r algo layers <<<"$run"
    ./forwardgnn train --dataset cora_ml --algo "$algo" --gnn gcn --layers "$layers" --split 0 --threads 2 --bench --json \
      --out "runs/bench-reference/$algo-L$layers" 2>>results/bench-reference.log | tail -n 1 >>"$out"
  done
done
python3 - "$out" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs.setdefault(f"{r['algo'].upper()}-GCN L{r['layers']}", []).append(r)
print("| run | whole process (s), median | each run (s) | peak RSS (MiB), median | each run (MiB) | test acc. (%) | epochs | median epoch (ms) | median validation (ms) |")
print("|---|---|---|---|---|---|---|---|---|")
for name, rs in runs.items():
    wall = [r["bench"]["wallSeconds"] for r in rs]
    rss = [r["bench"]["peakRssMiB"] for r in rs]
    print(f"| {name} | {statistics.median(wall):.2f} | {' / '.join(f'{w:.2f}' for w in wall)} | {statistics.median(rss):.0f} | "
          f"{' / '.join(f'{m:.0f}' for m in rss)} | {' / '.join(sorted({'%.2f' % r['test'] for r in rs}))} | "
          f"{rs[0]['perRun'][0]['epochs']} | {statistics.median(r['bench']['epochMedianMs'] for r in rs):.2f} | "
          f"{statistics.median(r['bench']['validationMedianMs'] for r in rs):.2f} |")
PY
