#!/usr/bin/env python3
"""Walk throughput through a private snmpd, side by side in one run:

  * snmpbulkwalk of mwxMIB, served by mwagentx over AgentX, with enough
    memcached instances configured to serve a few thousand varbinds;
  * snmpbulkwalk of a native snmpd table of similar size
    (HOST-RESOURCES-MIB::hrSWInstalledTable, one row per installed package).

Reports varbinds/s of both and their ratio, mwagentx's CPU per served
varbind and its RSS; then the CPU of one 'stats' poll as an snmpd `extend`
script does it (Perl, a fork per poll) next to mwagentx's own poll.

Usage: bench/walk_bench.py [--instances N] [--rounds R]   (after scripts/build.sh)
Needs the packages of scripts/deps.sh. Figures vary with the machine: read
the ratios, which compare things measured in the same run.
"""
import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time

from bench_env import ROOT  # noqa: E402  (paths and defaults, before the harness)

from harness import Agent, Memcached, Snmpd, wait_for  # noqa: E402

MWX_MIB = ".1.3.6.1.4.1.8072.9999.1"
NATIVE_TABLE = ".1.3.6.1.2.1.25.6.3"  # hrSWInstalledTable
TICKS = os.sysconf("SC_CLK_TCK")

EXTEND_SCRIPT = r'''
use IO::Socket::INET;
my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $ARGV[0], Proto => "tcp") or die;
print $s "stats\r\n";
my %stat;
while (my $line = <$s>) { last if $line =~ /^END/; $stat{$1} = $2 if $line =~ /^STAT (\S+) (\S+)/; }
print join("\n", map { "$_=$stat{$_}" } sort keys %stat), "\n";
'''


def cpu_seconds(pid):
    """CPU time of all the process's threads, in nanoseconds' precision
    (schedstat), not clock ticks of 10 ms."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except FileNotFoundError:
            pass  # a thread that ended meanwhile
    return total / 1e9


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def extend_poll_ms(port, runs=20):
    """CPU of one poll the extend way: a Perl process per poll, its fork and
    exec included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for _ in range(runs):
        subprocess.run(["perl", "-e", EXTEND_SCRIPT, str(port)], check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) / runs * 1e3


def mwagentx_poll_us(port, polls=1000):
    """CPU of one full poll of one memcached instance by mwagentx, in
    process (bench_poll_cost): the commands, parsing, the snapshot part."""
    out = subprocess.run([os.path.join(ROOT, "build", "bench_poll_cost"), f"127.0.0.1:{port}", str(polls)],
                         capture_output=True, text=True, check=True).stdout
    return float(out.split("CPU per poll (mwagentx, in process): ")[1].split(" us")[0])


def bulkwalk(port, oid):
    start = time.monotonic()
    out = subprocess.run(["snmpbulkwalk", "-v2c", "-c", "public", "-On", "-Oq", "-Cr50", "-t", "10",
                          f"127.0.0.1:{port}", oid], capture_output=True, text=True, check=True).stdout
    return len(out.splitlines()), time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mwx-bench-") as work:
        snmpd = Snmpd(work).start()
        memcached = Memcached(work).start()
        agent = None
        try:
            memcached.traffic(sets=300, gets=300)
            lines = "".join(f"memcached m{i:03d} 127.0.0.1:{memcached.port}\n" for i in range(args.instances))
            agent = Agent(work, f"agentx_socket {snmpd.socket_path}\ninterval 600\ntimeout 2\n{lines}").start()
            wait_for(lambda: bulkwalk(snmpd.port, MWX_MIB)[0] > 100 * args.instances, 20, "all instances up")
            bulkwalk(snmpd.port, NATIVE_TABLE)  # warm snmpd's package cache

            rates = {"mwagentx": [], "native": []}
            counts = {}
            agent_cpu = snmpd_cpu_mwx = snmpd_cpu_native = 0.0
            for _ in range(args.rounds):
                for name, oid in (("native", NATIVE_TABLE), ("mwagentx", MWX_MIB)):
                    a0, s0 = cpu_seconds(agent.proc.pid), cpu_seconds(snmpd.proc.pid)
                    n, seconds = bulkwalk(snmpd.port, oid)
                    a1, s1 = cpu_seconds(agent.proc.pid), cpu_seconds(snmpd.proc.pid)
                    counts[name] = n
                    rates[name].append(n / seconds)
                    if name == "mwagentx":
                        agent_cpu += a1 - a0
                        snmpd_cpu_mwx += s1 - s0
                    else:
                        snmpd_cpu_native += s1 - s0
            mwx_rate, native_rate = statistics.median(rates["mwagentx"]), statistics.median(rates["native"])
            served = counts["mwagentx"] * args.rounds
            print(f"walk of mwxMIB ({args.instances} memcached instances): {counts['mwagentx']} varbinds, "
                  f"median {mwx_rate:,.0f} varbinds/s")
            print(f"walk of native hrSWInstalledTable:          {counts['native']} varbinds, "
                  f"median {native_rate:,.0f} varbinds/s")
            print(f"ratio native / mwagentx: {native_rate / mwx_rate:.1f}x")
            print(f"mwagentx CPU per served varbind: {agent_cpu / served * 1e6:.1f} us "
                  f"(snmpd's own share for the same walk: {snmpd_cpu_mwx / served * 1e6:.1f} us; "
                  f"snmpd per native varbind: {snmpd_cpu_native / (counts['native'] * args.rounds) * 1e6:.1f} us)")
            print(f"mwagentx RSS: {rss_kib(agent.proc.pid) / 1024:.1f} MiB")

            extend_ms = extend_poll_ms(memcached.port)
            poll_us = mwagentx_poll_us(memcached.port)
            print(f"one poll as an extend script (perl, 'stats' only): {extend_ms:.2f} ms CPU")
            print(f"one poll by mwagentx (stats, settings, items, slabs, snapshot built): {poll_us:.0f} us CPU "
                  f"-> {extend_ms * 1000 / poll_us:.0f}x less")
        finally:
            if agent:
                agent.stop()
            memcached.stop()
            snmpd.stop()


if __name__ == "__main__":
    main()
