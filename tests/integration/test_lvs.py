"""LVS end to end: snmpd as AgentX master, mwagentx reading IPVS from a
procfs fixture tree that the test rewrites between polls (this kernel may
have no IPVS), and, where the kernel has IPVS and the test runs as root,
from live services made with ipvsadm in a private network namespace."""
import os
import re
import shutil
import subprocess
import time

import pytest

import snmp
from harness import AGENT, Process, wait_for
from canned_server import fixture_path
from ipvsadm_connections import CONN_STATES, ipvsadm_connections
from lvs_procfs import copy_fixture, write_ip_vs

UP, NOT_PRESENT = "1", "5"
PROCFS, NETLINK = "1", "2"

def config(snmpd, procfs, source="procfs"):
    return (f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 1\ntimeout 0.5\n"
            f"lvs lb source={source} procfs={procfs}\n")


def instance(name):
    return f'MWAGENTX-MIB::mwxLvs{name}."lb"'


def served(port, name):
    try:
        got = snmp.get(port, instance(name))[instance(name)]
    except AssertionError:
        return None
    return None if got.absent else got.text


def numeric_walk(port, oid):
    out = subprocess.run(["snmpwalk", "-v2c", "-c", "public", "-On"] + snmp.MIB_ARGS +
                         [f"127.0.0.1:{port}", oid], capture_output=True, text=True, check=True).stdout
    return dict(line.split(" = ", 1) for line in out.splitlines() if " = " in line)


def test_walk_shows_the_fixture_tree_with_names_and_readable_addresses(started):
    snmpd = started.snmpd()
    procfs = copy_fixture(started.workdir)
    started.agent(config(snmpd, procfs))
    wait_for(lambda: served(snmpd.port, "Status") == UP, 10, "the lvs instance up")
    walked = snmp.walk(snmpd.port, "MWAGENTX-MIB::mwxLvs")
    assert walked[instance("Source")].text == PROCFS
    assert walked[instance("Version")].text == "1.2.1"
    assert walked[instance("ConnTableSize")].number() == 4096
    assert walked[instance("Services")].number() == 4
    assert walked[instance("RealServers")].number() == 10
    assert walked[instance("TotalConns")].type == "Counter64"
    assert walked[instance("TotalConns")].number() == 0x16AA370
    assert walked[instance("TotalInBytes")].number() == 0x51D8C8883AB3
    assert walked[instance("TotalInPps")].number() == 0x1FB3C
    assert walked[instance("Amemthresh")].number() == 1024
    # Addresses print as addresses in the indexes.
    scheduler = [name for name in walked if name.startswith("MWAGENTX-MIB::mwxLvsServiceScheduler.")]
    assert len(scheduler) == 4
    assert any(name.endswith('"lb".tcp.ipv4."192.168.0.22".3306.0') for name in scheduler), scheduler
    assert any(name.endswith('"lb".fwmark.unknown."".0.268439552') for name in scheduler), scheduler
    weights = {name: v for name, v in walked.items() if name.startswith("MWAGENTX-MIB::mwxLvsRealServerWeight.")}
    assert len(weights) == 10
    assert any('tcp.ipv4."192.168.0.57".3306.0.ipv4."192.168.84.22".3306' in name and v.text == "0"
               for name, v in weights.items()), weights
    # procfs has no traffic counters per service: absent, not zero.
    assert not [name for name in walked if name.startswith("MWAGENTX-MIB::mwxLvsServiceConns.")]
    assert not [name for name in walked if name.startswith("MWAGENTX-MIB::mwxLvsRealServerInBytes.")]


def test_services_come_and_go_and_the_others_keep_their_oids(started):
    snmpd = started.snmpd()
    procfs = copy_fixture(started.workdir)
    a = ("0A000001", 80, [("0A000101", 80, 1, 5, 1), ("0A000102", 80, 0, 0, 0)])
    b = ("0A000002", 443, [("0A000201", 443, 2, 7, 3)])
    c = ("0A000003", 53, [("0A000301", 53, 1, 1, 1)])
    write_ip_vs(procfs, [a, b])
    started.agent(config(snmpd, procfs))
    wait_for(lambda: served(snmpd.port, "Services") == "2", 10, "two services")
    before = numeric_walk(snmpd.port, "MWAGENTX-MIB::mwxLvsRealServerActiveConns")
    assert sorted(before.values()) == ["Gauge32: 0", "Gauge32: 5", "Gauge32: 7"]

    write_ip_vs(procfs, [c, b])  # a leaves, c arrives; b's counts change
    wait_for(lambda: served(snmpd.port, "Services") == "2" and
             len(set(numeric_walk(snmpd.port, "MWAGENTX-MIB::mwxLvsRealServerActiveConns")) & set(before)) == 1,
             5, "the next poll")
    after = numeric_walk(snmpd.port, "MWAGENTX-MIB::mwxLvsRealServerActiveConns")
    b_oid = next(oid for oid, v in before.items() if v == "Gauge32: 7")
    assert b_oid in after, "b's real server kept its OID"
    assert len(after) == 2
    assert not any(oid in after for oid, v in before.items() if v != "Gauge32: 7"), "a's rows are gone"


def test_zeroed_counters_and_recreated_services_move_their_discontinuity(started):
    """ipvsadm -Z zeroes /proc/net/ip_vs_stats; a service deleted and added
    again between polls starts a new count under the same OID; labels say
    which row is which."""
    snmpd = started.snmpd()
    procfs = copy_fixture(started.workdir)
    a = ("0A000001", 80, [("0A000101", 80, 1, 5, 1)])
    b = ("0A000002", 443, [("0A000201", 443, 2, 7, 3)])
    write_ip_vs(procfs, [a, b])
    started.agent(config(snmpd, procfs))
    wait_for(lambda: served(snmpd.port, "Services") == "2", 10, "two services")
    labels = snmp.walk(snmpd.port, "MWAGENTX-MIB::mwxLvsServiceLabel")
    assert sorted(v.text for v in labels.values()) == ["lb/tcp 10.0.0.1:80", "lb/tcp 10.0.0.2:443"]
    reals = snmp.walk(snmpd.port, "MWAGENTX-MIB::mwxLvsRealServerLabel")
    assert sorted(v.text for v in reals.values()) == ["lb/tcp 10.0.0.1:80 -> 10.0.1.1:80",
                                                      "lb/tcp 10.0.0.2:443 -> 10.0.2.1:443"]

    def service_times():
        return {name.split(".", 1)[1]: v.text
                for name, v in snmp.walk(snmpd.port, "MWAGENTX-MIB::mwxLvsServiceDiscontinuityTime").items()}

    first_totals = served(snmpd.port, "DiscontinuityTime")
    first_services = service_times()
    time.sleep(1.2)  # DateAndTime counts tenths; make a move visible

    stats = os.path.join(procfs, "net", "ip_vs_stats")
    with open(stats) as f:
        text = f.read()
    with open(stats + ".new", "w") as f:
        f.write(text.replace(" 16AA370 E33656E5", "       3        5"))
    os.replace(stats + ".new", stats)
    write_ip_vs(procfs, [b])  # a deleted ...
    wait_for(lambda: served(snmpd.port, "Services") == "1", 5, "a gone")
    write_ip_vs(procfs, [a, b])  # ... and created again
    wait_for(lambda: served(snmpd.port, "Services") == "2", 5, "a back")
    assert served(snmpd.port, "DiscontinuityTime") != first_totals, "zeroed totals are a discontinuity"
    assert served(snmpd.port, "DiscontinuityAge") in ("0", "1", "2")
    now_services = service_times()
    a_key = next(k for k in first_services if '"10.0.0.1"' in k)
    b_key = next(k for k in first_services if '"10.0.0.2"' in k)
    assert now_services[a_key] != first_services[a_key], "a re-created service starts a new count"
    assert now_services[b_key] == first_services[b_key], "b's counters went on"


def test_a_host_without_ipvs_is_not_present_quietly(started):
    snmpd = started.snmpd()
    procfs = os.path.join(started.workdir, "no-ipvs-procfs")
    os.makedirs(os.path.join(procfs, "net"))
    agent = started.agent(config(snmpd, procfs, source="auto"))
    wait_for(lambda: served(snmpd.port, "Status") == NOT_PRESENT, 10, "Status notPresent")
    assert "no IPVS" in served(snmpd.port, "LastError")
    assert served(snmpd.port, "Services") is None
    wait_for(lambda: served(snmpd.port, "LastPollAge") == "0", 5, "more polls")
    assert "[lvs]" not in agent.log(), "not present is logged at debug only, not every poll"


def ipvs_available():
    if not os.path.exists("/proc/net/ip_vs") and shutil.which("modprobe"):
        subprocess.run(["modprobe", "ip_vs"], capture_output=True)
    return os.path.exists("/proc/net/ip_vs")


def test_live_ipvs_in_a_private_network_namespace(started):
    if os.geteuid() != 0:
        pytest.skip("the live IPVS test needs root (CAP_NET_ADMIN and a new network namespace)")
    if not ipvs_available():
        pytest.skip("this kernel has no IPVS (no /proc/net/ip_vs, modprobe ip_vs failed): "
                    "the live netlink test runs only where CONFIG_IP_VS is set")
    if not shutil.which("ipvsadm") or not shutil.which("unshare"):
        pytest.skip("ipvsadm or unshare is missing: scripts/deps.sh installs ipvsadm")
    snmpd = started.snmpd()
    conf = os.path.join(started.workdir, "live.conf")
    with open(conf, "w") as f:
        f.write(f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 1\ntimeout 0.5\n"
                "lvs lb source=netlink\n")
    script = ("set -e; ip link set lo up 2>/dev/null || true; "
              "ipvsadm -A -t 10.9.9.1:80 -s wrr -p 120; "
              "ipvsadm -a -t 10.9.9.1:80 -r 10.9.9.2:8080 -m -w 3; "
              "ipvsadm -a -t 10.9.9.1:80 -r 10.9.9.3:8080 -m -w 0; "
              "ipvsadm -A -u [fd00::1]:53 -s rr; "
              f"exec {AGENT} -f -c {conf}")
    agent = started._add(Process("mwagentx-netns", ["unshare", "--net", "sh", "-c", script], started.workdir).start())
    wait_for(lambda: served(snmpd.port, "Status") == UP, 10, "the live instance up")
    assert served(snmpd.port, "Source") == NETLINK
    assert served(snmpd.port, "Services") == "2"
    assert served(snmpd.port, "RealServers") == "2"
    walked = snmp.walk(snmpd.port, "MWAGENTX-MIB::mwxLvs")
    weights = sorted(v.text for name, v in walked.items() if name.startswith("MWAGENTX-MIB::mwxLvsRealServerWeight."))
    assert weights == ["0", "3"]
    timeouts = [v.number() for name, v in walked.items()
                if name.startswith("MWAGENTX-MIB::mwxLvsServicePersistenceTimeout.")]
    assert sorted(timeouts) == [0, 120]
    conns = [name for name in walked if name.startswith("MWAGENTX-MIB::mwxLvsServiceConns.")]
    assert len(conns) == 2, "netlink serves the traffic counters"
    assert all(walked[name].type == "Counter64" for name in conns)
    assert agent.running()


REAL_KERNEL = "lvs/real-kernel-6.1"
PROTOCOLS = {"TCP": 1, "UDP": 2, "SCTP": 3, "FWM": 4}
FORWARDS = {"Masq": "masq(1)", "Local": "local(2)", "Tunnel": "tunnel(3)", "Route": "route(4)"}
INET_ADDRESS_TYPE = {4: 1, 6: 2}  # ipv4(1), ipv6(2)


def real_kernel_procfs(workdir):
    """A procfs tree of the kernel's own files (fixtures/real-kernel-6.1)."""
    procfs = os.path.join(workdir, "real-procfs")
    os.makedirs(os.path.join(procfs, "net"))
    os.makedirs(os.path.join(procfs, "sys", "net", "ipv4", "vs"))
    shutil.copy(fixture_path(f"{REAL_KERNEL}/proc_net_ip_vs.txt"), os.path.join(procfs, "net", "ip_vs"))
    shutil.copy(fixture_path(f"{REAL_KERNEL}/proc_net_ip_vs_stats.txt"), os.path.join(procfs, "net", "ip_vs_stats"))
    shutil.copy(fixture_path(f"{REAL_KERNEL}/proc_net_ip_vs_conn.txt"), os.path.join(procfs, "net", "ip_vs_conn"))
    with open(fixture_path(f"{REAL_KERNEL}/proc_sys_net_ipv4_vs.txt")) as f:
        for name, value in (line.split() for line in f if line.strip()):
            with open(os.path.join(procfs, "sys", "net", "ipv4", "vs", name), "w") as out:
                out.write(value + "\n")
    return procfs


def ipvsadm_services(text):
    """`ipvsadm -Ln --exact` as {(protocol, family, address, port, mark): service}."""
    services, current = {}, None
    for line in text.splitlines()[3:]:
        words = line.split()
        if line.startswith("  ->"):
            host, port = words[1].rsplit(":", 1)
            current["reals"][(host.strip("[]"), int(port))] = dict(zip(("forward", "weight", "active", "inactive"),
                                                                      words[2:6]))
            continue
        protocol, where = words[0], words[1]
        rest = words[2:]
        family = 4
        if protocol == "FWM":
            key_address, port, mark = "", 0, int(where)
            if rest[0] == "IPv6":
                family, rest = 6, rest[1:]
        else:
            host, port = where.rsplit(":", 1)
            key_address, port, mark = host.strip("[]"), int(port), 0
            family = 6 if host.startswith("[") else 4
        current = {"scheduler": rest[0], "reals": {}, "timeout": "0", "prefix": None}
        if "persistent" in rest:
            current["timeout"] = rest[rest.index("persistent") + 1]
            if "mask" in rest:
                mask = rest[rest.index("mask") + 1]
                current["prefix"] = (str(sum(bin(int(o)).count("1") for o in mask.split(".")))
                                     if "." in mask else mask)
            else:
                current["prefix"] = "32" if family == 4 else "128"  # ipvsadm's defaults
        services[(PROTOCOLS[protocol], family, key_address, port, mark)] = current
    return services


def dumped(text, column):
    """{index after the instance name: value} of one column of --dump."""
    prefix = f'MWAGENTX-MIB::{column}."lb".'
    out = {}
    for line in text.splitlines():
        if line.startswith(prefix):
            index, value = line[len(prefix):].split(" = ", 1)
            out[index] = value.split(": ", 1)[1].split(" ")[0].strip('"')
    return out


def test_procfs_of_a_real_kernel_is_served_as_ipvsadm_shows_it(started):
    """Debian's 6.1 kernel's /proc/net/ip_vs (captured in a VM with real
    IPVS) against ipvsadm -Ln --exact of the same moment, value for value:
    persistence timeouts in seconds (the file has jiffies of HZ 250),
    IPv4 netmasks and IPv6 prefixes (printed through ntohl(), on a
    firewall-mark line without an address), schedulers, forwarding,
    weights and connections of 2,014 real servers."""
    procfs = real_kernel_procfs(started.workdir)
    conf = os.path.join(started.workdir, "real.conf")
    with open(conf, "w") as f:
        f.write(f"lvs lb source=procfs procfs={procfs} hz=250\n")
    done = subprocess.run([AGENT, "-c", conf, "--dump"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    with open(fixture_path(f"{REAL_KERNEL}/ipvsadm-Ln-exact.txt")) as f:
        truth = ipvsadm_services(f.read())
    assert len(truth) == 11
    columns = {c: dumped(done.stdout, f"mwxLvs{c}") for c in (
        "ServiceScheduler", "ServicePersistenceTimeout", "ServicePersistencePrefix", "RealServerForwardMethod",
        "RealServerWeight", "RealServerActiveConns", "RealServerInactiveConns")}
    compared = 0
    served_marks = []
    for (protocol, family, address, port, mark), service in truth.items():
        # procfs prints no family for a mark: its rows have type unknown(0).
        index = f'{protocol}.{0 if mark else INET_ADDRESS_TYPE[family]}."{address}".{port}.{mark}'
        if index not in columns["ServiceScheduler"]:
            assert mark, f"{index} not served"
            continue  # the same mark in IPv4 and IPv6: procfs serves one row (the MIB says so)
        if columns["ServiceScheduler"][index] != service["scheduler"]:
            assert mark, (index, service)
            continue  # the other one of the pair
        served_marks += [mark] if mark else []
        assert columns["ServicePersistenceTimeout"][index] == service["timeout"], (index, service)
        assert columns["ServicePersistencePrefix"].get(index) == service["prefix"], (index, service)
        compared += 3
        for (real_address, real_port), real in service["reals"].items():
            real_family = 6 if ":" in real_address else 4
            real_index = f'{index}.{INET_ADDRESS_TYPE[real_family]}."{real_address}".{real_port}'
            assert columns["RealServerForwardMethod"][real_index] == FORWARDS[real["forward"]], real_index
            assert columns["RealServerWeight"][real_index] == real["weight"], real_index
            assert columns["RealServerActiveConns"][real_index] == real["active"], real_index
            assert columns["RealServerInactiveConns"][real_index] == real["inactive"], real_index
            compared += 4
    assert sorted(served_marks) == [5, 7]
    assert compared > 8000
    print(f"compared {compared} values with ipvsadm -Ln --exact")


def connection_key(protocol, host, port):
    """An ipvsadm -Lnc service as (protocol number, family 4 or 6, address, port)."""
    return PROTOCOLS[protocol], 6 if host.startswith("[") else 4, host.strip("[]"), port


def test_connections_of_a_real_kernel_by_state_are_ipvsadms(started):
    """Debian's 6.1 kernel's /proc/net/ip_vs_conn, counted by service and
    state, against ipvsadm -Lnc of the same moment; then the same table
    with conn_limit below its size: the count says it stopped there."""
    procfs = real_kernel_procfs(started.workdir)
    conf = os.path.join(started.workdir, "conns.conf")
    dumps = {}
    for limit in (1000000, 10):
        with open(conf, "w") as f:
            f.write(f"lvs lb source=procfs procfs={procfs} hz=250 conn_limit={limit}\n")
        done = subprocess.run([AGENT, "-c", conf, "--dump"], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        dumps[limit] = done.stdout
    with open(fixture_path(f"{REAL_KERNEL}/ipvsadm-Lnc.txt")) as f:
        truth = ipvsadm_connections(f.read(), connection_key)
    columns = ["Entries", "OtherStates", *CONN_STATES.values()]
    served = {c: dumped(dumps[1000000], f"mwxLvsServiceConn{c}") for c in columns}
    assert len(served["Entries"]) == 8, "every service but the two firewall-mark ones"
    compared = 0
    keys = {}
    for index, entries in served["Entries"].items():
        protocol, family, address, port, mark = re.fullmatch(r'(\d+)\.(\d+)\."([^"]*)"\.(\d+)\.(\d+)', index).groups()
        key = keys[index] = (int(protocol), 4 if family == "1" else 6, address, int(port))
        expected = truth.get(key, {})
        assert int(entries) == expected.get("Entries", 0), index
        for column in columns[1:]:
            assert int(served[column][index]) == expected.get(column, 0), (index, column)
            compared += 1
    assert set(truth) <= set(keys.values()), "every service with connections has its row"
    assert sum(v["Entries"] for v in truth.values()) == 65
    whole, capped = agent_instance(dumps[1000000]), agent_instance(dumps[10])
    assert (whole["ConnEntries"], whole["ConnEntriesUnmatched"], whole["ConnCountEnd"]) == \
        ("65 entries", "0 entries", "complete(1)")
    assert (capped["ConnEntries"], capped["ConnCountEnd"]) == ("10 entries", "limit(2)")
    print(f"compared {compared} connection counts with ipvsadm -Lnc")


def agent_instance(text):
    """{column: value} of the lvs instance row of --dump."""
    out = {}
    for line in text.splitlines():
        if line.startswith('MWAGENTX-MIB::mwxLvs') and '."lb" = ' in line:
            column, value = line[len("MWAGENTX-MIB::mwxLvs"):].split('."lb" = ', 1)
            out[column] = value.split(": ", 1)[1] if ": " in value else value
    return out
