#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan+UBSan) in build-fuzz/ and runs
# each for a bounded time, seeded from the fixtures. Fails on a crash, a
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

# Every target is a fuzz_<name>.cpp (tests/fuzz/ for the configuration file,
# handlers/<subsystem>/fuzz/ for the rest); the seeds.sh beside it fills
# SEEDS/<target>/ from that folder's fixtures.
seeds=build-fuzz/seeds
rm -rf "$seeds" && mkdir -p "$seeds" build-fuzz/artifacts
targets=()
for source in tests/fuzz/fuzz_*.cpp handlers/*/fuzz/fuzz_*.cpp; do
  targets+=("$(basename "$source" .cpp)")
done
for script in tests/fuzz/seeds.sh handlers/*/fuzz/seeds.sh; do
  "$script" "$seeds"
done
for target in "${targets[@]}"; do
  [ -n "$(ls -A "$seeds/$target" 2>/dev/null)" ] || { echo "fuzz: $target has no seeds"; exit 1; }
done

export ASAN_OPTIONS=detect_leaks=1
status=0
printf '%-26s %12s %8s %8s  %s\n' target executions cov ft result
for target in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$target
  mkdir -p "$corpus"
  log=build-fuzz/$target.log
  if build-fuzz/tests/fuzz/$target -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
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
  printf '%-26s %12s %8s %8s  %s\n' "$target" "$execs" "$cov" "$ft" "$result"
done
if [ "$status" -ne 0 ]; then
  for log in build-fuzz/*.log; do grep -q -E 'ERROR|SUMMARY|deadly signal' "$log" && tail -40 "$log"; done
fi
exit "$status"
