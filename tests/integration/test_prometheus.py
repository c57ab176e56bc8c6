"""The Prometheus files of templates/prometheus/: generated from what the
agent serves (its events, the MIB) and proven with Debian's own parts —
promtool on the alerting rules, and end to end the farm's snmpd and agent
scraped by Debian's snmp_exporter with the generated snmp.yml, and that
by Debian's Prometheus with the rules loaded, all on loopback ports."""
import importlib.util
import json
import os
import re
import subprocess
import time
import urllib.parse
import urllib.request

import yaml

from farm import Farm, INSTANCES
from harness import AGENT, Process, free_port, wait_for

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEMPLATE_DIR = os.path.join(ROOT, "templates", "prometheus")
_spec = importlib.util.spec_from_file_location("prometheus_generate", os.path.join(TEMPLATE_DIR, "generate.py"))
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)
ALERTS = os.path.join(TEMPLATE_DIR, "alerts.yml")
SCRAPE_INTERVAL = 2


def test_the_files_are_what_the_generator_makes_of_the_agent():
    """generator.yml, snmp.yml (through Debian's prometheus-snmp-generator)
    and alerts.yml; a column or an event changed without regenerating them
    fails here."""
    for name, text in generate.templates(AGENT).items():
        with open(os.path.join(TEMPLATE_DIR, name)) as f:
            assert f.read() == text, f"{name} is stale: templates/prometheus/generate.py --agent build/mwagentx"


def test_promtool_checks_the_rules():
    done = subprocess.run(["promtool", "check", "rules", ALERTS], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# Each alert's cases: series (values a minute apart) and, at given minutes,
# the rows whose alert fires then (by their labels); at the other minutes
# listed, none. A value on a threshold's line counts, as for the agent.
ROW = {"instance": "farm", "job": "snmp"}
CASES = {
    "MwxInstanceDown": [
        # down, then up again; a pending instance (before its first poll) is not down.
        ({'mwx_memcached_status{name="s",mwx_memcached_status="down"}': "0 1 0",
          'mwx_memcached_status{name="p",mwx_memcached_status="down"}': "0 0 0",
          'mwx_memcached_status{name="p",mwx_memcached_status="pending"}': "1 1 1"},
         {0: [], 1: [{"name": "s", "mwx_memcached_status": "down", "subsystem": "memcached"}], 2: []}),
    ],
    "MwxMemcachedConnectionsHigh": [
        # 79%; 80% (the rising line: fires); 75% (above falling: still);
        # 70% (the falling line: resolved); 70% again; a steady 70% never fires.
        ({'mwx_memcached_connection_usage{name="s"}': "7900 8000 7500 7000 7000",
          'mwx_memcached_connection_usage{name="t"}': "7000 7000 7000 7000 7000"},
         {0: [], 1: [{"name": "s"}], 2: [{"name": "s"}], 3: [], 4: []}),
    ],
    "MwxMemcachedHitRatioLow": [
        # 80% (the falling line) for the 15 minutes the agent holds: fires;
        # a steady 81% never does.
        ({'mwx_memcached_hit_ratio{name="s"}': "8000x20", 'mwx_memcached_hit_ratio{name="t"}': "8100x20"},
         {14: [], 15: [{"name": "s"}]}),
    ],
    "MwxMemcachedItemsEvictedYoung": [
        # Class 5 evicts items used 10 s before: fires. A fresh memcached
        # (class 1: young items, evicted_time 0, nothing evicted) never does.
        ({'mwx_memcached_slab_evicted_time{name="s",slab="s/5"}': "10x10",
          'mwx_memcached_slab_evicted{name="s",slab="s/5"}': "0+50x10",
          'mwx_memcached_slab_evicted_time{name="f",slab="f/1"}': "0x10",
          'mwx_memcached_slab_evicted{name="f",slab="f/1"}': "0x10"},
         {6: [{"name": "s", "slab": "s/5"}]}),
    ],
    "MwxGearmanJobsWaitingHigh": [
        ({'mwx_gearman_function_waiting{name="j",function="j/resize"}': "100x10",
          'mwx_gearman_function_waiting{name="j",function="j/mail"}': "99x10"},
         {4: [], 5: [{"name": "j", "function": "j/resize"}]}),
    ],
    "MwxGearmanNoWorker": [
        ({'mwx_gearman_function_waiting{name="j",function="j/resize"}': "3x3",
          'mwx_gearman_function_available_workers{name="j",function="j/resize"}': "0x3",
          'mwx_gearman_function_waiting{name="j",function="j/mail"}': "3x3",
          'mwx_gearman_function_available_workers{name="j",function="j/mail"}': "1x3"},
         {1: [{"name": "j", "function": "j/resize"}]}),
    ],
    "MwxQmailQueueHigh": [
        ({'mwx_qmail_queue_messages{name="m"}': "9999 10000 8001 8000"}, {0: [], 1: [{"name": "m"}], 2: [{"name": "m"}], 3: []}),
    ],
    "MwxQmailTodoStuck": [
        ({'mwx_qmail_oldest_todo_age{name="m"}': "599 600 300"}, {0: [], 1: [{"name": "m"}], 2: []}),
    ],
    "MwxMemcachedMemoryNearlyFull": [
        ({'mwx_memcached_bytes{name="s"}': "89 90 86 85", 'mwx_memcached_limit_maxbytes{name="s"}': "100x4"},
         {0: [], 1: [{"name": "s"}], 2: [{"name": "s"}], 3: []}),
    ],
    "MwxMemcachedEvicting": [
        ({'mwx_memcached_evictions{name="s"}': "0+6000x10", 'mwx_memcached_evictions{name="t"}': "0+60x10"},
         {8: [{"name": "s"}]}),
    ],
    "MwxFlareReplicationLagging": [
        ({'mwx_flare_node_replication_lag{name="c",node="c/127.0.0.1:11212"}': "999 1000 100"},
         {0: [], 1: [{"name": "c", "node": "c/127.0.0.1:11212"}], 2: []}),
    ],
    "MwxLvsInactiveConnectionsSurge": [
        ({'mwx_lvs_service_inactive_conns{name="lb",service="lb/tcp 192.0.2.10:80"}': "9999 10000 5000"},
         {0: [], 1: [{"name": "lb", "service": "lb/tcp 192.0.2.10:80"}], 2: []}),
    ],
    "MwxMemcachedConnectionsRefused": [
        ({'mwx_memcached_rejected_connections{name="s"}': "0 0 3 3", 'mwx_memcached_listen_disabled_num{name="s"}': "0x4",
          'mwx_memcached_rejected_connections{name="t"}': "0x4", 'mwx_memcached_listen_disabled_num{name="t"}': "0x4"},
         {1: [], 3: [{"name": "s"}]}),
    ],
    "MwxFlareFailover": [
        ({'mwx_flare_failovers{name="c"}': "0 0 1 1", 'mwx_flare_failovers{name="d"}': "2x4"}, {1: [], 3: [{"name": "c"}]}),
    ],
    "MwxFlareNodeStateChanged": [
        ({'mwx_flare_node_state{name="c",node="c/a:1",mwx_flare_node_state="down"}': "0 1",
          'mwx_flare_node_state{name="c",node="c/b:1",mwx_flare_node_state="down"}': "0 0"},
         {0: [], 1: [{"name": "c", "node": "c/a:1", "mwx_flare_node_state": "down"}]}),
    ],
    "MwxFlarePartitionWithoutMaster": [
        ({'mwx_flare_partitions_without_master{name="c"}': "0 1", 'mwx_flare_partitions_without_master{name="d"}': "0 0"},
         {0: [], 1: [{"name": "c"}]}),
    ],
    "MwxLvsRealServerWeightZero": [
        ({'mwx_lvs_real_server_weight{name="lb",real_server="lb/x -> a",service="lb/x"}': "1 0",
          'mwx_lvs_real_server_weight{name="lb",real_server="lb/x -> b",service="lb/x"}': "1 1"},
         {0: [], 1: [{"name": "lb", "real_server": "lb/x -> a", "service": "lb/x"}]}),
    ],
    "MwxLvsServiceNoWeightedServer": [
        ({'mwx_lvs_service_real_servers_weighted{name="lb",service="lb/x"}': "1 0",
          'mwx_lvs_service_real_servers_weighted{name="lb",service="lb/y"}': "2 2"},
         {0: [], 1: [{"name": "lb", "service": "lb/x"}]}),
    ],
    "MwxLvsRealServerAdded": [
        ({'mwx_lvs_service_real_servers{name="lb",service="lb/x"}': "2 2 3",
          'mwx_lvs_service_real_servers{name="lb",service="lb/y"}': "2 2 2"},
         {1: [], 2: [{"name": "lb", "service": "lb/x"}]}),
    ],
    "MwxLvsServiceAdded": [
        ({'mwx_lvs_services{name="lb"}': "4 4 5", 'mwx_lvs_services{name="lc"}': "4 4 4"}, {1: [], 2: [{"name": "lb"}]}),
    ],
    "MwxInstanceRestarted": [
        ({'mwx_memcached_uptime{name="s"}': "599", 'mwx_memcached_uptime{name="t"}': "600"}, {0: [{"name": "s"}]}),
    ],
    "MwxAgentNotAnswering": [
        # Answers for ten minutes, then no more (no scrape got through).
        ({'mwx_agent_uptime{}': "60+60x10 _x20"}, {5: [], 17: [{}]}),
    ],
    "MwxAgentRestarted": [({'mwx_agent_uptime{}': "599 600"}, {0: [{}], 1: []})],
    "MwxAgentConfigurationReloadFailed": [({'mwx_agent_config_reload_failures{}': "0 0 1 1"}, {1: [], 3: [{}]})],
    "MwxAgentNotificationsLost": [({'mwx_events_overflowed{}': "0 0 5 5"}, {1: [], 3: [{}]})],
    "MwxFlareIndexRestarted": [({'mwx_flare_index_uptime{name="c"}': "599", 'mwx_flare_index_uptime{name="d"}': "600"},
                                {0: [{"name": "c"}]})],
    "MwxFlareNodeRestarted": [({'mwx_flare_node_uptime{name="c",node="c/a:1"}': "10",
                                'mwx_flare_node_uptime{name="c",node="c/b:1"}': "6000"},
                               {0: [{"name": "c", "node": "c/a:1"}]})],
    "MwxLvsDefenceEngaged": [({'mwx_lvs_drop_entry{name="lb"}': "1 2", 'mwx_lvs_drop_packet{name="lb"}': "0 0",
                               'mwx_lvs_secure_tcp{name="lb"}': "0 0"}, {0: [], 1: [{"name": "lb"}]})],
    "MwxLvsSyncDaemonRoleChanged": [({'mwx_lvs_sync_role{name="lb"}': "2 2 3", 'mwx_lvs_sync_role{name="b"}': "1x3"},
                                     {1: [], 2: [{"name": "lb"}]})],
    "MwxLvsConnectionCountIncomplete": [({'mwx_lvs_conn_count_end{name="lb"}': "1 2 1"},
                                         {0: [], 1: [{"name": "lb"}], 2: []})],
    "MwxGearmanRestarted": [({'mwx_gearman_pid{name="jobs"}': "100 100 200", 'mwx_gearman_pid{name="q"}': "7 7 7"},
                             {1: [], 2: [{"name": "jobs"}]})],
    "MwxMemcachedVersionChanged": [
        ({'mwx_memcached_version{name="s",mwx_memcached_version="1.6.18"}': "1 1 _x10",
          'mwx_memcached_version{name="s",mwx_memcached_version="1.6.21"}': "_ _ 1x10",
          'mwx_memcached_version{name="t",mwx_memcached_version="1.6.18"}': "1x12"},
         {1: [], 3: [{"name": "s"}], 12: []}),
    ],
    "MwxPollsFailing": [
        ({'mwx_gearman_poll_failures{name="j"}': "0+1x10", 'mwx_gearman_poll_failures{name="k"}': "3x10"},
         {3: [], 8: [{"name": "j", "subsystem": "gearman"}]}),
    ],
    "MwxMemcachedFullWithinAnHour": [
        # 1 MB a minute towards 100 MB: full in about 40 minutes from the
        # 60th; a memcached that holds steady never is.
        ({'mwx_memcached_bytes{name="s"}': "0+1000000x80", 'mwx_memcached_limit_maxbytes{name="s"}': "100000000x80",
          'mwx_memcached_bytes{name="t"}': "50000000x80", 'mwx_memcached_limit_maxbytes{name="t"}': "100000000x80"},
         {75: [{"name": "s"}]}),
    ],
}


def with_row(series):
    """A series of a case, with the labels snmp_exporter's scrape adds."""
    name, _, labels = series.partition("{")
    return f'{name}{{instance="farm",job="snmp"' + (f",{labels}" if labels != "}" else "}")


def rules_by_name():
    with open(ALERTS) as f:
        rules = yaml.safe_load(f)["groups"][0]["rules"]
    return {rule["alert"]: rule for rule in rules}, rules


def expected_alert(rule, labels):
    all_labels = dict(ROW, **labels, **rule.get("labels", {}))
    annotations = {key: re.sub(r"\{\{ \$labels\.(\w+) \}\}", lambda m: all_labels[m.group(1)], text)
                   for key, text in rule.get("annotations", {}).items()}
    return {"exp_labels": all_labels, "exp_annotations": annotations}


def test_every_alert_fires_on_its_case_and_not_beside_it(tmp_path):
    """promtool test rules: for each alert, series that must fire it (on the
    line, where it has one) and series beside them that must not (below the
    line, a fresh memcached with young items, a pending instance)."""
    by_name, rules = rules_by_name()
    assert sorted(by_name) == sorted(CASES), "every alert has its case, and every case its alert"
    tests = []
    for alert, cases in CASES.items():
        # The rule and the rows' labels of each alert of that name (the
        # five MwxInstanceDown rules differ by subsystem).
        for series, firing in cases:
            checks = []
            for minute, rows in firing.items():
                expected = []
                for labels in rows:
                    candidates = [r for r in rules if r["alert"] == alert and
                                  r.get("labels", {}).get("subsystem", labels.get("subsystem")) == labels.get("subsystem")]
                    rule = candidates[0]
                    row = {k: v for k, v in labels.items() if k != "subsystem"}
                    expected.append(expected_alert(rule, row))
                checks.append({"eval_time": f"{minute}m", "alertname": alert, "exp_alerts": expected})
            tests.append({"interval": "1m",
                          "input_series": [{"series": with_row(s), "values": v} for s, v in series.items()],
                          "alert_rule_test": checks})
    test_file = tmp_path / "alerts_test.yml"
    test_file.write_text(yaml.safe_dump({"rule_files": [ALERTS], "evaluation_interval": "1m", "tests": tests},
                                        sort_keys=False))
    done = subprocess.run(["promtool", "test", "rules", str(test_file)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]


class Prometheus:
    """Debian's snmp_exporter with the generated snmp.yml, and Debian's
    Prometheus scraping the farm's snmpd through it every few seconds with
    the alerting rules loaded; loopback ports and the test's work dir."""

    def __init__(self, started, snmpd_port):
        work = started.workdir
        self.exporter_port, self.port = free_port(), free_port()
        started._add(Process("snmp_exporter", [
            "prometheus-snmp-exporter", f"--config.file={os.path.join(TEMPLATE_DIR, 'snmp.yml')}",
            f"--web.listen-address=127.0.0.1:{self.exporter_port}"], work).start())
        config = {
            "global": {"scrape_interval": f"{SCRAPE_INTERVAL}s", "evaluation_interval": "1s"},
            "rule_files": [ALERTS],
            # As the README shows an operator: the target is snmpd, the
            # address scraped the exporter's.
            "scrape_configs": [{
                "job_name": "snmp", "metrics_path": "/snmp", "params": {"module": ["mwagentx"]},
                "static_configs": [{"targets": [f"127.0.0.1:{snmpd_port}"]}],
                "relabel_configs": [
                    {"source_labels": ["__address__"], "target_label": "__param_target"},
                    {"source_labels": ["__param_target"], "target_label": "instance"},
                    {"target_label": "__address__", "replacement": f"127.0.0.1:{self.exporter_port}"}]}],
        }
        path = os.path.join(work, "prometheus.yml")
        with open(path, "w") as f:
            yaml.safe_dump(config, f)
        started._add(Process("prometheus", [
            "prometheus", f"--config.file={path}", f"--storage.tsdb.path={os.path.join(work, 'tsdb')}",
            f"--web.listen-address=127.0.0.1:{self.port}"], work).start())

    def api(self, path, **params):
        url = f"http://127.0.0.1:{self.port}/api/v1/{path}?" + urllib.parse.urlencode(params)
        with urllib.request.urlopen(url, timeout=10) as response:
            body = json.load(response)
        assert body["status"] == "success", body
        return body["data"]

    def query(self, expr):
        """{frozenset of labels (without __name__): value}."""
        try:
            result = self.api("query", query=expr)["result"]
        except OSError:
            return {}
        return {frozenset((k, v) for k, v in s["metric"].items() if k != "__name__"): float(s["value"][1])
                for s in result}

    def firing(self, alertname):
        return [a["labels"] for a in self.api("alerts")["alerts"]
                if a["labels"]["alertname"] == alertname and a["state"] == "firing"]


def oid_of(metric_oid, name):
    """An instance table's column OID with the instance name as its index."""
    return metric_oid + "." + ".".join(str(b) for b in [len(name)] + list(name.encode()))


def test_prometheus_scrapes_every_table_through_snmp_exporter_and_alerts(started):
    began = time.monotonic()
    farm = Farm(started).start()
    try:
        prometheus = Prometheus(started, farm.snmpd.port)
        wait_for(lambda: prometheus.query("mwx_memcached_status") and prometheus.query("mwx_lvs_real_server_weight"),
                 60, "the first scrapes in Prometheus")
        # Every table's rows, labelled by name and, nested, by their row label.
        for subsystem, name in INSTANCES.items():
            status = prometheus.query(f'mwx_{subsystem}_status{{mwx_{subsystem}_status="up"}}')
            assert [dict(labels)["name"] for labels in status] == [name], (subsystem, status)
        rows = {"mwx_memcached_slab_items": "slab", "mwx_gearman_function_total": "function",
                "mwx_flare_node_state": "node", "mwx_lvs_service_active_conns": "service",
                "mwx_lvs_real_server_weight": "real_server"}
        for metric, row_label in rows.items():
            series = prometheus.query(metric)
            assert series, metric
            for labels in series:
                labels = dict(labels)
                assert labels[row_label].startswith(labels["name"] + "/"), (metric, labels)
                assert not any(key.startswith("mwx_") and key != metric for key in labels), \
                    f"{metric}: a raw index label in {labels}"
        assert {"name": "jobs", "function": "jobs/resize"}.items() <= \
            dict(next(iter(prometheus.query('mwx_gearman_function_waiting{function="jobs/resize"}')))).items()
        # Values: Prometheus's, of every instance table's numeric column,
        # against snmpget before and after a scrape (those that held still;
        # ages and durations move with the clock, and are left out).
        with open(os.path.join(TEMPLATE_DIR, "snmp.yml")) as f:
            metrics = yaml.safe_load(f)["mwagentx"]["metrics"]
        timed = {generate.snake(o.name) for o in generate.read_objects(AGENT)
                 if o.units in ("seconds", "milliseconds", "microseconds")}
        numeric = [m for m in metrics if m["type"] in ("gauge", "counter") and m["name"] not in timed and
                   [i["labelname"] for i in m.get("indexes", [])] == ["name"]]
        oids = {(m["name"], subsystem_name): oid_of(m["oid"], subsystem_name) for m in numeric
                for subsystem_name in [INSTANCES[m["name"].split("_")[1]]]}
        farm.traffic_paused.set()
        time.sleep(2)
        before = farm.numeric_get(list(oids.values()))
        asked = time.time()
        scraped = lambda: max(prometheus.query("timestamp(mwx_agent_uptime)").values() or [0])  # noqa: E731
        wait_for(lambda: scraped() > asked, 10, "a scrape after the first snmpget")
        values = {}
        for metric in {m["name"] for m in numeric}:
            for labels, value in prometheus.query(metric).items():
                values[(metric, dict(labels)["name"])] = value
        after = farm.numeric_get(list(oids.values()))
        farm.traffic_paused.clear()
        compared = 0
        for key, oid in oids.items():
            was, now = before.get(oid), after.get(oid)
            if was is None or now is None or was.absent or was.text != now.text:
                continue
            assert values.get(key) == float(now.number()), (key, values.get(key), now)
            compared += 1
        assert compared > 40, compared
        # Rates from real traffic.
        wait_for(lambda: prometheus.query(f"rate(mwx_memcached_cmd_get[{4 * SCRAPE_INTERVAL}s]) > 0"), 30,
                 "a rate of gets above 0")
        # memcached stopped: MwxInstanceDown fires; started again: resolved.
        assert not prometheus.firing("MwxInstanceDown")
        farm.memcached.stop()
        wait_for(lambda: [a for a in prometheus.firing("MwxInstanceDown") if a.get("name") == "sessions"], 60,
                 "MwxInstanceDown firing for memcached sessions")
        farm.memcached.start()
        wait_for(lambda: not prometheus.firing("MwxInstanceDown"), 60, "MwxInstanceDown resolved")
        print(f"Prometheus test: {compared} values compared; {time.monotonic() - began:.0f} s")
    finally:
        farm.close()
