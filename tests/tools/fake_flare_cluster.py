#!/usr/bin/python3
"""Runs the tests' fake Flare cluster (an index server and three nodes that
answer like Flare 1.3.4) until killed, for scripts/demo.sh. Prints the
index server's port on its first line."""
import os
import signal
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from fake_flare import FlareIndex, FlareNode, fixture, with_ports  # noqa: E402

SLAVE_THREADS = "1.3.4/flared_slave_stats_threads.txt"
nodes = {11211: FlareNode(curr_items=11), 11212: FlareNode(threads=SLAVE_THREADS, curr_items=12),
         11213: FlareNode(threads=SLAVE_THREADS, curr_items=0)}
index = FlareIndex(with_ports(fixture("1.3.4/flarei_stats_nodes.txt"), {p: n.port for p, n in nodes.items()}))
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
print(index.port, flush=True)
signal.sigwait({signal.SIGTERM, signal.SIGINT})
