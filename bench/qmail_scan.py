#!/usr/bin/python3
"""qmail: counting a 100,000-message queue, mwagentx's scan against the
`extend qmail /var/qmail/bin/qmail-qstat` it replaces, side by side.

Builds a queue the way qmail lays it out (tests/integration/qmail_queue.py)
on the root filesystem, then reports for each: wall time and CPU (the
scan in process; qmail-qstat as a child shell with find and wc), cold
(page cache dropped, as root) and warm, and the system calls (strace -c).
mwagentx's first scan of a queue stat()s every mess/ and todo/ file for
the ages; later scans (every poll after) stat only files that are new. Run after scripts/build.sh:
    bench/qmail_scan.py [--messages 100000] [--dir /var/tmp/mwx-qmail-bench]
"""
import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
from qmail_queue import Queue  # noqa: E402

BENCH = os.path.join(HERE, "..", "build", "bench_qmail_scan")

# qmail-qstat, as qmail 1.03 installs it: what an `extend` line forks per poll.
QMAIL_QSTAT = """cd "$1/queue"
messdirs=`echo mess/* | wc -w`
messfiles=`find mess/* -print | wc -w`
tododirs=`echo todo | wc -w`
todofiles=`find todo -print | wc -w`
echo messages in queue: `expr $messfiles - $messdirs`
echo messages in queue but not yet preprocessed: `expr $todofiles - $tododirs`
"""


def build_queue(path, messages):
    if os.path.exists(os.path.join(path, "queue", "mess", "0")):
        queue = Queue(path)
        if queue.count("mess") == messages:
            return queue
    shutil.rmtree(path, ignore_errors=True)
    queue = Queue(path)
    started = time.monotonic()
    for n in range(messages):
        # Most messages wait for remote delivery, as in a backed-up queue.
        queue.add(n, local=n % 5 == 0, remote=n % 5 != 0, preprocessed=n % 50 != 0)
        if n % 200 == 0:
            queue.bounce(n)
    print(f"built {messages} messages in {time.monotonic() - started:.0f} s under {path}")
    return queue


def drop_caches():
    if os.geteuid() != 0:
        return False
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")
    return True


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def qmail_qstat(path):
    cpu, wall = children_cpu(), time.monotonic()
    out = subprocess.run(["sh", "-c", QMAIL_QSTAT, "qmail-qstat", path], capture_output=True, text=True,
                         check=True).stdout
    return (time.monotonic() - wall) * 1e3, (children_cpu() - cpu) * 1e3, out.strip().replace("\n", " / ")


def mwagentx_scans(path):
    """The first scan (no memory) and the second (as every later poll)."""
    out = subprocess.run([BENCH, path, "2"], capture_output=True, text=True, check=True).stdout
    rounds = re.findall(r"wall ([\d.]+) ms, cpu ([\d.]+) ms; (.*)", out)
    return [(float(wall), float(cpu), counts) for wall, cpu, counts in rounds]


def syscall_counts(argv):
    """Calls per system call name over the whole run of argv (strace -c)."""
    out = subprocess.run(["strace", "-f", "-c", "-o", "/dev/stdout"] + argv, capture_output=True, text=True,
                         check=True).stdout
    calls = {}
    for line in out.splitlines():
        fields = line.split()
        # % time, seconds, usecs/call, calls, [errors,] syscall
        if len(fields) >= 5 and re.fullmatch(r"[\d.]+", fields[0]) and fields[-1] != "total":
            calls[fields[-1]] = int(fields[3])
    return calls


def describe_calls(calls):
    top = ", ".join(f"{name} {n}" for name, n in sorted(calls.items(), key=lambda kv: -kv[1])[:4])
    return f"{sum(calls.values())} ({top})"


def syscalls(path):
    if shutil.which("strace") is None:
        return ["strace is not installed (apt-get install strace)"]
    one, two = syscall_counts([BENCH, path, "1"]), syscall_counts([BENCH, path, "2"])
    second = {name: two.get(name, 0) - one.get(name, 0) for name in two}
    second = {name: n for name, n in second.items() if n > 0}
    qstat = syscall_counts(["sh", "-c", QMAIL_QSTAT, "qmail-qstat", path])
    return [f"mwagentx first scan (process start included): {describe_calls(one)}",
            f"mwagentx every later scan: {describe_calls(second)}",
            f"qmail-qstat (sh, find, wc, expr): {describe_calls(qstat)}"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--dir", default="/var/tmp/mwx-qmail-bench")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    build_queue(args.dir, args.messages)

    for cache in ("cold", "warm"):
        if cache == "cold" and os.geteuid() != 0:
            print("cold: skipped, dropping the page cache needs root")
            continue
        for round_ in range(args.rounds):
            if cache == "cold":
                drop_caches()
            first, later = mwagentx_scans(args.dir)
            if cache == "cold":
                drop_caches()
            theirs = qmail_qstat(args.dir)
            print(f"{cache} #{round_}: mwagentx first scan wall {first[0]:.1f} ms cpu {first[1]:.1f} ms, "
                  f"later scans wall {later[0]:.1f} ms cpu {later[1]:.1f} ms | qmail-qstat (extend) wall "
                  f"{theirs[0]:.1f} ms cpu {theirs[1]:.1f} ms | CPU qmail-qstat / mwagentx later scan "
                  f"{theirs[1] / max(later[1], 0.001):.2f}")
    print(f"mwagentx counts: {later[2]}")
    print(f"qmail-qstat says: {theirs[2]}")
    print("system calls (warm cache):")
    for line in syscalls(args.dir):
        print(f"  {line}")


if __name__ == "__main__":
    main()
