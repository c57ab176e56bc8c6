"""Notifications end to end: mwagentx detects events in real backends (and
in the Flare fake and an LVS procfs tree), snmpd forwards them to its
trap2sink, Debian's snmptrapd receives them; the same events are rows of
mwxEventTable. Each test asserts the exact notifications received, with
their varbinds."""
import os
import subprocess
import time

import pytest

import snmp
from fake_flare import FlareIndex, fixture
from harness import AGENT, TrapReceiver, wait_for
from lvs_procfs import copy_fixture, write_ip_vs
from qmail_queue import Queue

SNMP_TRAP_OID = ".1.3.6.1.6.3.1.1.4.1.0"
COLD_START = ".1.3.6.1.6.3.1.1.5.1"
ALWAYS = ["mwxEventTime", "mwxEventSubsystem", "mwxEventLabel", "mwxEventText"]


def agent_list(option):
    done = subprocess.run([AGENT, option], capture_output=True, text=True, check=True)
    return [line.split("\t") for line in done.stdout.splitlines()]


OBJECTS = {fields[1]: fields[0] for fields in agent_list("--list-objects")}
NOTIFICATIONS = {fields[2]: (fields[1], fields[3:]) for fields in agent_list("--list-events")
                 if fields[0] == "notification"}
ARCS = {name: int(oid.rsplit(".", 1)[1]) for oid, (name, _) in NOTIFICATIONS.items()}  # mwxEventType's values


def value_of(text):
    kind, _, value = text.partition(": ")
    if kind == "STRING":
        return value[1:-1] if value.startswith('"') else value
    if kind in ("Gauge32", "Counter64", "INTEGER", "Unsigned32") and value.isdigit():
        return int(value)
    return text


class Notification:
    def __init__(self, name, fields, objects):
        self.name, self.fields, self.objects = name, fields, objects

    def __getitem__(self, column):
        return self.fields[column]

    def __repr__(self):
        return f"{self.name}{self.fields}"


class Traps:
    """What snmptrapd received from mwagentx, parsed with the agent's own lists."""

    def __init__(self, receiver):
        self.receiver = receiver

    def raw(self):
        return [dict(v.split(" = ", 1) for v in line.split(TrapReceiver.SEPARATOR)) for line in self.receiver.lines()]

    def received(self):
        out = []
        for line in self.receiver.lines():
            varbinds = [v.split(" = ", 1) for v in line.split(TrapReceiver.SEPARATOR)]
            trap_oid = dict(varbinds).get(SNMP_TRAP_OID, "").partition(": ")[2]
            if trap_oid not in NOTIFICATIONS:
                continue  # snmpd's own (coldStart)
            name, declared = NOTIFICATIONS[trap_oid]
            assert [oid for oid, _ in varbinds[:2]] == [".1.3.6.1.2.1.1.3.0", SNMP_TRAP_OID], line
            fields, objects = {}, []
            for oid, value in varbinds[2:]:
                column, index = oid.rsplit(".", 1)
                objects.append(OBJECTS[column])
                fields[OBJECTS[column]] = value_of(value)
                fields.setdefault("index", int(index))
                assert fields["index"] == int(index), f"{name}: varbinds of two rows: {line}"
            # Exactly the objects its NOTIFICATION-TYPE declares, in order;
            # only mwxEventValue may be absent (a clear with no reading: a
            # slab class that evicted nothing).
            missing = [o for o in declared if o not in objects]
            assert objects == [o for o in declared if o in objects] and set(missing) <= {"mwxEventValue"}, \
                f"{name} carried {objects}, declares {declared}"
            out.append(Notification(name, fields, objects))
        return out

    def names(self):
        return [n.name for n in self.received()]

    def wait(self, name, count=1, timeout=15):
        wait_for(lambda: self.names().count(name) >= count, timeout, f"{count} x {name}; got {self.names()}")
        return [n for n in self.received() if n.name == name]


@pytest.fixture
def notifying(started):
    """snmptrapd, and snmpd sending to it: (snmpd, traps)."""
    receiver = started.trap_receiver()
    snmpd = started.snmpd(extra_conf=f"trap2sink 127.0.0.1:{receiver.port} public\n")
    traps = Traps(receiver)
    # snmpd's coldStart proves the path from snmpd to the receiver.
    wait_for(lambda: any(v.get(SNMP_TRAP_OID, "").endswith(COLD_START) for v in traps.raw()), 10, "snmpd's coldStart")
    return snmpd, traps


def config(snmpd, lines, holdoff=0):
    return (f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 1\ntimeout 0.5\n"
            f"event_holdoff {holdoff}\n" + lines)


def value(snmpd, oid):
    try:
        got = snmp.get(snmpd.port, oid)[oid]
    except AssertionError:
        return None
    return None if got.absent else got.text


def wait_up(snmpd, subsystem, name):
    oid = f'MWAGENTX-MIB::mwx{subsystem}Status."{name}"'
    wait_for(lambda: value(snmpd, oid) == "1", 15, f"{subsystem} {name} up")


def wait_polls(snmpd, subsystem, name, polls=2):
    """Until the instance was polled `polls` more times: what changed was seen."""
    oid = f'MWAGENTX-MIB::mwx{subsystem}Polls."{name}"'
    start = int(value(snmpd, oid))
    wait_for(lambda: int(value(snmpd, oid)) >= start + polls, 10, f"{polls} polls of {name}")


def event_log(snmpd):
    """mwxEventTable as {index: {column: value}}."""
    rows = {}
    for oid, got in snmp.walk(snmpd.port, "MWAGENTX-MIB::mwxEventTable").items():
        column, _, index = oid.partition(".")
        rows.setdefault(int(index), {})[column.split("::")[1]] = value_of(f"{got.type}: {got.text}")
    return rows


def assert_logged_as_sent(snmpd, notifications):
    """Every notification is its row of mwxEventTable, object for object."""
    rows = event_log(snmpd)
    for n in notifications:
        row = rows[n["index"]]
        assert row["mwxEventType"] == ARCS[n.name], (n, row)
        for column in n.objects:
            if column != "mwxEventTime":  # the table prints it as a date
                assert row[column] == n[column], (column, n, row)


def test_memcached_down_up_and_restarted(started, notifying):
    snmpd, traps = notifying
    memcached = started.memcached()
    started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{memcached.port}\n"))
    wait_up(snmpd, "Memcached", "sessions")
    memcached.stop()
    down, = traps.wait("mwxInstanceDown")
    assert down["mwxEventSubsystem"] == "memcached" and down["mwxEventLabel"] == "sessions"
    assert down["mwxEventText"].startswith("memcached sessions is down: ") and down["mwxEventSuppressed"] == 0
    started.memcached(port=memcached.port)
    traps.wait("mwxInstanceUp")
    assert traps.names() == ["mwxInstanceDown", "mwxInstanceRestarted", "mwxInstanceUp"]
    restarted = traps.received()[1]
    assert "restarted" in restarted["mwxEventText"] and restarted["mwxEventLabel"] == "sessions"
    indexes = [n["index"] for n in traps.received()]
    assert indexes == sorted(indexes) and len(set(indexes)) == 3
    assert_logged_as_sent(snmpd, traps.received())
    assert value(snmpd, "MWAGENTX-MIB::mwxEventsLogged.0") == "3"


def test_memcached_connections_and_hit_ratio(started, notifying):
    snmpd, traps = notifying
    # -c 20 -t 1: room for about 7 clients, so usage and refusals are easy to reach.
    memcached = started.memcached(extra_args=("-c", "20", "-t", "1"))
    started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{memcached.port}\n"
                                "event memcached connection_usage rising=30 falling=15\n"
                                "event memcached hit_ratio rising=60 falling=50 for=0\n"))
    wait_up(snmpd, "Memcached", "sessions")
    clients = [memcached.connect() for _ in range(6)]  # 7 of 20 with the agent's own
    high, = traps.wait("mwxMemcachedConnectionsHigh")
    assert high["mwxEventValue"] >= 30 and high["mwxEventThreshold"] == 30
    for client in clients:
        client.close()
    normal, = traps.wait("mwxMemcachedConnectionsNormal")
    assert normal["mwxEventValue"] <= 15 and normal["mwxEventThreshold"] == 15

    deadline = time.time() + 2.5  # only misses for more than a poll interval
    while time.time() < deadline:
        memcached.command("get missing\r\n")
    low, = traps.wait("mwxMemcachedHitRatioLow")
    assert low["mwxEventValue"] <= 50 and low["mwxEventThreshold"] == 50
    memcached.command("set here 0 0 1\r\nx\r\n")
    deadline = time.time() + 2.5
    while time.time() < deadline:
        memcached.command("get here\r\n")
    back, = traps.wait("mwxMemcachedHitRatioNormal")
    assert back["mwxEventValue"] >= 60 and back["mwxEventThreshold"] == 60
    assert traps.names() == ["mwxMemcachedConnectionsHigh", "mwxMemcachedConnectionsNormal",
                             "mwxMemcachedHitRatioLow", "mwxMemcachedHitRatioNormal"]


def fill(memcached, count, size=10000):
    """`count` sets of `size` bytes, one connection, pipelined a reply at a time."""
    with memcached.connect() as s:
        f = s.makefile("rwb")
        value = b"x" * size
        for i in range(count):
            f.write(b"set fill%d 0 0 %d\r\n%s\r\n" % (i, size, value))
            f.flush()
            assert f.readline() == b"STORED\r\n"


def test_memcached_items_evicted_young(started, notifying):
    """A memcached of 2 MB filled with 10 MB evicts items set a moment
    before (evicted_time 0): young. Beside it, a fresh memcached with items
    whose oldest is as young, but which evicts nothing: no alarm for it."""
    snmpd, traps = notifying
    small = started.memcached(extra_args=("-m", "2"))
    fresh = started.memcached()
    started.agent(config(snmpd, f"memcached small 127.0.0.1:{small.port}\n"
                                f"memcached fresh 127.0.0.1:{fresh.port}\n"
                                "event memcached evicted_item_age rising=4 falling=2\n"))
    wait_up(snmpd, "Memcached", "small")
    wait_up(snmpd, "Memcached", "fresh")
    fill(fresh, 20)
    fill(small, 20)  # the slab class appears, and evicts nothing yet
    wait_polls(snmpd, "Memcached", "fresh", polls=3)
    fill(small, 1000)
    assert int(small.stats()["evictions"]) > 0
    young, = traps.wait("mwxMemcachedItemsEvictedYoung")
    slab_class = young["mwxEventLabel"].split("/")[1]
    assert young["mwxEventLabel"] == f"small/{slab_class}"
    evicted_time = int(small.stats("items")[f"items:{slab_class}:evicted_time"])
    assert young["mwxEventValue"] <= 2 and young["mwxEventThreshold"] == 2 and evicted_time <= 2
    # Nothing evicts any more: the class is normal again, with no value to tell.
    normal, = traps.wait("mwxMemcachedItemAgeNormal")
    assert normal["mwxEventLabel"] == young["mwxEventLabel"]
    assert "no item evicted" in normal["mwxEventText"] and "mwxEventValue" not in normal.fields
    wait_polls(snmpd, "Memcached", "fresh", polls=2)
    assert all(n["mwxEventLabel"].startswith("small/") for n in traps.received()), traps.received()
    assert traps.names() == ["mwxMemcachedItemsEvictedYoung", "mwxMemcachedItemAgeNormal"]
    # The per-class figure the event reads, and the oldest-item gauge of the fresh one.
    served = snmp.walk(snmpd.port, "MWAGENTX-MIB::mwxMemcachedSlabEvictedTime")
    assert served[f'MWAGENTX-MIB::mwxMemcachedSlabEvictedTime."small".{slab_class}'].number() == evicted_time
    assert int(value(snmpd, 'MWAGENTX-MIB::mwxMemcachedOldestItemAge."fresh"')) <= 60


def test_memcached_refusing_connections(started, notifying):
    snmpd, traps = notifying
    memcached = started.memcached(extra_args=("-c", "20", "-t", "1"))
    started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{memcached.port}\n"))
    wait_up(snmpd, "Memcached", "sessions")
    before = int(memcached.stats()["rejected_connections"])
    clients = []
    try:  # fill it up, and one more: refused
        while True:
            client = memcached.connect()
            clients.append(client)
            client.sendall(b"version\r\n")
            if b"Too many open connections" in client.recv(100):
                break
    finally:
        for client in clients:
            client.close()
    refused, = traps.wait("mwxMemcachedConnectionsRefused")
    assert refused["mwxEventPreviousValue"] == before and refused["mwxEventValue"] > before
    assert "maxconns" in refused["mwxEventText"]
    # The agent's own poll may have met the full server too: then it was
    # down for a poll. Nothing else is sent.
    assert [n for n in traps.names() if n not in ("mwxInstanceDown", "mwxInstanceUp")] == \
        ["mwxMemcachedConnectionsRefused"]


def test_gearman_jobs_waiting_with_no_worker(started, notifying):
    snmpd, traps = notifying
    gearmand = started.gearmand()
    for i in range(3):
        gearmand.submit_background("resize", f"job{i}")
    started.agent(config(snmpd, f"gearman jobs 127.0.0.1:{gearmand.port}\n"
                                "event gearman waiting_jobs rising=3 falling=0 for=2\n"
                                "event gearman no_worker for=2\n"))
    wait_up(snmpd, "Gearman", "jobs")
    seen_up = time.time()
    high, = traps.wait("mwxGearmanJobsWaitingHigh")
    no_worker, = traps.wait("mwxGearmanNoWorker")
    assert time.time() - seen_up >= 1, "sent before the condition lasted for=2"
    assert (high["mwxEventLabel"], high["mwxEventValue"], high["mwxEventThreshold"]) == ("jobs/resize", 3, 3)
    assert (no_worker["mwxEventLabel"], no_worker["mwxEventValue"]) == ("jobs/resize", 3)
    started.worker(gearmand, "resize", "cat", jobs=3)
    normal, = traps.wait("mwxGearmanJobsWaitingNormal")
    back, = traps.wait("mwxGearmanWorkerBack")
    assert (normal["mwxEventValue"], normal["mwxEventThreshold"]) == (0, 0)
    assert back["mwxEventLabel"] == "jobs/resize"
    assert sorted(traps.names()) == sorted(["mwxGearmanJobsWaitingHigh", "mwxGearmanNoWorker",
                                            "mwxGearmanJobsWaitingNormal", "mwxGearmanWorkerBack"])


def test_qmail_queue_filled_oscillating_and_drained(started, notifying):
    snmpd, traps = notifying
    queue = Queue(os.path.join(started.workdir, "qmail"))
    started.agent(config(snmpd, f"qmail mail {queue.qmail_dir}\n"
                                "event qmail queue_messages rising=3 falling=1\n"
                                "event qmail oldest_todo_age rising=600 falling=300\n"))
    wait_up(snmpd, "Qmail", "mail")
    for number in range(3):
        queue.add(number, remote=True)
    high, = traps.wait("mwxQmailQueueHigh")
    assert (high["mwxEventLabel"], high["mwxEventValue"], high["mwxEventThreshold"]) == ("mail", 3, 3)
    for _ in range(3):  # hovering at the rising threshold: no more notifications
        queue.remove(2)
        wait_polls(snmpd, "Qmail", "mail")
        queue.add(2, remote=True)
        wait_polls(snmpd, "Qmail", "mail")
    assert traps.names() == ["mwxQmailQueueHigh"]
    queue.remove(2)
    queue.remove(1)
    normal, = traps.wait("mwxQmailQueueNormal")
    assert (normal["mwxEventValue"], normal["mwxEventThreshold"]) == (1, 1)

    queue.add(99, preprocessed=False, age=700)  # qmail-send has not looked at it for 700 s
    stuck, = traps.wait("mwxQmailTodoStuck")
    assert stuck["mwxEventValue"] >= 700 and stuck["mwxEventThreshold"] == 600
    queue.remove(99)
    draining, = traps.wait("mwxQmailTodoDraining")
    assert (draining["mwxEventValue"], draining["mwxEventThreshold"]) == (0, 300)
    assert traps.names() == ["mwxQmailQueueHigh", "mwxQmailQueueNormal", "mwxQmailTodoStuck",
                             "mwxQmailTodoDraining"]
    assert_logged_as_sent(snmpd, traps.received())


def test_flare_failover_replayed(started, notifying):
    """The node maps a real Flare 1.3.4 index server gave while its master
    was killed and restarted."""
    snmpd, traps = notifying
    index = FlareIndex(fixture("1.3.4/flarei_stats_nodes.txt"))
    try:
        started.agent(config(snmpd, f"flare cluster 127.0.0.1:{index.port} node_stats=off\n"))
        wait_up(snmpd, "Flare", "cluster")
        index.set_node_map(fixture("1.3.4/flarei_stats_nodes_after_kill.txt"))
        failover, = traps.wait("mwxFlareFailover")
        down, = traps.wait("mwxFlareNodeStateChanged")
        index.set_node_map(fixture("1.3.4/flarei_stats_nodes_old_master_restarted.txt"))
        traps.wait("mwxFlareNodeStateChanged", count=2)
    finally:
        index.close()
    assert (failover["mwxEventLabel"], failover["mwxEventValue"]) == ("cluster/partition 0", 0)
    assert (failover["mwxEventFrom"], failover["mwxEventTo"]) == ("127.0.0.1:11211", "127.0.0.1:11212")
    assert down["mwxEventLabel"] == "cluster/127.0.0.1:11211"
    assert (down["mwxEventFrom"], down["mwxEventTo"]) == ("active", "down")
    back = traps.received()[-1]
    assert (back["mwxEventLabel"], back["mwxEventFrom"], back["mwxEventTo"]) == \
        ("cluster/127.0.0.1:11211", "down", "active")
    assert traps.names() == ["mwxFlareFailover", "mwxFlareNodeStateChanged", "mwxFlareNodeStateChanged"]


def test_lvs_pool_changes(started, notifying):
    snmpd, traps = notifying
    procfs = copy_fixture(started.workdir)
    real1, real2 = ("0A000101", 80, 1, 5, 1), ("0A000102", 80, 3, 0, 0)
    write_ip_vs(procfs, [("0A000001", 80, [real1, real2])])
    started.agent(config(snmpd, f"lvs lb source=procfs procfs={procfs}\n"))
    wait_up(snmpd, "Lvs", "lb")
    service = "lb/tcp 10.0.0.1:80"

    write_ip_vs(procfs, [("0A000001", 80, [real1])])  # real2 leaves
    removed, = traps.wait("mwxLvsRealServerRemoved")
    assert (removed["mwxEventLabel"], removed["mwxEventPreviousValue"]) == (service + " -> 10.0.1.2:80", 3)
    write_ip_vs(procfs, [("0A000001", 80, [real1[:2] + (0,) + real1[3:]])])  # weighted out: none left
    zero, = traps.wait("mwxLvsRealServerWeightZero")
    assert (zero["mwxEventLabel"], zero["mwxEventValue"], zero["mwxEventPreviousValue"]) == \
        (service + " -> 10.0.1.1:80", 0, 1)
    unweighted, = traps.wait("mwxLvsServiceNoWeightedServer")
    assert unweighted["mwxEventLabel"] == service
    write_ip_vs(procfs, [("0A000001", 80, [real1, real2])])  # back, and real2 again
    restored, = traps.wait("mwxLvsRealServerWeightRestored")
    added, = traps.wait("mwxLvsRealServerAdded")
    traps.wait("mwxLvsServiceWeightedAgain")
    assert (restored["mwxEventValue"], restored["mwxEventPreviousValue"]) == (1, 0)
    assert (added["mwxEventLabel"], added["mwxEventValue"]) == (service + " -> 10.0.1.2:80", 3)
    write_ip_vs(procfs, [("0A000001", 80, [real1, real2]), ("0A000002", 443, [real1])])
    service_added, = traps.wait("mwxLvsServiceAdded")
    assert service_added["mwxEventLabel"] == "lb/tcp 10.0.0.2:443"
    write_ip_vs(procfs, [("0A000002", 443, [real1])])
    service_removed, = traps.wait("mwxLvsServiceRemoved")
    assert service_removed["mwxEventLabel"] == service
    assert sorted(traps.names()) == sorted([
        "mwxLvsRealServerRemoved", "mwxLvsRealServerWeightZero", "mwxLvsServiceNoWeightedServer",
        "mwxLvsRealServerWeightRestored", "mwxLvsRealServerAdded", "mwxLvsServiceWeightedAgain",
        "mwxLvsServiceAdded", "mwxLvsServiceRemoved"])


def test_rate_limit_sends_the_latest_state_when_the_holdoff_ends(started, notifying):
    """Down and up are one event to the rate limit. Within a holdoff only
    the first is sent; when it ends, the latest held back is (the trailing
    edge), so a flap that ends down is never left at "up"."""
    snmpd, traps = notifying
    memcached = started.memcached()
    holdoff = 8
    started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{memcached.port}\n"
                                "event memcached restarted off\n", holdoff=holdoff))
    wait_up(snmpd, "Memcached", "sessions")
    status = 'MWAGENTX-MIB::mwxMemcachedStatus."sessions"'

    def flap(end_down):
        nonlocal memcached
        memcached.stop()
        wait_for(lambda: value(snmpd, status) == "2", 10, "down")
        memcached = started.memcached(port=memcached.port)
        wait_up(snmpd, "Memcached", "sessions")
        if end_down:
            memcached.stop()
            wait_for(lambda: value(snmpd, status) == "2", 10, "down again")

    first = time.time()
    flap(end_down=False)
    flap(end_down=False)  # down, up, down, up
    assert time.time() - first < holdoff, "too slow to test the holdoff"
    assert traps.names() == ["mwxInstanceDown"], "one per holdoff, down and up alike"
    up, = traps.wait("mwxInstanceUp", timeout=holdoff + 5)
    assert up["mwxEventSuppressed"] == 2, "the up and the down it replaced"
    assert value(snmpd, "MWAGENTX-MIB::mwxEventsSuppressed.0") == "2"

    # The outage after a flap: down, up, then down for good, all within the
    # holdoff that the trailing up began. The receiver must end up at down.
    second = time.time()
    flap(end_down=True)
    assert time.time() - second < holdoff, "too slow to test the holdoff"
    downs = traps.wait("mwxInstanceDown", count=2, timeout=holdoff + 5)
    assert downs[1]["mwxEventSuppressed"] == 2
    assert traps.names() == ["mwxInstanceDown", "mwxInstanceUp", "mwxInstanceDown"]
    last_logged = lambda: (lambda rows: rows[max(rows)]["mwxEventType"])(event_log(snmpd))  # noqa: E731
    wait_for(lambda: last_logged() == ARCS["mwxInstanceDown"], 5, "mwxEventTable's last row to be the down")


@pytest.mark.agentx_only  # the subagent holding events while snmpd is away
def test_events_while_snmpd_is_away_arrive_after_it_returns(started, notifying):
    snmpd, traps = notifying
    memcached = started.memcached()
    queue = Queue(os.path.join(started.workdir, "qmail"))
    agent = started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{memcached.port}\n"
                                        f"qmail mail {queue.qmail_dir}\n"
                                        "event qmail queue_messages rising=2 falling=0\n"
                                        "event_backlog 2\n"))
    wait_up(snmpd, "Memcached", "sessions")
    wait_up(snmpd, "Qmail", "mail")
    snmpd.stop()
    wait_for(lambda: "lost the AgentX master" in agent.log(), 10, "the agent noticing")
    memcached.stop()
    wait_for(lambda: "mwxInstanceDown" in agent.log(), 10, "the down event")
    queue.add(1)
    queue.add(2)
    wait_for(lambda: "mwxQmailQueueHigh" in agent.log(), 10, "the queue event")
    queue.remove(1)
    queue.remove(2)
    wait_for(lambda: "mwxQmailQueueNormal" in agent.log(), 10, "the second queue event")
    time.sleep(1)
    assert traps.names() == []
    back = time.time()
    snmpd.start()
    normal = traps.wait("mwxQmailQueueNormal")[0]
    # Held, in order, the oldest dropped beyond event_backlog 2; sent with the time they happened.
    assert traps.names() == ["mwxQmailQueueHigh", "mwxQmailQueueNormal"]
    assert traps.received()[0]["index"] == 2 and normal["index"] == 3
    assert value(snmpd, "MWAGENTX-MIB::mwxEventsOverflowed.0") == "1"
    assert "sent 2 notification(s) held while snmpd was away" in agent.log()
    rows = event_log(snmpd)
    assert [rows[i]["mwxEventType"] for i in sorted(rows)] == \
        [ARCS["mwxInstanceDown"], ARCS["mwxQmailQueueHigh"], ARCS["mwxQmailQueueNormal"]]
    assert all(rows[i]["mwxEventAge"] >= time.time() - back - 1 for i in rows)
