#!/bin/bash
# Interleaved `bench image` runs of two builds, each on its own config; one line per measured
# precision per run. Usage: bench-ab.sh ROUNDS "label|jar-and-lib-dir|config|extra args" ...
rounds=$1; shift
export TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=1
for r in $(seq 1 "$rounds"); do
  for spec in "$@"; do
    IFS='|' read -r label dir cfg extra <<< "$spec"
    out=$(cd /work/main && java -Xmx8g -Djava.awt.headless=true -cp "$dir/restorelab.jar:$dir/lib/*" org.restorelab.cli.RestoreLab bench image --config "$cfg" --repeats 3 $extra -o "/tmp/ab-runs/$label-$r" --overwrite 2>&1 | grep -E "^float32:|^bfloat16:|matmul 2048")
    mm=$(echo "$out" | grep "matmul 2048" | grep -oE "[0-9.]+ GFLOP/s" | head -1)
    echo "$out" | grep -E "^float32:|^bfloat16:" | while read -r line; do
      prec=${line%%:*}
      plain=$(echo "$line" | grep -oE "plain [0-9.]+" | cut -d' ' -f2)
      robust=$(echo "$line" | grep -oE "robust [0-9.]+" | cut -d' ' -f2)
      mean=$(echo "$line" | grep -oE "mean [0-9.]+" | cut -d' ' -f2)
      echo "round $r $label $prec plain $plain robust $robust mean $mean matmul $mm"
    done
  done
done
