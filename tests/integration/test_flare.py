"""Flare end to end: a fake index server and nodes that answer like the
real Flare 1.3.4 captures, snmpd as AgentX master, mwagentx between them."""
import re
import socket
import subprocess

import pytest

import snmp
from fake_flare import FlareIndex, FlareNode, fixture, with_ports
from harness import wait_for

UP, DOWN, DEGRADED = "1", "2", "4"
MASTER, SLAVE, PROXY = "1", "2", "3"
ACTIVE, STATE_DOWN = "1", "3"


def config(snmpd, index_port, options=""):
    return (f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 1\ntimeout 0.5\n"
            f"flare cluster 127.0.0.1:{index_port} {options}\n")


def cluster(name):
    return f'MWAGENTX-MIB::mwxFlare{name}."cluster"'


def node(name, key):
    return f'MWAGENTX-MIB::mwxFlareNode{name}."cluster"."{key}"'


def get(port, *oids):
    try:
        return snmp.get(port, *oids)
    except AssertionError:
        return {}


def value(port, oid):
    got = get(port, oid).get(oid)
    return None if got is None or got.absent else got.text


class Cluster:
    """Three fake nodes (master, slave, proxy) and an index server listing
    them with the before-failover map of the samples."""

    def __init__(self, before="1.0/stats_nodes-before-failover.txt"):
        self.master = FlareNode(curr_items=11)
        self.slave = FlareNode(threads="1.3.4/flared_slave_stats_threads.txt", curr_items=12)
        self.proxy = FlareNode(threads="1.3.4/flared_slave_stats_threads.txt", curr_items=0)
        self.ports = {11211: self.master.port, 11212: self.slave.port, 11213: self.proxy.port}
        self.index = FlareIndex(with_ports(fixture(before), self.ports))
        self.key = {role: f"localhost:{p}" for role, p in
                    (("master", self.master.port), ("slave", self.slave.port), ("proxy", self.proxy.port))}

    def fail_over(self, after="1.0/stats_nodes-after-failover.txt"):
        """The master dies; the index server promotes the slave."""
        self.master.close()
        self.index.set_node_map(with_ports(fixture(after), self.ports))

    def close(self):
        for server in (self.index, self.master, self.slave, self.proxy):
            server.close()


@pytest.fixture
def fake():
    """The fake cluster, closed after the test."""
    cluster = Cluster()
    yield cluster
    cluster.close()


def test_the_fake_index_server_answers_like_the_capture():
    ports = {11211: 11211, 11212: 11212, 11213: 11213}
    index = FlareIndex(with_ports(fixture("1.3.4/flarei_stats_nodes.txt"), ports))
    try:
        with socket.create_connection(("127.0.0.1", index.port)) as s:
            f = s.makefile("rwb")
            for command, expected in ((b"stats nodes", "1.3.4/flarei_stats_nodes.txt"),
                                      (b"stats", "1.3.4/flarei_stats.txt"),
                                      (b"ping", "1.3.4/flarei_ping.txt"),
                                      (b"version", "1.3.4/flarei_version.txt"),
                                      (b"bogus", "1.3.4/flarei_unknown_command.txt")):
                f.write(command + b"\r\n")
                f.flush()
                want = fixture(expected)
                assert f.read(len(want)) == want, command
    finally:
        index.close()


def test_node_table_matches_the_index_servers_view(started, fake):
    snmpd = started.snmpd()
    started.agent(config(snmpd, fake.index.port))
    wait_for(lambda: value(snmpd.port, cluster("Status")) == UP, 10, "the cluster up")
    wait_for(lambda: value(snmpd.port, node("CurrItems", fake.key["slave"])) == "12", 5, "node stats")
    walked = snmp.walk(snmpd.port, "MWAGENTX-MIB::mwxFlare")
    assert walked[cluster("Nodes")].number() == 3
    assert walked[cluster("NodesActive")].number() == 3
    assert walked[cluster("Partitions")].number() == 1
    assert walked[cluster("PartitionsWithoutMaster")].number() == 0
    assert walked[cluster("Failovers")].number() == 0
    assert walked[cluster("IndexVersion")].text == "1.3.4"
    assert walked[cluster("NodeMapVersion")].number() == 7
    expected = {"master": (MASTER, "0", "1", "11"), "slave": (SLAVE, "0", "2", "12"),
                "proxy": (PROXY, "-1", "0", "0")}
    for role, (role_value, partition, balance, items) in expected.items():
        key = fake.key[role]
        assert walked[node("Role", key)].text == role_value, role
        assert walked[node("State", key)].text == ACTIVE, role
        assert walked[node("Partition", key)].text == partition, role
        assert walked[node("Balance", key)].number() == int(balance), role
        assert walked[node("Port", key)].number() == int(key.split(":")[1])
        assert walked[node("CurrItems", key)].number() == int(items), role
        assert walked[node("StatsError", key)].text == "", role
        assert walked[node("ReplicationLag", key)].number() == 0
    # snmptable shows role and state by name.
    table = subprocess.run(["snmptable", "-v2c", "-c", "public"] + snmp.MIB_ARGS +
                           ["-Cb", "-Ci", f"127.0.0.1:{snmpd.port}", "MWAGENTX-MIB::mwxFlareNodeTable"],
                           capture_output=True, text=True, check=True).stdout
    for role in ("master", "slave", "proxy"):
        line = next(line for line in table.splitlines() if fake.key[role] in line)
        assert re.search(rf"\b{role}\b", line) and re.search(r"\bactive\b", line), line


def test_a_failover_is_counted_once_and_moves_the_master_role(started, fake):
    snmpd = started.snmpd()
    started.agent(config(snmpd, fake.index.port))
    wait_for(lambda: value(snmpd.port, node("CurrItems", fake.key["master"])) == "11", 10, "the master's stats")
    fake.fail_over()
    wait_for(lambda: value(snmpd.port, cluster("Failovers")) == "1", 5, "the failover counted")
    wait_for(lambda: value(snmpd.port, node("StatsError", fake.key["master"])) not in (None, ""), 5,
             "the dead master's stats gone")
    got = get(snmpd.port, node("Role", fake.key["slave"]), node("Role", fake.key["master"]),
              node("State", fake.key["master"]), node("Partition", fake.key["master"]),
              node("CurrItems", fake.key["master"]), node("StatsError", fake.key["master"]),
              node("Changes", fake.key["master"]), node("Changes", fake.key["slave"]),
              node("Changes", fake.key["proxy"]), cluster("LastFailoverTime"), cluster("NodesDown"),
              cluster("Status"), cluster("NodeMapVersion"))
    assert got[node("Role", fake.key["slave"])].text == MASTER
    assert got[node("Role", fake.key["master"])].text == PROXY
    assert got[node("State", fake.key["master"])].text == STATE_DOWN
    assert got[node("Partition", fake.key["master"])].text == "-1"
    assert got[node("CurrItems", fake.key["master"])].absent
    assert "Connection refused" in got[node("StatsError", fake.key["master"])].text
    assert got[node("Changes", fake.key["master"])].number() == 1
    assert got[node("Changes", fake.key["slave"])].number() == 1
    assert got[node("Changes", fake.key["proxy"])].number() == 0
    assert not got[cluster("LastFailoverTime")].absent
    assert got[cluster("NodesDown")].number() == 1
    assert got[cluster("Status")].text == UP  # the slave took over: every partition has a master
    assert got[cluster("NodeMapVersion")].number() == 8
    # More polls of the same map: still exactly one.
    polls = fake.index.count(b"stats nodes")
    wait_for(lambda: fake.index.count(b"stats nodes") >= polls + 3, 10, "three more polls")
    assert value(snmpd.port, cluster("Failovers")) == "1"


def test_a_node_that_stops_answering_stats_loses_only_its_stats_columns(started, fake):
    snmpd = started.snmpd()
    started.agent(config(snmpd, fake.index.port))
    wait_for(lambda: value(snmpd.port, node("CurrItems", fake.key["proxy"])) == "0", 10, "the proxy's stats")
    fake.proxy.hang()
    wait_for(lambda: value(snmpd.port, node("CurrItems", fake.key["proxy"])) is None, 5, "stats gone")
    got = get(snmpd.port, node("Role", fake.key["proxy"]), node("State", fake.key["proxy"]),
              node("StatsError", fake.key["proxy"]), node("CurrItems", fake.key["slave"]),
              cluster("Status"))
    assert got[node("Role", fake.key["proxy"])].text == PROXY
    assert got[node("State", fake.key["proxy"])].text == ACTIVE
    assert "no complete reply to 'stats'" in got[node("StatsError", fake.key["proxy"])].text
    assert got[node("CurrItems", fake.key["slave"])].number() == 12
    assert got[cluster("Status")].text == UP


def test_index_server_down_is_down_and_a_dead_master_without_slave_is_degraded(started, fake):
    snmpd = started.snmpd()
    started.agent(config(snmpd, fake.index.port))
    wait_for(lambda: value(snmpd.port, cluster("Status")) == UP, 10, "the cluster up")
    # The master and its slave are both down: partition 0 has no master.
    fake.index.set_node_map(fake.index.node_map.replace(b"state active", b"state down", 2))
    wait_for(lambda: value(snmpd.port, cluster("Status")) == DEGRADED, 5, "degraded")
    assert value(snmpd.port, cluster("LastError")) == "no active master in partition 0"
    assert value(snmpd.port, cluster("PartitionsWithoutMaster")) == "1"
    fake.index.close()
    wait_for(lambda: value(snmpd.port, cluster("Status")) == DOWN, 5, "down")
    assert "Connection refused" in value(snmpd.port, cluster("LastError"))
    assert value(snmpd.port, cluster("Nodes")) is None
    assert value(snmpd.port, node("Role", fake.key["slave"])) is None


def test_node_stats_off_never_contacts_the_nodes(started, fake):
    snmpd = started.snmpd()
    started.agent(config(snmpd, fake.index.port, "node_stats=off"))
    wait_for(lambda: value(snmpd.port, cluster("Status")) == UP, 10, "the cluster up")
    wait_for(lambda: fake.index.count(b"stats nodes") >= 2, 5, "two polls")
    assert value(snmpd.port, node("Role", fake.key["master"])) == MASTER
    assert value(snmpd.port, node("StatsError", fake.key["master"])) == "node_stats=off"
    assert value(snmpd.port, node("CurrItems", fake.key["master"])) is None
    assert fake.master.count(b"stats") == 0 and fake.slave.count(b"stats") == 0
