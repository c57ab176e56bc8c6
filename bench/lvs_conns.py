#!/usr/bin/python3
"""LVS connections by state: counting a /proc/net/ip_vs_conn of 1 and 5
million entries (a director under a SYN flood) with the lvs collector's
streaming pass, against awk doing the same count (what an `extend` script
would run), side by side on the same file.

The file is generated in the kernel's format (the header and widths of a
real 6.1 kernel's, handlers/lvs/fixtures/real-kernel-6.1): 500 services,
IPv4 and IPv6, most entries SYN_RECV. Reported per count: CPU and wall
time, the agent's peak memory growth during the count, and with the
default conn_limit (1,000,000) how a 5-million table is cut. Run after
scripts/build.sh:
    bench/lvs_conns.py [--sizes 1000000,5000000] [--counts 3] [--dir /var/tmp]
"""
import os
import random
import re
import subprocess
import time

import bench_env

BENCH = os.path.join(bench_env.ROOT, "build", "bench_lvs_conns")
HEADER = "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n"
STATES = ["SYN_RECV"] * 7 + ["ESTABLISHED", "TIME_WAIT", "FIN_WAIT"]
# What an extend script would do: one line per service and state.
AWK = 'NR > 1 { n[$1 " " $4 " " $5 " " $8]++ } END { for (k in n) print k, n[k] }'


def v6(n):
    return ":".join(f"{g:04x}" for g in (0x2001, 0xdb8, 0, 0, 0, 0, n >> 16, n & 0xffff))


def generate(path, entries):
    if os.path.exists(path) and os.path.getsize(path) > 0:
        with open(path) as f:
            if sum(1 for _ in f) == entries + 1:
                return
    rng = random.Random(entries)
    services = [(f"C0000{n:03X}", f"{80 + n % 3:04X}", False) for n in range(400)] + \
        [(v6(n), "01BB", True) for n in range(100)]
    with open(path, "w") as f:
        f.write(HEADER)
        for i in range(entries):
            address, port, ipv6 = services[i % len(services)]
            client = v6(i) if ipv6 else f"{0xC6330000 + i % 65536:08X}"
            real = v6(i % 7 + 1) if ipv6 else f"CB0071{i % 250:02X}"
            f.write(f"TCP {client} {i % 65536:04X} {address} {port} {real} {port} {rng.choice(STATES):<11} "
                    f"{rng.randint(1, 900):>7}\n")


def measure(path, counts, limit=None):
    args = [BENCH, path, str(counts)] + ([str(limit)] if limit else [])
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", out)}


def awk_count(path):
    started, cpu = time.monotonic(), os.times()
    subprocess.run(["awk", AWK, path], capture_output=True, check=True)
    after = os.times()
    return (after.children_user + after.children_system - cpu.children_user - cpu.children_system) * 1e3, \
        (time.monotonic() - started) * 1e3


def main():
    args = bench_env.options(__doc__, sizes="1000000,5000000", counts=3, dir="/var/tmp")
    for size in (int(s) for s in args.sizes.split(",")):
        path = os.path.join(args.dir, f"mwx-ip_vs_conn-{size}")
        generate(path, size)
        whole = measure(path, args.counts)
        limited = measure(path, args.counts, 1000000)
        awk_cpu, awk_wall = awk_count(path)
        print(f"{size:>9} entries ({os.path.getsize(path) / 2**20:.0f} MiB): mwagentx {whole['cpu_ms']:.0f} ms CPU "
              f"({whole['wall_ms']:.0f} ms wall, {size / whole['cpu_ms'] / 1e3:.1f} M entries/s, "
              f"+{whole['rss_growth_kb'] / 1024:.1f} MiB peak), awk {awk_cpu:.0f} ms CPU ({awk_wall:.0f} ms wall): "
              f"{awk_cpu / whole['cpu_ms']:.1f}x; with conn_limit 1000000: {limited['entries']:.0f} entries, "
              f"{limited['cpu_ms']:.0f} ms CPU, complete={limited['complete']:.0f}")


if __name__ == "__main__":
    main()
