#!/usr/bin/env python3
"""Whose is snmpd's growth under load? The soak's request mix (snmpwalk,
snmpbulkwalk and snmpget from net-snmp's clients, without pause) through
seven private snmpds side by side, each sampled for its RSS:

  * master of mwagentx as the soak runs it (AgentX pings every second,
    notifications to a trap2sink: memcached restarted every 20 s), with
    only the pings, with only the notifications (and those again with
    snmpd's notification log, NOTIFICATION-LOG-MIB, off: dontRetainLogs),
    and with neither (net-snmp's default ping interval, no trap sink);
  * master of net-snmp's own table_tdata subagent (bench_tdata_subagent,
    200 rows);
  * snmpd alone, the requests walking its own hrSWInstalledTable.

Reports each snmpd's RSS growth after a warm-up tenth, per million
requests and per minute. Usage: bench/snmpd_growth.py [--minutes 6]
"""
import os
import statistics
import subprocess
import tempfile
import time

import bench_env  # noqa: E402  (paths and defaults, before the harness)

from harness import Agent, Memcached, Snmpd, TrapReceiver, memory_kib, wait_for  # noqa: E402
from soak import MWX_MIB, RESTART_EVERY, Load, serves  # noqa: E402
from walk_callgrind import REFERENCE, REFERENCE_COLUMN  # noqa: E402

NATIVE_TABLE = ".1.3.6.1.2.1.25.6.3"  # hrSWInstalledTable


class Setup:
    """One snmpd, what it serves, and the load on it."""

    def __init__(self, label, workdir, build):
        self.label, self.workdir, self.started = label, workdir, []
        os.makedirs(workdir)
        self.snmpd, self.subtree, self.memcached = build(self, workdir)
        wait_for(lambda: serves(self.snmpd.port, self.subtree), 30, f"{label}: answers")
        self.load, self.samples = Load(self.snmpd.port, self.subtree), []

    def start(self, component):
        self.started.append(component.start())
        return self.started[-1]

    def restart_memcached(self):
        """A down and an up for the agent to notify."""
        at = self.started.index(self.memcached)
        self.memcached.stop()
        self.memcached = self.started[at] = Memcached(self.workdir, port=self.memcached.port).start()

    def sample(self, elapsed):
        self.samples.append((elapsed, self.load.requests, memory_kib(self.snmpd.proc.pid)["Rss"]))

    def stop(self):
        self.load.stopping.set()
        for component in reversed(self.started):
            component.stop()


def mwagentx_master(pings, traps, retain_logs=True):
    """mwagentx's master: AgentX pings every second or net-snmp's default
    (15 s); with notifications (memcached restarted) to a trap2sink or not;
    snmpd keeping its log of notifications (NOTIFICATION-LOG-MIB, its
    default) or not."""
    def build(setup, workdir):
        extra = "" if retain_logs else "dontRetainLogs yes\n"
        if traps:
            receiver = setup.start(TrapReceiver(workdir))
            extra += f"trap2sink 127.0.0.1:{receiver.port} public\n"
        snmpd = setup.start(Snmpd(workdir, extra_conf=extra))
        memcached = setup.start(Memcached(workdir))
        ping = "agentx_ping_interval 1\n" if pings else ""
        setup.start(Agent(workdir, f"agentx_socket {snmpd.socket_path}\n{ping}event_holdoff 0\ninterval 1\n"
                                   f"timeout 0.5\nmemcached sessions 127.0.0.1:{memcached.port}\n"))
        return snmpd, MWX_MIB, memcached if traps else None
    return build


def tdata_master(setup, workdir):
    snmpd = setup.start(Snmpd(workdir))
    proc = subprocess.Popen([REFERENCE, snmpd.socket_path, "200", "8"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)

    class Reference:
        def stop(self):
            proc.terminate()
            proc.wait()
    setup.started.append(Reference())
    return snmpd, REFERENCE_COLUMN.rsplit(".", 2)[0], None


def native(setup, workdir):
    return setup.start(Snmpd(workdir)), NATIVE_TABLE, None


def growth(samples):
    tenth = max(1, len(samples) // 10)
    first, last = samples[tenth:2 * tenth], samples[-tenth:]
    def mean(rows, i):
        return statistics.mean(r[i] for r in rows)
    kib = mean(last, 2) - mean(first, 2)
    requests = mean(last, 1) - mean(first, 1)
    minutes = (mean(last, 0) - mean(first, 0)) / 60
    return mean(first, 2), mean(last, 2), kib / requests * 1e6, kib / minutes


def main():
    args = bench_env.options(__doc__, minutes=6.0)
    with tempfile.TemporaryDirectory(prefix="mwx-snmpd-growth-") as work:
        setups = []
        try:
            for label, build in (("mwagentx, pings 1 s, traps", mwagentx_master(True, True)),
                                 ("mwagentx, pings 1 s", mwagentx_master(True, False)),
                                 ("mwagentx, traps", mwagentx_master(False, True)),
                                 ("mwagentx, traps, no nlm log", mwagentx_master(False, True, retain_logs=False)),
                                 ("mwagentx, defaults", mwagentx_master(False, False)),
                                 ("tdata subagent", tdata_master), ("snmpd alone", native)):
                setups.append(Setup(label, os.path.join(work, str(len(setups))), build))
            for setup in setups:
                setup.load.start()
            start, next_restart = time.monotonic(), RESTART_EVERY
            while (elapsed := time.monotonic() - start) < args.minutes * 60:
                for setup in setups:
                    setup.sample(elapsed)
                    if setup.memcached and elapsed >= next_restart:
                        setup.restart_memcached()
                if elapsed >= next_restart:
                    next_restart += RESTART_EVERY
                time.sleep(1)
            print(f"{args.minutes:g} min of the soak's requests through each snmpd, side by side; "
                  "snmpd's RSS, first tenth after a warm-up tenth against the last")
            print(f"{'snmpd serving':28} {'requests':>9} {'RSS first':>10} {'RSS last':>9} {'KiB/M req':>10} "
                  f"{'KiB/min':>8}")
            for setup in setups:
                first, last, per_million, per_minute = growth(setup.samples)
                print(f"{setup.label:28} {setup.load.requests:9} {first / 1024:8.2f} M {last / 1024:7.2f} M "
                      f"{per_million:10.0f} {per_minute:8.0f}")
        finally:
            for setup in setups:
                setup.stop()


if __name__ == "__main__":
    main()
