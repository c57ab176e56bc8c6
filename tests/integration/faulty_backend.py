"""A memcached stand-in that misbehaves on command, for fault injection.

Modes (set at any time with `mode = ...`; each new connection gets the
mode in force when it was accepted):
  healthy    answers every stats command with fixture bytes, verbatim
  silent     accepts and never answers
  drip       answers one byte per second
  reset      sends half a reply, then resets the connection (RST)
  flood      sends 10 MB of STAT lines and never ends the reply
  garbage    sends random bytes, then a line break and END
  close      closes the connection at once
  no_accept  stops accepting; the listen backlog is filled, so new
             connections hang in the handshake
"""
import os
import random
import socket
import struct
import threading
import time

from canned_server import fixture_replies

MODES = ("healthy", "silent", "drip", "reset", "flood", "garbage", "close", "no_accept")
FLOOD_BYTES = 10 * 1024 * 1024


class FaultyBackend:
    def __init__(self, fixture_dir="memcached/1.6.18"):
        self.replies = fixture_replies(fixture_dir)
        self.mode = "healthy"
        self._stopping = threading.Event()
        self._held = []  # connections kept open by silent/drip, and the backlog fillers
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def set_mode(self, mode):
        assert mode in MODES, mode
        if mode == "no_accept":
            self.mode = mode
            time.sleep(0.2)  # let the accept loop notice
            # Fill the backlog (listen(1) holds up to 2 on Linux): later SYNs go unanswered.
            for _ in range(4):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setblocking(False)
                s.connect_ex(("127.0.0.1", self.port))
                self._held.append(s)
        else:
            self._release_held()
            self.mode = mode

    def close(self):
        self._stopping.set()
        self._release_held()
        self._thread.join(2)
        self.listener.close()

    def _release_held(self):
        for s in self._held:
            try:
                s.close()
            except OSError:
                pass
        self._held = []

    def _accept_loop(self):
        while not self._stopping.is_set():
            if self.mode == "no_accept":
                time.sleep(0.05)
                continue
            try:
                conn, _ = self.listener.accept()
            except (socket.timeout, OSError):
                continue
            threading.Thread(target=self._serve, args=(conn, self.mode), daemon=True).start()

    def _serve(self, conn, mode):
        try:
            if mode == "close":
                conn.close()
                return
            f = conn.makefile("rb")
            for line in f:
                command = line.rstrip(b"\r\n")
                reply = self.replies.get(command, b"ERROR\r\n")
                if mode == "healthy":
                    conn.sendall(reply)
                elif mode == "silent":
                    self._held.append(conn)
                    self._stopping.wait()
                    return
                elif mode == "drip":
                    for byte in reply:
                        if self._stopping.wait(1.0):
                            return
                        conn.sendall(bytes([byte]))
                elif mode == "reset":
                    conn.sendall(reply[: len(reply) // 2])
                    time.sleep(0.05)
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    conn.close()
                    return
                elif mode == "flood":
                    chunk = b"".join(b"STAT filler%06d %s\r\n" % (i, b"x" * 100) for i in range(1000))
                    sent = 0
                    while sent < FLOOD_BYTES and not self._stopping.is_set():
                        conn.sendall(chunk)
                        sent += len(chunk)
                    return
                elif mode == "garbage":
                    conn.sendall(bytes(random.getrandbits(8) for _ in range(4096)).replace(b"\n", b" ")
                                 + b"\r\nEND\r\n")
        except OSError:
            pass
        finally:
            if mode not in ("silent",):
                try:
                    conn.close()
                except OSError:
                    pass


class FaultyBackendProcess:
    """The same backend in a process of its own, so that a flood or a drip
    takes no time from the process that measures (bench/fault_latency.py)."""

    def __init__(self, fixture_dir="memcached/1.6.18"):
        import subprocess
        import sys
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), fixture_dir],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())

    def set_mode(self, mode):
        self.proc.stdin.write(mode + "\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == mode

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(10)


def main():
    import sys
    backend = FaultyBackend(sys.argv[1] if len(sys.argv) > 1 else "memcached/1.6.18")
    print(backend.port, flush=True)
    for line in sys.stdin:
        backend.set_mode(line.strip())
        print(line.strip(), flush=True)
    backend.close()


if __name__ == "__main__":
    main()
