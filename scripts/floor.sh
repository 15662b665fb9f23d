#!/usr/bin/env bash
# SF-GCN L4's median training step against this machine's floor (docs/performance.md) on SBM graphs
# sbm:nodes=N,degree=10,features=128,classes=10,seed=1: `forwardgnn kernels` times the products, and a train --bench
# run gives the median step (100 epochs per layer up to 100k nodes, 8 above; EPOCHS overrides). The floor of a step on
# a cached aggregate is its two GEMMs and four elementwise passes over [N, 128]; the step computes the training and
# virtual rows only (64 % of the nodes), so the table also gives the floor of those rows.
# Raw output: results/floor/. Run it on a quiet machine.
#   scripts/floor.sh [NODES...]        (default: 10000 100000 1000000; the 1M graph needs about 8 GiB)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=results/floor
mkdir -p "$out"
sizes=("$@")
[[ ${#sizes[@]} -eq 0 ]] && sizes=(10000 100000 1000000)
./forwardgnn datasets >/dev/null   # build first, outside the timings
for n in "${sizes[@]}"; do
  ds="sbm:nodes=$n,degree=10,features=128,classes=10,seed=1"
  epochs=${EPOCHS:-$([[ $n -le 100000 ]] && echo 100 || echo 8)}
  ./forwardgnn kernels --dataset "$ds" --threads 2 --json 2>>"$out/log" >"$out/kernels-$n.json"
  ./forwardgnn train --dataset "$ds" --algo sf --layers 4 --split 0 --threads 2 --epochs "$epochs" --bench --json \
    --out "runs/floor/sf-$n" --overwrite 2>>"$out/log" | tail -n 1 >"$out/sf-$n.json"
done
python3 - "$out" "${sizes[@]}" <<'PY'
import json, sys
out, sizes = sys.argv[1], sys.argv[2:]
print("| nodes | GEMM / weight-gradient GEMM / ReLU pass (ms) | floor, all rows (ms) | floor, training rows (ms) | median step (ms) | step / floor | step / training-rows floor | median validation (ms) | peak RSS (MiB) |")
print("|---|---|---|---|---|---|---|---|---|")
for n in sizes:
    k = {x["kernel"]: x["medianMs"] for x in json.load(open(f"{out}/kernels-{n}.json"))["kernels"]}
    gemm, grad, relu = k["dense GEMM H·W"], k["weight-gradient GEMM Gᵀ·H"], k["elementwise ReLU(H)"]
    floor = gemm + grad + 4 * relu
    rows = floor * 0.64
    b = json.load(open(f"{out}/sf-{n}.json"))["bench"]
    step = b["epochMedianMs"]
    print(f"| {int(n):,} | {gemm:.2f} / {grad:.2f} / {relu:.2f} | {floor:.2f} | {rows:.2f} | {step:.2f} | {step / floor:.2f}× | "
          f"{step / rows:.2f}× | {b['validationMedianMs']:.2f} | {b['peakRssMiB']:.0f} |")
PY
