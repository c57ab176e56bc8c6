#!/usr/bin/env bash
# Seeds for the gearmand fuzz targets, from this subsystem's fixtures.
# Usage: seeds.sh SEEDS_DIR (writes SEEDS_DIR/fuzz_gearman_*/)
set -euo pipefail
fixtures=$(dirname "$0")/../fixtures
seeds=$1
mkdir -p "$seeds"/fuzz_gearman_{status,prioritystatus,workers}
for dir in "$fixtures"/*/; do
  name=$(basename "$dir")
  cp "$dir/status.txt" "$seeds/fuzz_gearman_status/$name"
  cp "$dir/workers.txt" "$seeds/fuzz_gearman_workers/$name-workers"
  cp "$dir/version.txt" "$seeds/fuzz_gearman_workers/$name-version"
  cp "$dir/getpid.txt" "$seeds/fuzz_gearman_workers/$name-getpid"
  cp "$dir/prioritystatus.txt" "$seeds/fuzz_gearman_prioritystatus/$name"
done
