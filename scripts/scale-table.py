#!/usr/bin/env python3
"""Markdown table of the scale series (results/scale.jsonl from scripts/scale.sh): one row per run."""
import json
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "results/scale.jsonl"
print("| graph | run | epochs run | median epoch (ms) | median validation (ms) | whole process (s) | peak RSS (MiB) | peak RSS by depth (MiB) | test acc. (%) |")
print("|---|---|---|---|---|---|---|---|---|")
for line in open(path):
    if not line.strip():
        continue
    r = json.loads(line)
    b = r["bench"]
    nodes = int(r["dataset"].split("nodes=")[1].split(",")[0])
    graph = f"{nodes // 1000}k nodes" if nodes < 1_000_000 else f"{nodes // 1_000_000}M nodes"
    depths = " / ".join(f"{d['peakRssMiB']:.0f}" for d in r["perDepth"]) if r.get("perDepth") else ""
    run = f"{r['algo'].upper()}-{r['gnn'].upper()} L{r['layers']}"
    print(f"| {graph} | {run} | {r['perRun'][0]['epochs']} | {b['epochMedianMs']:.1f} | {b['validationMedianMs']:.1f} | "
          f"{b['wallSeconds']:.1f} | {b['peakRssMiB']:.0f} | {depths} | {r['test']:.2f} |")
