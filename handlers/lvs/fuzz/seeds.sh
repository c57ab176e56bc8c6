#!/usr/bin/env bash
# Seeds for the LVS fuzz targets: this subsystem's procfs fixtures, a real
# kernel's connection table, and netlink messages laid out as the kernel does.
# Usage: seeds.sh SEEDS_DIR (writes SEEDS_DIR/fuzz_lvs_*/)
set -euo pipefail
here=$(dirname "$0")
seeds=$1
mkdir -p "$seeds"/fuzz_lvs_{procfs,netlink,conn}
cp "$here/../fixtures/procfs/net/ip_vs" "$seeds/fuzz_lvs_procfs/ip_vs"
cp "$here/../fixtures/procfs/net/ip_vs_stats" "$seeds/fuzz_lvs_procfs/ip_vs_stats"
# fuzz_lvs_conn: two bytes (chunk size, entry limit) before the table.
{ printf '\x07\x1f'; cat "$here/../fixtures/real-kernel-6.1/proc_net_ip_vs_conn.txt"; } > "$seeds/fuzz_lvs_conn/real-6.1"
python3 "$here/lvs_netlink_seeds.py" "$seeds/fuzz_lvs_netlink"
