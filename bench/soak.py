#!/usr/bin/env python3
"""A bounded soak: SNMP requests through snmpd without pause (GET, GETNEXT
and GETBULK mixed, from net-snmp's own clients) while mwagentx polls its
instances every second, memcached is restarted every 20 s and the
configuration is reloaded every minute (one instance's line changes in
turn, so it is dropped and created anew; the served rows stay the same). The agent's RSS and open fds are sampled every second; the last
tenth of the run, after a warm-up tenth, must stay within 5% of the first
tenth, and the agent must log no error the run did not provoke. Stops by
itself.

Usage: bench/soak.py [--minutes 30]   (after scripts/build.sh)
tests/integration/test_soak.py runs a one-minute version in CI.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import bench_env  # noqa: E402,F401  (paths and defaults, before the harness)

from harness import Agent, Memcached, Snmpd, wait_for  # noqa: E402
from qmail_queue import Queue  # noqa: E402

MWX_MIB = ".1.3.6.1.4.1.8072.9999.1"
GROWTH_LIMIT = 0.05
RESTART_EVERY, RELOAD_EVERY = 20, 60


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


class Load(threading.Thread):
    """net-snmp clients in a loop; counts the requests each one made."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.requests, self.stopping = port, 0, threading.Event()

    def run(self):
        target = ["-v2c", "-c", "public", "-On", f"127.0.0.1:{self.port}"]
        while not self.stopping.is_set():
            walked = subprocess.run(["snmpwalk", *target, MWX_MIB], capture_output=True, text=True).stdout
            oids = [line.split(" ", 1)[0] for line in walked.splitlines() if line.startswith(".")]
            self.requests += len(oids) + 1  # a GETNEXT per varbind, and the one past the end
            bulk = subprocess.run(["snmpbulkwalk", "-Cr10", *target, MWX_MIB], capture_output=True, text=True).stdout
            self.requests += bulk.count("\n") // 10 + 1
            for at in range(0, len(oids), 20):
                subprocess.run(["snmpget", *target, *oids[at:at + 20]], capture_output=True)
                self.requests += 1


def soak(workdir, seconds):
    """Runs the soak; returns (first tenth, last tenth) of (seconds, RSS KiB,
    fds), the request count, the agent's error lines and every sample."""
    snmpd = Snmpd(workdir).start()
    memcached = Memcached(workdir).start()
    spare = Memcached(workdir).start()
    queue = Queue(os.path.join(workdir, "qmail"))
    for number in range(20):
        queue.add(number, remote=True)
    base = (f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 1\ntimeout 0.5\n"
            f"memcached sessions 127.0.0.1:{memcached.port}\nqmail mail {queue.qmail_dir}\n")
    def config(reloads):
        return base + f"memcached spare 127.0.0.1:{spare.port} timeout={0.4 if reloads % 2 else 0.5}\n"
    agent = Agent(workdir, config(0)).start()
    load = Load(snmpd.port)
    try:
        wait_for(lambda: "mwxMIB registered" in agent.log(), 10, "the agent registered")
        load.start()
        samples, start, reloads = [], time.monotonic(), 0
        next_restart, next_reload = RESTART_EVERY, RELOAD_EVERY
        while (elapsed := time.monotonic() - start) < seconds:
            samples.append((elapsed, rss_kb(agent.proc.pid), agent.open_fds()))
            if elapsed >= next_restart:
                next_restart += RESTART_EVERY
                memcached.stop()
                memcached = Memcached(workdir, port=memcached.port).start()
            if elapsed >= next_reload:
                next_reload += RELOAD_EVERY
                reloads += 1
                agent.write_config(config(reloads))
                agent.reload()
            time.sleep(1)
        load.stopping.set()
        load.join(60)
        tenth = max(1, len(samples) // 10)
        first = samples[tenth:2 * tenth]  # after a warm-up tenth
        last = samples[-tenth:]
        errors = [line for line in agent.log().splitlines() if " error [" in line]
        return first, last, load.requests, errors, samples
    finally:
        load.stopping.set()
        for component in (agent, spare, memcached, snmpd):
            component.stop()


def summary(first, last):
    """(RSS growth, fds growth) from the first tenth to the last, as shares."""
    def mean(rows, i):
        return statistics.mean(r[i] for r in rows)
    return mean(last, 1) / mean(first, 1) - 1, mean(last, 2) / mean(first, 2) - 1


def main():
    args = bench_env.options(__doc__, minutes=30.0)
    workdir = tempfile.mkdtemp(prefix="mwx-soak-")
    os.chmod(workdir, 0o755)
    first, last, requests, errors, samples = soak(workdir, args.minutes * 60)
    rss, fds = summary(first, last)
    step = max(1, len(samples) // 20)
    print("RSS KiB over the run: " + " ".join(str(s[1]) for s in samples[::step]))
    print(f"{args.minutes:g} min, {requests} SNMP requests through snmpd")
    print(f"RSS: first tenth {statistics.mean(r[1] for r in first) / 1024:.2f} MiB, "
          f"last {statistics.mean(r[1] for r in last) / 1024:.2f} MiB ({rss:+.1%})")
    print(f"fds: first tenth {statistics.mean(r[2] for r in first):.1f}, "
          f"last {statistics.mean(r[2] for r in last):.1f} ({fds:+.1%})")
    print(f"errors in the agent's log: {len(errors)}")
    for line in errors[:10]:
        print("  " + line)
    ok = rss <= GROWTH_LIMIT and fds <= GROWTH_LIMIT and not errors
    print("flat" if ok else "NOT flat")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
