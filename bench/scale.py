#!/usr/bin/env python3
"""A thousand memcached-protocol instances in one agent, through a private
snmpd: real memcached processes (-m 1 -t 1) for some, and for the rest one
process listening on many ports that replays verbatim 'stats' captures
(handlers/memcached/fixtures/1.6.18); optionally a share of the replayed
endpoints dead (nothing listens) or hanging (accepts, never answers).

Reports, over the measured intervals:
  * how the poll starts fall over the interval (from the servers' accept
    times: the busiest 100 ms, and a 10-bucket histogram);
  * whether any instance was polled twice in one interval (the smallest gap
    between two polls of one endpoint, over the interval), and the largest
    LastPollAge the agent served (walked every second), against
    interval + timeout;
  * the agent's CPU share, RSS, and the most file descriptors it held.

Usage: bench/scale.py [--instances 1000] [--real 100] [--interval 10]
                      [--timeout 2] [--intervals 4] [--faulty 0.25]
(after scripts/build.sh). Read the figures against each other; the machine
is shared.
"""
import argparse
import collections
import os
import resource
import selectors
import socket
import subprocess
import tempfile
import threading
import time

import bench_env  # noqa: E402,F401  (paths and defaults, before the harness)

from canned_server import fixture_replies  # noqa: E402
from harness import Agent, Memcached, Snmpd, wait_for  # noqa: E402
from walk_bench import cpu_seconds, extend_poll_ms, mwagentx_poll_us  # noqa: E402

LAST_POLL_AGE = ".1.3.6.1.4.1.8072.9999.1.1.2.1.1.4"  # mwxMemcachedLastPollAge
STATUS = ".1.3.6.1.4.1.8072.9999.1.1.2.1.1.3"         # mwxMemcachedStatus
SINGLE_INTERVAL = 0.2  # s: the single-instance agent's (timeout 0.1 s), for enough polls in the window


class Replayer:
    """One thread, many listening ports: each connection gets the captured
    reply to each command line; 'hang' ports accept and never answer. Every
    accept is timed, per port."""

    def __init__(self, ports, hanging):
        self.replies = fixture_replies("memcached/1.6.18")
        self.accepts = collections.defaultdict(list)  # port -> [monotonic time]
        self.selector = selectors.DefaultSelector()
        self.listeners = []
        for port, hang in zip(ports, hanging):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
            s.listen(64)
            s.setblocking(False)
            self.selector.register(s, selectors.EVENT_READ, ("listen", port, hang))
            self.listeners.append(s)
        self.stopping = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        buffers = {}
        while not self.stopping:
            for key, _ in self.selector.select(0.2):
                kind, port, hang = key.data
                if kind == "listen":
                    try:
                        conn, _ = key.fileobj.accept()
                    except BlockingIOError:
                        continue
                    self.accepts[port].append(time.monotonic())
                    conn.setblocking(False)
                    buffers[conn] = b""
                    self.selector.register(conn, selectors.EVENT_READ, ("conn", port, hang))
                    continue
                conn = key.fileobj
                try:
                    data = conn.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    self.selector.unregister(conn)
                    buffers.pop(conn, None)
                    conn.close()
                    continue
                if hang:
                    continue
                buffers[conn] += data
                while b"\n" in buffers[conn]:
                    line, buffers[conn] = buffers[conn].split(b"\n", 1)
                    conn.sendall(self.replies.get(line.rstrip(b"\r"), b"ERROR\r\n"))

    def close(self):
        self.stopping = True
        self.thread.join(2)


def free_ports(count):
    """Ports the kernel hands out, held until all are known, then released."""
    held = []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        held.append(s)
    ports = [s.getsockname()[1] for s in held]
    for s in held:
        s.close()
    return ports


def walk_numbers(port, oid):
    out = subprocess.run(["snmpbulkwalk", "-v2c", "-c", "public", "-On", "-Oqv", "-Cr50", f"127.0.0.1:{port}", oid],
                         capture_output=True, text=True, timeout=60).stdout
    return [int(v) for v in out.split() if v.isdigit()]


def print_poll_cost(farm_us, single_us, port):
    """The farm's CPU per poll against a single instance's, measured in the
    same window, and against the poll alone and the extend script, measured
    now on the same endpoint."""
    alone_us = mwagentx_poll_us(port)
    extend_ms = extend_poll_ms(port)
    print(f"CPU per poll, no SNMP requests: in the farm {farm_us:.0f} us, in an agent of a single instance "
          f"{single_us:.0f} us -> {farm_us / single_us:.2f}x (the poll alone, in process: {alone_us:.0f} us)")
    print(f"one poll as an extend script (perl, 'stats' only): {extend_ms:.2f} ms CPU "
          f"-> the farm's poll {extend_ms * 1000 / farm_us:.0f}x less")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=1000)
    parser.add_argument("--real", type=int, default=100, help="real memcached processes among the instances")
    parser.add_argument("--interval", type=float, default=10)
    parser.add_argument("--timeout", type=float, default=2)
    parser.add_argument("--intervals", type=int, default=4, help="intervals measured, after one of warm-up")
    parser.add_argument("--faulty", type=float, default=0.0, help="share of all instances dead or hanging")
    args = parser.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # a socket per replayed endpoint, and their clients
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    workdir = tempfile.mkdtemp(prefix="mwx-scale-")
    os.chmod(workdir, 0o755)
    started = []
    replayer = None
    try:
        snmpd = Snmpd(workdir).start()
        started.append(snmpd)
        # -m 1 needs items of at most half a megabyte.
        real = [Memcached(workdir, memory_mb=1, extra_args=("-t", "1", "-I", "512k")).start() for _ in range(args.real)]
        started += real
        replayed = args.instances - args.real
        faulty = int(args.instances * args.faulty)
        dead, hanging = faulty // 2, faulty - faulty // 2
        ports = free_ports(replayed)
        listening = ports[dead:]  # the first `dead` ports: nothing listens
        replayer = Replayer(listening, [i < hanging for i in range(len(listening))])
        endpoints = [m.port for m in real] + ports
        lines = "".join(f"memcached m{i} 127.0.0.1:{port}\n" for i, port in enumerate(endpoints))
        agent = Agent(workdir, f"agentx_socket {snmpd.socket_path}\ninterval {args.interval}\n"
                               f"timeout {args.timeout}\nlog_level warn\n" + lines).start()
        started.append(agent)
        healthy = args.instances - faulty
        wait_for(lambda: walk_numbers(snmpd.port, STATUS).count(1) >= healthy, 3 * args.interval + 30,
                 f"{healthy} instances up")
        time.sleep(args.interval)  # warm-up: one more interval

        # A poll's CPU: a window of polls only, no SNMP requests, beside an
        # agent with a single instance.
        single_dir = tempfile.mkdtemp(prefix="single-", dir=workdir)
        single_snmpd = Snmpd(single_dir).start()
        started.append(single_snmpd)
        single = Agent(single_dir, f"agentx_socket {single_snmpd.socket_path}\nlog_level warn\n"
                                   f"interval {SINGLE_INTERVAL}\ntimeout 0.1\n"
                                   f"memcached single 127.0.0.1:{ports[-1]}\n").start()
        started.append(single)
        time.sleep(2)
        quiet_start = time.monotonic()
        quiet_cpu_start, single_cpu_start = cpu_seconds(agent.proc.pid), cpu_seconds(single.proc.pid)
        time.sleep(args.intervals * args.interval)
        quiet_cpu = cpu_seconds(agent.proc.pid) - quiet_cpu_start
        single_cpu = cpu_seconds(single.proc.pid) - single_cpu_start
        quiet = time.monotonic() - quiet_start
        polls = args.instances * quiet / args.interval
        single_poll_us = single_cpu / (quiet / SINGLE_INTERVAL) * 1e6
        single.stop()

        start = time.monotonic()
        cpu_start = cpu_seconds(agent.proc.pid)
        max_age, max_fds, samples = 0, 0, 0
        while time.monotonic() - start < args.intervals * args.interval:
            ages = walk_numbers(snmpd.port, LAST_POLL_AGE)
            max_age = max([max_age] + ages)
            max_fds = max(max_fds, agent.open_fds())
            samples += 1
            time.sleep(1)
        wall = time.monotonic() - start
        cpu = cpu_seconds(agent.proc.pid) - cpu_start
        with open(f"/proc/{agent.proc.pid}/status") as f:
            rss_kb = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))

        # Poll starts in the measured window, as the replayed servers saw them.
        starts = [t for times in replayer.accepts.values() for t in times if start <= t < start + wall]
        gaps = [b - a for times in replayer.accepts.values() for a, b in zip(times, times[1:])
                if a >= start - args.interval]
        buckets = collections.Counter(int(((t - start) % args.interval) / args.interval * 10) for t in starts)
        per_100ms = collections.Counter(int((t - start) * 10) for t in starts)
        print(f"{args.instances} instances ({args.real} real memcached, {replayed} replayed, {dead} dead, "
              f"{hanging} hanging), interval {args.interval:g} s, timeout {args.timeout:g} s, "
              f"{args.intervals} intervals measured")
        print(f"poll starts seen by the replayed servers: {len(starts)} "
              f"({len(starts) / max(1, replayed - dead) / (wall / args.interval):.2f} per endpoint per interval)")
        print("  by tenth of the interval: " + " ".join(str(buckets.get(i, 0)) for i in range(10)))
        print(f"  busiest 100 ms: {max(per_100ms.values()) if per_100ms else 0} starts "
              f"(even spread: {len(starts) / (wall * 10):.1f})")
        print(f"  smallest gap between two polls of one endpoint: {min(gaps):.2f} s (interval {args.interval:g})")
        print(f"largest LastPollAge served (walked {samples} times): {max_age} s "
              f"(interval + timeout: {args.interval + args.timeout:g})")
        print(f"agent CPU: {cpu / wall * 100:.1f}% of a core while walked every second; RSS {rss_kb / 1024:.1f} MiB; "
              f"most fds open: {max_fds}")
        print_poll_cost(quiet_cpu / polls * 1e6, single_poll_us, ports[-1])
    finally:
        if replayer:
            replayer.close()
        for component in reversed(started):
            component.stop()


if __name__ == "__main__":
    main()
