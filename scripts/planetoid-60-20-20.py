#!/usr/bin/env python3
"""Writes 60/20/20 split files (`node,part` lines, train --split-file) for a Planetoid dataset, as docs/algorithms.md
describes them for the DFA-GNN comparison. Python's standard library only (no numpy).

  planetoid-60-20-20.py FOLDER uniform|balanced R [R ...]   ->  ./<prefix>-<draw>-R.csv (prefix: cora, citeseer)

uniform:  the nodes 0..N-1 shuffled by random.Random(R).shuffle; the first floor(0.6N) train, the next
          floor(0.8N) - floor(0.6N) val, the rest test.
balanced: the class-balanced draw (GPR-GNN's, BernNet's): g = random.Random(R); every class c = 0..C-1 in turn, its
          nodes in ascending order shuffled by g.shuffle, the first k = round(0.6N/C) train (all of a smaller class);
          the remaining nodes, class by class in that order, shuffled by g.shuffle; the first round(0.2N) val, the rest
          test.

Labels are those of ForwardGnn's Planetoid loader (docs/datasets.md): ally's rows, then ty's moved to the nodes
test.index names; CiteSeer's test block padded to the whole range of test.index with label 0 for the missing nodes.
"""
import os
import pickle
import random
import struct
import sys


class _Array:
    """Stands in for numpy.ndarray while unpickling: keeps the shape, the dtype code and the raw bytes."""

    def __init__(self, *args):
        self.shape, self.code, self.raw = None, None, None

    def __setstate__(self, state):
        _, self.shape, dtype, _, raw = state
        self.code = dtype.code
        self.raw = raw.encode("latin1") if isinstance(raw, str) else raw


class _Dtype:
    def __init__(self, code, *args):
        self.code = code

    def __setstate__(self, state):
        pass


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if name == "_reconstruct":
            return lambda cls, shape, code: _Array()
        if name == "ndarray":
            return _Array
        if name == "dtype":
            return _Dtype
        return super().find_class(module, name)


def _classes(path):
    """The argmax of every row of a pickled one-hot matrix (0 for an all-zero row)."""
    with open(path, "rb") as f:
        a = _Unpickler(f, encoding="latin1").load()
    rows, cols = a.shape
    fmt = {"f8": "d", "f4": "f", "i8": "q", "i4": "i"}[a.code]
    values = struct.unpack("<%d%s" % (rows * cols, fmt), a.raw)
    out = []
    for r in range(rows):
        row = values[r * cols:(r + 1) * cols]
        out.append(max(range(cols), key=lambda c: (row[c], -c)))
    return out


def labels(folder):
    prefix = next(f[4:-6] for f in sorted(os.listdir(folder)) if f.startswith("ind.") and f.endswith(".graph"))
    ally = _classes(os.path.join(folder, f"ind.{prefix}.ally"))
    ty = _classes(os.path.join(folder, f"ind.{prefix}.ty"))
    with open(os.path.join(folder, f"ind.{prefix}.test.index")) as f:
        test = [int(line) for line in f if line.strip()]
    order = sorted(test)
    if prefix == "citeseer":
        block = [0] * (order[-1] - order[0] + 1)
        for i, node in enumerate(order):
            block[node - order[0]] = ty[i]
    else:
        block = list(ty)
    stacked = ally + block
    y = list(stacked)
    for i, node in enumerate(test):
        y[node] = stacked[order[i]]
    return prefix, y


def split(y, draw, r):
    n, classes = len(y), max(y) + 1
    g = random.Random(r)
    if draw == "uniform":
        nodes = list(range(n))
        g.shuffle(nodes)
        a, b = int(0.6 * n), int(0.8 * n)
        return nodes[:a], nodes[a:b], nodes[b:]
    k, val = int(round(0.6 * n / classes)), int(round(0.2 * n))
    train, rest = [], []
    for c in range(classes):
        members = [v for v in range(n) if y[v] == c]
        g.shuffle(members)
        train += members[:k]
        rest += members[k:]
    g.shuffle(rest)
    return train, rest[:val], rest[val:]


def main(argv):
    if len(argv) < 4 or argv[2] not in ("uniform", "balanced"):
        sys.exit(__doc__)
    prefix, y = labels(argv[1])
    for r in map(int, argv[3:]):
        train, val, test = split(y, argv[2], r)
        with open(f"{prefix}-{argv[2]}-{r}.csv", "w") as f:
            for part, nodes in (("train", train), ("val", val), ("test", test)):
                f.writelines(f"{v},{part}\n" for v in nodes)


if __name__ == "__main__":
    main(sys.argv)
