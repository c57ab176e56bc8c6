#!/usr/bin/env python3
"""SNMP answer latency while a quarter of the backends misbehave, side by
side in one run.

mwagentx polls eight instances: six of a real memcached ("good0".."good5")
and two backends that misbehave on command (tests/integration/
faulty_backend.py, each in a process of its own). For each fault, in
rounds, one client session sends GETs through snmpd for the good
instances' values (served by mwagentx over AgentX), once with the two
backends healthy and once with both under the fault, in alternating order
(ABBA, so that a drift of the machine falls on both sides). The p99 of the
pooled answers is compared, with a bootstrap 95% interval of the ratio:
handlers read only the snapshot, so a fault must not move them. The first
row, "none", is an A/A control: the same procedure with no fault, which
shows how far p99 moves from noise alone on this machine.

The client is a minimal SNMPv2c GET over one UDP socket (no process per
request, no MIB parsing), so the figures are snmpd + mwagentx, not the
client.
Usage: bench/fault_latency.py [--requests N] [--rounds R]   (after scripts/build.sh)
"""
import argparse
import random
import socket
import statistics
import tempfile
import time

import bench_env  # noqa: E402,F401  (paths and defaults, before the harness)

from faulty_backend import FaultyBackendProcess  # noqa: E402
from harness import Agent, Memcached, Snmpd, wait_for  # noqa: E402

# "none" first: the A/A control.
FAULTS = ("none", "silent", "drip", "reset", "flood", "garbage", "close", "no_accept")
GOOD, FAULTY = 6, 2  # a quarter of the instances misbehave
SETTLE = 1.5  # s: at least one poll (interval 1 s) after a change of mode
BOOTSTRAP = 1000


def ber_length(n):
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag, body):
    return bytes([tag]) + ber_length(len(body)) + body


def ber_int(n):
    return tlv(0x02, n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big", signed=True))


def ber_oid(oid):
    arcs = [int(a) for a in oid.strip(".").split(".")]
    body = bytearray([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.insert(0, 0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(chunk)
    return tlv(0x06, bytes(body))


def get_request(request_id, oid, community=b"public"):
    varbind = tlv(0x30, ber_oid(oid) + b"\x05\x00")
    pdu = tlv(0xA0, ber_int(request_id) + ber_int(0) + ber_int(0) + tlv(0x30, varbind))
    return tlv(0x30, ber_int(1) + tlv(0x04, community) + pdu)


def read_tlv(data, at):
    tag, length = data[at], data[at + 1]
    at += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[at:at + count], "big")
        at += count
    return tag, data[at:at + length], at + length


def response_ok(datagram, request_id):
    _, message, _ = read_tlv(datagram, 0)
    _, _, at = read_tlv(message, 0)       # version
    _, _, at = read_tlv(message, at)      # community
    _, pdu, _ = read_tlv(message, at)
    _, rid, at = read_tlv(pdu, 0)
    _, status, at = read_tlv(pdu, at)
    _, _, at = read_tlv(pdu, at)
    _, varbinds, _ = read_tlv(pdu, at)
    _, varbind, _ = read_tlv(varbinds, 0)
    _, _, at = read_tlv(varbind, 0)
    value_tag = varbind[at]
    # 0x80-0x82: noSuchObject, noSuchInstance, endOfMibView
    return int.from_bytes(rid, "big") == request_id and status == b"\x00" and value_tag not in (0x80, 0x81, 0x82)


def latencies(port, oids, count):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(5)
    sock.connect(("127.0.0.1", port))
    out = []
    for request_id in range(1, count + 1):
        start = time.perf_counter()
        sock.send(get_request(request_id, oids[request_id % len(oids)]))
        reply = sock.recv(65536)
        out.append(time.perf_counter() - start)
        if not response_ok(reply, request_id):
            raise RuntimeError(f"bad answer to request {request_id}")
    sock.close()
    return out


def p99(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def ratio_interval(faulty, healthy, rng):
    """A bootstrap 95% interval of p99(faulty) / p99(healthy)."""
    ratios = sorted(p99(rng.choices(faulty, k=len(faulty))) / p99(rng.choices(healthy, k=len(healthy)))
                    for _ in range(BOOTSTRAP))
    return ratios[int(BOOTSTRAP * 0.025)], ratios[int(BOOTSTRAP * 0.975)]


def measure(fault, backends, port, oids, args):
    """Pooled latencies with the backends healthy and under `fault`, in
    ABBA order over the rounds."""
    pooled = {"healthy": [], fault: []}
    for r in range(args.rounds):
        for mode in (("healthy", fault) if r % 2 == 0 else (fault, "healthy")):
            for backend in backends:
                backend.set_mode("healthy" if mode == "none" else mode)
            time.sleep(SETTLE)
            pooled[mode] += latencies(port, oids, args.requests)
    return pooled["healthy"], pooled[fault]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=8, help="healthy/fault pairs per fault, in ABBA order")
    args = parser.parse_args()
    rng = random.Random(20261205)
    # mwxMemcachedCurrItems of each good instance: mwxMemcachedEntry.15 . length . name
    oids = [".1.3.6.1.4.1.8072.9999.1.1.2.1.1.15." + ".".join(str(b) for b in [len(name)] + list(name.encode()))
            for name in (f"good{i}" for i in range(GOOD))]
    with tempfile.TemporaryDirectory(prefix="mwx-faults-") as work:
        snmpd = Snmpd(work).start()
        memcached = Memcached(work).start()
        backends = [FaultyBackendProcess() for _ in range(FAULTY)]
        agent = None
        try:
            memcached.traffic(sets=5, gets=0)
            lines = "".join(f"memcached good{i} 127.0.0.1:{memcached.port}\n" for i in range(GOOD))
            lines += "".join(f"memcached bad{i} 127.0.0.1:{b.port}\n" for i, b in enumerate(backends))
            agent = Agent(work, f"agentx_socket {snmpd.socket_path}\ninterval 1\ntimeout 0.5\n{lines}").start()
            wait_for(lambda: _answers(snmpd.port, oids), 10, "answers")
            latencies(snmpd.port, oids, 500)  # warm-up
            print(f"{GOOD} good and {FAULTY} misbehaving instances; {args.requests} GETs of the good ones' values "
                  f"per block, one UDP session, {args.rounds} healthy/fault block pairs per fault in ABBA order, "
                  "pooled; latency in microseconds; p99 ratio with its bootstrap 95% interval")
            print(f"{'fault':10} {'p50 ok':>8} {'p50 fault':>10} {'p99 ok':>8} {'p99 fault':>10} {'p99 ratio':>10} "
                  f"{'95% interval':>14}")
            for fault in FAULTS:
                healthy, faulty = measure(fault, backends, snmpd.port, oids, args)
                low, high = ratio_interval(faulty, healthy, rng)
                print(f"{fault:10} {statistics.median(healthy) * 1e6:8.0f} {statistics.median(faulty) * 1e6:10.0f} "
                      f"{p99(healthy) * 1e6:8.0f} {p99(faulty) * 1e6:10.0f} {p99(faulty) / p99(healthy):10.2f} "
                      f"{low:6.2f} - {high:5.2f}")
        finally:
            if agent:
                agent.stop()
            for backend in backends:
                backend.close()
            memcached.stop()
            snmpd.stop()


def _answers(port, oids):
    try:
        return latencies(port, oids, len(oids)) is not None
    except (RuntimeError, OSError):
        return False


if __name__ == "__main__":
    main()
