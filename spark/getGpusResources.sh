#!/usr/bin/env bash
# Spark GPU discovery script for RestoreLab sweeps (spark.executor.resource.gpu.discoveryScript,
# spark.worker.resource.gpu.discoveryScript): prints the GPUs of this host as Spark's
# ResourceInformation JSON, {"name": "gpu", "addresses": ["0", "1"]}, one address per CUDA device
# ordinal (nvidia-smi's index), which is what TensorFlow's gpu_options.visible_device_list takes.
# Like Spark's examples/src/main/scripts/getGpusResources.sh, but a host without nvidia-smi or
# without GPUs reports no addresses instead of failing.
set -uo pipefail
indices="$(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null || true)"
addresses=""
while IFS= read -r line; do
  line="${line//[[:space:]]/}"
  [ -z "$line" ] && continue
  addresses="${addresses:+$addresses, }\"$line\""
done <<< "$indices"
echo "{\"name\": \"gpu\", \"addresses\": [$addresses]}"
