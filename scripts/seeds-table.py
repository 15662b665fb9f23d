#!/usr/bin/env python3
"""Prints a seed study (scripts/seeds.sh): per cell (and per depth of a layer-wise run), the 5-split test mean ± std for
each base seed, their spread, and the paper's number."""
import importlib.util, json, os, statistics, sys

spec = importlib.util.spec_from_file_location("results_table", os.path.join(os.path.dirname(__file__), "results-table.py"))
results_table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(results_table)

cells = {}
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        r = json.loads(line)
        method = f'{results_table.METHODS.get(r["algo"], r["algo"])}-{r["gnn"].upper()}'
        first = r["perRun"][0]
        seed = (first["seed"] - 3 * first["split"]) // 101
        depths = r.get("perDepth") or [{"layers": r["layers"], "test": r["test"], "testStd": r["testStd"]}]
        for d in depths:   # a layer-wise run reports every depth 1..L
            cells.setdefault((r["task"], r["dataset"], method, d["layers"]), []).append((seed, d["test"], d["testStd"]))
paper = results_table.paper_numbers()
print("| task | dataset | method | L | 5-split mean ± std per base seed (`--seed`) | mean of the means ± std | range | paper |")
print("|---|---|---|---|---|---|---|---|")
for key, runs in cells.items():
    runs.sort()
    means = [m for _, m, _ in runs]
    per_seed = ", ".join(f"{s}: {m:.2f} ± {sd:.2f}" for s, m, sd in runs)
    p = paper.get(key)
    print(f"| {' | '.join(map(str, key))} | {per_seed} | {statistics.mean(means):.2f} ± {statistics.pstdev(means):.2f} "
          f"| {min(means):.2f}–{max(means):.2f} | {f'{p[0]:.2f} ± {p[1]:.1f}' if p else '–'} |")
