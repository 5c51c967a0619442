#!/bin/bash
# Dumps each StoErraticGAN's precision/recall outputs and real samples (Probe.java, the same seeds as
# ToyEvaluation) and tabulates where the missed real samples lie along the chord (missed.py).
# Usage: bash reports/toy-recall-gap/missed/run.sh [runs folder, default /work/runs-keep]
set -e
runs=${1:-/work/runs-keep}
here=$(cd "$(dirname "$0")" && pwd)
jar=$here/../../../target/restorelab.jar
tmp=$(mktemp -d)
for s in 2023 1 2 3; do
  java -cp "$jar" "$here/Probe.java" "$runs/toy-paper-4seeds/savedmodels/toy/paper-literal/seed-$s/StoErraticGAN" $s "$tmp/paper-scale-20000-seed-$s.csv" > /dev/null 2>&1
done
for c in baseline r1-gamma-1 r1-gamma-1-20k; do
  for s in 1 2; do
    java -cp "$jar" "$here/Probe.java" "$runs/recall/$c/savedmodels/toy/paper-literal/seed-$s/StoErraticGAN" $s "$tmp/$c-seed-$s.csv" > /dev/null 2>&1
  done
done
python3 "$here/missed.py" "$tmp"/*.csv > "$here/missed.md"
rm -rf "$tmp"
