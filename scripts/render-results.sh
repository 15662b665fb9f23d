#!/usr/bin/env bash
# Copies the matrix results (results/*.jsonl) into docs/results/raw/ and renders the tables of docs/results/*.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p docs/results/raw
for f in results/*.jsonl; do
  case $(basename "$f") in bench-reference*.jsonl | scale.jsonl) continue ;; esac   # docs/performance.md keeps those
  [[ -s "$f" ]] && cp "$f" docs/results/raw/
done

render() {   # page title [--within X] [--depths D,...] lists...
  local page=$1 title=$2; shift 2
  local rule=()
  while [[ $1 == --* ]]; do rule+=("$1" "$2"); shift 2; done
  local files=()
  for list in "$@"; do [[ -s "docs/results/raw/$list.jsonl" ]] && files+=("docs/results/raw/$list.jsonl"); done
  {
    echo "# $title"
    echo
    cat "docs/results/$page.intro.md"
    echo
    echo "Regenerate: \`$(for l in "$@"; do printf 'scripts/matrix.sh %s; ' "$l"; done)scripts/render-results.sh\`"
    echo
    if (( ${#files[@]} )); then python3 scripts/results-table.py "${rule[@]}" "${files[@]}"; else echo "(no results yet)"; fi
  } > "docs/results/$page.md"
}
render bp "Backpropagation baseline: measured vs the paper" bp-node bp-link bp-node-photo bp-node-photo-b
render forward-node "Forward learning, node classification: measured vs the paper" sf-node forward-node-a forward-node-b forward-node-photo forward-node-github
render forward-link "Forward learning, link prediction: measured vs the paper" forward-link forward-link-photo
render pyg-init "Reruns with PyG's initial weights: measured vs the paper" pyg-init pyg-init-link pyg-init-sf pyg-init-photo pyg-init-bp-photo-a pyg-init-bp-photo-b pyg-init-link-photo-a pyg-init-link-photo-b
render avx512 "Reruns on MKL's AVX-512 kernels: measured vs the paper" avx512-node avx512-link avx512-link-photo-a avx512-link-photo-b
render pyg-splits "Link prediction on edge splits drawn as PyG draws them: measured vs the paper" pyg-splits-link-a pyg-splits-link-b pyg-splits-link-photo-a pyg-splits-link-photo-b pyg-splits-bp-link-a pyg-splits-bp-link-b pyg-splits-bp-link-deep-a pyg-splits-bp-link-deep-b pyg-splits-bp-link-photo pyg-splits-bp-link-photo-b
render pyg-splits-baselines "Link baselines on edge splits drawn as PyG draws them: measured vs the paper" --within 3 --depths 2,4 pyg-splits-baselines-link-a pyg-splits-baselines-link-b
render baselines "The paper's other baselines (SymBa, CaFo, PEPITA): measured vs the paper" --within 3 --depths 2,4 baselines-a baselines-b
seeds() {   # page list title: a seed study (scripts/seeds.sh LIST) appended to a page, after its <page>.seeds.md text
  local page=$1 list=$2 title=$3
  [[ -s docs/results/raw/seeds-$list.jsonl ]] || return 0
  { echo; echo "## $title"; echo; cat "docs/results/$page.seeds.md"; echo
    python3 scripts/seeds-table.py "docs/results/raw/seeds-$list.jsonl"; } >>"docs/results/$page.md"
}
seeds bp bp-link "The short cell and the seed"
seeds forward-node t2l-gat "The short SF-T2L-GAT cell and the seed"
seeds forward-link fl-link "The short cell and the seed"
seeds baselines cafo "CaFo and the seed"
seeds avx512 fl-ff-gat "The short FG-FF-GAT cell and the seed"
if [[ -s docs/results/baselines.outside.md ]]; then
  { echo; echo "## Cells outside ±3.0 and why"; echo; cat docs/results/baselines.outside.md; } >>docs/results/baselines.md
fi
