#!/usr/bin/env python3
"""SNMP answer latency while a backend misbehaves, side by side in one run.

mwagentx polls a real memcached ("good") and a backend that misbehaves on
command ("bad", tests/integration/faulty_backend.py). For each fault, one
client session sends 1,000 GETs through snmpd — an OID of "good", served by
mwagentx over AgentX — first with the bad backend healthy, then with the
fault active, and the p50/p99 of both are compared. Handlers read only the
snapshot, so a fault must not move them.

The client is a minimal SNMPv2c GET over one UDP socket (no process per
request, no MIB parsing), so the figures are snmpd + mwagentx, not the
client. The first row, "healthy", is an A/A control: the same procedure
with no fault, i.e. the noise floor of the comparison on this machine.
Usage: bench/fault_latency.py [--requests N] [--rounds R]   (after scripts/build.sh)
"""
import argparse
import socket
import statistics
import tempfile
import time

import bench_env  # noqa: E402,F401  (paths and defaults, before the harness)

from faulty_backend import FaultyBackendProcess  # noqa: E402
from harness import Agent, Memcached, Snmpd, wait_for  # noqa: E402

# "healthy" first: an A/A control, the same procedure with no fault, which
# shows how far p99 moves from noise alone on this machine.
FAULTS = ("healthy", "silent", "drip", "reset", "flood", "garbage", "close", "no_accept")


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


def latencies(port, oid, count):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(5)
    sock.connect(("127.0.0.1", port))
    out = []
    for request_id in range(1, count + 1):
        start = time.perf_counter()
        sock.send(get_request(request_id, oid))
        reply = sock.recv(65536)
        out.append(time.perf_counter() - start)
        if not response_ok(reply, request_id):
            raise RuntimeError(f"bad answer to request {request_id}")
    sock.close()
    return out


def p(values, q):
    return statistics.quantiles(values, n=100)[q - 1] * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="healthy/fault pairs per fault, pooled")
    args = parser.parse_args()
    # mwxMemcachedCurrItems."good": mwxMemcachedEntry.15 . length 4 . "good"
    oid = ".1.3.6.1.4.1.8072.9999.1.1.2.1.1.15.4." + ".".join(str(ord(c)) for c in "good")
    with tempfile.TemporaryDirectory(prefix="mwx-faults-") as work:
        snmpd = Snmpd(work).start()
        memcached = Memcached(work).start()
        backend = FaultyBackendProcess()
        agent = None
        try:
            memcached.traffic(sets=5, gets=0)
            agent = Agent(work, f"agentx_socket {snmpd.socket_path}\ninterval 1\ntimeout 0.5\n"
                                f"memcached good 127.0.0.1:{memcached.port}\n"
                                f"memcached bad 127.0.0.1:{backend.port}\n").start()
            wait_for(lambda: _answers(snmpd.port, oid), 10, "answers")
            latencies(snmpd.port, oid, 200)  # warm-up
            print(f"{args.requests} GETs per loop, one UDP session, {args.rounds} healthy/fault loop pairs "
                  "per fault, pooled; latency in microseconds")
            print(f"{'fault':10} {'p50 ok':>8} {'p50 fault':>10} {'p99 ok':>8} {'p99 fault':>10} {'p99 ratio':>10}")
            for fault in FAULTS:
                healthy, faulty = [], []
                for _ in range(args.rounds):
                    backend.set_mode("healthy")
                    time.sleep(1.5)
                    healthy += latencies(snmpd.port, oid, args.requests)
                    backend.set_mode(fault)
                    time.sleep(1.5)  # at least one poll under the fault
                    faulty += latencies(snmpd.port, oid, args.requests)
                print(f"{fault:10} {p(healthy, 50):8.0f} {p(faulty, 50):10.0f} {p(healthy, 99):8.0f} "
                      f"{p(faulty, 99):10.0f} {p(faulty, 99) / p(healthy, 99):10.2f}")
        finally:
            if agent:
                agent.stop()
            backend.close()
            memcached.stop()
            snmpd.stop()


def _answers(port, oid):
    try:
        return latencies(port, oid, 1) is not None
    except (RuntimeError, OSError):
        return False


if __name__ == "__main__":
    main()
