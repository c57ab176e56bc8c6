#!/usr/bin/env bash
# The test command of the README: installs what is missing, builds, and
# runs the whole suite (unit and integration) with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
cd build
ctest --output-on-failure "$@"
