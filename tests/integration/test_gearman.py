"""gearmand end to end: Debian's gearmand with real workers and background
jobs, snmpd as AgentX master, mwagentx between them."""
import socket

import snmp
from canned_server import CannedServer
from harness import wait_for

UP, DOWN = "1", "2"


def config(snmpd, port, interval=30):
    return (f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval {interval}\ntimeout 0.5\n"
            f"gearman jobs 127.0.0.1:{port}\n")


def instance(name, value_of="jobs"):
    return f'MWAGENTX-MIB::mwxGearman{name}."{value_of}"'


def function(name, fn):
    return f'MWAGENTX-MIB::mwxGearmanFunction{name}."jobs"."{fn}"'


def status(port):
    try:
        return snmp.get(port, instance("Status"))[instance("Status")].text
    except AssertionError:
        return None


def test_function_queues_equal_gearmands_own_status(started):
    snmpd = started.snmpd()
    gearmand = started.gearmand()
    started.worker(gearmand, "reverse", "cat")                      # an idle worker
    started.worker(gearmand, "slow", "sleep", "60", jobs=1)         # busy with one job
    for i in range(3):
        gearmand.submit_background("resize_image", f"img{i}")        # no worker at all
    gearmand.submit_background("slow", "first")
    gearmand.submit_background("slow", "second")
    gearmand.submit_background("odd name/with.chars")
    wait_for(lambda: gearmand.status().get("slow", (0, 0, 0))[1] == 1, 10, "the slow worker running a job")
    wait_for(lambda: gearmand.status().get("reverse", (0, 0, 0))[2] == 1, 10, "the reverse worker registered")

    started.agent(config(snmpd, gearmand.port))
    wait_for(lambda: status(snmpd.port) == UP, 10, "gearman instance up")
    served = snmp.walk(snmpd.port)
    truth = gearmand.status()  # nothing finishes meanwhile: the slow job sleeps a minute

    assert set(truth) == {"reverse", "slow", "resize_image", "odd name/with.chars"}
    for fn, (total, running, available) in truth.items():
        assert served[function("Total", fn)].number() == total, fn
        assert served[function("Running", fn)].number() == running, fn
        assert served[function("Waiting", fn)].number() == total - running, fn
        assert served[function("AvailableWorkers", fn)].number() == available, fn
        assert served[function("Total", fn)].type == "Gauge32"
    assert served[instance("Functions")].number() == 4
    assert served[instance("TotalJobs")].number() == sum(t for t, _, _ in truth.values())
    assert served[instance("RunningJobs")].number() == 1
    assert served[instance("WaitingJobs")].number() == 5
    assert served[instance("StarvedFunctions")].number() == 2  # resize_image and the odd name
    assert served[instance("WorkerConnections")].number() == 2
    assert served[instance("Version")].text.startswith("1.1")
    assert served[instance("FunctionsNotIndexed")].number() == 0


def test_priority_queues_and_connections_equal_gearmands_own(started):
    snmpd = started.snmpd()
    gearmand = started.gearmand()
    for _ in range(2):
        started.worker(gearmand, "slow", "sleep", "60", jobs=1)    # each busy with a high job
    started.worker(gearmand, "reverse", "cat")                      # idle
    wait_for(lambda: gearmand.status().get("slow", (0, 0, 0))[2] == 2, 10, "both slow workers registered")
    for job in ("a", "b"):
        gearmand.submit_background("slow", job, "high")
    wait_for(lambda: gearmand.status()["slow"][1] == 2, 10, "both slow workers running a job")
    for job, priority in (("c", "high"), ("d", "high"), ("e", "normal"), ("f", "low"), ("g", "low"), ("h", "low")):
        gearmand.submit_background("slow", job, priority)
    for job in ("i", "k"):
        gearmand.submit_background("batch", job, "low")               # no worker
    with socket.create_connection((gearmand.host, gearmand.port)):  # a client that stays connected
        started.agent(config(snmpd, gearmand.port))
        wait_for(lambda: status(snmpd.port) == UP, 10, "gearman instance up")
        served = snmp.walk(snmpd.port)
        queued, listed = gearmand.prioritystatus(), gearmand.admin("workers")

    assert queued["slow"] == (2, 1, 3) and queued["batch"] == (0, 0, 2), queued
    for fn, (high, normal, low) in queued.items():
        assert served[function("QueuedHigh", fn)].number() == high, fn
        assert served[function("QueuedNormal", fn)].number() == normal, fn
        assert served[function("QueuedLow", fn)].number() == low, fn
        # A running job is in no queue: the queues are the waiting jobs.
        assert high + normal + low == served[function("Waiting", fn)].number(), fn
        registered = sum(1 for line in listed if fn in line.split()[4:])  # FD ADDRESS ID : FUNCTION...
        assert served[function("RegisteredWorkers", fn)].number() == registered, fn
    assert served[function("RegisteredWorkers", "slow")].number() == 2
    # Our own admin connection stands in for the agent's: the same count.
    assert served[instance("Connections")].number() == len(listed) == 5
    assert served[instance("ClientConnections")].number() == 1   # the client above
    assert served[instance("WorkerConnections")].number() == 3
    assert served[instance("Pid")].number() == gearmand.proc.pid
    assert served[instance("Pid")].type == "Gauge32"


def test_rows_follow_status_when_a_worker_leaves(started):
    snmpd = started.snmpd()
    gearmand = started.gearmand()
    gearmand.submit_background("stays")
    worker = started.worker(gearmand, "goes", "cat")
    wait_for(lambda: gearmand.status().get("goes", (0, 0, 0))[2] == 1, 10, "the 'goes' worker registered")
    started.agent(config(snmpd, gearmand.port, interval=1))
    wait_for(lambda: status(snmpd.port) == UP, 10, "gearman instance up")
    wait_for(lambda: function("AvailableWorkers", "goes") in snmp.walk(snmpd.port), 5, "the 'goes' row")
    worker.stop()
    wait_for(lambda: gearmand.status().get("goes", (0, 0, 0))[2] == 0, 10, "gearmand to see the worker gone")

    def served_matches_truth():
        served, truth = snmp.walk(snmpd.port), gearmand.status()
        rows = {n for n in served if n.startswith("MWAGENTX-MIB::mwxGearmanFunctionAvailableWorkers.")}
        return rows == {function("AvailableWorkers", fn) for fn in truth} and all(
            served[function("AvailableWorkers", fn)].number() == a for fn, (_, _, a) in truth.items())
    wait_for(served_matches_truth, 10, "the rows to match gearmand's status again")
    assert snmp.walk(snmpd.port)[function("Total", "stays")].number() == 1


def test_function_that_leaves_status_leaves_the_table(started):
    """gearmand keeps functions it has seen; a scripted server drops one."""
    snmpd = started.snmpd()
    # As a gearmand older than 'prioritystatus' and 'getpid' answers them
    # (1.1.20's words for a command it does not have).
    unknown = b"ERR UNKNOWN_COMMAND Unknown+server+command\r\n"
    replies = {b"status": b"a\t1\t0\t0\nb\t2\t0\t1\n.\n", b"workers": b"1 127.0.0.1 - : b\n.\n",
               b"version": b"OK 1.1.20\n", b"prioritystatus": unknown, b"getpid": unknown}
    server = CannedServer(replies)  # answers each command line with canned bytes
    try:
        started.agent(config(snmpd, server.port, interval=1))
        wait_for(lambda: status(snmpd.port) == UP, 10, "instance up")
        walked = snmp.walk(snmpd.port)
        assert function("Total", "a") in walked
        # What an older server cannot say is absent, not 0.
        assert instance("Pid") not in walked and function("QueuedHigh", "b") not in walked
        assert walked[function("RegisteredWorkers", "b")].number() == 1
        b_oid_before = snmp.parse(snmp._run("snmpget", snmpd.port, ["-On", function("Total", "b")]))
        replies[b"status"] = b"b\t2\t0\t1\n.\n"
        wait_for(lambda: function("Total", "a") not in snmp.walk(snmpd.port), 10, "function 'a' gone")
        b_oid_after = snmp.parse(snmp._run("snmpget", snmpd.port, ["-On", function("Total", "b")]))
        assert list(b_oid_before) == list(b_oid_after)
        assert snmp.get(snmpd.port, instance("Functions"))[instance("Functions")].number() == 1
    finally:
        server.close()


def test_stopped_gearmand_goes_down_and_comes_back(started):
    snmpd = started.snmpd()
    gearmand = started.gearmand()
    gearmand.submit_background("resize_image")
    started.agent(config(snmpd, gearmand.port, interval=1))
    wait_for(lambda: status(snmpd.port) == UP, 10, "gearman instance up")
    gearmand.stop()
    wait_for(lambda: status(snmpd.port) == DOWN, 10, "gearman instance down")
    got = snmp.get(snmpd.port, instance("LastError"), instance("TotalJobs"))
    assert "Connection refused" in got[instance("LastError")].text
    assert got[instance("TotalJobs")].absent
    assert not any(n.startswith("MWAGENTX-MIB::mwxGearmanFunction") for n in snmp.walk(snmpd.port))
    restarted = started.gearmand(port=gearmand.port)
    wait_for(lambda: status(snmpd.port) == UP, 10, "gearman instance up again")
    assert restarted.status() == {}
    assert snmp.get(snmpd.port, instance("Functions"))[instance("Functions")].number() == 0


def test_gearmand_reached_over_ipv6_with_an_ipv6_worker(started):
    """gearmand on ::1 and a worker connected over IPv6: gearmand lists both
    connections with IPv6 addresses (printed oddly: "::%1754350352"), and
    the instance stays up, poll after poll, counting the worker."""
    snmpd = started.snmpd()
    gearmand = started.gearmand(host="::1")
    started.worker(gearmand, "reverse", "cat")
    gearmand.submit_background("resize_image")
    wait_for(lambda: gearmand.status().get("reverse", (0, 0, 0))[2] == 1, 10, "the IPv6 worker registered")
    started.agent(config(snmpd, gearmand.port, interval=1).replace(f"127.0.0.1:{gearmand.port}",
                                                                    f"[::1]:{gearmand.port}"))
    wait_for(lambda: status(snmpd.port) == UP, 10, "gearman instance up over IPv6")
    polls = instance("Polls")
    wait_for(lambda: snmp.get(snmpd.port, polls)[polls].number() >= 4, 15, "four polls")
    served = snmp.walk(snmpd.port)
    assert served[instance("Status")].text == UP
    assert served[instance("PollFailures")].number() == 0, served[instance("LastError")].text
    assert served[instance("WorkerConnections")].number() == 1
    assert served[function("AvailableWorkers", "reverse")].number() == 1
    assert served[function("Waiting", "resize_image")].number() == 1
