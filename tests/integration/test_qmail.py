"""qmail end to end: a queue tree laid out as qmail makes it, snmpd as
AgentX master, mwagentx counting the queue through snmpget/snmpwalk."""
import os

import pytest

import snmp
from harness import ensure_user, wait_for
from qmail_queue import QMAIL_GROUP, Queue, ensure_qmail_users

UP, DOWN = "1", "2"
AGENT_USER, AGENTX_GROUP = "mwxqmail", "mwxagentx"


def config(snmpd, qmail_dir, interval=1):
    return (f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\n"
            f"interval {interval}\ntimeout 0.5\nqmail mail {qmail_dir}\n")


def column(name):
    return f'MWAGENTX-MIB::mwxQmail{name}."mail"'


def served(port, *names):
    values = snmp.get(port, *[column(n) for n in names])
    return {n: values[column(n)] for n in names}


def counts_are(port, queue):
    want = {"QueueMessages": queue.count("mess"), "TodoMessages": queue.count("todo"),
            "LocalMessages": queue.count("local"), "RemoteMessages": queue.count("remote"),
            "BounceMessages": queue.count("bounce")}
    got = served(port, *want)
    return all(got[n].type == "Gauge32" and got[n].number() == v for n, v in want.items())


@pytest.fixture(scope="module", autouse=True)
def users():
    if os.geteuid() != 0:
        pytest.fail("the qmail tests create qmail's users and chown the queue: run them as root (CI does)")
    ensure_qmail_users()
    ensure_user(AGENT_USER, groups=[QMAIL_GROUP, AGENTX_GROUP])


def test_snmpget_by_name_counts_the_queue_and_follows_changes(started):
    snmpd = started.snmpd()
    queue = Queue(os.path.join(started.workdir, "qmail"), owned=True)
    for n in range(100, 130):
        queue.add(n, local=n % 3 == 0, remote=n % 2 == 0)
    for n in range(200, 205):
        queue.add(n, preprocessed=False)
    queue.bounce(101)
    started.agent(config(snmpd, queue.qmail_dir))
    wait_for(lambda: counts_are(snmpd.port, queue), 10, "the queue's counts")
    assert served(snmpd.port, "QueueMessages")["QueueMessages"].number() == 35  # as qmail-qstat would print

    for n in range(300, 310):
        queue.add(n, preprocessed=False)
    for n in range(100, 120):
        queue.remove(n)
    wait_for(lambda: counts_are(snmpd.port, queue), 5, "the counts after messages came and went")
    assert queue.count("mess") == 25 and queue.count("todo") == 15


def test_walk_names_every_column_and_ages(started):
    snmpd = started.snmpd()
    queue = Queue(os.path.join(started.workdir, "qmail"), split=7)
    queue.add(1, remote=True, age=7200, preprocessed_age=3600)
    queue.add(2, preprocessed=False, age=600)
    started.agent(config(snmpd, queue.qmail_dir))
    wait_for(lambda: counts_are(snmpd.port, queue), 10, "the queue's counts")
    walked = snmp.walk(snmpd.port, "MWAGENTX-MIB::mwxQmailTable")
    assert walked[column("Status")].text == UP
    assert walked[column("Endpoint")].text == queue.qmail_dir
    assert walked[column("LastError")].text == ""
    assert walked[column("QueueSplit")].number() == 7
    assert 7200 <= walked[column("OldestMessageAge")].number() < 7260
    assert 600 <= walked[column("OldestTodoAge")].number() < 660
    # qmail-qread's time: when qmail-send preprocessed it, an hour after it was queued.
    assert 3600 <= walked[column("OldestPreprocessedAge")].number() < 3660
    assert walked[column("OldestTodoAge")].type == "Gauge32"  # net-snmp prints Unsigned32 so


@pytest.mark.agentx_only  # the subagent run as its own user
def test_group_qmail_reads_mess_and_todo_and_names_what_it_cannot(started):
    """The documented least-privilege set-up: the agent's user is only in
    group qmail. local/, remote/ and bounce/ are absent, not zero."""
    snmpd = started.snmpd(agentx_group=AGENTX_GROUP)
    queue = Queue(os.path.join(started.workdir, "qmail"), owned=True)
    for n in range(10):
        queue.add(n, remote=True)
    queue.add(50, preprocessed=False)
    started.agent(config(snmpd, queue.qmail_dir), run_as=AGENT_USER)
    wait_for(lambda: served(snmpd.port, "QueueMessages")["QueueMessages"].text == "11", 10, "mess/ counted")
    got = served(snmpd.port, "Status", "TodoMessages", "LocalMessages", "RemoteMessages", "BounceMessages",
                 "OldestPreprocessedAge", "LastError")
    assert got["Status"].text == UP
    assert got["TodoMessages"].number() == 1
    for name in ("LocalMessages", "RemoteMessages", "BounceMessages", "OldestPreprocessedAge"):
        assert got[name].absent, f"{name} must be absent, not {got[name]}"
    error = got["LastError"].text
    assert error == f"cannot read info, local, remote, bounce in {queue.queue}: Permission denied", error


def test_missing_queue_is_down_with_the_directory_named(started):
    snmpd = started.snmpd()
    qmail_dir = os.path.join(started.workdir, "no-qmail-here")
    started.agent(config(snmpd, qmail_dir))
    wait_for(lambda: "cannot open" in served(snmpd.port, "LastError")["LastError"].text, 10, "the first scan")
    got = served(snmpd.port, "Status", "LastError", "QueueMessages")
    assert got["Status"].text == DOWN
    assert got["LastError"].text == f"cannot open {qmail_dir}/queue: No such file or directory"
    assert got["QueueMessages"].absent

    Queue(qmail_dir).add(1)  # the queue appears: the next poll serves it
    wait_for(lambda: served(snmpd.port, "Status")["Status"].text == UP, 5, "Status up once the queue exists")
    assert served(snmpd.port, "QueueMessages")["QueueMessages"].number() == 1
