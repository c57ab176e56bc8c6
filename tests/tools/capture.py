#!/usr/bin/env python3
"""Captures a backend's replies verbatim as test fixtures.

Usage: capture.py memcached|gearmand HOST PORT OUTDIR
memcached: OUTDIR/{stats,stats_settings,stats_items,stats_slabs,stats_conns}.txt
gearmand:  OUTDIR/{status,prioritystatus,workers,version,getpid}.txt
Bytes are written as the server sent them, line endings included.
"""
import os
import socket
import sys

# command, the line ending it is sent with, and the endings that close its reply
PROTOCOLS = {
    "memcached": [(c, b"\r\n", (b"END\r\n", b"ERROR\r\n"))
                  for c in ("stats", "stats settings", "stats items", "stats slabs", "stats conns")],
    "gearmand": [(c, b"\n", (b"\n.\n", b"\r\n")) for c in ("status", "prioritystatus", "workers")]
                + [(c, b"\n", (b"\n",)) for c in ("version", "getpid")],
}


def ask(sock, command, eol, endings):
    sock.sendall(command.encode() + eol)
    reply = b""
    while not (reply.endswith(endings) or reply == b".\n"):
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed during " + command)
        reply += chunk
    return reply


def main():
    protocol, host, port, outdir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    os.makedirs(outdir, exist_ok=True)
    with socket.create_connection((host, port), timeout=5) as sock:
        for command, eol, endings in PROTOCOLS[protocol]:
            with open(os.path.join(outdir, command.replace(" ", "_") + ".txt"), "wb") as out:
                out.write(ask(sock, command, eol, endings))


if __name__ == "__main__":
    main()
