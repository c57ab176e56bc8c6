#!/usr/bin/env bash
# Seeds for the memcached fuzz targets, from this subsystem's fixtures.
# Usage: seeds.sh SEEDS_DIR (writes SEEDS_DIR/fuzz_memcached_*/)
set -euo pipefail
fixtures=$(dirname "$0")/../fixtures
seeds=$1
mkdir -p "$seeds"/fuzz_memcached_{stats,settings,slabs,conns}
for dir in "$fixtures"/*/; do
  name=$(basename "$dir")
  cp "$dir/stats.txt" "$seeds/fuzz_memcached_stats/$name"
  cp "$dir/stats_settings.txt" "$seeds/fuzz_memcached_settings/$name"
  # The slabs target takes 'stats items' and 'stats slabs' split by a NUL.
  { cat "$dir/stats_items.txt"; printf '\0'; cat "$dir/stats_slabs.txt"; } > "$seeds/fuzz_memcached_slabs/$name"
  if [ -f "$dir/stats_conns.txt" ]; then cp "$dir/stats_conns.txt" "$seeds/fuzz_memcached_conns/$name"; fi
done
