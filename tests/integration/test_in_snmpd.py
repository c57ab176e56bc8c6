"""The module's life in snmpd, whichever MWX_MODE the rest of the suite
runs in: loaded by a dlmod line, through snmpd's reloads (SIGHUP unloads
and loads every module again), and unloaded, by a reload that drops its
line or by a SET of UCD-DLMOD-MIB, with no thread or fd left behind."""
import os
import signal
import subprocess

import snmp
from harness import MODULE, wait_for

MWX_AGENT_RELOADS = "MWAGENTX-MIB::mwxAgentConfigReloads.0"
SYSOR_DESCR = "SNMPv2-MIB::sysORDescr"
OUR_SYSOR = "MWAGENTX-MIB, served by mwagentx"
DLMOD_STATUS = ".1.3.6.1.4.1.2021.13.14.2.1.5"  # UCD-DLMOD-MIB::dlmodStatus
DLMOD_UNLOAD = "5"


def threads(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def fds(pid):
    return sorted(os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd"))


def served_version(port):
    got = snmp.get(port, "MWAGENTX-MIB::mwxAgentVersion.0")["MWAGENTX-MIB::mwxAgentVersion.0"]
    return None if got.absent else got.text


def in_sysor(port):
    return OUR_SYSOR in [value.text for value in snmp.walk(port, SYSOR_DESCR).values()]


def reload_snmpd(snmpd, log_marker, count):
    """SIGHUP, then waits until `log_marker` is in snmpd's log `count` times."""
    snmpd.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: snmpd.log().count(log_marker) >= count, 10, f"{log_marker!r} x{count}")


def start_with_module(started, memcached, extra_conf=""):
    config = os.path.join(started.workdir, "mwagentx.conf")
    with open(config, "w") as f:
        f.write(f"interval 1\ntimeout 0.5\nmemcached sessions 127.0.0.1:{memcached.port}\n")
    snmpd = started.snmpd(extra_conf=extra_conf + f"dlmod mwagentx {os.path.abspath(MODULE)}\n"
                                                  f"mwagentxConfig {config}\n")
    wait_for(lambda: served_version(snmpd.port), 10, "the module serving")
    return snmpd


def test_reloads_keep_one_collector_thread_and_the_same_fds(started):
    memcached = started.memcached()
    snmpd = start_with_module(started, memcached)
    assert in_sysor(snmpd.port)
    assert threads(snmpd.proc.pid) == 2, "snmpd's thread and the collectors'"
    before = fds(snmpd.proc.pid)
    for n in range(1, 6):
        reload_snmpd(snmpd, "configuration reloaded", n)
    wait_for(lambda: snmp.get(snmpd.port, MWX_AGENT_RELOADS)[MWX_AGENT_RELOADS].text == "5", 10, "5 reloads served")
    assert threads(snmpd.proc.pid) == 2
    assert fds(snmpd.proc.pid) == before
    assert in_sysor(snmpd.port)
    assert "started in snmpd" in snmpd.log() and snmpd.log().count("started in snmpd") == 1, \
        "a reload must not start the agent again"


def test_a_reload_without_the_dlmod_line_unloads_everything(started):
    memcached = started.memcached()
    snmpd = start_with_module(started, memcached)
    snmpd.conf = "".join(line + "\n" for line in snmpd.conf.splitlines()
                         if not line.startswith(("dlmod", "mwagentxConfig")))
    snmpd.write_conf()
    snmpd.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: served_version(snmpd.port) is None, 10, "mwxMIB gone")
    wait_for(lambda: threads(snmpd.proc.pid) == 1, 10, "the collectors' thread gone")
    assert not in_sysor(snmpd.port)
    assert not any("eventfd" in fd for fd in fds(snmpd.proc.pid)), fds(snmpd.proc.pid)


def test_unloading_through_ucd_dlmod_mib_stops_everything(started):
    memcached = started.memcached()
    snmpd = start_with_module(started, memcached, extra_conf="rwcommunity private 127.0.0.1\n")
    assert any("eventfd" in fd for fd in fds(snmpd.proc.pid))
    subprocess.run(["snmpset", "-v2c", "-c", "private", f"127.0.0.1:{snmpd.port}", f"{DLMOD_STATUS}.1", "i",
                    DLMOD_UNLOAD], check=True, capture_output=True, timeout=10)
    wait_for(lambda: served_version(snmpd.port) is None, 10, "mwxMIB gone")
    assert threads(snmpd.proc.pid) == 1
    assert not in_sysor(snmpd.port)
    assert not any("eventfd" in fd for fd in fds(snmpd.proc.pid)), fds(snmpd.proc.pid)


def test_a_new_config_path_is_loaded_before_the_running_one_stops(started):
    """mwagentxConfig changed to a file that is missing, then to one with an
    error, then to a good one, each with a reload: the first two are
    rejected and the running configuration goes on serving, its instance
    keeping its state; the third takes over."""
    memcached = started.memcached()
    snmpd = start_with_module(started, memcached)
    polls = 'MWAGENTX-MIB::mwxMemcachedPolls."sessions"'
    wait_for(lambda: snmp.get(snmpd.port, polls)[polls].number() >= 2, 10, "two polls")

    def point_at(path, marker, count):
        snmpd.conf = "".join((f"mwagentxConfig {path}" if line.startswith("mwagentxConfig") else line) + "\n"
                             for line in snmpd.conf.splitlines())
        snmpd.write_conf()
        reload_snmpd(snmpd, marker, count)

    missing = os.path.join(started.workdir, "missing.conf")
    point_at(missing, "reload rejected", 1)
    assert missing in snmpd.log()
    broken = os.path.join(started.workdir, "broken.conf")
    with open(broken, "w") as f:
        f.write("memcached sessions 127.0.0.1:notaport\n")
    point_at(broken, "reload rejected", 2)
    assert f"{broken}:1:" in snmpd.log()
    before = snmp.get(snmpd.port, polls)[polls].number()
    wait_for(lambda: snmp.get(snmpd.port, polls)[polls].number() > before, 10, "the running instance polling on")
    assert in_sysor(snmpd.port)
    failures = "MWAGENTX-MIB::mwxAgentConfigReloadFailures.0"
    assert snmp.get(snmpd.port, failures)[failures].number() == 2

    good = os.path.join(started.workdir, "good.conf")
    with open(good, "w") as f:
        f.write(f"interval 1\ntimeout 0.5\nmemcached other 127.0.0.1:{memcached.port}\n")
    point_at(good, "configuration reloaded", 1)
    other = 'MWAGENTX-MIB::mwxMemcachedStatus."other"'
    wait_for(lambda: snmp.get(snmpd.port, other)[other].text == "1", 10, "the new file's instance up")
    assert snmpd.log().count("started in snmpd") == 1


def test_a_bad_file_at_start_is_named_in_snmpds_log_and_serves_nothing(started):
    config = os.path.join(started.workdir, "mwagentx.conf")
    with open(config, "w") as f:
        f.write("memcached sessions 127.0.0.1:notaport\n")
    snmpd = started.snmpd(extra_conf=f"dlmod mwagentx {os.path.abspath(MODULE)}\nmwagentxConfig {config}\n")
    wait_for(lambda: "not serving MWAGENTX-MIB" in snmpd.log(), 10, "the error in snmpd's log")
    assert f"{config}:1:" in snmpd.log()
    assert served_version(snmpd.port) is None
    assert threads(snmpd.proc.pid) == 1


def test_a_directive_without_its_path_is_named_by_snmpd(started):
    snmpd = started.snmpd(extra_conf=f"dlmod mwagentx {os.path.abspath(MODULE)}\nmwagentxConfig\n")
    wait_for(lambda: "following mwagentxConfig token" in snmpd.log(), 10, "snmpd naming the bad line")
    assert snmpd.running()


def test_stopping_snmpd_with_the_module_exits_cleanly(started):
    memcached = started.memcached()
    snmpd = start_with_module(started, memcached)
    snmpd.stop()
    assert snmpd.proc.returncode == 0, snmpd.log()[-2000:]
    assert "lock in _callback_lock" not in snmpd.log(), snmpd.log()[-2000:]
