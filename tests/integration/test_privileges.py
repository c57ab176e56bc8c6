"""Least privilege: mwagentx needs no root. As an unprivileged user it
reaches snmpd's AgentX socket through the socket's group; without that
group it says why it cannot connect, keeps retrying and does not exit."""
import os
import time

import pytest

import snmp
from harness import ensure_user, wait_for

USER, GROUP = "mwxtest", "mwxagentx"


@pytest.fixture(scope="module", autouse=True)
def users():
    if os.geteuid() != 0:
        pytest.fail("the privilege tests create a system user: run them as root (CI does)")
    ensure_user(USER, groups=[GROUP])
    ensure_user("mwxnogroup")


def config(socket_path, port):
    return (f"agentx_socket {socket_path}\nagentx_ping_interval 1\ninterval 30\ntimeout 1\n"
            f"memcached sessions 127.0.0.1:{port}\n")


def test_unprivileged_user_in_the_socket_group_is_served(started):
    snmpd = started.snmpd(agentx_group=GROUP)
    memcached = started.memcached()
    agent = started.agent(config(snmpd.socket_path, memcached.port), run_as=USER)
    key = 'MWAGENTX-MIB::mwxMemcachedStatus."sessions"'
    wait_for(lambda: snmp.get(snmpd.port, key)[key].text == "1", 10, "an answer from the unprivileged agent")
    with open(f"/proc/{agent.proc.pid}/status") as f:
        status = f.read()
    uid_line = next(line for line in status.splitlines() if line.startswith("Uid:"))
    assert uid_line.split()[1] != "0", "the agent must not run as root here"
    cap_eff = next(line for line in status.splitlines() if line.startswith("CapEff:"))
    assert int(cap_eff.split()[1], 16) == 0, "no capabilities needed"


def test_user_without_the_group_is_told_why_and_retries(started):
    snmpd = started.snmpd(agentx_group=GROUP)
    memcached = started.memcached()
    agent = started.agent(config(snmpd.socket_path, memcached.port), run_as="mwxnogroup")
    time.sleep(3)
    assert agent.running(), "no exit: the operator may still fix the group"
    log = agent.log()
    assert log.count("no AgentX master at") == 1, log
    assert "Permission denied: the socket is uid 0" in log and "see agentXPerms" in log, log
