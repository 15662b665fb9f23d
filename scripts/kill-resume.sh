#!/usr/bin/env bash
# Kills `train`, `train --resume` and `reproduce` with SIGKILL at random times, KILLS times in all (default 50), and
# checks what docs/reliability.md promises: a result file, once written, is never changed or removed by a later
# (killed or finished) run, and every run that finishes gives the uninterrupted run's result (apart from timing fields).
#   scripts/kill-resume.sh [KILLS] [SEED]
# Prints one line per kill and a summary; exits 1 on the first broken promise. Needs python3 (to compare JSON).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
kills=${1:-50}
RANDOM=${2:-31}
bin=artifacts/kill-resume
dotnet build src/ForwardGnn.Cli/ForwardGnn.Cli.csproj -c Release -o "$bin" --nologo -v quiet -clp:NoSummary >&2
work=$(mktemp -d)   # left in place when a check fails, for a look at what broke
fgnn() { dotnet "$bin/ForwardGnn.Cli.dll" "$@"; }

train=(train --dataset "sbm:nodes=800,degree=6,features=32,classes=4,seed=3" --algo sf --layers 3 --splits 0-2
       --epochs 60 --patience -1 --threads 1 --json)
matrix=(reproduce --datasets cora_ml --tasks node --gnns gcn --algos bp,sf --layers 1-2 --splits 0-1 --epochs 4
        --threads 1 --no-download)

# result.json without its timing fields, for comparison.
canonical() {
  python3 - "$1" <<'PY'
import json, sys
def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in ("trainSeconds", "peakRssMiB")}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node
print(json.dumps(strip(json.load(open(sys.argv[1]))), sort_keys=True))
PY
}

# Every result.json under $1 as "path sha256" lines.
snapshot() { find "$1" -name result.json -exec sha256sum {} + 2>/dev/null | sort -k2 || true; }

# Each file of snapshot $1 must still be there, unchanged, in folder $2.
check_kept() {
  local path sum
  while read -r sum path; do
    [[ -n "$path" ]] || continue
    if [[ ! -f "$path" || "$(sha256sum "$path" | cut -d' ' -f1)" != "$sum" ]]; then
      echo "BROKEN: $path changed or vanished after it was written" >&2; exit 1
    fi
  done <<< "$1"
}

echo "kill-resume: uninterrupted references..." >&2
start=$SECONDS; fgnn "${train[@]}" --out "$work/train-ref" > /dev/null 2>&1; train_s=$(( SECONDS - start + 1 ))
start=$SECONDS; fgnn "${matrix[@]}" --out "$work/matrix-ref" > /dev/null 2>&1; matrix_s=$(( SECONDS - start + 1 ))
ref_train=$(canonical "$work/train-ref/result.json")

killed=0 finished_train=0 finished_matrix=0 t=0 m=0
while (( killed < kills )); do
  if (( RANDOM % 2 == 0 )); then
    what=train; folder="$work/train-$t"; limit=$train_s
    args=("${train[@]}" --out "$folder"); [[ -d "$folder" ]] && args+=(--resume)
  else
    what=reproduce; folder="$work/matrix-$m"; limit=$matrix_s
    args=("${matrix[@]}" --out "$folder")
  fi
  before=$(snapshot "$folder")
  delay=$(python3 -c "import random; random.seed($RANDOM); print(round(random.uniform(0.2, $limit * 1.1), 2))")
  dotnet "$bin/ForwardGnn.Cli.dll" "${args[@]}" > "$work/last.log" 2>&1 & pid=$!   # not through fgnn: $! must be the tool's pid
  sleep "$delay"
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"; wait "$pid" 2>/dev/null || true
    killed=$(( killed + 1 ))
    resumed=""; [[ " ${args[*]} " == *" --resume "* ]] && resumed=" --resume"
    echo "kill $killed: ${what}${resumed} in $(basename "$folder") after ${delay} s" >&2
    sleep 1   # a killed matrix's children notice their parent is gone and stop
  else
    wait "$pid" || { echo "BROKEN: $what in $folder failed:" >&2; tail -5 "$work/last.log" >&2; exit 1; }
  fi
  check_kept "$before"
  if [[ $what == train && -f "$folder/result.json" ]]; then
    [[ "$(canonical "$folder/result.json")" == "$ref_train" ]] || { echo "BROKEN: $folder/result.json differs from the uninterrupted run's" >&2; exit 1; }
    done_files=$(find "$folder" -type f -exec sha256sum {} + | sort -k2)
    fgnn "${train[@]}" --out "$folder" --resume > /dev/null 2>&1   # a finished run: reported, nothing changed
    [[ "$(find "$folder" -type f -exec sha256sum {} + | sort -k2)" == "$done_files" ]] || { echo "BROKEN: --resume changed the finished $folder" >&2; exit 1; }
    finished_train=$(( finished_train + 1 )); t=$(( t + 1 ))
  elif [[ $what == reproduce && $(snapshot "$folder" | wc -l) -eq 6 && -f "$folder/summary.csv" ]]; then
    for ref in "$work"/matrix-ref/runs/*/*/result.json; do
      run=${ref#"$work/matrix-ref/"}
      [[ "$(canonical "$ref")" == "$(canonical "$folder/$run")" ]] || { echo "BROKEN: $folder/$run differs from the uninterrupted matrix's" >&2; exit 1; }
    done
    finished_matrix=$(( finished_matrix + 1 )); m=$(( m + 1 ))
  fi
done

# The last, interrupted folders, finished without a kill, must give the uninterrupted results too.
if [[ -d "$work/train-$t" ]]; then
  before=$(snapshot "$work/train-$t"); fgnn "${train[@]}" --out "$work/train-$t" --resume > /dev/null 2>&1; check_kept "$before"
  [[ "$(canonical "$work/train-$t/result.json")" == "$ref_train" ]] || { echo "BROKEN: the last train run differs" >&2; exit 1; }
  finished_train=$(( finished_train + 1 ))
fi
if [[ -d "$work/matrix-$m" ]]; then
  before=$(snapshot "$work/matrix-$m"); fgnn "${matrix[@]}" --out "$work/matrix-$m" > /dev/null 2>&1; check_kept "$before"
  for ref in "$work"/matrix-ref/runs/*/*/result.json; do
    run=${ref#"$work/matrix-ref/"}
    [[ "$(canonical "$ref")" == "$(canonical "$work/matrix-$m/$run")" ]] || { echo "BROKEN: the last matrix's $run differs" >&2; exit 1; }
  done
  finished_matrix=$(( finished_matrix + 1 ))
fi
rm -rf "$work"
echo "kill-resume: $killed kills; $finished_train train runs and $finished_matrix matrices finished, each equal to the uninterrupted one; no finished result changed" >&2
