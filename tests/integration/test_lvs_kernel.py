"""LVS against a real kernel's IPVS: Debian's own kernel booted under qemu
(kernel_vm.py), real services made with ipvsadm and real traffic through
them (lvs_guest.sh), mwagentx inside the VM behind a private snmpd. What
the agent serves, over netlink and over procfs, through snmpd and with
--dump, is compared value for value with ipvsadm's own views taken just
before and just after each reading. Where qemu cannot start a VM the test
fails and says why."""
import ipaddress
import os
import re
import time

import pytest

from harness import AGENT, IETF_MIBS, MIB_DIR
from ipvsadm_connections import CONN_STATES, ipvsadm_connections
from kernel_vm import ROOT, KernelVm

GUEST_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lvs_guest.sh")
PROTOCOLS = {"TCP": "tcp", "UDP": "udp", "SCTP": "sctp", "FWM": "fwmark",
             "1": "tcp", "2": "udp", "3": "sctp", "4": "fwmark"}
FAMILIES = {"0": "unknown", "1": "ipv4", "2": "ipv6"}
FORWARDS = {"Masq": "masq", "Local": "local", "Tunnel": "tunnel", "Route": "route"}


def in_guest(path):
    """A path under the source tree as the guest sees it (/repo/...)."""
    return "/repo/" + os.path.relpath(os.path.realpath(path), ROOT)


@pytest.fixture(scope="module")
def vm(tmp_path_factory):
    machine = KernelVm(str(tmp_path_factory.mktemp("vm")))
    with open(GUEST_SCRIPT) as f:
        script = f"AGENT={in_guest(AGENT)}\nMIBDIRS={IETF_MIBS}:/usr/share/snmp/mibs:{in_guest(MIB_DIR)}\n" + f.read()
    started = time.monotonic()
    status = machine.run(script, timeout=600)
    seconds = time.monotonic() - started
    assert status == 0, f"the guest script failed ({status}):\n{machine.guest_log()[-4000:]}"
    print(f"\nVM under {machine.accel}: guest running after {machine.boot_seconds:.0f} s, done after {seconds:.0f} s")
    return machine


def read(vm, name):
    with open(os.path.join(vm.out_dir, name), errors="replace") as f:
        return f.read()


def address_text(text):
    """An address as ipvsadm prints it, from --dump ("2001:db8::1"),
    snmpwalk ("20:01:0d:b8:...": the index's octets) or ipvsadm."""
    text = text.strip("[]")
    if re.fullmatch(r"([0-9a-f]{2}:){15}[0-9a-f]{2}", text):
        return str(ipaddress.IPv6Address(bytes(int(b, 16) for b in text.split(":"))))
    return text


# --- ipvsadm's views -------------------------------------------------------

def ipvsadm_key(words):
    """(service key, the words after it) of an ipvsadm service line. A key is
    (protocol, family, address, port, mark); a mark's address is empty."""
    protocol, where, rest = PROTOCOLS[words[0]], words[1], words[2:]
    if protocol == "fwmark":
        family = "ipv4"
        if rest and rest[0] == "IPv6":
            family, rest = "ipv6", rest[1:]
        return (protocol, family, "", 0, int(where)), rest
    host, port = where.rsplit(":", 1)
    return (protocol, "ipv6" if host.startswith("[") else "ipv4", address_text(host), int(port), 0), rest


def ipvsadm_view(text, columns):
    """One `ipvsadm -Ln` view: {key: {"fields": {...}, "reals": {(address, port): {...}}}}.
    `columns` names the numbers of each line; empty for the plain list,
    whose service lines carry the scheduler and persistence."""
    view, current = {}, None
    for line in text.splitlines()[3:]:
        words = line.split()
        if not words:
            continue
        if words[0] == "->":
            host, port = words[1].rsplit(":", 1)
            names = columns or ("forward", "weight", "active", "inactive")
            fields = dict(zip(names, words[2:2 + len(names)]))
            if "forward" in fields:
                fields["forward"] = FORWARDS[fields["forward"]]
            current["reals"][(address_text(host), int(port))] = fields
            continue
        key, rest = ipvsadm_key(words)
        if key in view:  # --persistent-conn and --thresholds print a service line twice
            current = view[key]
            continue
        fields = {}
        if columns and rest and rest[0].isdigit():
            fields = dict(zip(columns, rest))
        elif not columns:
            fields = {"scheduler": rest[0], "timeout": "0", "prefix": None}
            if "persistent" in rest:
                fields["timeout"] = rest[rest.index("persistent") + 1]
                mask = rest[rest.index("mask") + 1] if "mask" in rest else \
                    ("255.255.255.255" if key[1] == "ipv4" else "128")
                fields["prefix"] = str(sum(bin(int(o)).count("1") for o in mask.split("."))) if "." in mask else mask
        current = view[key] = {"fields": fields, "reals": {}}
    return view


def ipvsadm_views(vm, moment):
    return {
        "list": ipvsadm_view(read(vm, f"{moment}-list.txt"), ()),
        "stats": ipvsadm_view(read(vm, f"{moment}-stats.txt"), ("conns", "inpkts", "outpkts", "inbytes", "outbytes")),
        "rate": ipvsadm_view(read(vm, f"{moment}-rate.txt"), ("cps", "inpps", "outpps", "inbps", "outbps")),
        "persistent": ipvsadm_view(read(vm, f"{moment}-persistent.txt"), ("weight", "persistent", "active", "inactive")),
        "thresholds": ipvsadm_view(read(vm, f"{moment}-thresholds.txt"), ("upper", "lower", "active", "inactive")),
    }


def connection_key(protocol, host, port):
    """An ipvsadm -Lnc service as ipvsadm_key's (protocol, family, address, port, mark)."""
    return PROTOCOLS[protocol], "ipv6" if host.startswith("[") else "ipv4", address_text(host), port, 0


def ipvsadm_settings(moment_views):
    """`ipvsadm -L --timeout` and `--daemon` as the agent's instance columns."""
    timeout, daemon = moment_views
    tcp, fin, udp = re.search(r"Timeout \(tcp tcpfin udp\): (\d+) (\d+) (\d+)", timeout).groups()
    settings = {"TimeoutTcp": tcp, "TimeoutTcpFin": fin, "TimeoutUdp": udp}
    roles = []
    for role, interface, sync_id in re.findall(r"(master|backup) sync daemon \(mcast=(\w+), syncid=(\d+)", daemon):
        roles.append(role)
        settings[f"Sync{role.capitalize()}Interface"] = interface
        settings[f"Sync{role.capitalize()}SyncId"] = sync_id
    settings["SyncRole"] = "masterAndBackup" if len(roles) == 2 else roles[0] if roles else "none"
    return settings


def ip_vs_stats(text):
    """/proc/net/ip_vs_stats: the totals and rates, in hex, as numbers."""
    rows = [line.split() for line in text.splitlines() if re.fullmatch(r"(\s+[0-9A-F]+){5}", line)]
    names = ("Conns", "InPkts", "OutPkts", "InBytes", "OutBytes", "Cps", "InPps", "OutPps", "InBps", "OutBps")
    return dict(zip(names, (str(int(v, 16)) for v in rows[0] + rows[1])))


# --- the agent's views -----------------------------------------------------

ROW = re.compile(r'^MWAGENTX-MIB::mwxLvs(Service|RealServer)(\w+)\."lb"\.(\w+)\.(\w+)\."([^"]*)"\.(\d+)\.(\d+)'
                 r'(?:\.(\w+)\."([^"]*)"\.(\d+))? = [\w-]+: ?(\S*)')
TOTAL = re.compile(r'^MWAGENTX-MIB::mwxLvs(\w+)\."lb" = [\w-]+: ?(\S*)')


def agent_rows(text):
    """{(service key, real server or None): {column: value}} of --dump or
    snmpwalk output; a service key as ipvsadm_key's, with the family the
    agent serves (unknown for a mark read from procfs)."""
    rows = {}
    for line in text.splitlines():
        m = ROW.match(line)
        if not m:
            continue
        table, column, protocol, family, address, port, mark, real_family, real_address, real_port, value = m.groups()
        protocol, family = PROTOCOLS.get(protocol, protocol), FAMILIES.get(family, family)
        address = "" if protocol == "fwmark" else address_text(address)
        service = (protocol, family, address, int(port), int(mark))
        real = (address_text(real_address), int(real_port)) if table == "RealServer" else None
        rows.setdefault((service, real), {})[column] = re.sub(r"\(\d+\)$", "", value)
    return rows


def agent_scalars(text):
    return {m.group(1): re.sub(r"\(\d+\)$", "", m.group(2)).strip('"') for m in map(TOTAL.match, text.splitlines()) if m}


# Columns of the agent, each with the ipvsadm view and field that says the same.
LIST_SERVICE = [("Scheduler", "list", "scheduler"), ("PersistenceTimeout", "list", "timeout"),
                ("PersistencePrefix", "list", "prefix")]
LIST_REAL = [("ForwardMethod", "list", "forward"), ("Weight", "list", "weight"),
             ("ActiveConns", "list", "active"), ("InactiveConns", "list", "inactive")]
COUNTERS = [("Conns", "stats", "conns"), ("InPkts", "stats", "inpkts"), ("OutPkts", "stats", "outpkts"),
            ("InBytes", "stats", "inbytes"), ("OutBytes", "stats", "outbytes")]
RATES = [("Cps", "rate", "cps"), ("InPps", "rate", "inpps"), ("OutPps", "rate", "outpps"),
         ("InBps", "rate", "inbps"), ("OutBps", "rate", "outbps")]
NETLINK_REAL = [("UpperThreshold", "thresholds", "upper"), ("LowerThreshold", "thresholds", "lower"),
                ("PersistentConns", "persistent", "persistent")]


def truth(views, view, key, real, field):
    entry = views[view].get(key)
    if entry is None:
        return None
    return (entry["fields"] if real is None else entry["reals"].get(real, {})).get(field)


class Comparison:
    """Counts values compared and collects mismatches."""

    def __init__(self, before, after):
        self.before, self.after, self.count, self.wrong = before, after, 0, []

    def value(self, what, got, view, key, real, field):
        # A reading lies between the two captures: either one's value is
        # right. A rate may be anywhere between them: with no traffic the
        # kernel's estimator only decays, every 2 s.
        was, now = truth(self.before, view, key, real, field), truth(self.after, view, key, real, field)
        if view == "rate" and None not in (got, was, now):
            right = min(int(was), int(now)) <= int(got) <= max(int(was), int(now))
        else:
            right = got in (was, now)
        if not right:
            self.wrong.append((what, key, real, got, sorted({str(was), str(now)})))
        self.count += 1

    def rows(self, rows, service_checks, real_checks, key_of=lambda service: service):
        served = set()
        for (service, real), columns in rows.items():
            key = key_of(service)
            served.add(key)
            for column, view, field in (service_checks if real is None else real_checks):
                self.value(column, columns.get(column), view, key, real, field)
        return served

    def assert_none_wrong(self):
        assert not self.wrong, f"{len(self.wrong)} of {self.count} values differ from ipvsadm's, e.g. {self.wrong[:5]}"


def every_real_served(rows, views, key_of=lambda service: service):
    served = {(key_of(service), real) for service, real in rows if real is not None}
    listed = {(key, real) for key, entry in views["list"].items() for real in entry["reals"]}
    return served, listed


def test_netlink_through_snmpd_and_dump_is_what_ipvsadm_shows(vm):
    before, after = ipvsadm_views(vm, "before"), ipvsadm_views(vm, "after")
    assert len(before["list"]) == 11 and sum(len(e["reals"]) for e in before["list"].values()) == 2014
    compared = 0
    # --dump polls when it runs, between the two captures: rates too.
    dump = agent_rows(read(vm, "dump-netlink.txt"))
    check = Comparison(before, after)
    served = check.rows(dump, LIST_SERVICE + COUNTERS + RATES, LIST_REAL + COUNTERS + RATES + NETLINK_REAL)
    check.assert_none_wrong()
    assert served == set(before["list"]), "netlink serves every service, marks with their family"
    reals, listed = every_real_served(dump, before)
    assert reals == listed
    compared += check.count
    # Through snmpd (AgentX), from the agent's last poll: the traffic had
    # stopped, so all but the decaying rates hold still.
    walked = agent_rows(read(vm, "walk.txt"))
    check = Comparison(before, after)
    check.rows(walked, LIST_SERVICE + COUNTERS, LIST_REAL + COUNTERS + NETLINK_REAL)
    check.assert_none_wrong()
    assert {service for service, _ in walked} == set(before["list"])
    compared += check.count
    # Real traffic went through: IPv4 TCP and UDP, IPv6 TCP.
    for key in (("tcp", "ipv4", "192.0.2.10", 80, 0), ("udp", "ipv4", "192.0.2.10", 53, 0),
                ("tcp", "ipv6", "2001:db8:10::10", 80, 0)):
        assert int(dump[(key, None)]["InPkts"]) > 0, key
    # The totals, against /proc/net/ip_vs_stats before and after.
    totals = agent_scalars(read(vm, "dump-netlink.txt"))
    stats = ip_vs_stats(read(vm, "before-ip_vs_stats.txt")), ip_vs_stats(read(vm, "after-ip_vs_stats.txt"))
    for name in stats[0]:
        assert totals[f"Total{name}"] in (stats[0][name], stats[1][name]), name
        compared += 1
    print(f"netlink: {compared} values compared with ipvsadm and /proc/net/ip_vs_stats")


def test_kernel_timeouts_and_sync_daemons_are_ipvsadms(vm):
    """ipvsadm --set 901 121 301, a master daemon on d0 (sync id 7) and a
    backup on d1 (sync id 9): over netlink, through snmpd and --dump, as
    ipvsadm -L --timeout and --daemon show them; absent from procfs."""
    truth = ipvsadm_settings((read(vm, "before-timeout.txt"), read(vm, "before-daemon.txt")))
    assert truth == {"TimeoutTcp": "901", "TimeoutTcpFin": "121", "TimeoutUdp": "301", "SyncRole": "masterAndBackup",
                     "SyncMasterInterface": "d0", "SyncMasterSyncId": "7", "SyncBackupInterface": "d1",
                     "SyncBackupSyncId": "9"}, "ipvsadm shows what the guest set"
    for name in ("walk.txt", "dump-netlink.txt"):
        scalars = agent_scalars(read(vm, name))
        assert {column: scalars.get(column) for column in truth} == truth, name
    for name in ("dump-procfs.txt", "dump-nobody.txt"):
        scalars = agent_scalars(read(vm, name))
        assert not set(truth) & set(scalars), f"{name}: netlink's columns absent from procfs"


def test_connections_by_state_are_ipvsadms(vm):
    """Each service's connection entries by state, counted from
    /proc/net/ip_vs_conn, equal ipvsadm -Lnc's just before or just after
    the reading, through snmpd and with --dump; none for a mark."""
    before = ipvsadm_connections(read(vm, "before-connections.txt"), connection_key)
    after = ipvsadm_connections(read(vm, "after-connections.txt"), connection_key)
    assert sum(c["Entries"] for c in before.values()) >= 48, "the traffic left its connections in the table"
    columns = ["Entries", "OtherStates", *CONN_STATES.values()]
    compared = 0
    for name in ("walk.txt", "dump-netlink.txt", "dump-procfs.txt"):
        rows = agent_rows(read(vm, name))
        services = {service: values for (service, real), values in rows.items() if real is None}
        counted = {service for service, values in services.items() if "ConnEntries" in values}
        assert counted == {s for s in services if s[0] != "fwmark"}, name
        assert set(before) <= counted, name
        for service in counted:
            for column in columns:
                got = int(services[service][f"Conn{column}"])
                assert got in (before.get(service, {}).get(column, 0), after.get(service, {}).get(column, 0)), \
                    (name, service, column, got)
                compared += 1
        scalars = agent_scalars(read(vm, name))
        assert scalars["ConnCountEnd"] == "complete", name
    print(f"connections: {compared} counts compared with ipvsadm -Lnc")


def procfs_key(views):
    """procfs prints no family for a mark: its rows are unknown(0), and of
    the same mark in IPv4 and IPv6 only the first line is served. The
    ipvsadm key of a row is the one whose scheduler it shows."""
    def key_of(service, rows):
        protocol, family, address, port, mark = service
        if family != "unknown":
            return service
        scheduler = rows[(service, None)]["Scheduler"]
        (key,) = [k for k in views["list"] if k[0] == "fwmark" and k[4] == mark
                  and views["list"][k]["fields"]["scheduler"] == scheduler]
        return key
    return key_of


@pytest.mark.parametrize("dump", ["dump-procfs.txt", "dump-nobody.txt"])
def test_procfs_as_root_and_as_an_unprivileged_user_is_what_ipvsadm_shows(vm, dump):
    """source=procfs, and source=auto as nobody (no CAP_NET_ADMIN: it falls
    back to procfs): persistence timeouts in seconds (the agent found the
    kernel's HZ in /boot/config-RELEASE), netmasks and prefixes, weights
    and connections; the traffic columns absent, not zero."""
    before, after = ipvsadm_views(vm, "before"), ipvsadm_views(vm, "after")
    text = read(vm, dump)
    scalars = agent_scalars(text)
    assert scalars["Source"] == "procfs", scalars["Source"]
    assert "persistence timeouts absent" not in text
    rows = agent_rows(text)
    key_of = procfs_key(before)
    check = Comparison(before, after)
    served = check.rows(rows, LIST_SERVICE, LIST_REAL, key_of=lambda service: key_of(service, rows))
    check.assert_none_wrong()
    assert len(served) == 10 and set(before["list"]) - served <= {("fwmark", "ipv4", "", 0, 5)}
    assert not any("InBytes" in columns or "UpperThreshold" in columns for columns in rows.values())
    print(f"{dump}: {check.count} values compared with ipvsadm")


def walk_of(vm, name):
    text = read(vm, name)
    return text, agent_rows(text)


TRAFFIC = ("tcp", "ipv4", "192.0.2.10", 80, 0)


def test_zeroed_counters_start_over_with_a_discontinuity(vm):
    _, walked = walk_of(vm, "walk.txt")
    text, zeroed = walk_of(vm, "walk-zeroed.txt")
    stats = ipvsadm_view(read(vm, "zeroed-stats.txt"), ("conns", "inpkts", "outpkts", "inbytes", "outbytes"))
    for (service, real), columns in zeroed.items():
        if real is None and service in stats:
            for column, _, field in COUNTERS:
                assert columns[column] == stats[service]["fields"][field] == "0", (service, column)
    assert zeroed[(TRAFFIC, None)]["DiscontinuityTime"] != walked[(TRAFFIC, None)]["DiscontinuityTime"]


def test_a_service_deleted_and_added_again_is_told_and_starts_over(vm):
    _, walked = walk_of(vm, "walk.txt")
    deleted_text, deleted = walk_of(vm, "walk-deleted.txt")
    readded_text, readded = walk_of(vm, "walk-readded.txt")
    assert (TRAFFIC, None) not in deleted
    assert (TRAFFIC, None) in readded
    assert readded[(TRAFFIC, None)]["Conns"] == "0"
    assert readded[(TRAFFIC, None)]["DiscontinuityTime"] != walked[(TRAFFIC, None)]["DiscontinuityTime"]
    assert logged(deleted_text, "lvsServiceRemoved") == ["lb/tcp 192.0.2.10:80"]
    assert logged(readded_text, "lvsServiceAdded") == ["lb/tcp 192.0.2.10:80"]


def logged(text, event_type):
    """The labels of mwxEventTable's rows of `event_type` in a walk."""
    rows = {}
    for column, index, value in re.findall(r"^MWAGENTX-MIB::mwxEvent(Type|Label)\.(\d+) = \w+: (.*)$", text, re.M):
        rows.setdefault(index, {})[column] = value
    return [row["Label"] for row in rows.values() if row.get("Type", "").startswith(event_type + "(")]


def test_procfs_through_snmpd_is_what_ipvsadm_shows(vm):
    """The agent reading procfs behind snmpd: each service's scheduler,
    persistence timeout and prefix as ipvsadm shows them at that moment."""
    final = {"list": ipvsadm_view(read(vm, "final-list.txt"), ())}
    text, rows = walk_of(vm, "walk-procfs.txt")
    assert agent_scalars(text)["Source"] == "procfs"
    key_of = procfs_key(final)
    check = Comparison(final, final)
    served = check.rows(rows, LIST_SERVICE, [], key_of=lambda service: key_of(service, rows))
    check.assert_none_wrong()
    assert len(served) == 10 and check.count == 30
