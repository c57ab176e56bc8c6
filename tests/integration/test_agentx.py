"""The AgentX session: snmpd that comes late, goes away and comes back."""
import signal
import time

import snmp
from harness import wait_for

PING = 1  # agentx_ping_interval of these tests, in seconds


def config(socket_path, memcached_port):
    return (f"agentx_socket {socket_path}\nagentx_ping_interval {PING}\ninterval 30\ntimeout 1\n"
            f"memcached sessions 127.0.0.1:{memcached_port}\n")


def answers(port):
    try:
        got = snmp.get(port, 'MWAGENTX-MIB::mwxMemcachedStatus."sessions"')
        return got['MWAGENTX-MIB::mwxMemcachedStatus."sessions"'].text == "1"
    except AssertionError:
        return False


def test_reregisters_after_snmpd_restarts(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    agent = started.agent(config(snmpd.socket_path, memcached.port))
    wait_for(lambda: answers(snmpd.port), 10, "first answer")
    fds_after_first = None
    for cycle, sig in enumerate([signal.SIGTERM, signal.SIGKILL, signal.SIGTERM]):
        snmpd.stop(sig)
        snmpd = started.snmpd(port=snmpd.port)
        started_at = time.monotonic()
        wait_for(lambda: answers(snmpd.port), 3 * PING + 5, f"an answer after snmpd restart ({sig.name})")
        assert time.monotonic() - started_at < 3 * PING + 5
        if fds_after_first is None:
            fds_after_first = agent.open_fds()
    assert agent.open_fds() == fds_after_first, "file descriptors leak across reconnects"
    assert agent.running()
    log = agent.log()
    assert log.count("lost the AgentX master") == 3, log
    assert log.count("reconnected to AgentX master") == 3, log


def test_starts_before_snmpd_and_connects_when_it_comes(started, tmp_path):
    memcached = started.memcached()
    socket_path = str(tmp_path / "agentx.sock")
    agent = started.agent(config(socket_path, memcached.port))
    time.sleep(2 * PING + 0.5)
    assert agent.running(), "the agent must wait for snmpd, not exit"
    snmpd = started.snmpd()
    assert snmpd.socket_path == socket_path
    wait_for(lambda: answers(snmpd.port), 3 * PING + 5, "an answer once snmpd is up")
    log = agent.log()
    assert log.count("no AgentX master at") == 1, "logged once, not per retry:\n" + log


def test_socket_pointing_nowhere_is_logged_once_and_retried(started, tmp_path):
    memcached = started.memcached()
    agent = started.agent(config(str(tmp_path / "missing" / "agentx.sock"), memcached.port))
    time.sleep(4 * PING)
    assert agent.running()
    assert agent.log().count("no AgentX master at") == 1


def test_x_option_overrides_the_config_socket(started, tmp_path):
    snmpd = started.snmpd()
    memcached = started.memcached()
    started.agent(config(str(tmp_path / "wrong.sock"), memcached.port), agentx_socket=snmpd.socket_path)
    wait_for(lambda: answers(snmpd.port), 10, "an answer through the -x socket")


def test_sigterm_and_sigint_stop_cleanly(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    for sig in (signal.SIGTERM, signal.SIGINT):
        agent = started.agent(config(snmpd.socket_path, memcached.port))
        wait_for(lambda: answers(snmpd.port), 10, "an answer")
        agent.stop(sig, timeout=5)
        assert agent.proc.returncode == 0
        assert "stopping" in agent.log()
