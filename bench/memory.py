#!/usr/bin/env python3
"""Memory with a big table: an agent serving a 10,000-real-server LVS
procfs tree (500 services) through a private snmpd, polled every second.
RSS, and its split into anonymous memory (the agent's own) and file-backed
pages (program and libraries: net-snmp, OpenSSL, libstdc++, the same pages
snmpd maps), after warm-up (the third poll) and after --polls polls; bytes
per served value of both. The table is walked once before each reading,
as a manager would.

Usage: bench/memory.py [--polls N]   (after scripts/build.sh; N seconds)
"""
import os
import subprocess
import tempfile
import time

import bench_env
from bench_env import ROOT  # noqa: E402  (paths and defaults, before the harness)

from harness import Agent, Snmpd, wait_for  # noqa: E402
from lvs_walk import REAL_SERVER_TABLE, write_procfs  # noqa: E402
from walk_bench import bulkwalk  # noqa: E402

LVS_POLLS = ".1.3.6.1.4.1.8072.9999.1.1.6.1.1.102"


def polls(port):
    out = subprocess.run(["snmpwalk", "-v2c", "-c", "public", "-On", "-Oqv", f"127.0.0.1:{port}", LVS_POLLS],
                         capture_output=True, text=True).stdout.split()
    return int(out[0]) if out and out[0].isdigit() else 0


def memory_kib(pid):
    """RSS, anonymous and file-backed KiB, from smaps_rollup."""
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                fields[parts[0].rstrip(":")] = int(parts[1])
    return fields["Rss"], fields["Anonymous"], fields["Rss"] - fields["Anonymous"]


def reading(snmpd, agent, label):
    varbinds, _ = bulkwalk(snmpd.port, REAL_SERVER_TABLE)
    rss, anon, files = memory_kib(agent.proc.pid)
    print(f"{label}: RSS {rss / 1024:.1f} MiB (anonymous {anon / 1024:.1f} MiB, program and libraries "
          f"{files / 1024:.1f} MiB); walked {varbinds} varbinds")
    return rss


def main():
    args = bench_env.options(__doc__, polls=1000)
    with tempfile.TemporaryDirectory(prefix="mwx-memory-bench-") as work:
        procfs = write_procfs(os.path.join(work, "procfs"), 500, 20)
        size = subprocess.run([os.path.join(ROOT, "build", "bench_lvs_poll"), procfs, "3"], capture_output=True,
                              text=True, check=True).stdout.strip()
        print(f"snapshot of the table: {size}")
        snmpd = Snmpd(work).start()
        agent = None
        try:
            agent = Agent(work, f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 1\n"
                                f"timeout 0.9\nlvs big source=procfs procfs={procfs}\n").start()
            wait_for(lambda: polls(snmpd.port) >= 3, 60, "three polls")
            warm = reading(snmpd, agent, f"after warm-up ({polls(snmpd.port)} polls)")
            deadline = time.monotonic() + args.polls * 2 + 60
            while polls(snmpd.port) < args.polls and time.monotonic() < deadline:
                time.sleep(5)
            done = reading(snmpd, agent, f"after {polls(snmpd.port)} polls")
            print(f"growth: {(done - warm) / warm * 100:+.1f}%")
        finally:
            if agent:
                agent.stop()
            snmpd.stop()


if __name__ == "__main__":
    main()
