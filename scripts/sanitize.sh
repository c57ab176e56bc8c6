#!/usr/bin/env bash
# Builds everything with AddressSanitizer and UndefinedBehaviorSanitizer in
# build-sanitize/ and runs the whole ctest suite, unit and integration, on
# it: the agent the integration tests start, beside snmpd or in it, is the
# sanitized one. Any report fails: UBSan and ASan abort, and the harness
# requires the agent (or the snmpd it runs in) to exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
# snmpd has no sanitizer runtime of its own: to load the sanitized module
# (the in-snmpd tests) it preloads them.
preload="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMWX_SANITIZE=ON -DMWX_SNMPD_PRELOAD="$preload" >/dev/null
cmake --build build-sanitize -j"$(nproc)"
# A small quarantine keeps RSS close to a normal build's, so memory bounds still mean something.
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=0:detect_leaks=1:exitcode=86:quarantine_size_mb=16
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
cd build-sanitize
# Two suites run once, in scripts/test.sh: the packages' test builds its
# own (unsanitized) binaries from the tree, and the real kernel's VM spends
# its minutes in emulation, not in our code.
ctest --output-on-failure -E '^integration_(packages|lvs_kernel)$' "$@"
