#!/usr/bin/env python3
"""LVS at scale, side by side in one run:

  * one poll (read + parse /proc/net/ip_vs of 10,000 real servers over 500
    services, sort, render the rows), in process: wall and CPU time;
  * snmpbulkwalk of mwxLvsRealServerTable through a private snmpd, from an
    agent serving that fixture (one walk), and from an agent serving a
    100-row fixture (100 walks, the same number of varbinds): varbinds/s,
    the agent's CPU per walked varbind, and its RSS;
  * the same request pattern against both: GETBULKs starting at random
    rows of the table, so that the agent's CPU per varbind compares the
    lookup in 43,000 values with the lookup in 465 (it must stay flat as
    rows grow: GETNEXT is a binary search).

Usage: bench/lvs_walk.py [--rounds R]   (after scripts/build.sh)
"""
import os
import random
import subprocess
import tempfile

import bench_env
from bench_env import ROOT  # noqa: E402  (paths and defaults, before the harness)

from harness import Agent, Snmpd, wait_for  # noqa: E402
from walk_bench import bulkwalk, cpu_seconds, rss_kib  # noqa: E402

REAL_SERVER_TABLE = ".1.3.6.1.4.1.8072.9999.1.1.6.3"
LVS_STATUS = ".1.3.6.1.4.1.8072.9999.1.1.6.1.1.3"


def write_procfs(directory, services, reals_per_service):
    os.makedirs(os.path.join(directory, "net"), exist_ok=True)
    lines = ["IP Virtual Server version 1.2.1 (size=4096)", "Prot LocalAddress:Port Scheduler Flags",
             "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn"]
    for s in range(services):
        lines.append(f"TCP  0A{s:06X}:0050 wlc  ")
        for r in range(reals_per_service):
            lines.append(f"  -> AC{s * reals_per_service + r:06X}:1F90      Route   1      {r:<10} {s:<10}")
    with open(os.path.join(directory, "net", "ip_vs"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return directory


def status_up(port):
    out = subprocess.run(["snmpwalk", "-v2c", "-c", "public", "-On", "-Oq", f"127.0.0.1:{port}", LVS_STATUS],
                         capture_output=True, text=True).stdout
    return out.strip().endswith(" 1")


def poll_cost(procfs, polls=20):
    out = subprocess.run([os.path.join(ROOT, "build", "bench_lvs_poll"), procfs, str(polls)], capture_output=True,
                         text=True, check=True).stdout
    return out.strip()


def random_getbulks(port, oids, requests, rng):
    """GETBULKs of 10 repetitions from 40 random rows each; returns the varbinds answered."""
    answered = 0
    for _ in range(requests):
        out = subprocess.run(["snmpbulkget", "-v2c", "-c", "public", "-On", "-Oq", "-Cn0", "-Cr10",
                              f"127.0.0.1:{port}"] + rng.sample(oids, min(40, len(oids))),
                             capture_output=True, text=True, check=True).stdout
        answered += len(out.splitlines())
    return answered


def walk_agent(snmpd, work, name, procfs, rounds, rng):
    """Starts an agent serving `procfs`, walks its real-server table
    `rounds` times, then asks random GETBULKs, and stops it. Returns
    (varbinds of one walk, best varbinds/s, agent CPU µs per walked
    varbind, RSS MiB, agent CPU µs per varbind of the random GETBULKs,
    snmpd's CPU µs per walked varbind)."""
    agent_dir = os.path.join(work, name)
    os.makedirs(agent_dir)
    agent = Agent(agent_dir, f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 60\n"
                             f"timeout 5\nlvs {name} source=procfs procfs={procfs}\n").start()
    try:
        wait_for(lambda: status_up(snmpd.port), 20, f"{name}: the agent registered and polled")
        cpu, snmpd_cpu = cpu_seconds(agent.proc.pid), cpu_seconds(snmpd.proc.pid)
        runs = [bulkwalk(snmpd.port, REAL_SERVER_TABLE) for _ in range(rounds)]
        cpu, snmpd_cpu = cpu_seconds(agent.proc.pid) - cpu, cpu_seconds(snmpd.proc.pid) - snmpd_cpu
        varbinds = runs[0][0]
        best = max(v / t for v, t in runs)
        oids = subprocess.run(["snmpbulkwalk", "-v2c", "-c", "public", "-On", "-Oq", "-Cr50", f"127.0.0.1:{snmpd.port}",
                               REAL_SERVER_TABLE], capture_output=True, text=True, check=True).stdout.split("\n")
        oids = [line.split()[0] for line in oids if line.strip()]
        random_cpu = cpu_seconds(agent.proc.pid)
        answered = random_getbulks(snmpd.port, oids, 300, rng)
        random_cpu = (cpu_seconds(agent.proc.pid) - random_cpu) * 1e6 / answered
        walked = sum(v for v, _ in runs)
        return (varbinds, best, cpu * 1e6 / walked, rss_kib(agent.proc.pid) / 1024, random_cpu,
                snmpd_cpu * 1e6 / walked)
    finally:
        agent.stop()


def main():
    args = bench_env.options(__doc__, rounds=3)
    with tempfile.TemporaryDirectory(prefix="mwx-lvs-bench-") as work:
        big = write_procfs(os.path.join(work, "big-procfs"), 500, 20)
        small = write_procfs(os.path.join(work, "small-procfs"), 10, 10)
        print(f"poll, 10,000 real servers: {poll_cost(big)}")
        print(f"poll, 100 real servers:    {poll_cost(small, 200)}")
        snmpd = Snmpd(work).start()
        rng = random.Random(1)
        try:
            results = {}
            # Alternate, so that load drifting on a shared machine hits both.
            for round_ in range(args.rounds):
                # The same number of varbinds from both: one walk of 10,000 rows, 100 of 100 rows.
                for name, procfs, walks in (("big", big, 1), ("small", small, 100)):
                    results.setdefault(name, []).append(walk_agent(snmpd, work, f"{name}{round_}", procfs, walks, rng))
            for name, label in (("big", "10,000 rows"), ("small", "100 rows")):
                runs = results[name]
                varbinds = runs[0][0]
                rate = max(r[1] for r in runs)
                per_varbind = min(r[2] for r in runs)
                rss = max(r[3] for r in runs)
                random_cost = min(r[4] for r in runs)
                print(f"mwxLvsRealServerTable, {label}: walk of {varbinds} varbinds, best {rate:,.0f} varbinds/s, "
                      f"agent CPU {per_varbind:.1f} us (snmpd {min(r[5] for r in runs):.1f} us) per walked varbind; "
                      f"random GETBULKs: agent CPU "
                      f"{random_cost:.1f} us per varbind; RSS {rss:.1f} MiB (best of {len(runs)} rounds)")
            for column, what in ((2, "agent CPU per walked varbind"), (5, "snmpd CPU per walked varbind"),
                                 (4, "agent CPU per random GETBULK varbind")):
                big_cost = min(r[column] for r in results["big"])
                small_cost = min(r[column] for r in results["small"])
                print(f"{what}, 10,000 rows / 100 rows: {big_cost / small_cost:.2f}")
        finally:
            snmpd.stop()


if __name__ == "__main__":
    main()
