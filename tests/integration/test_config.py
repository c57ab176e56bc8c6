"""The command line and the configuration file, as an operator meets them."""
import os
import re
import signal
import subprocess
import time

import snmp
from harness import AGENT, wait_for


def run(*args, timeout=20):
    return subprocess.run([AGENT, *args], capture_output=True, text=True, timeout=timeout)


def test_check_accepts_a_good_file(tmp_path):
    conf = tmp_path / "good.conf"
    conf.write_text("interval 10\nmemcached sessions 127.0.0.1:11211\nmemcached objects /run/m.sock interval=5 timeout=1\n")
    done = run("-c", str(conf), "--check")
    assert done.returncode == 0, done.stderr
    assert "OK, 2 instance(s)" in done.stdout


def test_check_names_file_and_line_of_every_error(tmp_path):
    conf = tmp_path / "bad.conf"
    conf.write_text("# ok\nmemcache a 127.0.0.1:1\nmemcached b 127.0.0.1:70000\ntimeout 20\n")
    done = run("-c", str(conf), "--check")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith(f"{conf}:2: unknown directive 'memcache'")
    assert lines[1].startswith(f"{conf}:3: memcached b: bad port '70000'")
    assert lines[2] == f"{conf}:4: timeout 20s must be shorter than interval 10s"


def test_agent_refuses_to_start_half_configured(tmp_path):
    conf = tmp_path / "bad.conf"
    conf.write_text("memcached a 127.0.0.1:1\nmemcached a 127.0.0.1:2\n")
    done = run("-f", "-c", str(conf))
    assert done.returncode == 1
    assert f"{conf}:2: duplicate memcached instance name 'a'" in done.stderr


def test_missing_config_file(tmp_path):
    done = run("-c", str(tmp_path / "nope.conf"), "--check")
    assert done.returncode == 1
    assert "nope.conf: cannot open: No such file or directory" in done.stderr


def test_usage_version_and_bad_options():
    assert run("--version").stdout.startswith("mwagentx ")
    help_text = run("--help").stdout
    assert "--dump" in help_text
    # Every subsystem, with its configuration line, from the one registration list.
    for usage in ("memcached NAME", "gearman NAME", "qmail NAME", "flare NAME", "lvs NAME"):
        assert usage in help_text, usage
    bad = run("--bogus")
    assert bad.returncode == 2 and "unknown option: --bogus" in bad.stderr
    assert run("-c").returncode == 2


def test_dump_polls_once_without_snmpd(started):
    memcached = started.memcached()
    memcached.traffic(sets=3, gets=3)
    conf = f"{started.workdir}/dump.conf"
    with open(conf, "w") as f:
        f.write(f"memcached sessions 127.0.0.1:{memcached.port}\nmemcached gone 127.0.0.1:1\n")
    done = run("-c", conf, "--dump")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert 'MWAGENTX-MIB::mwxMemcachedCurrItems."sessions" = Gauge32: 3\n' in out
    # As snmpwalk prints them with the MIB loaded: enums by name, dates as dates.
    assert 'MWAGENTX-MIB::mwxMemcachedStatus."gone" = INTEGER: down(2)\n' in out
    assert 'MWAGENTX-MIB::mwxMemcachedStatus."sessions" = INTEGER: up(1)\n' in out
    assert re.search(r'mwxMemcachedDiscontinuityTime."sessions" = STRING: \d{4}-\d+-\d+,\d+:\d+:\d+\.\d,\+0:0\n', out)
    assert 'MWAGENTX-MIB::mwxMemcachedLastError."gone" = STRING: connect: Connection refused\n' in out
    assert 'mwxMemcachedCurrItems."gone"' not in out
    assert 'MWAGENTX-MIB::mwxMemcachedSlabItems."sessions".1 = Gauge32:' in out


def test_sighup_reloads_and_rejects_a_bad_file(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    base = (f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 30\ntimeout 1\n"
            f"memcached first 127.0.0.1:{memcached.port}\n")
    agent = started.agent(base)

    def status(name):
        key = f'MWAGENTX-MIB::mwxMemcachedStatus."{name}"'
        return snmp.get(snmpd.port, key)[key].text

    def counter(name):
        key = f"MWAGENTX-MIB::{name}.0"
        return snmp.get(snmpd.port, key)[key].number()

    wait_for(lambda: status("first") == "1", 10, "first instance up")
    agent.write_config(base + "memcached second 127.0.0.1:99999\n")
    agent.reload()
    wait_for(lambda: counter("mwxAgentConfigReloadFailures") == 1, 5, "a counted reload failure")
    assert agent.running()
    assert status("first") == "1"
    assert snmp.get(snmpd.port, 'MWAGENTX-MIB::mwxMemcachedStatus."second"')[
        'MWAGENTX-MIB::mwxMemcachedStatus."second"'].absent
    assert f"{agent.config_path}:6: memcached second: bad port '99999'" in agent.log()

    agent.write_config(base + f"memcached second 127.0.0.1:{memcached.port}\n")
    agent.reload()
    wait_for(lambda: status("second") == "1", 10, "the new instance up")
    assert counter("mwxAgentConfigReloads") == 1
    assert status("first") == "1"
    time.sleep(0.2)
    assert agent.running()


def test_a_reload_that_recreates_an_instance_restarts_its_own_counters(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    base = f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ntimeout 0.5\n"
    agent = started.agent(base + f"memcached m 127.0.0.1:{memcached.port} interval=1\n")

    def get(column):
        key = f'MWAGENTX-MIB::mwxMemcached{column}."m"'
        return snmp.get(snmpd.port, key)[key]

    wait_for(lambda: not get("Polls").absent and get("Polls").number() >= 3, 10, "three polls")
    since = get("AgentDiscontinuityTime").text
    time.sleep(1.1)  # DateAndTime has whole seconds
    agent.write_config(base + f"memcached m 127.0.0.1:{memcached.port} interval=2\n")
    agent.reload()
    wait_for(lambda: get("AgentDiscontinuityTime").text != since, 10, "a new discontinuity time")
    assert get("Polls").number() <= 2
    assert get("AgentDiscontinuityAge").number() <= 3


def test_a_relative_config_path_still_reloads_after_becoming_a_daemon(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    name = f"relative-{os.getpid()}.conf"
    path = os.path.join(started.workdir, name)
    base = f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 1\ntimeout 0.5\n"
    with open(path, "w") as f:
        f.write(base + f"memcached one 127.0.0.1:{memcached.port}\n")
    # No -f: daemon() changes directory to /, where "relative-N.conf" is not.
    subprocess.run([AGENT, "-c", name], cwd=started.workdir, check=True, timeout=10)
    pid = None
    try:
        def daemon_pid():
            found = subprocess.run(["pgrep", "-f", f"{AGENT} -c {name}"], capture_output=True, text=True)
            return int(found.stdout.split()[0]) if found.stdout.split() else None
        pid = wait_for(daemon_pid, 10, "the daemon")

        def status(instance):
            key = f'MWAGENTX-MIB::mwxMemcachedStatus."{instance}"'
            return snmp.get(snmpd.port, key)[key].text
        wait_for(lambda: status("one") == "1", 10, "the first instance up")
        with open(path, "w") as f:
            f.write(base + f"memcached one 127.0.0.1:{memcached.port}\nmemcached two 127.0.0.1:{memcached.port}\n")
        os.kill(pid, signal.SIGHUP)
        wait_for(lambda: status("two") == "1", 10, "the instance added by the reload")
    finally:
        if pid:
            os.kill(pid, signal.SIGTERM)
            wait_for(lambda: subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode != 0, 10,
                     "the daemon gone")
