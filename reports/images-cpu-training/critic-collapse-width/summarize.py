#!/usr/bin/env python3
"""Summarises each run's metrics.csv over steps 50-300 (the logged steps, every 25): median critic
loss, median logit gap d_real - d_fake, and how many logged steps have the critic within 0.1 of
chance (2 ln 2). Writes summary.md; run from this folder: python3 summarize.py"""
import csv, math, os, statistics

RUNS = [  # folder, U-Net width s, estimator lr
    ("s8-lr1e-4", 8, "1e-4 (the CPU config)"),
    ("s16-lr1e-4", 16, "1e-4"),
    ("s16-lr5e-5", 16, "5e-5 (1e-4 x 8/16)"),
    ("s24-lr1e-4", 24, "1e-4"),
    ("s24-lr3.3e-5", 24, "3.3e-5 (1e-4 x 8/24)"),
    ("s24-lr1e-5", 24, "1e-5"),
    ("s24-frozen", 24, "1e-12 (estimator frozen)"),
]
rows = ["| run | s | estimator lr | median loss_critic | median d_real - d_fake | logged steps within 0.1 of 2 ln 2 |",
        "|---|---|---|---|---|---|"]
for folder, s, lr in RUNS:
    with open(os.path.join(folder, "metrics.csv")) as f:
        logged = [r for r in csv.DictReader(f) if 50 <= int(r["step"]) <= 300]
    loss = [float(r["loss_critic"]) for r in logged]
    gap = [float(r["d_real"]) - float(r["d_fake"]) for r in logged]
    near = sum(abs(l - 2 * math.log(2)) < 0.1 for l in loss)
    rows.append(f"| `{folder}` | {s} | {lr} | {statistics.median(loss):.3f} | {statistics.median(gap):.2f} | {near} of {len(loss)} |")
with open("summary.md", "w") as f:
    f.write("Steps 50-300 of each run (made by `python3 summarize.py`):\n\n" + "\n".join(rows) + "\n")
print("\n".join(rows))
