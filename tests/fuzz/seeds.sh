#!/usr/bin/env bash
# Seeds for fuzz_config: the annotated example and a small file.
# Usage: seeds.sh SEEDS_DIR (writes SEEDS_DIR/fuzz_config/)
set -euo pipefail
here=$(dirname "$0")
out=$1/fuzz_config
mkdir -p "$out"
cp "$here/../../conf/mwagentx.conf" "$out/example.conf"
printf 'interval 5\ntimeout 1\nmemcached a [::1]:11211 interval=2\nmemcached b /run/m.sock\ngearman g 127.0.0.1\n' \
  > "$out/small.conf"
printf 'memcached a 127.0.0.1:1\nevent memcached connection_usage rising=90 falling=75\nevent memcached/a hit_ratio off for=5\nevent_holdoff 0\nevent_backlog 3\n' \
  > "$out/events.conf"
