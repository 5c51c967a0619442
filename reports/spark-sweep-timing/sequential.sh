#!/bin/bash
# The same four points as four sequential `restorelab train` runs (one JVM each), into a fresh
# folder under ${TMPDIR:-/tmp}. Run from anywhere; timed as a whole process.
set -e
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
d=$(mktemp -d "${TMPDIR:-/tmp}/sequential-XXXX")
for g in 1 10; do for s in 5 6; do
  ./restorelab train --config spark/src/test/resources/sweep/toy-gan-tiny.pbtxt --set toy_gan.r1_gamma=$g --seed $s \
    --out "$d/r1_gamma=$g,seed=$s"
done; done
