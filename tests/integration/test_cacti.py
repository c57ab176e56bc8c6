"""The Cacti templates of templates/cacti/: generated from what the agent
serves, and proven in Debian's Cacti 1.2 — imported with its CLI, a device
at the test's snmpd with every subsystem behind it, every data query
reindexed, graphs created, the poller run, and the RRD files read back."""
import glob
import importlib.util
import os
import re
import shutil
import subprocess
import time

import pytest

from cacti_server import PACKAGES, Cacti
from harness import AGENT, serving

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEMPLATE_DIR = os.path.join(ROOT, "templates", "cacti")
_spec = importlib.util.spec_from_file_location("cacti_generate", os.path.join(TEMPLATE_DIR, "generate.py"))
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)

STEP = 10  # seconds: the test's data sources, so that a few polls make a rate


def shipped_files():
    return {os.path.relpath(p, TEMPLATE_DIR) for p in glob.glob(os.path.join(TEMPLATE_DIR, "**", "*.xml"),
                                                                   recursive=True)}


def test_the_templates_are_what_the_generator_makes_of_the_column_tables():
    generated = generate.templates(AGENT)
    assert shipped_files() == set(generated), "regenerate: templates/cacti/generate.py --agent build/mwagentx"
    for name, text in generated.items():
        with open(os.path.join(TEMPLATE_DIR, name)) as f:
            assert f.read() == text, f"{name} is stale: templates/cacti/generate.py --agent build/mwagentx"


@pytest.fixture
def cacti(started):
    yield from serving(Cacti(started.workdir), ("php", "mariadbd", "rrdtool"), PACKAGES)


def rows(cacti, sql):
    return [line.split("\t") for line in cacti.db.sql(sql, "cacti").splitlines()]


def expected_rows(farm, label_oid):
    """{SNMP index: label} as the agent serves the table's Label column."""
    return {oid[len(label_oid) + 1:]: value.text.strip('"')
            for oid, value in farm.numeric_walk(label_oid).items() if oid.startswith(label_oid + ".")}


def test_the_templates_index_graph_and_store_in_a_real_cacti(started, farm, cacti):
    began = time.monotonic()
    for path in glob.glob(os.path.join(TEMPLATE_DIR, "snmp_queries", "*.xml")):
        shutil.copy(path, os.path.join(cacti.root, "resource", "snmp_queries"))
    code, out = cacti.cli("import_template.php", f"--filename={os.path.join(TEMPLATE_DIR, 'mwagentx_host.xml')}")
    # import_template.php exits 0 even when nothing was imported: read it.
    assert code == 0 and "[success] mwagentx host" in out, out
    assert not re.search(r"\[fail\]|Unmet Dependency|ERROR", out, re.I), out
    (template_id,), = rows(cacti, "SELECT id FROM host_template WHERE name='mwagentx host'")

    code, out = cacti.cli("add_device.php", "--description=farm", "--ip=127.0.0.1", f"--template={template_id}",
                          "--version=2", "--community=public", f"--port={farm.snmpd.port}", "--avail=snmp")
    host_id = re.search(r"device-id: \((\d+)\)", out)
    assert code == 0 and host_id, out
    host_id = host_id.group(1)
    code, out = cacti.cli("poller_reindex_hosts.php", f"--id={host_id}", "--qid=all", "--debug")
    assert code == 0, out

    # Every data query found exactly the rows the agent serves, titled by
    # their labels: a table's query every row, a group's query (columns only
    # some sources serve) the rows that serve its first column, its oid_index.
    # The farm reads LVS through procfs: the LVS traffic queries find none.
    queries = rows(cacti, "SELECT id, name, xml_path FROM snmp_query ORDER BY id")
    assert len(queries) == len(glob.glob(os.path.join(TEMPLATE_DIR, "snmp_queries", "*.xml")))
    labelled, empty = 0, []
    for query_id, name, xml_path in queries:
        with open(xml_path.replace("<path_cacti>", cacti.site)) as f:
            xml = f.read()
        label_field = re.search(r"<index_order>(\w+)</index_order>", xml).group(1)
        label_oid = re.search(rf"<{label_field}>.*?<oid>\.([0-9.]+)</oid>", xml, re.S).group(1)
        index_oid = re.search(r"<oid_index>\.([0-9.]+)</oid_index>", xml).group(1)
        found = dict(rows(cacti, f"SELECT snmp_index, field_value FROM host_snmp_cache WHERE host_id={host_id} "
                                 f"AND snmp_query_id={query_id} AND field_name='{label_field}'"))
        indexes = expected_rows(farm, index_oid)
        want = {index: label for index, label in expected_rows(farm, label_oid).items() if index in indexes}
        assert found == want, (name, out)
        if not want:
            empty.append(name)
        labelled += len(found)
    assert labelled > 15
    # The farm's director is read through procfs: nothing of netlink's.
    assert sorted(empty) == ["MWAGENTX - lvs kernel", "MWAGENTX - lvs real server traffic",
                             "MWAGENTX - lvs service traffic"], empty

    # Graphs: every graph of every query, for every row.
    graphs = 0
    for query_id, graph_type_id, template_id in rows(
            cacti, "SELECT snmp_query_id, id, graph_template_id FROM snmp_query_graph ORDER BY id"):
        label_field = rows(cacti, f"SELECT sort_field FROM host_snmp_query WHERE host_id={host_id} "
                                  f"AND snmp_query_id={query_id}")[0][0]
        for (label,) in rows(cacti, f"SELECT field_value FROM host_snmp_cache WHERE host_id={host_id} "
                                    f"AND snmp_query_id={query_id} AND field_name='{label_field}'"):
            code, out = cacti.cli("add_graphs.php", "--graph-type=ds", f"--graph-template-id={template_id}",
                                  f"--host-id={host_id}", f"--snmp-query-id={query_id}",
                                  f"--snmp-query-type-id={graph_type_id}", f"--snmp-field={label_field}",
                                  f"--snmp-value={label}")
            assert code == 0 and "Graph Added" in out, out
            graphs += 1
    titles = [t for (t,) in rows(cacti, "SELECT title_cache FROM graph_templates_graph WHERE local_graph_id > 0")]
    assert len(titles) == graphs > 30
    assert any("farm - memcached sessions - connections" == t for t in titles), titles

    # The poller, with a short step on this device's data sources.
    cacti.db.sql(f"UPDATE data_template_data SET rrd_step={STEP} WHERE local_data_id > 0;", "cacti")
    code, out = cacti.cli("rebuild_poller_cache.php")
    assert code == 0, out
    for _ in range(3):
        code, out = cacti.poller()
        assert code == 0, out
        time.sleep(STEP + 1)
    items = rows(cacti, "SELECT pi.rrd_path, pi.rrd_name, pi.arg1, dt.name FROM poller_item pi "
                        "JOIN data_local dl ON dl.id = pi.local_data_id "
                        "JOIN data_template dt ON dt.id = dl.data_template_id")
    assert len(items) > 60, (rows(cacti, "SELECT local_data_id, data_input_id, active, rrd_step FROM data_template_data LIMIT 4"), rows(cacti, "SELECT * FROM data_input_data WHERE data_template_data_id IN (SELECT id FROM data_template_data WHERE local_data_id=1)"), rows(cacti, "SELECT id, hostname, disabled, status FROM host"), out)

    # Stored values equal snmpget's (those that hold still), rates are above 0.
    farm.traffic_paused.set()
    time.sleep(2)
    oids = sorted({oid.lstrip(".") for _, _, oid, _ in items})
    before = farm.numeric_get(oids)
    code, out = cacti.poller()
    assert code == 0, out
    after = farm.numeric_get(oids)
    farm.traffic_paused.clear()
    compared = compare_last_updates(items, before, after)
    assert compared > 40
    # No graph without data: every data source of every graph has a value.
    # (Flare's replication lag exists only on a node that replicates.)
    unknown = sorted(f"{template}: {name}" for path, name, _, template in items
                     if last_update(path).get(name) in (None, "U") and name != "ReplicationLag")
    assert not unknown, unknown
    rates = {name: last_rate(path, name) for path, name, _, template in items
             if template == "MWAGENTX - memcached - commands"}
    for counter in ("CmdGet", "CmdSet", "GetHits"):
        assert (rates[counter] or 0) > 0, (counter, rates)
    print(f"Cacti test: {time.monotonic() - began:.0f} s after start")


def last_update(path):
    """{data source: value} of the RRD's last update."""
    out = subprocess.run(["rrdtool", "lastupdate", path], capture_output=True, text=True, check=True).stdout
    names, values = out.split("\n", 1)[0].split(), out.strip().splitlines()[-1].split(":", 1)[1].split()
    return dict(zip(names, values))


# Ages and durations move at every poll: never compared.
TIMES = {o.oid for o in generate.read_objects(AGENT) if o.units in ("seconds", "milliseconds")}


def compare_last_updates(items, before, after):
    """The RRDs' last updates against snmpget before and after the poller
    run that wrote them, for every value that did not move meanwhile."""
    compared = 0
    for path, name, oid, _ in items:
        oid = oid.lstrip(".")
        was, now = before.get(oid), after.get(oid)
        stored = last_update(path).get(name)
        if was is None or now is None or now.absent or was.text != now.text or stored in (None, "U") \
                or any(oid.startswith(t + ".") for t in TIMES):
            continue
        assert float(stored) == float(now.number()), (path, name, oid, stored, now)
        compared += 1
    return compared


def last_rate(path, name):
    """The newest known rate (DERIVE) or level of `name` in the RRD."""
    out = subprocess.run(["rrdtool", "fetch", path, "AVERAGE", "-r", str(STEP), "-s", "-2min"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    names = out[0].split()
    known = [float(v) for line in out[2:] for i, v in enumerate(line.split(":", 1)[1].split())
             if names[i] == name and v.lower() not in ("nan", "-nan")]
    return known[-1] if known else None
