"""The Zabbix templates of templates/zabbix/: generated from what the agent
serves, and proven in Debian's Zabbix 6.0 server — imported through its API,
linked to a host whose SNMP interface is the test's snmpd with every
subsystem behind it, discovering and collecting for real."""
import glob
import importlib.util
import os
import re
import time

import pytest
import yaml

from farm import GEARMAN_FUNCTION, INSTANCES
from harness import AGENT, serving, wait_for
from zabbix_server import PACKAGES, Zabbix

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEMPLATE_DIR = os.path.join(ROOT, "templates", "zabbix")
_spec = importlib.util.spec_from_file_location("zabbix_generate", os.path.join(TEMPLATE_DIR, "generate.py"))
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)

# Zabbix's item types, value types and states, as its API numbers them.
SNMP_AGENT = "20"
FLOAT, UNSIGNED = "0", "3"
SUPPORTED = "0"
DISCOVERED = "4"
CHANGE_PER_SECOND, MULTIPLIER, NOT_SUPPORTED_CHECK = "10", "1", "26"


def test_the_templates_are_what_the_generator_makes_of_the_column_tables():
    """The YAML files are generated (templates/zabbix/generate.py); a column
    added or changed without regenerating them fails here."""
    generated = generate.templates(AGENT)
    shipped = {os.path.basename(p) for p in glob.glob(os.path.join(TEMPLATE_DIR, "*.yaml"))}
    assert shipped == set(generated), "regenerate: templates/zabbix/generate.py --agent build/mwagentx"
    for name, text in generated.items():
        with open(os.path.join(TEMPLATE_DIR, name)) as f:
            assert f.read() == text, f"{name} is stale: templates/zabbix/generate.py --agent build/mwagentx"


def test_every_served_object_is_an_item_of_some_template():
    """A DateAndTime has its age beside it; a Label names the rows. The event
    log (mwxEventTable) is what the notifications were: in Zabbix the same
    events are the templates' triggers, on the same thresholds."""
    texts = "".join(generate.templates(AGENT).values())
    for obj in generate.read_objects(AGENT):
        if obj.syntax == "DateAndTime" or obj.name.endswith("Label") or obj.parent == "mwxEventEntry":
            continue
        assert f"snmp_oid: {obj.oid}." in texts, f"{obj.name} is in no template"


def test_every_threshold_the_agent_notifies_on_is_a_template_trigger_by_the_same_name():
    """The templates take the agent's defaults (generate.threshold_macros), and
    every threshold is read by a trigger: Zabbix and the traps agree."""
    macros, expressions = {}, ""
    for text in generate.templates(AGENT).values():
        for template in yaml.safe_load(text)["zabbix_export"]["templates"]:
            macros.update({m["macro"]: m["value"] for m in template.get("macros", [])})
            for rule in template.get("discovery_rules", []):
                for trigger in rule.get("trigger_prototypes", []):
                    expressions += trigger["expression"] + trigger.get("recovery_expression", "")
    thresholds = generate.threshold_macros(AGENT)
    assert len(thresholds) >= 10
    for macro, default in thresholds.items():
        assert macros.get(macro) == default, f"{macro}: the template says {macros.get(macro)}, the agent {default}"
        assert macro in expressions, f"{macro} is read by no trigger"


def test_every_threshold_trigger_crosses_the_line_where_the_agent_does():
    """Each comparison with a threshold macro in the shipped templates is the
    agent's own (mwagentx --list-events: `comparison` lines, stated once in
    agent/events/threshold_watch.cpp): the problem at the alarm's operator and
    threshold, the recovery at the clear's. A `>` where the agent alarms at
    `>=` would let a value on the line alarm in one and not the other."""
    listed = generate.threshold_comparisons(AGENT)[0]
    assert listed == {"above": ((">=", "RISING"), ("<=", "FALLING")), "below": (("<=", "FALLING"), (">=", "RISING"))}
    by_pair = {(alarm, clear): kind for kind, (alarm, clear) in listed.items()}
    compared = re.compile(r"(>=|<=|<>|>|<|=)\{\$MWX\.([A-Z_]+\.[A-Z_]+)\.(RISING|FALLING)\}")
    checked = 0
    for name in glob.glob(os.path.join(TEMPLATE_DIR, "*.yaml")):
        export = yaml.safe_load(open(name))["zabbix_export"]
        triggers = list(export.get("triggers", []))
        for template in export["templates"]:
            for rule in template.get("discovery_rules", []):
                triggers += rule.get("trigger_prototypes", [])
        for trigger in triggers:
            alarm = compared.findall(trigger["expression"])
            clear = compared.findall(trigger.get("recovery_expression", ""))
            if not alarm:
                continue
            (alarm_op, threshold, alarm_at), = alarm
            (clear_op, same, clear_at), = clear
            assert threshold == same, trigger["name"]
            assert ((alarm_op, alarm_at), (clear_op, clear_at)) in by_pair, \
                f"{trigger['name']}: problem {alarm_op}{alarm_at}, recovery {clear_op}{clear_at}"
            checked += 1
    assert checked >= 9


@pytest.fixture
def zabbix(started):
    yield from serving(Zabbix(started.workdir), ("zabbix_server", "php", "psql"), PACKAGES)


IMPORT_RULES = {
    "groups": {"createMissing": True},
    "templates": {"createMissing": True, "updateExisting": True},
    "items": {"createMissing": True, "updateExisting": True, "deleteMissing": True},
    "discoveryRules": {"createMissing": True, "updateExisting": True, "deleteMissing": True},
    "triggers": {"createMissing": True, "updateExisting": True, "deleteMissing": True},
    "valueMaps": {"createMissing": True, "updateExisting": True, "deleteMissing": True},
    "templateLinkage": {"createMissing": True},
}


def import_templates(api):
    names = []
    for path in sorted(glob.glob(os.path.join(TEMPLATE_DIR, "*.yaml"))):
        with open(path) as f:
            source = f.read()
        assert api.call("configuration.import", {"format": "yaml", "source": source, "rules": IMPORT_RULES}) \
            is True, path
        names.append(re.search(r"^    template: (.+)$", source, re.M).group(1))
    templates = api.call("template.get", {"output": ["templateid", "host"], "filter": {"host": names}})
    assert sorted(t["host"] for t in templates) == sorted(names)
    return [t["templateid"] for t in templates]


def create_host(api, farm, templateids, macros):
    groupid = api.call("hostgroup.create", {"name": "mwagentx test"})["groupids"][0]
    return api.call("host.create", {
        "host": "farm",
        "interfaces": [{"type": 2, "main": 1, "useip": 1, "ip": "127.0.0.1", "dns": "",
                        "port": str(farm.snmpd.port),
                        "details": {"version": 2, "bulk": 1, "community": "public"}}],
        "groups": [{"groupid": groupid}],
        "templates": [{"templateid": t} for t in templateids],
        "macros": [{"macro": m, "value": v} for m, v in macros.items()],
    })["hostids"][0]


def expected_rows(farm, rule):
    """{SNMP index: label} that the rule's discovery[] must find, read from
    the agent: the label column, restricted to the rows that have the
    rule's {#MWX.PRESENT} column."""
    oids = re.findall(r"\{#[A-Z.]+\},([0-9.]+)", rule["snmp_oid"])
    walks = [{oid[len(base) + 1:]: value for oid, value in farm.numeric_walk(base).items()
              if oid.startswith(base + ".")} for base in oids]
    labels = {index: value.text.strip('"') for index, value in walks[0].items()}
    for present in walks[1:]:
        labels = {index: label for index, label in labels.items() if index in present}
    return labels


def discovered(api, hostid, rule):
    """{prototype key: {SNMP index: item name}} of what the rule created."""
    prototypes = api.call("itemprototype.get", {"discoveryids": [rule["itemid"]], "output": ["itemid", "key_"]})
    by_parent = {p["itemid"]: p["key_"].split("[")[0] for p in prototypes}
    items = api.call("item.get", {"hostids": [hostid], "filter": {"flags": DISCOVERED},
                                  "output": ["key_", "name"], "selectItemDiscovery": ["parent_itemid"]})
    found = {key: {} for key in by_parent.values()}
    for item in items:
        parent = item["itemDiscovery"]["parent_itemid"]
        if parent in by_parent:
            index = re.fullmatch(r"\w+\[(.*)\]", item["key_"]).group(1)
            found[by_parent[parent]][index] = item["name"]
    return found


def all_items(api, hostid):
    return api.call("item.get", {"hostids": [hostid], "output": [
        "itemid", "key_", "name", "type", "snmp_oid", "value_type", "state", "error", "lastclock",
        "lastvalue", "units"], "selectPreprocessing": ["type", "params"]})


def problems(api, hostid):
    return {p["name"] for p in api.call("problem.get", {"hostids": [hostid], "output": ["name"]})}


def test_the_templates_discover_collect_and_alarm_in_a_real_zabbix(started, farm, zabbix):
    began = time.monotonic()
    api = zabbix.api
    templateids = import_templates(api)
    hostid = create_host(api, farm, templateids, {
        "{$MWX.ITEM.INTERVAL}": "3s", "{$MWX.DISCOVERY.INTERVAL}": "10s",
        "{$MWX.GEARMAN.NO_WORKER.PERIOD}": "10s"})

    # Every discovery rule found exactly the rows the agent serves, with their labels.
    rules = api.call("discoveryrule.get", {"hostids": [hostid], "output": ["itemid", "key_", "snmp_oid",
                                                                             "state", "error"]})
    assert len(rules) == sum(text.count("item_prototypes:") for text in generate.templates(AGENT).values())

    def rules_done():
        for rule in rules:
            found = discovered(api, hostid, rule)
            want = expected_rows(farm, rule)
            if any(set(rows) != set(want) for rows in found.values()):
                return False
        return True

    wait_for(rules_done, 90, "every discovery rule to find the agent's rows", interval=2)
    rows_checked = 0
    for rule in rules:
        want = expected_rows(farm, rule)
        for key, rows in discovered(api, hostid, rule).items():
            for index, label in want.items():
                assert f" {label}: " in rows[index], (key, index, rows[index])
                rows_checked += 1
    assert rows_checked > 100
    with_rows = [r["key_"] for r in rules if expected_rows(farm, r)]
    # procfs serves no traffic columns, timeouts or sync daemons: those
    # rules rightly found nothing.
    assert sorted(set(r["key_"] for r in rules) - set(with_rows)) == [
        "mwxLvsEntry.discovery.kernel", "mwxLvsRealServerEntry.discovery.traffic",
        "mwxLvsServiceEntry.discovery.traffic"]

    # No item is unsupported, and every one got a value (counters: two, for
    # a rate) but those the MIB leaves absent until known, which wait. A
    # calculated item checked before its inputs had a value is unsupported
    # ("not enough data") until its next check: hence the wait for both.
    deadline = time.time() + 90
    while True:
        items = all_items(api, hostid)
        waiting = [i["key_"] for i in items if i["lastclock"] == "0" and i["state"] == SUPPORTED
                   and not any(step["type"] == NOT_SUPPORTED_CHECK for step in i["preprocessing"])]
        unsupported = sorted(f'{i["key_"].split("[")[0]}: {i["error"]}' for i in items if i["state"] != SUPPORTED)
        if not waiting and not unsupported:
            break
        assert time.time() < deadline, f"after 90 s, no value yet: {waiting}; unsupported:\n" + "\n".join(unsupported)
        time.sleep(2)

    # The values Zabbix stored are what snmpget returns for the same OIDs
    # (those that did not move meanwhile), scaled as the template says.
    compared = compare_with_snmpget(api, hostid, farm)
    assert compared > 150

    # Rates come from real traffic.
    rates = {i["key_"].split("[")[0]: float(i["lastvalue"]) for i in items
             if i["key_"].startswith("mwxMemcached") and is_rate(i)}
    for counter in ("mwxMemcachedCmdGet", "mwxMemcachedCmdSet", "mwxMemcachedGetHits", "mwxMemcachedBytesRead"):
        assert rates[counter] > 0, counter

    # Nothing evicts on the farm's memcached: however young its items, no
    # slab class has the "items evicted young" problem.
    assert not [p for p in problems(api, hostid) if "evicted young" in p]

    # A gearman function with jobs and no worker is a problem.
    no_worker = f"gearman function {INSTANCES['gearman']}/{GEARMAN_FUNCTION}: jobs waiting and no worker"
    wait_for(lambda: no_worker in problems(api, hostid), 60, f"the problem {no_worker!r}")

    # memcached stopped: its down problem; started again: resolved.
    down = f"memcached {INSTANCES['memcached']}: down"
    assert down not in problems(api, hostid)
    farm.memcached.stop()
    wait_for(lambda: down in problems(api, hostid), 60, "the down problem", interval=1)
    farm.memcached.start()
    wait_for(lambda: down not in problems(api, hostid), 60, "the down problem resolved", interval=1)
    print(f"Zabbix started in {zabbix.start_seconds:.0f} s; the test ran {time.monotonic() - began:.0f} s more")


def is_rate(item):
    return any(step["type"] == CHANGE_PER_SECOND for step in item["preprocessing"])


def compare_with_snmpget(api, hostid, farm):
    """Zabbix's last values against snmpget before and after them, for every
    SNMP item that is not a rate or a time and did not move meanwhile."""
    oids = [i["snmp_oid"] for i in all_items(api, hostid) if i["type"] == SNMP_AGENT and not is_rate(i)]
    farm.traffic_paused.set()  # memcached's connections and items hold still
    time.sleep(2)
    before = farm.numeric_get(oids)
    still_since = time.time()
    # Zabbix reads each item every 3 s, a busy server later: wait until it
    # has read every item the agent answers since the values stood still.
    deadline = time.time() + 60
    while True:
        items = [i for i in all_items(api, hostid) if i["type"] == SNMP_AGENT and not is_rate(i)]
        unread = [i["key_"] for i in items if i["state"] == SUPPORTED and i["snmp_oid"] in before
                  and not before[i["snmp_oid"]].absent and int(i["lastclock"]) < still_since]
        if not unread:
            break
        assert time.time() < deadline, f"after 60 s, Zabbix has not read again: {unread}"
        time.sleep(1)
    after = farm.numeric_get(oids)
    farm.traffic_paused.clear()
    compared = 0
    for item in items:
        was, now = before.get(item["snmp_oid"]), after.get(item["snmp_oid"])
        if was is None or now is None or now.absent or was.text != now.text or item["units"] == "s":
            continue  # moved while we looked, as ages and durations do at each poll
        if item["value_type"] in (FLOAT, UNSIGNED):
            expected = float(now.number())
            for step in item["preprocessing"]:
                if step["type"] == MULTIPLIER:
                    expected *= float(step["params"])
            assert float(item["lastvalue"]) == pytest.approx(expected), (item["key_"], item["lastvalue"], now)
        else:
            assert item["lastvalue"] == now.text.strip('"'), (item["key_"], item["lastvalue"], now)
        compared += 1
    return compared
