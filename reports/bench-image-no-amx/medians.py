#!/usr/bin/env python3
"""Medians over rounds of interleaved.txt (seconds per mean iteration, mean = (2 plain + 1 robust) / 3),
steps per hour = 3600 / median, and the ratio to e466f52 (`base`). Run: python3 medians.py"""
import collections, statistics
runs = collections.defaultdict(list)
for line in open("interleaved.txt"):
    f = line.split()
    runs[(f[2], f[3])].append((float(f[9]), float(f[11])))
base = statistics.median(m for m, _ in runs[("base", "float32")])
names = {("base", "float32"): "e466f52 (float32, R1 every step)",
         ("head-r1", "float32"): "head float32, r1_every 1", ("head-r1", "bfloat16"): "head bfloat16, r1_every 1",
         ("head", "float32"): "head float32, r1_every 4 (today's CPU config)", ("head", "bfloat16"): "head bfloat16, r1_every 4"}
print("| variant | rounds | median mean s/it | steps/hour | ratio to e466f52 | median matmul GFLOP/s |")
print("|---|---|---|---|---|---|")
for key, label in names.items():
    ms = [m for m, _ in runs[key]]
    med = statistics.median(ms)
    print(f"| {label} | {len(ms)} | {med:.3f} | {3600 / med:,.0f} | {base / med:.2f} | {statistics.median(g for _, g in runs[key]):.1f} |")
