#!/usr/bin/env python3
"""The StoErraticGAN recall-gap table from the candidates' results.json (reproduce toy runs)."""
import json, os, statistics, sys
root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
order = ["baseline", "z-normal", "r1-gamma-1", "shuffled-epochs", "r1-gamma-1-20k"]
print("| candidate | steps | seeds | StoErraticGAN recall per seed | recall mean | precision per seed |")
print("|---|---|---|---|---|---|")
for c in order:
    f = os.path.join(root, c, "results.json")
    if not os.path.exists(f):
        continue
    d = json.load(open(f))
    cfg = d["configs"][0]
    args = json.load(open(os.path.join(root, c, "run.json")))["args"]
    steps = [a.split("=")[1] for a in args if a.startswith("toy_reproduction.base.steps=")] or ["20000"]
    est = [e for e in cfg["estimators"] if e["name"] == "StoErraticGAN"][0]
    per = est.get("per_seed", [{"seed": cfg.get("seeds", ["?"])[0], "recall": est["recall"], "precision": est["precision"]}])
    rec = [p["recall"] for p in per]
    print("| %s | %s | %s | %s | %.3f | %s |" % (c, steps[0], ", ".join(str(p["seed"]) for p in per),
          ", ".join("%.3f" % r for r in rec), statistics.mean(rec), ", ".join("%.3f" % p["precision"] for p in per)))
