"""Every subsystem behind one snmpd, as a manager's test sees a host: real
memcached and gearmand, a qmail queue tree, the Flare fake replaying the
captured cluster, an LVS procfs tree; mwagentx polling them all each second.
The manager tests (Zabbix, Cacti) check their templates against it."""
import os
import shutil
import threading

import snmp
from canned_server import fixture_path
from fake_flare import FlareIndex, FlareNode, fixture, with_ports
from harness import wait_for
from qmail_queue import Queue

UP = "1"
INSTANCES = {"memcached": "sessions", "gearman": "jobs", "qmail": "mail", "flare": "cluster", "lvs": "lb"}
GEARMAN_FUNCTION = "resize"  # gets jobs and never a worker


class Farm:
    def __init__(self, started):
        self.started = started
        self.snmpd = started.snmpd()
        # memcached with extstore, asked for its connections (conns=on):
        # every memcached column and table of the templates has a value.
        extstore = os.path.join(started.workdir, "extstore")
        os.makedirs(extstore)
        os.chmod(extstore, 0o777)  # memcached runs as nobody
        self.memcached = started.memcached(
            extra_args=("-o", f"ext_page_size=8,ext_wbuf_size=2,ext_path={extstore}/file:64m"))
        # gearmand over IPv6, with a worker connected over IPv6: its
        # `workers` reply then lists IPv6 peers, as on a host where
        # localhost resolves to ::1 first.
        self.gearmand = started.gearmand(host="::1")
        for i in range(3):
            self.gearmand.submit_background(GEARMAN_FUNCTION, f"job{i}")
        started.worker(self.gearmand, "reverse", "cat")
        self.queue = Queue(os.path.join(started.workdir, "qmail"))
        for number in range(5):
            self.queue.add(number, remote=True)
        self.queue.add(99, preprocessed=False, age=30)
        self.flare_nodes = [FlareNode(curr_items=11),
                            FlareNode(threads="1.3.4/flared_slave_stats_threads.txt", curr_items=12),
                            FlareNode(threads="1.3.4/flared_slave_stats_threads.txt", curr_items=0)]
        ports = dict(zip((11211, 11212, 11213), (n.port for n in self.flare_nodes)))
        self.flare_index = FlareIndex(with_ports(fixture("1.0/stats_nodes-before-failover.txt"), ports))
        self.procfs = os.path.join(started.workdir, "procfs")
        shutil.copytree(fixture_path("lvs/procfs"), self.procfs)
        self.agent = started.agent(
            f"agentx_socket {self.snmpd.socket_path}\nagentx_ping_interval 1\ninterval 1\ntimeout 0.5\n"
            f"memcached {INSTANCES['memcached']} 127.0.0.1:{self.memcached.port} conns=on\n"
            f"gearman {INSTANCES['gearman']} [::1]:{self.gearmand.port}\n"
            f"qmail {INSTANCES['qmail']} {self.queue.qmail_dir}\n"
            f"flare {INSTANCES['flare']} 127.0.0.1:{self.flare_index.port}\n"
            f"lvs {INSTANCES['lvs']} source=procfs procfs={self.procfs}\n")
        self._stop_traffic = threading.Event()
        self.traffic_paused = threading.Event()
        self._traffic = threading.Thread(target=self._memcached_traffic, daemon=True)

    def start(self):
        for subsystem, name in INSTANCES.items():
            oid = f'MWAGENTX-MIB::mwx{subsystem.capitalize()}Status."{name}"'
            wait_for(lambda: self.value(oid) == UP, 20, f"{subsystem} {name} up")
        self._traffic.start()
        return self

    def _memcached_traffic(self):
        """gets and sets all along, so that every rate is above 0."""
        while not self._stop_traffic.is_set():
            try:
                if not self.traffic_paused.is_set():
                    self.memcached.traffic(sets=20, gets=30)
            except OSError:
                pass  # memcached is being restarted by the test
            self._stop_traffic.wait(0.5)

    def value(self, oid):
        try:
            got = snmp.get(self.snmpd.port, oid).get(oid)
        except AssertionError:
            return None
        return None if got is None or got.absent else got.text

    def numeric_walk(self, oid):
        return snmp.numeric("snmpwalk", self.snmpd.port, oid)

    def numeric_get(self, oids):
        values = {}
        for at in range(0, len(oids), 50):  # snmpget's request size
            values.update(snmp.numeric("snmpget", self.snmpd.port, *oids[at:at + 50]))
        return values

    def close(self):
        self._stop_traffic.set()
        if self._traffic.is_alive():
            self._traffic.join(5)
        for server in [self.flare_index] + self.flare_nodes:
            server.close()
