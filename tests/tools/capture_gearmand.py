#!/usr/bin/env python3
"""Captures gearmand's admin replies verbatim as test fixtures.

Usage: capture_gearmand.py HOST PORT OUTDIR
Writes OUTDIR/{status,workers,version}.txt, bytes as the server sent them.
"""
import os
import socket
import sys


def ask(sock, command, single_line=False):
    sock.sendall(command.encode() + b"\n")
    reply = b""
    while not (reply.endswith(b"\n") and (single_line or reply.endswith(b".\n") or reply.startswith(b"ERR"))):
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed during " + command)
        reply += chunk
    return reply


def main():
    host, port, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    with socket.create_connection((host, port), timeout=5) as sock:
        for command, single in (("status", False), ("workers", False), ("version", True)):
            with open(os.path.join(outdir, command + ".txt"), "wb") as out:
                out.write(ask(sock, command, single))


if __name__ == "__main__":
    main()
