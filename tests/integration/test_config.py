"""The command line and the configuration file, as an operator meets them."""
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
    assert "--dump" in run("--help").stdout
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
    assert f'MWAGENTX-MIB::mwxMemcachedCurrItems."sessions" = Gauge32: 3\n' in out
    assert 'MWAGENTX-MIB::mwxMemcachedStatus."gone" = INTEGER: 2\n' in out
    assert 'MWAGENTX-MIB::mwxMemcachedLastError."gone" = STRING: "connect: Connection refused"\n' in out
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
