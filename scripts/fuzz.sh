#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-14, ASan+UBSan) in build-fuzz/ and runs
# each, from its seeds (the fixtures, by the seeds.sh beside it) and its
# committed corpus (corpus/TARGET beside its source). Fails on a crash, a
# leak, a timeout or an out-of-memory; a failing input is kept under
# build-fuzz/artifacts/ to become a regression test.
# Usage:
#   scripts/fuzz.sh [SECONDS_PER_TARGET]   a bounded run (default 30 s each)
#   scripts/fuzz.sh --campaign [RUNS] [MAX_SECONDS]
#       each target to RUNS executions (default 10,000,000) or MAX_SECONDS
#       (default 1800), whichever comes first; then the committed corpus is
#       replaced by the minimized merge of it, the seeds and what was found.
# The committed corpora are replayed by the tests too (fuzz_corpus_*).
set -euo pipefail
cd "$(dirname "$0")/.."
campaign=false
if [ "${1:-}" = "--campaign" ]; then
  campaign=true
  runs=${2:-10000000}
  seconds=${3:-1800}
else
  runs=-1
  seconds=${1:-30}
fi
scripts/deps.sh
CXX=clang++-14 CC=clang-14 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMWX_FUZZ=ON -DMWX_SANITIZE=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" >/dev/null

# Every target is a fuzz_<name>.cpp (tests/fuzz/ for the configuration file,
# handlers/<subsystem>/fuzz/ for the rest); the seeds.sh beside it fills
# SEEDS/<target>/ from that folder's fixtures.
seeds=build-fuzz/seeds
rm -rf "$seeds" && mkdir -p "$seeds" build-fuzz/artifacts
declare -A committed
targets=()
for source in tests/fuzz/fuzz_*.cpp handlers/*/fuzz/fuzz_*.cpp; do
  target=$(basename "$source" .cpp)
  targets+=("$target")
  committed[$target]=$(dirname "$source")/corpus/$target
  mkdir -p "${committed[$target]}"
done
for script in tests/fuzz/seeds.sh handlers/*/fuzz/seeds.sh; do
  "$script" "$seeds"
done
for target in "${targets[@]}"; do
  [ -n "$(ls -A "$seeds/$target" 2>/dev/null)" ] || { echo "fuzz: $target has no seeds"; exit 1; }
done

export ASAN_OPTIONS=detect_leaks=1
status=0
printf '%-28s %12s %8s %8s %8s %7s  %s\n' target executions seconds cov ft corpus result
for target in "${targets[@]}"; do
  found=build-fuzz/corpus/$target  # libFuzzer adds what it finds to the first folder
  mkdir -p "$found"
  log=build-fuzz/$target.log
  started=$(date +%s)
  if build-fuzz/tests/fuzz/$target -runs="$runs" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
       -max_len=65536 -print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$target-" \
       "$found" "${committed[$target]}" "$seeds/$target" >"$log" 2>&1; then
    result=ok
  else
    result="FAILED (see $log)"
    status=1
  fi
  took=$(( $(date +%s) - started ))
  if $campaign && [ "$result" = ok ]; then
    merged=build-fuzz/merged/$target
    rm -rf "$merged" && mkdir -p "$merged"
    build-fuzz/tests/fuzz/$target -merge=1 -max_len=65536 "$merged" "${committed[$target]}" "$found" \
      "$seeds/$target" >>"$log" 2>&1
    rm -rf "${committed[$target]}" && cp -r "$merged" "${committed[$target]}"
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | head -1 | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo '?')
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo '?')
  printf '%-28s %12s %8s %8s %8s %7s  %s\n' "$target" "$execs" "$took" "$cov" "$ft" \
    "$(ls "${committed[$target]}" | wc -l)" "$result"
done
if [ "$status" -ne 0 ]; then
  for log in build-fuzz/*.log; do grep -q -E 'ERROR|SUMMARY|deadly signal' "$log" && tail -40 "$log"; done
fi
exit "$status"
