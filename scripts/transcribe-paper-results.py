#!/usr/bin/env python3
"""Transcribes the paper's accuracy and ROC-AUC tables (sections 5 and 7 of ../shared/spec/paper-results.md) into the
project's own data file, src/ForwardGnn.Cli/Reproduce/paper-results.csv (task,dataset,method,layers,mean,std).

usage: scripts/transcribe-paper-results.py   (rerun only when the transcription itself changes)
"""
import os, re

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "..", "shared", "spec", "paper-results.md")
TARGET = os.path.join(HERE, "..", "src", "ForwardGnn.Cli", "Reproduce", "paper-results.csv")
DATASETS = {"Amazon": "Amazon-Photo", "GitHub": "GitHub", "CiteSeer": "CitationFull-CiteSeer",
            "PubMed": "CitationFull-PubMed", "CoraML": "CitationFull-Cora_ML"}

rows, task, dataset = [], None, None
for line in open(SOURCE, encoding="utf-8"):
    if line.startswith("## "):
        task = "node" if line.startswith("## 5.") else "link" if line.startswith("## 7.") else None
    m = re.match(r"### \d+\.\d+ (\w+)", line)
    if m:
        dataset = DATASETS.get(m.group(1))
    if task and dataset and line.startswith("| ") and "±" in line:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        for depth, cell in enumerate(cells[1:], start=1):
            mean, std = cell.split("±")
            rows.append(f"{task},{dataset},{cells[0]},{depth},{float(mean)},{float(std)}")

with open(TARGET, "w", encoding="utf-8") as out:
    out.write("task,dataset,method,layers,mean,std\n")
    out.write("\n".join(rows) + "\n")
print(f"{len(rows)} numbers -> {os.path.relpath(TARGET)}")
