#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan+UBSan) in build-fuzz/ and runs
# each for a bounded time, seeded from tests/fixtures. Fails on a crash, a
# leak, a timeout or an out-of-memory; a failing input is kept under
# build-fuzz/artifacts/ to become a regression test.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
scripts/deps.sh
CXX=clang++-14 CC=clang-14 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMWX_FUZZ=ON -DMWX_SANITIZE=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" >/dev/null

fixtures=tests/fixtures
seeds=build-fuzz/seeds
targets=(config memcached_stats memcached_settings memcached_slabs gearman_status gearman_workers flare_nodes
         flare_threads lvs_procfs lvs_netlink)
rm -rf "$seeds" && mkdir -p "${targets[@]/#/$seeds/}" build-fuzz/artifacts
cp conf/mwagentx.conf "$seeds/config/example.conf"
printf 'interval 5\ntimeout 1\nmemcached a [::1]:11211 interval=2\nmemcached b /run/m.sock\ngearman g 127.0.0.1\n' \
  > "$seeds/config/small.conf"
for dir in "$fixtures"/memcached/* "$fixtures"/flare/*; do
  name=$(echo "$dir" | tr '/' '_')
  for f in stats flared_stats; do [ -f "$dir/$f.txt" ] && cp "$dir/$f.txt" "$seeds/memcached_stats/$name-$f"; done
  [ -f "$dir/stats_settings.txt" ] && cp "$dir/stats_settings.txt" "$seeds/memcached_settings/$name"
  if [ -f "$dir/stats_items.txt" ]; then
    { cat "$dir/stats_items.txt"; printf '\0'; cat "$dir/stats_slabs.txt"; } > "$seeds/memcached_slabs/$name"
  fi
done

for dir in "$fixtures"/gearmand/*; do
  name=$(echo "$dir" | tr '/' '_')
  cp "$dir/status.txt" "$seeds/gearman_status/$name"
  cp "$dir/workers.txt" "$seeds/gearman_workers/$name-workers"
  cp "$dir/version.txt" "$seeds/gearman_workers/$name-version"
done

for f in "$fixtures"/flare/*/*stats_nodes*.txt; do
  cp "$f" "$seeds/flare_nodes/$(echo "$f" | tr '/' '_')"
done
for f in "$fixtures"/flare/1.3.4/*stats_threads.txt; do
  { cat "$f"; printf '\0'; cat "$fixtures/flare/1.3.4/flared_stats.txt"; } > "$seeds/flare_threads/$(echo "$f" | tr '/' '_')"
done

cp "$fixtures"/lvs/procfs/net/ip_vs "$seeds/lvs_procfs/ip_vs"
cp "$fixtures"/lvs/procfs/net/ip_vs_stats "$seeds/lvs_procfs/ip_vs_stats"
python3 tests/fuzz/lvs_netlink_seeds.py "$seeds/lvs_netlink"

export ASAN_OPTIONS=detect_leaks=1
status=0
printf '%-22s %12s %8s %8s  %s\n' target executions cov ft result
for target in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$target
  mkdir -p "$corpus"
  log=build-fuzz/$target.log
  if build-fuzz/tests/fuzz/fuzz_$target -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
       -max_len=65536 -print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$target-" \
       "$corpus" "$seeds/$target" >"$log" 2>&1; then
    result=ok
  else
    result="FAILED (see $log)"
    status=1
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo '?')
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo '?')
  printf '%-22s %12s %8s %8s  %s\n' "$target" "$execs" "$cov" "$ft" "$result"
done
if [ "$status" -ne 0 ]; then
  for log in build-fuzz/*.log; do grep -q -E 'ERROR|SUMMARY|deadly signal' "$log" && tail -40 "$log"; done
fi
exit "$status"
