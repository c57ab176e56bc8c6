"""What Zabbix, Cacti and other managers rely on, through a real snmpd: a
readable label in every table, a pending state before the first poll, the
collector's own counters, noSuchObject versus noSuchInstance, and an agent
that tells the truth about its registration."""
import os
import signal
import socket
import threading
import time

import snmp
from faulty_backend import FaultyBackend
from harness import Agent, wait_for

PENDING, UP, DOWN = "6", "1", "2"


def value(port, oid):
    (answer,) = snmp.get(port, oid).values()  # keyed as snmpget prints the name
    return answer


def memcached_value(port, column, instance):
    return value(port, f'MWAGENTX-MIB::mwxMemcached{column}."{instance}"')


def test_a_slow_backend_is_pending_not_down_until_its_first_poll_fails(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    backend = FaultyBackend()
    backend.set_mode("drip")  # one byte a second: the first poll can only time out
    try:
        started.agent(f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 10\ntimeout 3\n"
                      f"memcached slow 127.0.0.1:{backend.port}\nmemcached good 127.0.0.1:{memcached.port}\n")
        wait_for(lambda: not memcached_value(snmpd.port, "Status", "slow").absent, 10, "the agent registered")
        seen = []
        start = time.monotonic()
        while time.monotonic() - start < 8:
            status = memcached_value(snmpd.port, "Status", "slow").text
            seen.append((round(time.monotonic() - start, 1), status))
            if status != PENDING:
                break
            time.sleep(0.2)
        statuses = [s for _, s in seen]
        assert statuses[0] == PENDING, seen
        assert statuses[-1] == DOWN, seen
        assert DOWN not in statuses[:-1] and set(statuses[:-1]) <= {PENDING}, seen
        assert "within 3s" in memcached_value(snmpd.port, "LastError", "slow").text
        assert memcached_value(snmpd.port, "PollFailures", "slow").number() == 1
        assert memcached_value(snmpd.port, "LastPollDuration", "slow").number() >= 2900
    finally:
        backend.close()
    # The healthy one went from pending to up, and counts its polls.
    assert memcached_value(snmpd.port, "Status", "good").text == UP
    assert memcached_value(snmpd.port, "Label", "good").text == "good"
    assert memcached_value(snmpd.port, "Polls", "good").number() >= 1
    assert memcached_value(snmpd.port, "PollFailures", "good").number() == 0
    assert memcached_value(snmpd.port, "LastPollDuration", "good").number() < 3000
    assert memcached_value(snmpd.port, "AgentDiscontinuityAge", "good").number() < 60


def test_sub_table_rows_carry_readable_labels(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    memcached.traffic(sets=20, gets=0)
    gearmand = started.gearmand()
    gearmand.submit_background("resize_image")
    started.agent(f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 1\ntimeout 0.5\n"
                  f"memcached cache01 127.0.0.1:{memcached.port}\ngearman jobs 127.0.0.1:{gearmand.port}\n")
    wait_for(lambda: memcached_value(snmpd.port, "Status", "cache01").text == UP, 10, "memcached up")
    labels = snmp.walk(snmpd.port, "MWAGENTX-MIB::mwxMemcachedSlabLabel")
    assert labels, "no slab rows"
    for name, label in labels.items():
        slab = name.rsplit(".", 1)[1]  # mwxMemcachedSlabLabel."cache01".5
        assert label.text == f"cache01/{slab}"  # unique across the table: two instances have slab 5
    wait_for(lambda: snmp.walk(snmpd.port, "MWAGENTX-MIB::mwxGearmanFunctionLabel"), 10, "a gearman function row")
    functions = snmp.walk(snmpd.port, "MWAGENTX-MIB::mwxGearmanFunctionLabel")
    assert [v.text for v in functions.values()] == ["jobs/resize_image"]
    assert value(snmpd.port, "MWAGENTX-MIB::mwxAgentUptime.0").number() < 120


def test_get_of_no_object_is_no_such_object_and_of_a_missing_row_no_such_instance(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    started.agent(f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 1\ntimeout 0.5\n"
                  f"memcached sessions 127.0.0.1:{memcached.port}\n")
    wait_for(lambda: memcached_value(snmpd.port, "Status", "sessions").text == UP, 10, "memcached up")
    assert memcached_value(snmpd.port, "Label", "nosuchrow").text == "No Such Instance currently exists at this OID"
    # Column 250 of mwxMemcachedEntry is not defined: no object at all.
    entry = snmp.translate("-On", "MWAGENTX-MIB::mwxMemcachedEntry")[1].strip()
    oid = f"{entry}.250.8.115.101.115.115.105.111.110.115"
    assert value(snmpd.port, oid).text == "No Such Object available on this agent at this OID"


def test_a_refused_registration_is_reported_and_retried(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    config = (f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 1\ntimeout 0.5\n"
              f"memcached first 127.0.0.1:{memcached.port}\n")
    first = started.agent(config)
    wait_for(lambda: memcached_value(snmpd.port, "Status", "first").text == UP, 10, "the first agent serving")
    second_dir = os.path.join(started.workdir, "second")
    os.mkdir(second_dir)
    second = started._add(Agent(second_dir, config.replace("first", "second")).start())
    wait_for(lambda: "refused to register mwxMIB" in second.log(), 10, "the second agent seeing the refusal")
    assert "mwxMIB registered" not in second.log()
    first.stop()
    wait_for(lambda: memcached_value(snmpd.port, "Status", "second").text == UP, 15,
             "the second agent registered once the first left")
    assert "mwxMIB registered" in second.log()
    assert second.log().count("refused to register") == 1, "a refusal is logged once per change"


class SilentMaster:
    """Accepts AgentX connections on a unix socket and never answers."""

    def __init__(self, path):
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen(8)
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.listener.close()
        for conn in self.held:
            conn.close()


def test_a_master_that_never_answers_does_not_hold_up_sigterm(started):
    path = os.path.join(started.workdir, "silent.sock")
    master = SilentMaster(path)
    try:
        agent = started.agent(f"agentx_socket {path}\nagentx_ping_interval 1\n")
        wait_for(lambda: master.held, 10, "the agent connecting")
        time.sleep(1)
        start = time.monotonic()
        agent.stop(signal.SIGTERM, timeout=10)
        # An AgentX request waits 1 s and is sent twice: at worst the attempt
        # in progress and the Close at shutdown, 2 s each (net-snmp's default,
        # 1 s sent 6 times, would take 12 s).
        assert time.monotonic() - start < 6, f"SIGTERM took {time.monotonic() - start:.1f}s"
    finally:
        master.close()


def test_a_host_name_endpoint_is_resolved(started):
    # This host's name comes from /etc/hosts: 127.0.1.1 on a stock Debian,
    # 127.0.0.1 on others. memcached listens where the name points, if that
    # is loopback; else the test uses "localhost" (also in /etc/hosts).
    name = socket.gethostname()
    address = socket.getaddrinfo(name, None, socket.AF_INET)[0][4][0]
    if not address.startswith("127."):
        print(f"{name} resolves to {address}, not loopback: testing with localhost")
        name, address = "localhost", "127.0.0.1"
    snmpd = started.snmpd()
    memcached = started.memcached(listen=address)
    started.agent(f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 1\ntimeout 0.5\n"
                  f"memcached named {name}:{memcached.port}\n"
                  f"memcached nowhere nosuchhost.invalid:{memcached.port}\n")
    wait_for(lambda: memcached_value(snmpd.port, "Status", "nowhere").text == DOWN, 10, "the unresolvable one down")
    assert "nosuchhost.invalid" in memcached_value(snmpd.port, "LastError", "nowhere").text
    wait_for(lambda: memcached_value(snmpd.port, "Status", "named").text == UP, 10,
             "the instance named by this host's name up")
