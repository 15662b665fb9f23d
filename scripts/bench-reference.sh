#!/usr/bin/env bash
# The four runs of the PyTorch reference's table (docs/performance.md): CitationFull-Cora_ML, official split 0, the
# paper's settings (1000-epoch budget, patience 100, validation every 2 epochs), 2 threads, each REPEAT times
# (default 3) in turn. With a BASELINE checkout (another build's worktree, built by its own ./forwardgnn), each run
# alternates between the baseline and this checkout, so the two builds meet the same moments of the machine.
# Raw JSON lines go to results/bench-reference.jsonl (each with "build" and "externalWallSeconds": the whole
# command, launcher, exit and file writing included); a table of medians follows.
# Run it on a quiet machine: nothing else should compete for the two cores.
#   scripts/bench-reference.sh [BASELINE_CHECKOUT]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repeat=${REPEAT:-3}
out=results/bench-reference.jsonl
mkdir -p results
: >"$out"
log="$PWD/results/bench-reference.log"
builds=("$PWD")
[[ $# -ge 1 ]] && builds=("$(cd "$1" && pwd)" "$PWD")
for b in "${builds[@]}"; do (cd "$b" && ./forwardgnn datasets >/dev/null); done   # build first, outside the timings
for ((i = 1; i <= repeat; i++)); do
  for run in "bp 2" "bp 4" "sf 4" "sf-t2l 4"; do
    read -r algo layers <<<"$run"
    for b in "${builds[@]}"; do
      started=$(date +%s%N)
      line=$(cd "$b" && ./forwardgnn train --dataset cora_ml --algo "$algo" --gnn gcn --layers "$layers" --split 0 --threads 2 \
        --bench --json --out "runs/bench-reference/$algo-L$layers" --overwrite 2>>"$log" | tail -n 1)
      ended=$(date +%s%N)
      python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r["build"]=sys.argv[2]; r["externalWallSeconds"]=int(sys.argv[3])/1e9; print(json.dumps(r))' \
        "$line" "$(git -C "$b" rev-parse --short HEAD)" "$((ended - started))" >>"$out"
    done
  done
done
python3 - "$out" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs.setdefault((r["build"], f"{r['algo'].upper()}-GCN L{r['layers']}"), []).append(r)
med = lambda xs: statistics.median(xs)
print("| build | run | whole command (s), median (each) | process to result (s) | start-up to first step (s) | peak RSS (MiB) | test acc. (%) | epochs | median epoch (ms) | median validation (ms) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (build, name), rs in sorted(runs.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    ext = [r["externalWallSeconds"] for r in rs]
    first = [r["bench"].get("startup", {}).get("firstStepSeconds") for r in rs]
    first = [f for f in first if f is not None]
    print(f"| {build} | {name} | {med(ext):.2f} ({' / '.join(f'{w:.2f}' for w in ext)}) | {med(r['bench']['wallSeconds'] for r in rs):.2f} | "
          f"{med(first):.2f} | " if first else f"| {build} | {name} | {med(ext):.2f} ({' / '.join(f'{w:.2f}' for w in ext)}) | {med(r['bench']['wallSeconds'] for r in rs):.2f} | — | ", end="")
    print(f"{med(r['bench']['peakRssMiB'] for r in rs):.0f} | {' / '.join(sorted({'%.2f' % r['test'] for r in rs}))} | "
          f"{rs[0]['perRun'][0]['epochs']} | {med(r['bench']['epochMedianMs'] for r in rs):.2f} | "
          f"{med(r['bench']['validationMedianMs'] for r in rs):.2f} |")
PY
