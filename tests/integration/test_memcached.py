"""memcached end to end: Debian's memcached, Debian's snmpd as AgentX master,
mwagentx between them, and net-snmp's clients asking."""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

import snmp
from canned_server import CannedServer, fixture_replies
from harness import AGENT, wait_for

UP, DOWN = "1", "2"

# Objects and the type snmpget must print for them (Unsigned32 and Gauge32
# share one ASN.1 tag, which net-snmp prints as Gauge32).
TYPES = {
    "Pid": "Gauge32", "Uptime": "Gauge32", "Version": "STRING", "CurrConnections": "Gauge32",
    "TotalConnections": "Counter64", "ConnectionStructures": "Gauge32", "RejectedConnections": "Counter64",
    "ListenDisabledNum": "Counter64", "CurrItems": "Gauge32", "TotalItems": "Counter64", "Bytes": "Counter64",
    "LimitMaxbytes": "Counter64", "CmdGet": "Counter64", "CmdSet": "Counter64", "CmdFlush": "Counter64",
    "GetHits": "Counter64", "GetMisses": "Counter64", "GetExpired": "Counter64", "DeleteHits": "Counter64",
    "DeleteMisses": "Counter64", "IncrHits": "Counter64", "IncrMisses": "Counter64", "DecrHits": "Counter64",
    "DecrMisses": "Counter64", "Evictions": "Counter64", "Reclaimed": "Counter64",
    "ExpiredUnfetched": "Counter64", "EvictedUnfetched": "Counter64", "BytesRead": "Counter64",
    "BytesWritten": "Counter64", "Threads": "Gauge32", "RusageUser": "Counter64", "RusageSystem": "Counter64",
    "Maxconns": "Gauge32", "Maxbytes": "Counter64", "ItemSizeMax": "Gauge32", "EvictionsEnabled": "INTEGER",
    "ConnectionUsage": "Gauge32", "OldestItemAge": "Gauge32", "Status": "INTEGER", "LastPollAge": "Gauge32",
    "Endpoint": "STRING", "LastError": "STRING", "DiscontinuityTime": "STRING",
}

# memcached's stat name for each column that carries one verbatim.
STAT_OF = {
    "Pid": "pid", "Uptime": "uptime", "Version": "version", "CurrConnections": "curr_connections",
    "TotalConnections": "total_connections", "ConnectionStructures": "connection_structures",
    "RejectedConnections": "rejected_connections", "ListenDisabledNum": "listen_disabled_num",
    "CurrItems": "curr_items", "TotalItems": "total_items", "Bytes": "bytes", "LimitMaxbytes": "limit_maxbytes",
    "CmdGet": "cmd_get", "CmdSet": "cmd_set", "CmdFlush": "cmd_flush", "GetHits": "get_hits",
    "GetMisses": "get_misses", "GetExpired": "get_expired", "DeleteHits": "delete_hits",
    "DeleteMisses": "delete_misses", "IncrHits": "incr_hits", "IncrMisses": "incr_misses",
    "DecrHits": "decr_hits", "DecrMisses": "decr_misses", "Evictions": "evictions", "Reclaimed": "reclaimed",
    "ExpiredUnfetched": "expired_unfetched", "EvictedUnfetched": "evicted_unfetched",
    "BytesRead": "bytes_read", "BytesWritten": "bytes_written", "Threads": "threads",
}
# Stats that our own 'stats' connection to memcached moves after the agent's poll.
MOVED_BY_ASKING = {"Uptime", "TotalConnections", "CurrConnections", "ConnectionStructures", "BytesRead",
                   "BytesWritten", "RusageUser", "RusageSystem"}


def config(snmpd, *instances, interval=30, timeout=1):
    return (f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\n"
            f"interval {interval}\ntimeout {timeout}\n" + "".join(i + "\n" for i in instances))


def column(name, instance="sessions"):
    return f'MWAGENTX-MIB::mwxMemcached{name}."{instance}"'


def served(port, name, instance="sessions"):
    """The value snmpget reads for one column of one instance."""
    return snmp.get(port, column(name, instance))[column(name, instance)]


def status(port, instance="sessions"):
    try:
        return served(port, "Status", instance).text
    except AssertionError:
        return None


def wait_status(port, wanted, instance="sessions", timeout=15):
    wait_for(lambda: status(port, instance) == wanted, timeout, f"{instance} status {wanted}")


def rusage_micros(text):
    seconds, fraction = text.split(".")
    return int(seconds) * 1_000_000 + int(fraction.ljust(6, "0"))


def test_values_equal_memcached_stats_with_snmp_types(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    memcached.traffic(sets=60, gets=90)
    memcached.command("delete key1\r\n")
    memcached.command("delete nosuchkey\r\n")
    started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{memcached.port}"))
    wait_status(snmpd.port, UP)

    served = snmp.walk(snmpd.port)
    stats = memcached.stats()  # asked after the agent's poll: see MOVED_BY_ASKING
    settings = memcached.stats("settings")

    for name, type_ in TYPES.items():
        value = served.get(column(name))
        assert value is not None, f"mwxMemcached{name} missing from the walk"
        assert value.type == type_, f"mwxMemcached{name}: {value.type}, expected {type_}"
    for name, stat in STAT_OF.items():
        value = served[column(name)]
        if name == "Version":
            assert value.text == stats[stat]
        elif name in MOVED_BY_ASKING:
            assert value.number() <= int(stats[stat]), name
        else:
            assert value.number() == int(stats[stat]), f"{name}: served {value.text}, memcached says {stats[stat]}"
    assert int(stats["total_connections"]) - served[column("TotalConnections")].number() == 1  # our own
    assert served[column("RusageUser")].number() <= rusage_micros(stats["rusage_user"])
    assert served[column("Maxconns")].number() == int(settings["maxconns"])
    assert served[column("Maxbytes")].number() == int(settings["maxbytes"])
    assert served[column("ItemSizeMax")].number() == int(settings["item_size_max"])
    assert served[column("EvictionsEnabled")].text == ("1" if settings["evictions"] == "on" else "2")
    assert served[column("ConnectionUsage")].number() == round(
        served[column("CurrConnections")].number() * 10000 / int(settings["maxconns"]))
    assert served[column("LastError")].text in ("", '""')
    assert served[column("DeleteHits")].number() == 1 and served[column("DeleteMisses")].number() == 1

    # The slab sub-table: one row per class 'stats items' lists, same numbers.
    items = memcached.stats("items")
    slabs = memcached.stats("slabs")
    classes = sorted({int(k.split(":")[1]) for k in items})
    assert len(classes) > 3
    for cls in classes:
        row = f'"sessions".{cls}'
        assert served[f"MWAGENTX-MIB::mwxMemcachedSlabItems.{row}"].number() == int(items[f"items:{cls}:number"])
        assert served[f"MWAGENTX-MIB::mwxMemcachedSlabChunkSize.{row}"].number() == int(slabs[f"{cls}:chunk_size"])
        assert served[f"MWAGENTX-MIB::mwxMemcachedSlabEvicted.{row}"].type == "Counter64"
    served_classes = sorted(int(n.rsplit(".", 1)[1]) for n in served if n.startswith(
        'MWAGENTX-MIB::mwxMemcachedSlabItems."sessions".'))
    assert served_classes == classes


# Fields of 'stats' served elsewhere or not numbers: version has its column;
# max_connections is mwxMemcachedMaxconns (from 'stats settings'); time is
# the server's clock, libevent a library's version.
NOT_A_COLUMN_OF_ITS_OWN = {"version", "max_connections", "time", "libevent"}
# Levels that our own 'stats' connection moves.
LEVELS_MOVED_BY_ASKING = {"curr_connections", "connection_structures", "response_obj_count", "response_obj_bytes",
                          "read_buf_count", "read_buf_bytes", "read_buf_bytes_free", "uptime"}


def column_of_stat(stat):
    """curr_connections -> CurrConnections: how the MIB names a stat's column."""
    return "".join(part.capitalize() for part in stat.split("_"))


def extstore_args(workdir):
    """A memcached with 8 MB of memory and extstore on a 64 MB file in
    `workdir` (8 MB pages, so that it has free ones), which flushes an
    item to it as soon as it can (ext_item_age=0)."""
    directory = os.path.join(workdir, "extstore")
    os.makedirs(directory)
    os.chmod(directory, 0o777)  # memcached runs as nobody
    return ("-m", "8", "-o", f"ext_page_size=8,ext_wbuf_size=2,ext_item_age=0,ext_path={directory}/file:64m")


@pytest.mark.parametrize("extstore", [False, True], ids=["plain", "extstore"])
def test_every_numeric_stat_memcached_reports_is_served(started, extstore):
    """Every field of Debian's memcached's 'stats' has its column with
    memcached's own value: counters between what memcached said before the
    agent's poll and after it, levels equal. With extstore (Debian's build
    has it), its fields too, with objects written to it and read back."""
    snmpd = started.snmpd()
    memcached = started.memcached(extra_args=extstore_args(started.workdir) if extstore else ())
    memcached.traffic(sets=40, gets=60)
    memcached.command("touch key1 100\r\n", terminators=(b"TOUCHED\r\n",))
    memcached.command("touch nosuchkey 100\r\n", terminators=(b"NOT_FOUND\r\n",))
    if extstore:
        big = "x" * 3000
        for n in range(2000):
            memcached.command(f"set ext{n} 0 0 {len(big)}\r\n{big}\r\n", terminators=(b"STORED\r\n",))
        wait_for(lambda: int(memcached.stats()["extstore_objects_written"]) > 0, 10, "items written to extstore")
        for n in range(20):
            memcached.command(f"get ext{n}\r\n", terminators=(b"END\r\n",))
    before = memcached.stats()
    started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{memcached.port}"))
    wait_status(snmpd.port, UP)
    served = snmp.walk(snmpd.port)
    after = memcached.stats()

    listed = subprocess.run([AGENT, "--list-objects"], capture_output=True, text=True, check=True).stdout
    objects = {f[0]: f for f in (line.split("\t") for line in listed.splitlines())}
    unserved = [s for s in after if s not in NOT_A_COLUMN_OF_ITS_OWN
                and f"mwxMemcached{column_of_stat(s)}" not in objects]
    assert unserved == [], f"stats memcached reports and mwagentx does not serve: {unserved}"
    assert any(s.startswith("extstore_") for s in after) == extstore
    for stat in after:
        name = column_of_stat(stat)
        if stat in NOT_A_COLUMN_OF_ITS_OWN or stat.startswith("rusage_"):
            continue  # rusage: SECONDS.MICROSECONDS, compared in the test above
        value = served[column(name)]
        _, _, syntax, convention, _ = objects[f"mwxMemcached{name}"]
        if syntax == "Counter64" and convention != "MwxGauge64":
            assert value.type == "Counter64", stat
            assert int(before[stat]) <= value.number() <= int(after[stat]), \
                f"{stat}: served {value.number()}, memcached said {before[stat]} then {after[stat]}"
        elif stat in LEVELS_MOVED_BY_ASKING or (extstore and stat in EXTSTORE_LEVELS_MOVING):
            assert value.type in ("Gauge32", "Counter64"), stat
        else:
            assert value.number() == int(after[stat]), f"{stat}: served {value.text}, memcached says {after[stat]}"
    assert served[column("TouchHits")].number() == 1 and served[column("TouchMisses")].number() == 1
    assert served[column("CmdTouch")].number() == 2
    assert served[column("HashBytes")].type == "Counter64"  # MwxGauge64: a level carried as Counter64
    if extstore:
        assert served[column("ExtstoreObjectsWritten")].number() > 0
        assert served[column("GetExtstore")].number() > 0, "gets read items back from extstore"
        assert served[column("ExtstoreLimitMaxbytes")].number() == 64 * 2**20


# Extstore's levels its background threads move between our reads.
EXTSTORE_LEVELS_MOVING = {"extstore_pages_free", "extstore_pages_used", "extstore_objects_used", "extstore_bytes_used",
                          "extstore_bytes_fragmented", "extstore_io_queue", "curr_items", "bytes",
                          "slab_global_page_pool", "total_items"}


# Per-class fields served elsewhere (number is SlabItems, age
# SlabOldestItemAge, outofmemory SlabOutOfMemory) and levels the LRU
# maintainer thread moves between our reads.
SLAB_COLUMN_NAMED = {"number": "Items", "age": "OldestItemAge", "outofmemory": "OutOfMemory"}
SLAB_LEVELS_MOVING = {"number_hot", "number_warm", "number_cold", "age", "age_hot", "age_warm", "evicted_time"}


def test_every_per_class_field_of_stats_items_and_slabs_is_served(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    memcached.traffic(sets=80, gets=120)
    before = {**memcached.stats("items"), **memcached.stats("slabs")}
    started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{memcached.port}"))
    wait_status(snmpd.port, UP)
    served = snmp.walk(snmpd.port)
    after = {**memcached.stats("items"), **memcached.stats("slabs")}

    listed = subprocess.run([AGENT, "--list-objects"], capture_output=True, text=True, check=True).stdout
    types = {f[0]: f[2] for f in (line.split("\t") for line in listed.splitlines())}
    checked = 0
    for key, value in after.items():
        parts = key.split(":")
        if len(parts) == 1:
            continue  # active_slabs, total_malloced: not per class
        cls, field = parts[-2], parts[-1]
        name = "mwxMemcachedSlab" + SLAB_COLUMN_NAMED.get(field, column_of_stat(field))
        assert name in types, f"{key}: memcached reports it, mwagentx has no {name}"
        got = served[f'MWAGENTX-MIB::{name}."sessions".{cls}']
        if types[name] == "Counter64" and field != "mem_requested":
            assert int(before.get(key, 0)) <= got.number() <= int(value), f"{key}: {got.number()} vs {value}"
        elif field not in SLAB_LEVELS_MOVING:
            assert got.number() == int(value), f"{key}: served {got.number()}, memcached says {value}"
        checked += 1
    assert checked > 100
    assert served[column("ActiveSlabs")].number() == int(after["active_slabs"])
    assert served[column("TotalMalloced")].number() == int(after["total_malloced"])


def test_tunables_equal_stats_settings(started):
    """Each mwxMemcachedSetting* column says what 'stats settings' says, on
    a memcached started with settings other than the defaults."""
    snmpd = started.snmpd()
    memcached = started.memcached(extra_args=("-o", "hot_lru_pct=30,warm_lru_pct=30,temporary_ttl=90,slab_automove=2",
                                              "-f", "1.5", "-t", "2", "-R", "7"))
    started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{memcached.port}"))
    wait_status(snmpd.port, UP)
    served = snmp.walk(snmpd.port)
    settings = memcached.stats("settings")
    listed = subprocess.run([AGENT, "--list-objects"], capture_output=True, text=True, check=True).stdout
    columns = [line.split("\t")[0] for line in listed.splitlines() if line.startswith("mwxMemcachedSetting")]
    assert len(columns) > 20
    for name in columns:
        setting = "_".join(part.lower() for part in re.findall(r"[A-Z][a-z]*", name[len("mwxMemcachedSetting"):]))
        value = served[column(name[len("mwxMemcached"):])]
        truth = settings[setting]
        if truth in ("yes", "no", "on", "off"):
            assert value.text == ("1" if truth in ("yes", "on") else "2"), f"{setting}: {value.text} vs {truth}"
        else:
            assert value.text == truth, f"{setting}: served {value.text}, memcached says {truth}"
    assert settings["hot_lru_pct"] == "30" and settings["temporary_ttl"] == "90" and settings["growth_factor"] == "1.50"


def test_slabs_off_leaves_the_instance_out_of_the_slab_table(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    memcached.traffic(sets=40, gets=10)
    started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{memcached.port}",
                         f"memcached lean 127.0.0.1:{memcached.port} slabs=off"))
    wait_status(snmpd.port, UP)
    wait_status(snmpd.port, UP, "lean")
    served = snmp.walk(snmpd.port)
    slab_rows = [n for n in served if n.startswith("MWAGENTX-MIB::mwxMemcachedSlab")]
    assert any('."sessions".' in n for n in slab_rows)
    assert not any('."lean".' in n for n in slab_rows), "slabs=off still has slab rows"
    # Its classes are still read: the instance's own column from them stays
    # (absent only where no class holds an item).
    assert column("OldestItemAge", "lean") in served


def start_polled_every_second(started, sets):
    """snmpd, a memcached holding `sets` keys, and mwagentx polling it each second."""
    snmpd = started.snmpd()
    memcached = started.memcached()
    memcached.traffic(sets=sets, gets=0)
    started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{memcached.port}", interval=1, timeout=0.5))
    wait_status(snmpd.port, UP)
    return snmpd, memcached


def test_hit_ratio_over_the_last_interval(started):
    snmpd, memcached = start_polled_every_second(started, sets=10)
    time.sleep(1.5)
    # 3 hits and 1 miss, in one command so that no poll falls in between.
    memcached.command("get key1 key2 key3 nokey\r\n")
    wait_for(lambda: served(snmpd.port, "HitRatio").number() == 7500, 5,
             "a hit ratio of 75.00% over the interval with the gets")
    # An idle interval has no misses: 100%.
    wait_for(lambda: served(snmpd.port, "HitRatio").number() == 10000, 5, "100% after an idle interval")


def test_down_instance_keeps_its_row_without_data_and_comes_back(started):
    snmpd, memcached = start_polled_every_second(started, sets=5)
    first_pid = served(snmpd.port, "Pid").text
    first_discontinuity = served(snmpd.port, "DiscontinuityTime").text

    memcached.stop()
    wait_status(snmpd.port, DOWN)
    got = snmp.get(snmpd.port, column("LastError"), column("CurrItems"), column("Pid"), column("Endpoint"))
    assert "Connection refused" in got[column("LastError")].text
    assert got[column("CurrItems")].absent and got[column("Pid")].absent
    assert got[column("Endpoint")].text == f"127.0.0.1:{memcached.port}"
    walked = snmp.walk(snmpd.port)
    assert not any(n.startswith("MWAGENTX-MIB::mwxMemcachedSlab") for n in walked), "slab rows of a down instance"
    assert column("Status") in walked

    restarted = started.memcached(port=memcached.port)
    wait_status(snmpd.port, UP)
    got = snmp.get(snmpd.port, column("Pid"), column("CurrItems"), column("DiscontinuityTime"))
    assert got[column("Pid")].text != first_pid
    assert got[column("Pid")].text == restarted.stats()["pid"]
    assert got[column("CurrItems")].number() == 0
    assert got[column("DiscontinuityTime")].text != first_discontinuity


def test_five_hundred_requests_within_an_interval_poll_once(started):
    snmpd = started.snmpd()
    fake = CannedServer(fixture_replies("memcached/1.6.18"))
    try:
        started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{fake.port}", interval=60, timeout=1))
        wait_status(snmpd.port, UP)
        polls_before = fake.count(b"stats")
        requests = 0
        while requests < 500:
            requests += snmp.walk_lines(snmpd.port) + 1  # a GETNEXT walk: one request per varbind, plus the end
        assert fake.count(b"stats") - polls_before <= 1
        assert polls_before == 1, "one poll at start"
    finally:
        fake.close()


def test_values_equal_the_servers_reply_at_the_same_poll(started):
    """A scripted server answers with a verbatim memcached 1.6.18 capture:
    every served value must equal that reply exactly."""
    snmpd = started.snmpd()
    fake = CannedServer(fixture_replies("memcached/1.6.18"))
    try:
        started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{fake.port}"))
        wait_status(snmpd.port, UP)
        served = snmp.walk(snmpd.port)
        stats = {}
        for line in fake.replies[b"stats"].decode().split("\r\n"):
            if line.startswith("STAT "):
                _, key, value = line.split(" ", 2)
                stats[key] = value
        for name, stat in STAT_OF.items():
            value = served[column(name)]
            assert value.text == stats[stat], f"{name}: served {value.text}, reply said {stats[stat]}"
        assert served[column("RusageSystem")].number() == rusage_micros(stats["rusage_system"])
    finally:
        fake.close()


def test_bulkwalk_and_getnext_past_the_end(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{memcached.port}",
                         f"memcached other 127.0.0.1:{memcached.port}"))
    wait_status(snmpd.port, UP, "other")
    walked = snmp.walk(snmpd.port)
    bulk = snmp.bulkwalk(snmpd.port)
    assert list(walked) == list(bulk)
    assert "MWAGENTX-MIB::mwxAgentVersion.0" in walked
    # Rows of the two instances interleave column by column, in index order.
    names = [n for n in walked if n.startswith("MWAGENTX-MIB::mwxMemcachedStatus.")]
    assert names == ['MWAGENTX-MIB::mwxMemcachedStatus."other"', 'MWAGENTX-MIB::mwxMemcachedStatus."sessions"']


def test_unix_socket_endpoint(started):
    snmpd = started.snmpd()
    # memcached runs as nobody, who cannot enter pytest's root-only directories.
    socket_dir = tempfile.mkdtemp(prefix="mwx-memcached-")
    os.chmod(socket_dir, 0o777)
    socket_path = f"{socket_dir}/memcached.sock"
    memcached = started.memcached(unix_socket=socket_path)
    memcached.traffic(sets=4, gets=0)
    started.agent(config(snmpd, f"memcached local {socket_path}"))
    wait_status(snmpd.port, UP, "local")
    got = snmp.get(snmpd.port, column("CurrItems", "local"), column("Endpoint", "local"))
    assert got[column("CurrItems", "local")].number() == 4
    assert got[column("Endpoint", "local")].text == socket_path
    memcached.stop()
    shutil.rmtree(socket_dir)


def test_getnext_past_our_last_object_moves_on_to_the_next_subtree(started):
    snmpd = started.snmpd()
    memcached = started.memcached()
    started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{memcached.port}"))
    wait_status(snmpd.port, UP)
    last = list(snmp.walk(snmpd.port))[-1]
    after = snmp.parse(snmp._run("snmpgetnext", snmpd.port, ["-On", last]))
    (oid, value), = after.items()
    assert not oid.startswith(".1.3.6.1.4.1.8072.9999.1."), f"{oid} is still ours"
    assert not value.absent


def test_connections_by_state_and_listener_with_conns_on(started):
    """conns=on: 'stats conns' of a memcached listening on 127.0.0.1 and
    ::1, with clients held open on each, counted by state and by listening
    address through snmpd, as memcached's own reply says; without conns=on
    none of it is served."""
    snmpd = started.snmpd()
    memcached = started.memcached(extra_args=("-l", "[::1]"))
    held = [socket.create_connection(("127.0.0.1", memcached.port)) for _ in range(3)] + \
        [socket.create_connection(("::1", memcached.port)) for _ in range(2)]
    try:
        time.sleep(2.1)  # every held client idle two seconds or more
        started.agent(config(snmpd, f"memcached sessions 127.0.0.1:{memcached.port} conns=on",
                             f"memcached plain 127.0.0.1:{memcached.port}", interval=2))
        wait_status(snmpd.port, UP)
        wait_status(snmpd.port, UP, instance="plain")
        served = snmp.walk(snmpd.port)
        states = ("NewCmd", "Waiting", "Read", "ParseCmd", "Nread", "Writing", "Closing", "OtherStates")
        clients = sum(served[column(f"Conns{s}")].number() for s in states)
        # The held five, and the agent's own connections of both instances
        # while polling (each poll connects anew).
        assert 5 <= clients <= 7, clients
        assert served[column("ConnsListening")].number() == 2
        assert served[column("ConnsLongestIdle")].number() >= 2
        listeners = {name.split('"')[3]: value.number() for name, value in served.items()
                     if name.startswith('MWAGENTX-MIB::mwxMemcachedListenerConnections."sessions".')}
        v4, v6 = f"tcp:127.0.0.1:{memcached.port}", f"tcp6:[::1]:{memcached.port}"
        assert set(listeners) == {v4, v6}
        assert listeners[v6] == 2, "IPv6 clients are counted on the IPv6 listener"
        assert 3 <= listeners[v4] <= 5
        own = memcached.stats("conns")
        assert sum(1 for k, v in own.items() if k.endswith(":listen_addr") and v == v6) == 2
        assert not any(name.startswith(column("ConnsListening", "plain")) for name in served)
        assert not any('ListenerConnections."plain"' in name for name in served)
    finally:
        for s in held:
            s.close()
