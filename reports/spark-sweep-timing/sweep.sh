#!/bin/bash
# One 4-point toy sweep (r1_gamma 1 and 10 x seeds 5 and 6, the README's example grid) on local[2],
# into a fresh output root under ${TMPDIR:-/tmp}. Run from anywhere; timed as a whole process.
set -e
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
d=$(mktemp -d "${TMPDIR:-/tmp}/sweep-XXXX")
cat > "$d/sweep.pbtxt" <<EOC
base_config: "$PWD/spark/src/test/resources/sweep/toy-gan-tiny.pbtxt"
axis { path: "toy_gan.r1_gamma" values: ["1", "10"] }
seeds: [5, 6]
output_root: "$d/out"
EOC
./restorelab-spark sweep --config "$d/sweep.pbtxt" --master 'local[2]'
