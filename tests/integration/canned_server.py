"""A stand-in server for the tests that must count or script what a
line-protocol backend says (memcached's stats, gearmand's admin commands,
Flare): it answers each command line with canned bytes, verbatim, "ERROR"
to any other, closes the connection on "quit", and counts the commands it
received. A reply may be a function returning the bytes, or None to leave
the command unanswered, and every later one on that connection, as a
server stuck in it would (clients send their commands together)."""
import os
import socket
import threading

HANDLERS = os.path.join(os.path.dirname(__file__), "..", "..", "handlers")


def fixture_path(name):
    """A subsystem's fixture by the subsystem and its path there:
    "memcached/1.6.18" is handlers/memcached/fixtures/1.6.18."""
    subsystem, _, rest = name.partition("/")
    return os.path.join(HANDLERS, subsystem, "fixtures", rest)


def fixture_replies(directory):
    def read(name):
        with open(os.path.join(fixture_path(directory), name), "rb") as f:
            return f.read()
    return {b"stats": read("stats.txt"), b"stats settings": read("stats_settings.txt"),
            b"stats items": read("stats_items.txt"), b"stats slabs": read("stats_slabs.txt")}


class CannedServer:
    def __init__(self, replies):
        self.replies = replies
        self.counts = {}
        self.lock = threading.Lock()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def count(self, command=b"stats"):
        with self.lock:
            return self.counts.get(command, 0)

    def close(self):
        """Stops listening: new connections are refused. (shutdown() first:
        close() alone leaves a listener blocked in accept() accepting.)"""
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()

    def _accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        with conn:
            f = conn.makefile("rwb")
            for line in f:
                command = line.rstrip(b"\r\n")
                with self.lock:
                    self.counts[command] = self.counts.get(command, 0) + 1
                if command == b"quit":
                    return
                reply = self.replies.get(command, b"ERROR\r\n")
                if callable(reply):
                    reply = reply()
                if reply is None:
                    for _ in f:  # stuck: the client waits for its timeout
                        pass
                    return
                f.write(reply)
                f.flush()
