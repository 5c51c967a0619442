#!/bin/bash
# The StoErraticGAN recall-gap candidates (issue 15): StoErraticGAN of the paper-literal config
# (lambda_R = 0, so the effective config's is the same), each candidate one change to it, short
# runs of 5,000 steps with master seeds 1 and 2; then R1 gamma = 1 at the paper's 20,000 steps.
# Run from the repository root; run folders go to runs/toy-recall-gap/. The table: python3
# reports/toy-recall-gap/table.py runs/toy-recall-gap
set -e
here=reports/toy-recall-gap
for c in baseline z-normal r1-gamma-1 shuffled-epochs; do
  ./restorelab reproduce toy --config $here/$c.pbtxt --only StoErraticGAN --seeds 1,2 \
    --set toy_reproduction.base.steps=5000 --out runs/toy-recall-gap/$c
done
./restorelab reproduce toy --config $here/r1-gamma-1.pbtxt --only StoErraticGAN --seeds 1,2 \
  --out runs/toy-recall-gap/r1-gamma-1-20k
