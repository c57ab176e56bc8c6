"""A fake Flare cluster for the tests (Flare is not packaged for Debian):
an index server (flarei) and nodes (flared) that answer like the real
1.3.4 captures in handlers/flare/fixtures, byte for byte: 'stats nodes',
'stats', 'stats threads', 'ping', 'version', 'quit', and ERROR to anything
else. Scriptable: the index server's node map can be replaced (which bumps
node_map_version, as Flare does), a node can stop listening (killed) or
stop answering 'stats' (hung)."""
import re
import threading

from canned_server import CannedServer, fixture_path


def fixture(name):
    with open(fixture_path("flare/" + name), "rb") as f:
        return f.read()


def with_ports(node_map, ports):
    """A captured node map with its ports (11211, 11212 ...) replaced by
    the ports the fake nodes listen on: {11211: 40123, ...}."""
    return re.sub(rb":(\d+):", lambda m: b":%d:" % ports.get(int(m[1]), int(m[1])), node_map)


class FlareIndex(CannedServer):
    def __init__(self, node_map):
        self.node_map_lock = threading.Lock()
        self.node_map = node_map
        self.map_version = 7  # as in the capture
        super().__init__({b"stats nodes": self._stats_nodes, b"stats": self._stats,
                          b"stats threads": fixture("1.3.4/flarei_stats_threads.txt"),
                          b"ping": fixture("1.3.4/flarei_ping.txt"),
                          b"version": fixture("1.3.4/flarei_version.txt")})

    def set_node_map(self, node_map):
        with self.node_map_lock:
            self.node_map = node_map
            self.map_version += 1

    def _stats_nodes(self):
        with self.node_map_lock:
            return self.node_map

    def _stats(self):
        with self.node_map_lock:
            version = self.map_version
        return re.sub(rb"STAT node_map_version \d+", b"STAT node_map_version %d" % version,
                      fixture("1.3.4/flarei_stats.txt"))


class FlareNode(CannedServer):
    def __init__(self, threads="1.3.4/flared_master_stats_threads.txt", curr_items=5):
        self.hung = False
        self.curr_items = curr_items
        super().__init__({b"stats": self._stats, b"stats threads": fixture(threads),
                          b"ping": fixture("1.3.4/flarei_ping.txt"), b"version": fixture("1.3.4/flarei_version.txt")})

    def hang(self):
        """Keeps accepting, and gets stuck in 'stats': no answer to it or after it."""
        self.hung = True

    def _stats(self):
        if self.hung:
            return None
        return re.sub(rb"STAT curr_items \d+", b"STAT curr_items %d" % self.curr_items,
                      fixture("1.3.4/flared_stats.txt"))
