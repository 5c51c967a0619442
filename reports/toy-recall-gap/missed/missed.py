"""Where the real samples that recall misses lie along their chord (Probe.java's CSVs).

For each CSV (1,000 outputs 'gen', 1,000 real samples 'real', as ToyEvaluation's precision/recall):
recall with k = 5 (generated radii), and the share of real samples missed per eighth of the chord,
t = x2 / sqrt(1 - x1^2) in [-1, 1]."""
import sys
import numpy as np

def radii(x, k=5):
    d = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
    return np.sort(d, axis=1)[:, k]  # the k-th neighbour, the sample itself (distance 0) excluded

print("| model | recall | share of real samples missed per eighth of the chord, t from -1 (bottom) to 1 (top) |")
print("|---|---|---|")
for f in sys.argv[1:]:
    a = np.genfromtxt(f, delimiter=",", dtype=None, names=True, encoding=None)
    g = np.c_[a["x1"][a["kind"] == "gen"], a["x2"][a["kind"] == "gen"]]
    r = np.c_[a["x1"][a["kind"] == "real"], a["x2"][a["kind"] == "real"]]
    d = np.sqrt(((r[:, None, :] - g[None, :, :]) ** 2).sum(-1))
    hit = (d <= radii(g)[None, :]).any(1)
    t = r[:, 1] / np.sqrt(np.maximum(1 - r[:, 0] ** 2, 1e-12))
    bins = np.linspace(-1, 1, 9)
    missed = np.histogram(t[~hit], bins)[0] / np.maximum(np.histogram(t, bins)[0], 1)
    print(f"| {f.rsplit('/', 1)[-1][:-4]} | {hit.mean():.3f} | " + ", ".join(f"{m:.2f}" for m in missed) + " |")
