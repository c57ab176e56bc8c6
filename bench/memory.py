#!/usr/bin/env python3
"""Memory that is the agent's own, in two farms, each through a private
snmpd: a 10,000-real-server LVS procfs tree (500 services) polled every
second, and 1,000 memcached instances (replayed 'stats' captures, as
bench/scale.py serves them) polled every 10 s.

For each, after warm-up and after --polls seconds: RSS; PSS (shared pages
divided among the processes that map them); USS (pages only this process
maps: what stopping it would free); and of RSS the anonymous part (heap,
stacks) against the file-backed part (the program and its libraries:
net-snmp, OpenSSL, libstdc++, pages snmpd maps too). The tables are
walked before each reading, as a manager would. From /proc/PID/smaps_rollup.

Usage: bench/memory.py [--polls N] [--instances 1000]   (after scripts/build.sh)
"""
import os
import subprocess
import tempfile
import time

import bench_env
from bench_env import ROOT  # noqa: E402  (paths and defaults, before the harness)

from harness import Agent, Snmpd, memory_kib, wait_for  # noqa: E402
from lvs_walk import REAL_SERVER_TABLE, write_procfs  # noqa: E402
from scale import STATUS, Replayer, free_ports, walk_numbers  # noqa: E402
from walk_bench import bulkwalk  # noqa: E402

LVS_POLLS = ".1.3.6.1.4.1.8072.9999.1.1.6.1.1.102"


def polls(port):
    out = subprocess.run(["snmpwalk", "-v2c", "-c", "public", "-On", "-Oqv", f"127.0.0.1:{port}", LVS_POLLS],
                         capture_output=True, text=True).stdout.split()
    return int(out[0]) if out and out[0].isdigit() else 0


def reading(snmpd, agent, label, table):
    varbinds, _ = bulkwalk(snmpd.port, table)
    m = memory_kib(agent.proc.pid)
    mib = {k: v / 1024 for k, v in m.items()}
    print(f"{label}: RSS {mib['Rss']:.1f} MiB, PSS {mib['Pss']:.1f} MiB, USS {mib['Uss']:.1f} MiB "
          f"(anonymous {mib['Anonymous']:.1f} MiB, program and libraries {mib['Files']:.1f} MiB of which "
          f"{mib['Private_Clean']:.1f} MiB private); walked {varbinds} varbinds")
    return m


def measure(work, snmpd, config, ready, table, seconds, label):
    """The agent of `config` behind `snmpd`: readings after warm-up and
    after `seconds` more."""
    agent = Agent(work, config).start()
    try:
        wait_for(ready, 120, f"{label}: the first polls")
        warm = reading(snmpd, agent, f"{label}, after warm-up", table)
        time.sleep(seconds)
        done = reading(snmpd, agent, f"{label}, after {seconds} s more", table)
        print(f"{label}: RSS growth {(done['Rss'] - warm['Rss']) / warm['Rss'] * 100:+.1f}%, "
              f"USS growth {(done['Uss'] - warm['Uss']) / warm['Uss'] * 100:+.1f}%")
    finally:
        agent.stop()


def main():
    args = bench_env.options(__doc__, polls=300, instances=1000)
    with tempfile.TemporaryDirectory(prefix="mwx-memory-bench-") as work:
        procfs = write_procfs(os.path.join(work, "procfs"), 500, 20)
        size = subprocess.run([os.path.join(ROOT, "build", "bench_lvs_poll"), procfs, "3"], capture_output=True,
                              text=True, check=True).stdout.strip()
        print(f"snapshot of the table: {size}")
        snmpd = Snmpd(work).start()
        ports = free_ports(args.instances)
        replayer = Replayer(ports, [False] * len(ports))
        try:
            head = f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\n"
            measure(work, snmpd, head + f"interval 1\ntimeout 0.9\nlvs big source=procfs procfs={procfs}\n",
                    lambda: polls(snmpd.port) >= 3, REAL_SERVER_TABLE, args.polls, "10,000 LVS real servers")
            instances = "".join(f"memcached m{i} 127.0.0.1:{port}\n" for i, port in enumerate(ports))
            measure(work, snmpd, head + "interval 10\ntimeout 2\n" + instances,
                    lambda: len(walk_numbers(snmpd.port, STATUS)) == len(ports) and
                    all(v == 1 for v in walk_numbers(snmpd.port, STATUS)),
                    STATUS, args.polls, f"{args.instances} memcached instances")
        finally:
            replayer.close()
            snmpd.stop()


if __name__ == "__main__":
    main()
