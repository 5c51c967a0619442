#!/bin/bash
# Where the StoErraticGAN's recall is lost: the distance to the exact posterior (W2 and the share of
# the chord [-c, c] never reached) of the StoErraticGANs behind the recall numbers, each evaluated
# with its own training seed (so precision/recall are those of its reproduction, bit for bit).
# The sensitivity is skipped (one input): only precision, recall and the posterior columns are used.
# Usage: bash reports/toy-recall-gap/posterior.sh [runs folder, default /work/runs-keep]
set -e
runs=${1:-/work/runs-keep}
out=$runs/recall-posterior
cd "$(dirname "$0")/../.."
eval_one() { # label, SavedModel folder, seed
  if [ -f "$out/$1/results.json" ]; then return; fi
  nice -n 10 ./restorelab evaluate toy --seed "$3" --model "$2" --out "$out/$1" \
    --set toy_evaluation.evaluation.sensitivity_inputs=1 --set toy_evaluation.evaluation.exact_inputs=1 \
    > "$out/$1.log" 2>&1
}
mkdir -p "$out"
for s in 2023 1 2 3; do
  eval_one paper-scale-20000-seed-$s "$runs/toy-paper-4seeds/savedmodels/toy/paper-literal/seed-$s/StoErraticGAN" $s
done
eval_one erratic-20000-seed-2023 "$runs/toy-paper-4seeds/savedmodels/toy/paper-literal/seed-2023/ErraticGAN" 2023
for c in baseline r1-gamma-1 r1-gamma-1-20k; do
  for s in 1 2; do
    eval_one $c-seed-$s "$runs/recall/$c/savedmodels/toy/paper-literal/seed-$s/StoErraticGAN" $s
  done
done
python3 reports/toy-recall-gap/posterior_table.py "$out" > reports/toy-recall-gap/posterior.md
