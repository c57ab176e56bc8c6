#!/usr/bin/env python3
"""Instructions per walked varbind, which machine load does not change:
the agent under valgrind's callgrind serving a 10,000-real-server LVS
procfs tree (one walk of a 10,000-row column) and a 100-row tree (100
walks of its 100-row column), through a private snmpd. Reports the whole
agent's instructions per varbind (minus a run that only starts and polls)
and those of our handler (handle_request, inclusive: the lookup and the
value), so that the lookup's growth with the table shows alone.

Usage: bench/lvs_callgrind.py   (after scripts/build.sh; takes a few minutes)
"""
import os
import re
import signal
import subprocess
import tempfile

import bench_env  # noqa: E402,F401  (paths and defaults, before the harness)

from harness import AGENT, Snmpd, wait_for  # noqa: E402
from lvs_walk import REAL_SERVER_TABLE, status_up, write_procfs  # noqa: E402

FORWARD_METHOD_COLUMN = REAL_SERVER_TABLE + ".1.4"


def walk(port, oid):
    out = subprocess.run(["snmpbulkwalk", "-v2c", "-c", "public", "-On", "-Oq", "-Cr50", "-t", "30",
                          f"127.0.0.1:{port}", oid], capture_output=True, text=True, check=True).stdout
    return len(out.splitlines())


def instructions(path, function=None):
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if (function is None and "PROGRAM TOTALS" in line) or (function and function in line):
            return int(re.match(r"\s*([\d,]+)", line)[1].replace(",", ""))
    raise SystemExit(f"{function or 'PROGRAM TOTALS'}: not in the callgrind output of {path}")


def run(snmpd, work, name, procfs, walks):
    conf = os.path.join(work, f"{name}-{walks}.conf")
    with open(conf, "w") as f:
        f.write(f"agentx_socket {snmpd.socket_path}\ninterval 600\ntimeout 50\nlvs x source=procfs procfs={procfs}\n")
    out = os.path.join(work, f"callgrind.{name}.{walks}")
    agent = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", AGENT, "-f", "-c", conf],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: status_up(snmpd.port), 180, f"{name}: the agent under valgrind up")
        varbinds = sum(walk(snmpd.port, FORWARD_METHOD_COLUMN) for _ in range(walks))
    finally:
        agent.send_signal(signal.SIGTERM)
        agent.wait()
    return varbinds, instructions(out), instructions(out, "snmp_handler.cpp:mwx::(anonymous namespace)::handle_request")


def main():
    with tempfile.TemporaryDirectory(prefix="mwx-lvs-cg-") as work:
        trees = {"10,000 rows": (write_procfs(os.path.join(work, "big"), 500, 20), 1),
                 "100 rows": (write_procfs(os.path.join(work, "small"), 10, 10), 100)}
        snmpd = Snmpd(work).start()
        try:
            handler = {}
            for label, (procfs, walks) in trees.items():
                _, baseline, _ = run(snmpd, work, label[:3], procfs, 0)
                varbinds, total, in_handler = run(snmpd, work, label[:3], procfs, walks)
                handler[label] = in_handler / varbinds
                print(f"{label}: {varbinds} varbinds in {walks} walk(s): agent {(total - baseline) / varbinds:,.0f} "
                      f"instructions per varbind, of which our handler {in_handler / varbinds:,.0f}")
            print(f"handler instructions per varbind, 10,000 rows / 100 rows: "
                  f"{handler['10,000 rows'] / handler['100 rows']:.2f}")
        finally:
            snmpd.stop()


if __name__ == "__main__":
    main()
