#!/usr/bin/env python3
"""A bounded soak, with mwagentx as a subagent (agentx) or loaded into
snmpd (snmpd, where a leak grows snmpd itself): SNMP requests through
snmpd without pause (GET, GETNEXT and GETBULK mixed, from net-snmp's own
clients) while mwagentx polls its instances every second, memcached is
restarted every 20 s (down and up notifications go to a real snmptrapd
through trap2sink) and the configuration is reloaded every minute (one
instance's line changes in turn, so it is dropped and created anew; the
served rows stay the same; in snmpd, snmpd's own SIGHUP). The RSS, USS
and open fds of the process that runs the agent are sampled every
second (less, in snmpd, the sockets and memory snmpd itself leaks at each
SIGHUP, measured on a snmpd without the module given the same SIGHUPs);
snmpd's log of the notifications it sent (NOTIFICATION-LOG-MIB, bounded
at 1,000) is off, as bench/snmpd_growth.py explains; the last
tenth of the run, after a warm-up tenth, must stay within 2% of the first
tenth, the agent must log no error the run did not
provoke, and the notifications must arrive. Stops by itself.

Usage: bench/soak.py [--minutes 30] [--mode agentx|snmpd|both]
(after scripts/build.sh). tests/integration/test_soak.py runs a one-minute
version of both modes in CI.
"""
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import bench_env  # noqa: E402,F401  (paths and defaults, before the harness)

from harness import Agent, AgentInSnmpd, Memcached, Snmpd, TrapReceiver, memory_kib, wait_for  # noqa: E402
from qmail_queue import Queue  # noqa: E402

MWX_MIB = ".1.3.6.1.4.1.8072.9999.1"
GROWTH_LIMIT = 0.02        # of a soak of minutes, after its warm-up tenth
SHORT_GROWTH_LIMIT = 0.05  # of CI's one-minute soak, whose warm-up is 6 s
RESTART_EVERY, RELOAD_EVERY = 20, 60


class Load(threading.Thread):
    """net-snmp clients in a loop; counts the requests each one made."""

    def __init__(self, port, subtree=MWX_MIB):
        super().__init__(daemon=True)
        self.port, self.subtree, self.requests, self.stopping = port, subtree, 0, threading.Event()

    def run(self):
        target = ["-v2c", "-c", "public", "-On", f"127.0.0.1:{self.port}"]
        while not self.stopping.is_set():
            walked = subprocess.run(["snmpwalk", *target, self.subtree], capture_output=True, text=True).stdout
            oids = [line.split(" ", 1)[0] for line in walked.splitlines() if line.startswith(".")]
            self.requests += len(oids) + 1  # a GETNEXT per varbind, and the one past the end
            bulk = subprocess.run(["snmpbulkwalk", "-Cr10", *target, self.subtree], capture_output=True,
                                  text=True).stdout
            self.requests += bulk.count("\n") // 10 + 1
            for at in range(0, len(oids), 20):
                subprocess.run(["snmpget", *target, *oids[at:at + 20]], capture_output=True)
                self.requests += 1


def serves(port, subtree=MWX_MIB):
    """Whether snmpd answers under `subtree` (by default, for the agent: as
    a subagent once registered, in snmpd once loaded)."""
    out = subprocess.run(["snmpgetnext", "-v2c", "-c", "public", "-On", f"127.0.0.1:{port}", subtree],
                         capture_output=True, text=True).stdout
    return out.startswith(subtree + ".")


def control_state(snmpd):
    """The RSS, USS (KiB) and fds of a snmpd."""
    return dict(memory_kib(snmpd.proc.pid), fds=len(os.listdir(f"/proc/{snmpd.proc.pid}/fd")))


def sink_conf(receiver):
    """snmpd's lines for the trap receiver. snmpd also keeps a copy of each
    notification it sends in its NOTIFICATION-LOG-MIB table, up to 1,000 of
    them (some 20 KiB each of mwagentx's): bounded, but over a soak's few
    hundred notifications it grows snmpd as a leak would
    (bench/snmpd_growth.py). dontRetainLogs turns that log off."""
    return f"trap2sink 127.0.0.1:{receiver.port} public\ndontRetainLogs yes\n"


def soak(workdir, seconds, mode="agentx"):
    """Runs the soak; returns (first tenth, last tenth) of (seconds, RSS KiB,
    USS KiB, fds, snmpd's RSS KiB), the request count, the agent's error
    lines, the notifications received and every sample."""
    receiver = TrapReceiver(workdir).start()
    snmpd = Snmpd(workdir, extra_conf=sink_conf(receiver)).start()
    memcached = Memcached(workdir).start()
    spare = Memcached(workdir).start()
    queue = Queue(os.path.join(workdir, "qmail"))
    for number in range(20):
        queue.add(number, remote=True)
    # A short event log fills within the warm-up: what grows after it is
    # no bounded table filling up.
    base = (f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 1\ntimeout 0.5\nevent_holdoff 0\n"
            f"event_log_size 10\n"
            f"memcached sessions 127.0.0.1:{memcached.port}\nqmail mail {queue.qmail_dir}\n")
    def config(reloads):
        return base + f"memcached spare 127.0.0.1:{spare.port} timeout={0.4 if reloads % 2 else 0.5}\n"
    agent = (AgentInSnmpd(workdir, snmpd, config(0)) if mode == "snmpd" else Agent(workdir, config(0))).start()
    # snmpd (net-snmp 5.9.3) opens one more socket for its trap2sink at
    # every SIGHUP and never closes the old one, and keeps 4 to 15 KiB more
    # each time, module or not: a snmpd without the module, with the same
    # sink and the same SIGHUPs, counts them, and they are not held against
    # the agent.
    control = None
    if mode == "snmpd":
        os.makedirs(os.path.join(workdir, "control"))
        control = Snmpd(os.path.join(workdir, "control"),
                        extra_conf=sink_conf(receiver)).start()
        control_start = control_state(control)
    def snmpds_own(field):
        return control_state(control)[field] - control_start[field] if control else 0
    load = Load(snmpd.port)
    try:
        wait_for(lambda: serves(snmpd.port), 15, "snmpd serving the agent's objects")
        load.start()
        samples, start, reloads = [], time.monotonic(), 0
        next_restart, next_reload = RESTART_EVERY, RELOAD_EVERY
        while (elapsed := time.monotonic() - start) < seconds:
            memory = memory_kib(agent.proc.pid)
            samples.append((elapsed, memory["Rss"] - snmpds_own("Rss"), memory["Uss"] - snmpds_own("Uss"),
                            agent.open_fds() - snmpds_own("fds"), memory_kib(snmpd.proc.pid)["Rss"]))
            if elapsed >= next_restart:
                next_restart += RESTART_EVERY
                memcached.stop()
                time.sleep(1.5)  # long enough for a poll to find it down
                memcached = Memcached(workdir, port=memcached.port).start()
            if elapsed >= next_reload:
                next_reload += RELOAD_EVERY
                reloads += 1
                agent.write_config(config(reloads))
                agent.reload()
                if control:
                    control.proc.send_signal(signal.SIGHUP)
            time.sleep(1)
        load.stopping.set()
        load.join(60)
        tenth = max(1, len(samples) // 10)
        first = samples[tenth:2 * tenth]  # after a warm-up tenth
        last = samples[-tenth:]
        errors = [line for line in agent.log().splitlines() if " error [" in line]
        return first, last, load.requests, errors, len(receiver.lines()), samples
    finally:
        load.stopping.set()
        for component in (agent, spare, memcached, snmpd, receiver, control):
            if component:
                component.stop()


def summary(first, last):
    """(RSS, USS, fds) growth from the first tenth to the last, as shares."""
    def mean(rows, i):
        return statistics.mean(r[i] for r in rows)
    return tuple(mean(last, i) / mean(first, i) - 1 for i in (1, 2, 3))


def report(mode, minutes, workdir):
    first, last, requests, errors, traps, samples = soak(workdir, minutes * 60, mode)
    growth = summary(first, last)
    step = max(1, len(samples) // 20)
    who = "snmpd with mwagentx loaded (less a bare snmpd's SIGHUP growth)" if mode == "snmpd" else "mwagentx"
    print(f"{mode}: {who}'s RSS KiB over the run: " + " ".join(str(s[1]) for s in samples[::step]))
    print(f"{mode}: {minutes:g} min, {requests} SNMP requests through snmpd, {traps} notifications received")
    for i, (name, value) in enumerate(zip(("RSS", "USS", "fds"), growth), start=1):
        unit, scale = ("MiB", 1024) if name != "fds" else ("", 1)
        print(f"{mode}: {name}: first tenth {statistics.mean(r[i] for r in first) / scale:.2f} {unit}, "
              f"last {statistics.mean(r[i] for r in last) / scale:.2f} {unit} ({value:+.1%})")
    if mode == "agentx":
        master = statistics.mean(r[4] for r in last) / statistics.mean(r[4] for r in first) - 1
        print(f"{mode}: snmpd (the master) RSS: first tenth {statistics.mean(r[4] for r in first) / 1024:.2f} MiB, "
              f"last {statistics.mean(r[4] for r in last) / 1024:.2f} MiB ({master:+.1%})")
    print(f"{mode}: errors in the agent's log: {len(errors)}")
    for line in errors[:10]:
        print("  " + line)
    ok = all(g <= GROWTH_LIMIT for g in growth) and not errors and traps > 0
    print(f"{mode}: " + ("flat" if ok else "NOT flat"))
    return ok


def main():
    args = bench_env.options(__doc__, minutes=30.0, mode="both")
    results = []
    for mode in (("agentx", "snmpd") if args.mode == "both" else (args.mode,)):
        workdir = tempfile.mkdtemp(prefix=f"mwx-soak-{mode}-")
        os.chmod(workdir, 0o755)
        results.append(report(mode, args.minutes, workdir))
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
