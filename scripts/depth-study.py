#!/usr/bin/env python3
"""The depth study's records, tables and plot (docs/results/depth.md), from scripts/depth-study.sh's matrix.

  depth-study.py collect RUNS RESULTS TOOL...   copy the finished runs of the matrix folder RUNS into
                                                RESULTS/depth/: photo.jsonl (result.json lines), photo-layers.jsonl
                                                (each trained layer's last training loss and validation accuracy, from
                                                metrics.jsonl) and photo-smoothing.jsonl (how alike the nodes'
                                                representations are at a layer: the tool command TOOL... runs
                                                `embed` on each saved model) and photo-predictions.jsonl (how many
                                                classes a saved model predicts on the test nodes, `predict`), and
                                                reproduce's plots of the matrix (photo-metric.png, photo-memory.png);
                                                then render
  depth-study.py render RESULTS                 only rewrite the tables of RESULTS/depth.md (between its markers) and
                                                RESULTS/depth/photo.svg from those files

Smoothing at layer k: the nodes' rows z_i of the layer's output, u_i = z_i / |z_i| over the non-zero rows (n of them),
mean pairwise cosine (|sum u_i|^2 - n) / (n (n - 1)); 1 when every node has the same direction (over-smoothed).
"""
import glob
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from array import array

DEPTHS = [2, 4, 8, 16, 32, 64]
SERIES = [("sf", "gcn"), ("sf", "sage"), ("ff-la", "gcn"), ("ff-la", "sage"), ("bp", "gcn"), ("bp", "sage")]
COLOURS = {"sf": "#1f77b4", "ff-la": "#2ca02c", "bp": "#d62728"}
BEGIN, END = "<!-- depth-study tables: begin (scripts/depth-study.py writes this part) -->", "<!-- depth-study tables: end -->"


def label(algo, gnn):
    return f"{algo.upper()}-{gnn.upper()}"


def read_jsonl(path):
    return [json.loads(line) for line in open(path) if line.strip()] if os.path.exists(path) else []


def write_jsonl(path, rows):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        for r in rows:
            f.write(json.dumps(r, separators=(",", ":")) + "\n")
    os.replace(tmp, path)


def read_npy(path):
    """A float32 C-order 2-D .npy file as (rows, cols, flat array)."""
    with open(path, "rb") as f:
        data = f.read()
    header_len = struct.unpack("<H", data[8:10])[0]
    header = data[10:10 + header_len].decode("latin1")
    if "'<f4'" not in header or "'fortran_order': False" not in header:
        raise ValueError(f"{path}: expected a float32 C-order array, got {header}")
    rows, cols = (int(x) for x in header.split("'shape': (")[1].split(")")[0].split(",")[:2])
    values = array("f")
    values.frombytes(data[10 + header_len:])
    return rows, cols, values


def smoothing(path):
    """Mean pairwise cosine of the non-zero rows and the share of all-zero rows."""
    rows, cols, z = read_npy(path)
    total, n = [0.0] * cols, 0
    for i in range(rows):
        row = z[i * cols:(i + 1) * cols]
        norm = math.sqrt(sum(x * x for x in row))
        if norm == 0.0:
            continue
        n += 1
        for k in range(cols):
            total[k] += row[k] / norm
    cosine = (sum(t * t for t in total) - n) / (n * (n - 1)) if n > 1 else float("nan")
    return cosine, 1.0 - n / rows


def embed_layers(algo, layers):
    """The layers whose representations are measured: powers of two, and for BP its last hidden layer and output."""
    chosen = {k for k in [1, 2, 4, 8, 16, 32, 64] if k <= layers}
    if algo == "bp":
        chosen |= {layers - 1, layers} - {0}
    return sorted(chosen)


def collect(runs_root, results, tool):
    folder = os.path.join(results, "depth")
    os.makedirs(folder, exist_ok=True)
    records, layer_rows, smooth_rows, predicted_rows = [], [], [], []
    ident = lambda x: (x["algo"], x["gnn"], x["layers"])
    # runs recorded before (same finishing time) keep their measured rows instead of being embedded again
    known = {ident(r) for r in read_jsonl(os.path.join(folder, "photo.jsonl"))
             if os.path.exists(p := os.path.join(runs_root, "runs", f"node-{r['dataset']}-{r['algo']}-{r['gnn']}-L{r['layers']}", "split0", "result.json"))
             and json.load(open(p)).get("finishedUtc") == r.get("finishedUtc")}
    old_smooth = [x for x in read_jsonl(os.path.join(folder, "photo-smoothing.jsonl")) if ident(x) in known]
    old_predicted = [x for x in read_jsonl(os.path.join(folder, "photo-predictions.jsonl")) if ident(x) in known]
    for path in sorted(glob.glob(os.path.join(runs_root, "runs", "*", "split0", "result.json"))):
        run = os.path.dirname(path)
        r = json.load(open(path))
        records.append(r)
        last = {}
        for m in read_jsonl(os.path.join(run, "metrics.jsonl")):
            last[m["layer"]] = m
        for layer, m in sorted(last.items()):
            layer_rows.append({"algo": r["algo"], "gnn": r["gnn"], "layers": r["layers"], "layer": layer,
                               "lastEpoch": m["epoch"], "loss": m["loss"], "val": m["val"]})
        if ident(r) in known:
            smooth_rows += [x for x in old_smooth if ident(x) == ident(r)]
            predicted_rows += [x for x in old_predicted if ident(x) == ident(r)]
            continue
        if not os.path.exists(os.path.join(run, "model.json")):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            csv = os.path.join(tmp, "p.csv")
            subprocess.run(tool + ["predict", "--model", run, "--nodes", "test", "--out", csv], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            counts = {}
            for line in open(csv).readlines()[1:]:
                counts[line.split(",")[1]] = counts.get(line.split(",")[1], 0) + 1
            predicted_rows.append({"algo": r["algo"], "gnn": r["gnn"], "layers": r["layers"], "classes": len(counts),
                                   "topShare": round(max(counts.values()) / sum(counts.values()), 4)})
            for k in embed_layers(r["algo"], r["layers"]):
                npy = os.path.join(tmp, f"z{k}.npy")
                subprocess.run(tool + ["embed", "--model", run, "--layer", str(k), "--out", npy], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                cosine, zero = smoothing(npy)
                smooth_rows.append({"algo": r["algo"], "gnn": r["gnn"], "layers": r["layers"], "layer": k,
                                    "meanCosine": round(cosine, 4), "zeroRows": round(zero, 4)})
                print(f"{label(r['algo'], r['gnn'])} L{r['layers']} layer {k}: mean cosine {cosine:.3f}, "
                      f"zero rows {zero:.1%}", file=sys.stderr)
    # runs recorded before whose folders this matrix no longer holds (a fresh checkout that ran only the missing
    # series) keep their rows: a collect adds and replaces, it never drops a recorded run
    collected = {ident(r) for r in records}
    kept = [r for r in read_jsonl(os.path.join(folder, "photo.jsonl")) if ident(r) not in collected]
    records += kept
    for rows, name in ((layer_rows, "photo-layers.jsonl"), (smooth_rows, "photo-smoothing.jsonl"),
                       (predicted_rows, "photo-predictions.jsonl")):
        rows += [x for x in read_jsonl(os.path.join(folder, name)) if ident(x) not in collected]
    if kept:
        print(f"depth-study.py: kept {len(kept)} recorded runs this matrix folder does not hold; reproduce's own plots "
              f"(photo-metric.png, photo-memory.png) left as they were", file=sys.stderr)
    for png in ("metric", "memory") if not kept else ():   # reproduce's own plots of the matrix: every depth on a linear axis
        source = os.path.join(runs_root, "plots", f"node-Amazon-Photo-{png}.png")
        if os.path.exists(source):
            shutil.copyfile(source, os.path.join(folder, f"photo-{png}.png"))
    key = lambda x: (x["algo"], x["gnn"], x["layers"], x.get("layer", 0))
    write_jsonl(os.path.join(folder, "photo.jsonl"), sorted(records, key=key))
    write_jsonl(os.path.join(folder, "photo-layers.jsonl"), sorted(layer_rows, key=key))
    write_jsonl(os.path.join(folder, "photo-smoothing.jsonl"), sorted(smooth_rows, key=key))
    write_jsonl(os.path.join(folder, "photo-predictions.jsonl"), sorted(predicted_rows, key=key))


def depth_points(records):
    """(algo, gnn) -> {depth: {test, rss, seconds, epochs, perLayerSeconds}} for every depth a run reports."""
    points = {}
    for r in records:
        series = points.setdefault((r["algo"], r["gnn"]), {})
        if r.get("perDepth"):
            previous = 0.0
            for d in r["perDepth"]:
                series[d["layers"]] = {"test": d["test"], "rss": d["peakRssMiB"], "seconds": d["trainSeconds"],
                                       "layerSeconds": d["trainSeconds"] - previous, "epochs": d["epochs"]}
                previous = d["trainSeconds"]
        else:
            run = r["perRun"][0]
            series[r["layers"]] = {"test": r["test"], "rss": r["peakRssMiB"], "seconds": r["trainSeconds"],
                                   "layerSeconds": None, "epochs": run["epochs"]}
    return points


def table(points, title, value):
    lines = [f"**{title}**", "", "| run | " + " | ".join(f"L={d}" for d in DEPTHS) + " |", "|---|" + "---|" * len(DEPTHS)]
    for algo, gnn in SERIES:
        s = points.get((algo, gnn))
        if s is None:
            continue
        lines.append(f"| {label(algo, gnn)} | " + " | ".join(value(s, d) if d in s else "" for d in DEPTHS) + " |")
    return lines + [""]


def collapse_line(points, algo, gnn):
    """Best depth, and the first depth whose accuracy is 5 and 20 points under the best (layer-wise: every depth)."""
    s = points.get((algo, gnn))
    if not s:
        return None
    best = max(s, key=lambda d: s[d]["test"])
    text = f"{label(algo, gnn)}: best {s[best]['test']:.2f} at L={best}"
    for drop in (5, 20):
        under = [d for d in sorted(s) if d > best and s[d]["test"] < s[best]["test"] - drop]
        text += f"; {drop} points under it from L={under[0]}" if under else f"; never {drop} points under it"
    deepest = max(s)
    return text + f"; {s[deepest]['test']:.2f} at L={deepest}"


def render(results):
    folder = os.path.join(results, "depth")
    records = read_jsonl(os.path.join(folder, "photo.jsonl"))
    layer_rows = read_jsonl(os.path.join(folder, "photo-layers.jsonl"))
    smooth_rows = read_jsonl(os.path.join(folder, "photo-smoothing.jsonl"))
    predicted = {(p["algo"], p["gnn"], p["layers"]): p for p in read_jsonl(os.path.join(folder, "photo-predictions.jsonl"))}
    points = depth_points(records)
    md = [BEGIN, ""]
    md += table(points, "Test accuracy (%)", lambda s, d: f"{s[d]['test']:.2f}")

    def rss(s, d):
        base = s.get(2) or s[min(s)]
        return f"{s[d]['rss']:.0f} ({100 * (s[d]['rss'] / base['rss'] - 1):+.1f} %)"
    md += table(points, "Peak RSS (MiB; change against L=2)", rss)

    def per_layer(s, d):
        if s[d]["layerSeconds"] is None:
            return f"{s[d]['seconds'] / d:.2f} ({s[d]['epochs']} ep.)"
        return f"{s[d]['seconds'] / d:.2f}"
    md += table(points, "Training seconds per layer (total / L; BP: its run's epochs in brackets)", per_layer)

    md += ["**Where accuracy falls** (every depth a run reports: 1..64 for the layer-wise runs, the six depths for BP)", ""]
    md += [f"- {line}" for line in (collapse_line(points, a, g) for a, g in SERIES) if line] + [""]
    if predicted:
        md += ["**Classes predicted on the test nodes** (of 8; the most frequent prediction's share in brackets; "
               "the largest class is 25.4 % of the nodes)", ""]
        md += ["| run | " + " | ".join(f"L={d}" for d in DEPTHS) + " |", "|---|" + "---|" * len(DEPTHS)]
        for algo, gnn in SERIES:
            if algo == "bp" and any((algo, gnn, d) in predicted for d in DEPTHS):
                md.append(f"| {label(algo, gnn)} | " + " | ".join(
                    f"{predicted[(algo, gnn, d)]['classes']} ({100 * predicted[(algo, gnn, d)]['topShare']:.0f} %)"
                    if (algo, gnn, d) in predicted else "" for d in DEPTHS) + " |")
            elif (algo, gnn, 64) in predicted:
                p = predicted[(algo, gnn, 64)]
                md.append(f"| {label(algo, gnn)} (L=64 only) | " + " | ".join([""] * (len(DEPTHS) - 1)) +
                          f" | {p['classes']} ({100 * p['topShare']:.0f} %) |")
        md.append("")

    if smooth_rows:
        md += ["**Over-smoothing: mean pairwise cosine of the nodes' representations at layer k** "
               "(zero rows in brackets when any; BP: its L=64 run, k = 63 its last hidden layer, 64 its logits)", ""]
        ks = sorted({row["layer"] for row in smooth_rows if row["layers"] == 64})
        md += ["| run | " + " | ".join(f"k={k}" for k in ks) + " |", "|---|" + "---|" * len(ks)]
        for algo, gnn in SERIES:
            rows = {row["layer"]: row for row in smooth_rows if (row["algo"], row["gnn"], row["layers"]) == (algo, gnn, 64)}
            if rows:
                md.append(f"| {label(algo, gnn)} | " + " | ".join(
                    (f"{rows[k]['meanCosine']:.3f}" + (f" ({100 * rows[k]['zeroRows']:.0f} %)" if rows[k]["zeroRows"] > 0 else ""))
                    if k in rows else "" for k in ks) + " |")
        md.append("")
        bp_last = [row for row in smooth_rows if row["algo"] == "bp" and row["layer"] == row["layers"] - 1]
        if bp_last:
            md += ["BP's last hidden layer at each depth: " + "; ".join(
                f"{label(row['algo'], row['gnn'])} L={row['layers']} {row['meanCosine']:.3f}"
                for row in sorted(bp_last, key=lambda x: (x["gnn"], x["layers"]))), ""]

    if layer_rows:
        md += ["**Local losses of the layer-wise runs** (each layer's training loss at its last validation check; "
               "at chance: SF's softmax over 8 classes ln 8 = 2.079, FF-LA's goodness BCE 2 ln 2 = 1.386)", ""]
        ks = [1, 2, 4, 8, 16, 32, 64]
        md += ["| run | " + " | ".join(f"layer {k}" for k in ks) + " |", "|---|" + "---|" * len(ks)]
        for algo, gnn in SERIES:
            rows = {row["layer"]: row for row in layer_rows if (row["algo"], row["gnn"], row["layers"]) == (algo, gnn, 64) and algo != "bp"}
            if rows:
                md.append(f"| {label(algo, gnn)} | " + " | ".join(f"{rows[k]['loss']:.3f}" if k in rows else "" for k in ks) + " |")
        md.append("")
    md.append(END)

    page = os.path.join(results, "depth.md")
    text = open(page).read() if os.path.exists(page) else f"# Depth study\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        sys.exit(f"depth-study.py: {page} lacks the markers {BEGIN!r} and {END!r}")
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    with open(page + ".tmp", "w") as f:
        f.write(head + "\n".join(md) + tail)
    os.replace(page + ".tmp", page)
    write_svg(points, os.path.join(folder, "photo.svg"))
    print(f"depth-study.py: {len(records)} runs rendered into {page} and {os.path.join(folder, 'photo.svg')}", file=sys.stderr)


def write_svg(points, path):
    """Three panels against depth (log2 axis): test accuracy, peak RSS, seconds per layer; solid GCN, dashed SAGE."""
    panels = [("test accuracy (%)", lambda p: p["test"]), ("peak RSS (MiB)", lambda p: p["rss"]),
              ("training seconds per layer", None)]
    w, h, left, top, pw, ph, gap = 1050, 340, 60, 40, 270, 230, 80
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           '<text x="10" y="18" font-size="13">Depth study, Amazon-Photo split 0 (scripts/depth-study.sh): '
           'SF, FF-LA, BP; solid GCN, dashed SAGE</text>']
    xmax = 6.0
    for i, (name, get) in enumerate(panels):
        x0 = left + i * (pw + gap)
        series = {}
        for (algo, gnn), s in points.items():
            pts = []
            for d in sorted(s):
                v = get(s[d]) if get else s[d]["seconds"] / d
                pts.append((math.log2(d), v))
            series[(algo, gnn)] = pts
        values = [v for pts in series.values() for _, v in pts]
        if not values:
            continue
        lo, hi = (0.0, 100.0) if i == 0 else (0.0, max(values) * 1.1)
        sx = lambda x: x0 + pw * x / xmax
        sy = lambda v: top + ph - ph * (v - lo) / (hi - lo)
        out.append(f'<rect x="{x0}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>')
        out.append(f'<text x="{x0}" y="{top - 6}">{name}</text>')
        for t in range(7):
            out.append(f'<text x="{sx(t) - 6:.1f}" y="{top + ph + 14}">{2 ** t}</text>')
        out.append(f'<text x="{x0 + pw / 2 - 20:.1f}" y="{top + ph + 28}">layers L</text>')
        for t in range(5):
            v = lo + (hi - lo) * t / 4
            out.append(f'<text x="{x0 - 5}" y="{sy(v) + 4:.1f}" text-anchor="end">{v:.0f}</text>')
            out.append(f'<line x1="{x0}" x2="{x0 + pw}" y1="{sy(v):.1f}" y2="{sy(v):.1f}" stroke="#eee"/>')
        for (algo, gnn), pts in series.items():
            dash = ' stroke-dasharray="5,3"' if gnn == "sage" else ""
            poly = " ".join(f"{sx(x):.1f},{sy(v):.1f}" for x, v in pts)
            out.append(f'<polyline points="{poly}" fill="none" stroke="{COLOURS.get(algo, "#000")}" stroke-width="1.5"{dash}/>')
            if algo == "bp":
                out += [f'<circle cx="{sx(x):.1f}" cy="{sy(v):.1f}" r="2.5" fill="{COLOURS[algo]}"/>' for x, v in pts]
    for j, (algo, gnn) in enumerate(k for k in SERIES if k in points):
        x = left + j * 150
        dash = ' stroke-dasharray="5,3"' if gnn == "sage" else ""
        out.append(f'<line x1="{x}" x2="{x + 25}" y1="{h - 18}" y2="{h - 18}" stroke="{COLOURS[algo]}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{x + 30}" y="{h - 14}">{label(algo, gnn)}</text>')
    out.append("</svg>")
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(out) + "\n")
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "collect":
        collect(sys.argv[2], sys.argv[3], sys.argv[4:] or ["./forwardgnn"])
        render(sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "render":
        render(sys.argv[2])
    else:
        sys.exit(__doc__)
