#!/usr/bin/python3
"""Seeds for fuzz_lvs_netlink: a service, a destination, an info, a
config (the timeouts a real 6.1 kernel sent, 900 120 300) and a sync
daemon message's attributes laid out as the kernel does (linux/ip_vs.h numbers),
each prefixed with the byte that tells the target which message it is."""
import os
import struct
import sys


def attr(kind, payload):
    data = struct.pack("<HH", 4 + len(payload), kind) + payload
    return data + b"\0" * (-len(data) % 4)


def nested(kind, *attrs):
    return attr(kind | 0x8000, b"".join(attrs))


def stats64(kind):
    return nested(kind, *(attr(a, struct.pack("<Q", 1000 * a)) for a in range(1, 11)))


def stats32(kind):
    return nested(kind, *(attr(a, struct.pack("<Q" if a in (4, 5) else "<I", a)) for a in range(1, 11)))


service = nested(1, attr(1, struct.pack("<H", 2)), attr(2, struct.pack("<H", 6)),
                 attr(3, bytes([10, 0, 0, 1]) + bytes(12)), attr(4, struct.pack(">H", 80)), attr(6, b"wlc\0"),
                 attr(7, struct.pack("<II", 1, 0xffffffff)), attr(8, struct.pack("<I", 300)),
                 attr(9, struct.pack(">I", 0xffffff00)), stats32(10), stats64(12))
dest = nested(2, attr(1, bytes([10, 0, 0, 2]) + bytes(12)), attr(11, struct.pack("<H", 2)),
              attr(2, struct.pack(">H", 8080)), attr(3, struct.pack("<I", 3)), attr(4, struct.pack("<I", 5)),
              attr(5, struct.pack("<I", 0)), attr(6, struct.pack("<I", 0)), attr(7, struct.pack("<I", 12)),
              attr(8, struct.pack("<I", 34)), attr(9, struct.pack("<I", 1)), stats64(12))
info = attr(1, struct.pack("<I", 0x010201)) + attr(2, struct.pack("<I", 4096))
config = attr(4, struct.pack("<I", 900)) + attr(5, struct.pack("<I", 120)) + attr(6, struct.pack("<I", 300))
daemon = nested(3, attr(1, struct.pack("<I", 1)), attr(2, b"eth0\0"), attr(3, struct.pack("<I", 7)),
                attr(4, struct.pack("<H", 1472)))

out = sys.argv[1]
for name, which, payload in (("service", 0, service), ("dest", 1, dest), ("info", 2, info), ("config", 3, config),
                             ("daemon", 4, daemon)):
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([which]) + payload)
