#!/usr/bin/env python3
"""The AgentX walk, mwagentx against net-snmp's own way of serving a table
from a subagent (bench_tdata_subagent: the table_tdata helper), through
the same private snmpd, in one run:

  * instructions per walked varbind under valgrind's callgrind, which
    machine load does not change: the whole subagent (less a run that only
    starts, registers and polls), and of it the handler chain
    (netsnmp_call_handlers, inclusive: for mwagentx our lookup and value,
    for the reference the table and tdata helpers and its handler); the
    rest is net-snmp's AgentX work (the PDU decoded and encoded, the
    socket), which grows with the length of the OIDs;
  * walk throughput without valgrind (median of the rounds), and the CPU
    per varbind of the subagent and of snmpd meanwhile.

mwagentx walks one column of a 10,000-row LVS real server table (procfs);
the reference 10,000 rows, once indexed by a string that makes its OIDs as
long as mwagentx's, once by a number (short OIDs), so that what the OIDs'
length costs shows apart from what the code costs.

Usage: bench/walk_callgrind.py [--rounds 5]   (after scripts/build.sh; a few minutes)
"""
import os
import signal
import statistics
import subprocess
import tempfile
import time

import bench_env  # noqa: E402  (paths and defaults, before the harness)

from harness import AGENT, Snmpd, wait_for  # noqa: E402
from lvs_callgrind import FORWARD_METHOD_COLUMN, instructions, walk  # noqa: E402
from lvs_walk import status_up, write_procfs  # noqa: E402
from soak import serves  # noqa: E402
from walk_bench import cpu_seconds  # noqa: E402

REFERENCE = os.path.join(bench_env.ROOT, "build", "bench_tdata_subagent")
REFERENCE_COLUMN = ".1.3.6.1.4.1.8072.9999.99.1.1.1"
REFERENCE_PREFIX_ARCS = 13  # table (10), entry, column, the string index's length
ROWS = 10000
HANDLERS = "netsnmp_call_handlers"


def walked_oid_arcs(port, oid):
    out = subprocess.run(["snmpbulkwalk", "-v2c", "-c", "public", "-On", "-Oq", "-Cr50", f"127.0.0.1:{port}", oid],
                         capture_output=True, text=True, check=True).stdout
    lengths = [len(line.split()[0].strip(".").split(".")) for line in out.splitlines()]
    return round(statistics.mean(lengths))


class Subagent:
    """One of the compared subagents: how it starts, when it is up, what
    to walk."""

    def __init__(self, label, argv, column, is_up):
        self.label, self.argv, self.column, self.is_up = label, argv, column, is_up

    def start(self, callgrind_out=None):
        prefix = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={callgrind_out}"] if callgrind_out else []
        proc = subprocess.Popen(prefix + self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self.is_up, 180, f"{self.label} up")
        return proc

    def callgrind(self, snmpd, work):
        """Instructions per walked varbind: the whole subagent's beyond a
        run without walks, and its handler chain's."""
        counts = {}
        for walks in (0, 1):
            out = os.path.join(work, f"callgrind.{self.label.split()[0]}.{walks}")
            proc = self.start(out)
            try:
                varbinds = sum(walk(snmpd.port, self.column) for _ in range(walks))
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait()
            counts[walks] = (varbinds, instructions(out), instructions(out, HANDLERS))
        varbinds, total, handlers = counts[1]
        return (total - counts[0][1]) / varbinds, (handlers - counts[0][2]) / varbinds

    def throughput(self, snmpd, rounds):
        """Median varbinds/s; CPU per varbind (us) of the subagent and of
        snmpd over all rounds; the walked OIDs' length."""
        proc = self.start()
        try:
            rates, walked = [], 0
            cpu_start = cpu_seconds(proc.pid), cpu_seconds(snmpd.proc.pid)
            for _ in range(rounds):
                start = time.monotonic()
                varbinds = walk(snmpd.port, self.column)
                rates.append(varbinds / (time.monotonic() - start))
                walked += varbinds
            cpu = [(cpu_seconds(pid) - before) / walked * 1e6
                   for pid, before in zip((proc.pid, snmpd.proc.pid), cpu_start)]
            return statistics.median(rates), cpu, walked_oid_arcs(snmpd.port, self.column)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait()


def reference(snmpd, index_length, label):
    return Subagent(label, [REFERENCE, snmpd.socket_path, str(ROWS), str(index_length)], REFERENCE_COLUMN,
                    lambda: serves(snmpd.port, REFERENCE_COLUMN))


def print_rows(rows, rounds):
    print(f"one walk of a {ROWS:,}-row column through snmpd; instructions per varbind (callgrind); without "
          f"valgrind, {rounds} walks: median throughput, CPU per varbind of the subagent and of snmpd")
    print(f"{'subagent':22} {'OID arcs':>8} {'all':>8} {'handlers':>9} {'the rest':>9} {'varbinds/s':>11} "
          f"{'CPU us':>7} {'snmpd us':>8}")
    for label, arcs, per_varbind, in_handlers, rate, (cpu, snmpd_cpu) in rows:
        print(f"{label:22} {arcs:8} {per_varbind:8,.0f} {in_handlers:9,.0f} {per_varbind - in_handlers:9,.0f} "
              f"{rate:11,.0f} {cpu:7.1f} {snmpd_cpu:8.1f}")
    ours, same_length = rows[0], rows[1]
    print(f"mwagentx / tdata with OIDs as long: instructions {ours[2] / same_length[2]:.2f}x, "
          f"handler chain {ours[3] / same_length[3]:.2f}x, throughput {ours[4] / same_length[4]:.2f}x, "
          f"CPU per varbind {ours[5][0] / same_length[5][0]:.2f}x")


def main():
    args = bench_env.options(__doc__, rounds=5)
    with tempfile.TemporaryDirectory(prefix="mwx-walk-cg-") as work:
        procfs = write_procfs(os.path.join(work, "lvs"), 500, 20)
        conf = os.path.join(work, "mwagentx.conf")
        snmpd = Snmpd(work).start()
        with open(conf, "w") as f:
            f.write(f"agentx_socket {snmpd.socket_path}\ninterval 600\ntimeout 50\nlvs x source=procfs procfs={procfs}\n")
        try:
            ours = Subagent("mwagentx", [AGENT, "-f", "-c", conf], FORWARD_METHOD_COLUMN, lambda: status_up(snmpd.port))
            rate, cpu, arcs = ours.throughput(snmpd, args.rounds)
            compared = [(ours, (rate, cpu, arcs)),
                        (reference(snmpd, arcs - REFERENCE_PREFIX_ARCS, "tdata (OIDs as long)"), None),
                        (reference(snmpd, 0, "tdata (numbered rows)"), None)]
            rows = []
            for subagent, measured in compared:
                rate, cpu, arcs = measured or subagent.throughput(snmpd, args.rounds)
                per_varbind, in_handlers = subagent.callgrind(snmpd, work)
                rows.append((subagent.label, arcs, per_varbind, in_handlers, rate, cpu))
            print_rows(rows, args.rounds)
        finally:
            snmpd.stop()


if __name__ == "__main__":
    main()
