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


CYCLES = 20


def test_twenty_snmpd_restarts_reregister_without_leaks(started):
    """snmpd killed and restarted 20 times, SIGTERM and SIGKILL in turn: each
    time the agent answers again within a few ping intervals, logs the loss
    and the reconnect once, and holds as many file descriptors at the end
    as after the first cycle."""
    snmpd = started.snmpd()
    memcached = started.memcached()
    agent = started.agent(config(snmpd.socket_path, memcached.port))
    wait_for(lambda: answers(snmpd.port), 10, "first answer")
    fds = []
    back_after = []
    for cycle in range(CYCLES):
        sig = signal.SIGTERM if cycle % 2 == 0 else signal.SIGKILL
        snmpd.stop(sig)
        snmpd = started.snmpd(port=snmpd.port)
        restarted = time.monotonic()
        wait_for(lambda: answers(snmpd.port), 3 * PING + 5, f"an answer after restart {cycle + 1} ({sig.name})")
        back_after.append(time.monotonic() - restarted)
        fds.append(agent.open_fds())
    print(f"answers again after: max {max(back_after):.2f}s, mean {sum(back_after) / CYCLES:.2f}s; "
          f"open fds after cycle 1: {fds[0]}, after cycle {CYCLES}: {fds[-1]}")
    assert fds[-1] == fds[0], f"file descriptors across reconnects: {fds}"
    assert agent.running()
    log = agent.log()
    assert log.count("lost the AgentX master") == CYCLES, log
    assert log.count("reconnected to AgentX master") == CYCLES, log


def test_starts_before_snmpd_and_connects_when_it_comes(started):
    memcached = started.memcached()
    socket_path = f"{started.workdir}/agentx.sock"
    agent = started.agent(config(socket_path, memcached.port))
    time.sleep(2 * PING + 0.5)
    assert agent.running(), "the agent must wait for snmpd, not exit"
    snmpd = started.snmpd()
    assert snmpd.socket_path == socket_path
    wait_for(lambda: answers(snmpd.port), 3 * PING + 5, "an answer once snmpd is up")
    log = agent.log()
    assert log.count("no AgentX master at") == 1, "logged once, not per retry:\n" + log


def test_socket_pointing_nowhere_is_logged_once_and_retried(started):
    memcached = started.memcached()
    agent = started.agent(config(f"{started.workdir}/missing/agentx.sock", memcached.port))
    time.sleep(4 * PING)
    assert agent.running()
    assert agent.log().count("no AgentX master at") == 1
    assert "agentx.sock yet (No such file or directory); retrying every 1 s" in agent.log()


def test_x_option_overrides_the_config_socket(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    started.agent(config(f"{started.workdir}/wrong.sock", memcached.port), agentx_socket=snmpd.socket_path)
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


def test_snmpd_and_the_agent_stopped_at_the_same_moment_end_cleanly(started):
    """SIGTERM to both at once, five times: the master may leave while the
    agent closes its session. The agent exits 0 and net-snmp asserts
    nothing (its callback lock: "netsnmp_assert lock_holded < 100")."""
    memcached = started.memcached()
    for cycle in range(5):
        snmpd = started.snmpd()
        agent = started.agent(config(snmpd.socket_path, memcached.port))
        wait_for(lambda: answers(snmpd.port), 10, "an answer")
        time.sleep(0.1 * cycle)  # the agent between pings, or at one
        snmpd.proc.send_signal(signal.SIGTERM)
        agent.proc.send_signal(signal.SIGTERM)
        agent.stop()  # waits; exit 0 and no sanitizer report, or it fails
        snmpd.stop()
        log = agent.log()
        assert "assert" not in log and "_callback_lock" not in log, log[-2000:]
