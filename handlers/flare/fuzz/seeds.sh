#!/usr/bin/env bash
# Seeds for the Flare fuzz targets, from this subsystem's fixtures; a node's
# 'stats' (memcached's format) also seeds fuzz_memcached_stats.
# Usage: seeds.sh SEEDS_DIR (writes SEEDS_DIR/fuzz_flare_*/)
set -euo pipefail
fixtures=$(dirname "$0")/../fixtures
seeds=$1
mkdir -p "$seeds"/fuzz_flare_{nodes,threads} "$seeds/fuzz_memcached_stats"
for f in "$fixtures"/*/*stats_nodes*.txt; do
  cp "$f" "$seeds/fuzz_flare_nodes/$(basename "$(dirname "$f")")-$(basename "$f")"
done
# The threads target takes 'stats threads' and 'stats' split by a NUL.
for f in "$fixtures"/1.3.4/*stats_threads.txt; do
  { cat "$f"; printf '\0'; cat "$fixtures/1.3.4/flared_stats.txt"; } > "$seeds/fuzz_flare_threads/$(basename "$f")"
done
cp "$fixtures/1.3.4/flared_stats.txt" "$seeds/fuzz_memcached_stats/flare-1.3.4"
