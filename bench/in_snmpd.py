#!/usr/bin/env python3
"""The two ways to run mwagentx, through the same snmpd in one run, on an
LVS director of 10,000 real servers (500 services x 20):

  * AgentX: the subagent mwagentx beside snmpd;
  * in snmpd: the module mwagentx.so, loaded into that same snmpd process
    by adding its dlmod line and sending SIGHUP;
  * and, in each phase, a native snmpd table (hrSWInstalledTable) walked
    between the agent's walks, so that drifting load hits all of them.

For each: snmpbulkwalk varbinds/s of mwxLvsRealServerTable (median of the
rounds), the CPU per walked varbind of snmpd and of the agent (in snmpd
mode they are one process: the sum is what compares), and snmpd's RSS.

Usage: bench/in_snmpd.py [--rounds R]   (after scripts/build.sh)
"""
import os
import signal
import statistics
import tempfile

import bench_env  # noqa: E402,F401  (paths and defaults, before the harness)

from harness import MODULE, Agent, Snmpd, wait_for  # noqa: E402
from lvs_walk import REAL_SERVER_TABLE, status_up, write_procfs  # noqa: E402
from walk_bench import NATIVE_TABLE, bulkwalk, cpu_seconds, rss_kib  # noqa: E402


def measure(snmpd, agent_pid, rounds):
    """Alternating walks of the native table and of ours. Returns
    {name: (varbinds per walk, median varbinds/s, snmpd CPU us per varbind,
    agent CPU us per varbind)}."""
    rates = {"native": [], "mwagentx": []}
    cpu = {name: [0.0, 0.0, 0] for name in rates}  # snmpd s, agent s, varbinds
    counts = {}
    for _ in range(rounds):
        for name, oid in (("native", NATIVE_TABLE), ("mwagentx", REAL_SERVER_TABLE)):
            s0 = cpu_seconds(snmpd.proc.pid)
            a0 = cpu_seconds(agent_pid) if agent_pid else 0.0
            n, seconds = bulkwalk(snmpd.port, oid)
            cpu[name][0] += cpu_seconds(snmpd.proc.pid) - s0
            cpu[name][1] += (cpu_seconds(agent_pid) - a0) if agent_pid else 0.0
            cpu[name][2] += n
            counts[name] = n
            rates[name].append(n / seconds)
    return {name: (counts[name], statistics.median(rates[name]), cpu[name][0] / cpu[name][2] * 1e6,
                   cpu[name][1] / cpu[name][2] * 1e6) for name in rates}


def report(mode, results, snmpd_rss_mib, agent_rss_mib=None):
    ours, native = results["mwagentx"], results["native"]
    rss = f"snmpd RSS {snmpd_rss_mib:.1f} MiB" + (f", agent RSS {agent_rss_mib:.1f} MiB" if agent_rss_mib else "")
    print(f"{mode:9}: {ours[0]} varbinds, median {ours[1]:,.0f} varbinds/s; CPU per varbind: snmpd {ours[2]:.1f} us "
          f"+ agent {ours[3]:.1f} us = {ours[2] + ours[3]:.1f} us; {rss}")
    print(f"{'':9}  native hrSWInstalledTable in the same phase: {native[0]} varbinds, median {native[1]:,.0f} "
          f"varbinds/s, snmpd {native[2]:.1f} us per varbind -> native / {mode}: {native[1] / ours[1]:.2f}x")
    return ours[1], native[1]


def main():
    args = bench_env.options(__doc__, rounds=5)
    with tempfile.TemporaryDirectory(prefix="mwx-in-snmpd-bench-") as work:
        procfs = write_procfs(os.path.join(work, "procfs"), 500, 20)
        config = f"interval 60\ntimeout 5\nlvs director source=procfs procfs={procfs}\n"
        snmpd = Snmpd(work).start()
        try:
            bulkwalk(snmpd.port, NATIVE_TABLE)  # warm snmpd's package cache
            rss_before = rss_kib(snmpd.proc.pid) / 1024
            print(f"snmpd alone: RSS {rss_before:.1f} MiB")

            agent = Agent(work, f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\n" + config).start()
            try:
                wait_for(lambda: status_up(snmpd.port), 30, "the subagent registered and polled")
                results = measure(snmpd, agent.proc.pid, args.rounds)
                agentx_rate, agentx_native = report("AgentX", results, rss_kib(snmpd.proc.pid) / 1024,
                                                    rss_kib(agent.proc.pid) / 1024)
            finally:
                agent.stop()

            # The same snmpd process loads the module on SIGHUP.
            with open(os.path.join(work, "in-snmpd.conf"), "w") as f:
                f.write(config)
            snmpd.conf += f"dlmod mwagentx {os.path.abspath(MODULE)}\nmwagentxConfig {work}/in-snmpd.conf\n"
            snmpd.write_conf()
            snmpd.proc.send_signal(signal.SIGHUP)
            wait_for(lambda: status_up(snmpd.port), 30, "the module loaded and polled")
            results = measure(snmpd, None, args.rounds)
            module_rate, module_native = report("in snmpd", results, rss_kib(snmpd.proc.pid) / 1024)

            print(f"in snmpd / AgentX walk rate: {module_rate / agentx_rate:.1f}x (goal >= 5x)")
            print(f"native / in snmpd walk rate: {module_native / module_rate:.2f}x (goal <= 1.5x)")
        finally:
            snmpd.stop()


if __name__ == "__main__":
    main()
