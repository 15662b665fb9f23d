#!/usr/bin/env python3
"""Prints the CaFo seed study (scripts/cafo-seeds.sh): per cell, the L=2 5-split mean for each seed and their range."""
import json, sys

cells = {}
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        r = json.loads(line)
        depth = next(d for d in r["perDepth"] if d["layers"] == 2)
        cells.setdefault((r["dataset"], r["gnn"]), []).append(depth["test"])
print("| dataset | GNN | L=2 5-split mean for seeds 101..108 | range |")
print("|---|---|---|---|")
for (dataset, gnn), means in cells.items():
    print(f"| {dataset} | CaFo-{gnn.upper()} | {', '.join(f'{m:.2f}' for m in means)} | {min(means):.2f}–{max(means):.2f} |")
