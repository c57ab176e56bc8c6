"""Fault injection: a backend that misbehaves on command, behind the real
agent and a real snmpd. For each fault the faulty instance goes down with a
LastError that names the fault, a healthy instance beside it keeps its
values, memory stays bounded, and the agent keeps answering."""
import pytest

import snmp
from faulty_backend import FaultyBackend
from harness import wait_for

EXPECTED_ERROR = {
    "silent": ("no complete reply to 'stats' within 500ms",),
    "drip": ("no complete reply to 'stats' within 500ms",),
    "reset": ("reading the reply to 'stats': Connection reset by peer",),
    "flood": ("reply to 'stats' exceeds 1048576 bytes",),
    "garbage": ("stats: unexpected line '",),
    # A close with our command still unread in the server's buffer is sent as RST.
    "close": ("connection closed by the server before the reply to 'stats'",
              "reading the reply to 'stats': Connection reset by peer"),
    "no_accept": ("connect timed out after 500ms",),
}
RSS_GROWTH_LIMIT_KIB = 64 * 1024


def value(port, name, instance):
    key = f'MWAGENTX-MIB::mwxMemcached{name}."{instance}"'
    return snmp.get(port, key)[key]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


@pytest.fixture
def rig(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    memcached.traffic(sets=7, gets=0)
    backend = FaultyBackend()
    agent = started.agent(
        f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 1\ntimeout 0.5\n"
        f"memcached good 127.0.0.1:{memcached.port}\nmemcached bad 127.0.0.1:{backend.port}\n")
    wait_for(lambda: value(snmpd.port, "Status", "bad").text == "1", 10, "the faulty backend up while healthy")
    wait_for(lambda: value(snmpd.port, "Status", "good").text == "1", 10, "the real memcached up")
    yield snmpd, backend, agent
    backend.close()


@pytest.mark.parametrize("fault", sorted(EXPECTED_ERROR))
def test_fault_marks_only_its_instance_down(rig, fault):
    snmpd, backend, agent = rig
    rss_before = rss_kib(agent.proc.pid)
    backend.set_mode(fault)
    wait_for(lambda: value(snmpd.port, "Status", "bad").text == "2", 10, f"instance down under {fault}")
    wait_for(lambda: any(e in value(snmpd.port, "LastError", "bad").text for e in EXPECTED_ERROR[fault]), 10,
             f"LastError naming {fault}")
    assert value(snmpd.port, "CurrItems", "bad").absent, "a down instance serves no data"
    # The healthy instance beside it is untouched, and keeps being polled.
    assert value(snmpd.port, "Status", "good").text == "1"
    assert value(snmpd.port, "CurrItems", "good").number() == 7
    assert int(value(snmpd.port, "LastPollAge", "good").text) <= 2
    assert agent.running()
    assert rss_kib(agent.proc.pid) - rss_before < RSS_GROWTH_LIMIT_KIB
    # When the backend heals, the row comes back.
    backend.set_mode("healthy")
    wait_for(lambda: value(snmpd.port, "Status", "bad").text == "1", 10, f"instance up again after {fault}")
