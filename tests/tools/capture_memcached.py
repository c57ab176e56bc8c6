#!/usr/bin/env python3
"""Captures memcached's replies verbatim as test fixtures.

Usage: capture_memcached.py HOST PORT OUTDIR
Writes OUTDIR/{stats,stats_settings,stats_items,stats_slabs}.txt, bytes as
the server sent them (line endings included).
"""
import os
import socket
import sys


def ask(sock, command):
    sock.sendall(command.encode() + b"\r\n")
    reply = b""
    while not (reply.endswith(b"END\r\n") or reply.endswith(b"ERROR\r\n")):
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed during " + command)
        reply += chunk
    return reply


def main():
    host, port, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    with socket.create_connection((host, port), timeout=5) as sock:
        for command in ("stats", "stats settings", "stats items", "stats slabs"):
            with open(os.path.join(outdir, command.replace(" ", "_") + ".txt"), "wb") as out:
                out.write(ask(sock, command))


if __name__ == "__main__":
    main()
