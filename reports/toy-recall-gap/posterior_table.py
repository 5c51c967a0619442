"""The table of posterior.sh's evaluations: label, steps, seed, precision, recall, W2, uncovered share."""
import json
import os
import sys

out = sys.argv[1]
print("| run | StoErraticGAN steps | seed | precision | recall | W2 to the posterior | share of [-c, c] not reached |")
print("|---|---|---|---|---|---|---|")
for label in sorted(os.listdir(out), key=lambda l: (("paper" not in l, "erratic" in l, l))):
    f = os.path.join(out, label, "results.json")
    if not os.path.isfile(f):
        continue
    e = json.load(open(f))["configs"][0]["estimators"]
    r = [x for x in e if x["name"] in ("StoErraticGAN", "ErraticGAN")][0]
    steps = "20000" if ("20000" in label or "20k" in label) else "5000"
    seed = label.rsplit("seed-", 1)[1]
    name = label.rsplit("-seed-", 1)[0] + ("" if r["name"] == "StoErraticGAN" else " (ErraticGAN)")
    print(f"| {name} | {steps} | {seed} | {r['precision']:.3f} | {r['recall']:.3f} | {r['posterior_w2']:.4f} "
          f"| {r['posterior_uncovered_share']:.4f} |")

# the StoErraticGAN rows: how recall follows the uncovered share
rows = []
for label in os.listdir(out):
    f = os.path.join(out, label, "results.json")
    if os.path.isfile(f):
        r = [x for x in json.load(open(f))["configs"][0]["estimators"] if x["name"] == "StoErraticGAN"]
        if r:
            rows.append((r[0]["recall"], r[0]["posterior_uncovered_share"], r[0]["posterior_w2"]))
if len(rows) > 2:
    n = len(rows)
    def pearson(a, b):
        ma, mb = sum(a) / n, sum(b) / n
        cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
        return cov / (sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b)) ** 0.5
    rec = [r[0] for r in rows]
    print()
    print(f"Pearson correlation over the {n} StoErraticGANs: recall with the share not reached "
          f"{pearson(rec, [r[1] for r in rows]):.3f}, recall with W2 {pearson(rec, [r[2] for r in rows]):.3f}.")
