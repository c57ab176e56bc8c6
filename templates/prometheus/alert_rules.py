"""The alerting rules of templates/prometheus/alerts.yml. Each alert says
only what PromQL reads; its name, thresholds, hold time and comparison
come from the agent (`mwagentx --list-events`) for the agent's events, and
from the Zabbix template's macros for the thresholds only the templates
have, so a notification, a Zabbix trigger and an alert cross the same line.

Hysteresis, the Prometheus way: an alert fires when the value reaches the
alarm's threshold and stays firing while the value has not reached the
other one; the expression asks for its own ALERTS series to tell the two
apart (`or (... and on(...) ALERTS{...})`). A hold time is `for:`, which is
what the agent's hold means too: the condition held that long."""
import glob
import os
import subprocess

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Alerts on the agent's threshold events: (subsystem, event, the value in
# the event's unit, its row labels[, a condition without which there is no
# reading]).
THRESHOLD_ALERTS = [
    ("memcached", "connection_usage", "mwx_memcached_connection_usage / 100", ["name"]),
    ("memcached", "hit_ratio", "mwx_memcached_hit_ratio / 100", ["name"]),
    # Per slab class, only while it evicts: a fresh memcached has young
    # items and evicts none.
    ("memcached", "evicted_item_age", "mwx_memcached_slab_evicted_time", ["name", "slab"],
     "increase(mwx_memcached_slab_evicted[5m]) > 0"),
    ("gearman", "waiting_jobs", "mwx_gearman_function_waiting", ["name", "function"]),
    ("qmail", "queue_messages", "mwx_qmail_queue_messages", ["name"]),
    ("qmail", "oldest_todo_age", "mwx_qmail_oldest_todo_age", ["name"]),
]
# The thresholds only the Zabbix templates have: (Zabbix macro prefix, the
# alert's name, kind, value, row labels, description).
TEMPLATE_THRESHOLD_ALERTS = [
    ("MEMCACHED.MEMORY_USAGE", "MwxMemcachedMemoryNearlyFull", "above",
     "mwx_memcached_bytes / mwx_memcached_limit_maxbytes * 100", ["name"],
     "bytes is at or above {rising}% of limit_maxbytes (memcached -m)"),
    ("MEMCACHED.EVICTIONS", "MwxMemcachedEvicting", "above", "rate(mwx_memcached_evictions[5m])", ["name"],
     "{rising} or more items per second were evicted to make room, over 5 minutes"),
    ("FLARE.REPLICATION_LAG", "MwxFlareReplicationLagging", "above", "mwx_flare_node_replication_lag",
     ["name", "node"], "{rising} or more items queued for replication on this node"),
    ("LVS.INACTIVE_CONNS", "MwxLvsInactiveConnectionsSurge", "above", "mwx_lvs_service_inactive_conns",
     ["name", "service"], "{rising} or more inactive connections on this service: a SYN flood?"),
]
SUBSYSTEMS = ["memcached", "gearman", "qmail", "flare", "lvs"]
# The agent's change and condition events, and what says the same in the
# metrics: (notification, expression, row labels, description).
CHANGE_ALERTS = [
    ("mwxMemcachedConnectionsRefused",
     "increase(mwx_memcached_rejected_connections[5m]) + increase(mwx_memcached_listen_disabled_num[5m]) > 0",
     ["name"], "memcached reached maxconns and refused or queued clients in the last 5 minutes"),
    ("mwxGearmanNoWorker", "mwx_gearman_function_waiting > 0 and mwx_gearman_function_available_workers == 0",
     ["name", "function"], "jobs wait and no worker is registered for the function"),
    ("mwxFlareFailover", "increase(mwx_flare_failovers[5m]) > 0", ["name"],
     "a partition's master changed in the last 5 minutes"),
    ("mwxFlareNodeStateChanged", 'mwx_flare_node_state{mwx_flare_node_state="down"} == 1', ["name", "node"],
     "the index server marks the node down"),
    ("mwxFlarePartitionWithoutMaster", "mwx_flare_partitions_without_master > 0", ["name"],
     "a partition has no active master"),
    ("mwxLvsRealServerWeightZero", "mwx_lvs_real_server_weight == 0", ["name", "real_server"],
     "the real server is out of the pool (weight 0)"),
    ("mwxLvsServiceNoWeightedServer", "mwx_lvs_service_real_servers_weighted == 0", ["name", "service"],
     "no real server of the service has a weight above 0"),
    ("mwxLvsRealServerAdded", "changes(mwx_lvs_service_real_servers[5m]) > 0", ["name", "service"],
     "real servers were added to the service or removed from it in the last 5 minutes"),
    ("mwxLvsServiceAdded", "changes(mwx_lvs_services[5m]) > 0", ["name"],
     "virtual services were added or removed in the last 5 minutes"),
    ("mwxInstanceRestarted", "mwx_memcached_uptime < 600", ["name"], "memcached started less than 10 minutes ago"),
]
# The Zabbix templates' other triggers: (alert, expression, for, row labels,
# description[, subsystem, for the alerts every subsystem has]).
TEMPLATE_ALERTS = [
    ("MwxAgentNotAnswering", "max_over_time(mwx_agent_uptime[1h]) unless on(instance, job) mwx_agent_uptime", None,
     ["instance"], "mwagentx answered in the last hour and does not now (agent, snmpd or snmp_exporter)"),
    ("MwxAgentRestarted", "mwx_agent_uptime < 600", None, ["instance"], "mwagentx started less than 10 minutes ago"),
    ("MwxAgentConfigurationReloadFailed", "increase(mwx_agent_config_reload_failures[10m]) > 0", None, ["instance"],
     "a reload of mwagentx.conf was rejected: the running configuration stays (the agent's log says why)"),
    ("MwxAgentNotificationsLost", "increase(mwx_events_overflowed[10m]) > 0", None, ["instance"],
     "snmpd was away longer than the agent holds notifications: some were lost (mwxEventTable has them)"),
    ("MwxFlareIndexRestarted", "mwx_flare_index_uptime < 600", None, ["name"],
     "the Flare index server started less than 10 minutes ago"),
    ("MwxFlareNodeRestarted", "mwx_flare_node_uptime < 600", None, ["name", "node"],
     "the Flare node started less than 10 minutes ago"),
    ("MwxLvsDefenceEngaged", "mwx_lvs_drop_entry >= 2 or mwx_lvs_drop_packet >= 2 or mwx_lvs_secure_tcp >= 2", None,
     ["name"], "drop_entry, drop_packet or secure_tcp is active: the director drops connections or packets"),
    ("MwxLvsSyncDaemonRoleChanged", "changes(mwx_lvs_sync_role[10m]) > 0", None, ["name"],
     "the director's connection synchronization daemons changed (none, master, backup): with keepalived, "
     "a failover"),
    ("MwxLvsConnectionCountIncomplete", "mwx_lvs_conn_count_end != 1", None, ["name"],
     "the last count of ip_vs_conn stopped at conn_limit or the poll's timeout: the table is larger than usual"),
    ("MwxGearmanRestarted", "changes(mwx_gearman_pid[10m]) > 0", None, ["name"],
     "gearmand's process id changed in the last 10 minutes: it restarted, and its queues (unless persistent) "
     "started over"),
    ("MwxMemcachedVersionChanged", "count by (instance, job, name) (count_over_time(mwx_memcached_version[10m])) > 1",
     None, ["name"], "memcached reported another version in the last 10 minutes: upgraded or replaced"),
] + [("MwxPollsFailing", f"increase(mwx_{subsystem}_poll_failures[5m]) > 0", "5m", ["name"],
      f"polls of {subsystem} failed over every check of the last 5 minutes", subsystem) for subsystem in SUBSYSTEMS]


def alert_name(notification):
    """mwxMemcachedConnectionsHigh -> MwxMemcachedConnectionsHigh."""
    return notification[0].upper() + notification[1:]


def agent_events(agent):
    """From --list-events: the comparisons and {(subsystem, event): spec}."""
    listed = subprocess.run([agent, "--list-events"], capture_output=True, text=True, check=True).stdout
    comparisons, events = {}, {}
    for line in listed.splitlines():
        fields = line.split("\t")
        if fields[0] == "comparison":
            comparisons[fields[1]] = {"alarm": (fields[2], fields[3]), "clear": (fields[4], fields[5])}
        elif fields[0] == "event":
            _, subsystem, name, kind, rising, falling, hold, unit, notifications, description = fields
            events[(subsystem, name)] = {"kind": kind, "rising": rising, "falling": falling, "hold": hold,
                                         "unit": "" if unit == "-" else unit, "notifications": notifications.split(","),
                                         "description": description}
    return comparisons, events


def template_macros():
    """{"{$MWX.MEMCACHED.MEMORY_USAGE.RISING}": "90", ...}: the values the
    Zabbix specs give their own thresholds."""
    macros = {}
    for path in glob.glob(os.path.join(ROOT, "handlers", "*", "zabbix.yaml")):
        with open(path) as f:
            for macro in yaml.safe_load(f).get("macros", []):
                if "value" in macro:
                    macros[macro["macro"]] = macro["value"]
    return macros


def threshold_rule(name, value, labels, comparisons, kind, rising, falling, hold, description, only_while=None):
    lines = comparisons[kind]
    thresholds = {"rising": rising, "falling": falling}
    alarm_op, alarm_at = lines["alarm"]
    clear_op, clear_at = lines["clear"]
    # Still firing: the clear's line not reached, i.e. the opposite comparison, strict.
    stay_op = {"<=": ">", ">=": "<"}[clear_op]
    on = ", ".join(["instance", "job"] + labels)
    guard = f" and {only_while}" if only_while else ""
    expr = (f"(({value}) {alarm_op} {thresholds[alarm_at]}{guard})\n"
            f"or\n(({value}) {stay_op} {thresholds[clear_at]}{guard}\n"
            f"  and on({on}) ALERTS{{alertname=\"{name}\", alertstate=\"firing\"}})")
    rule = {"alert": name, "expr": expr}
    if hold and hold not in ("-", "0"):
        rule["for"] = f"{hold}s"
    rule["labels"] = {"severity": "warning"}
    rule["annotations"] = {
        "summary": f"{{{{ $labels.{labels[-1]} }}}}: {description}",
        "description": (f"Fires at {alarm_op} {thresholds[alarm_at]} (the agent's {alarm_at} threshold) and "
                        f"resolves at {clear_op} {thresholds[clear_at]} ({clear_at})."),
    }
    return rule


def alert_rules(agent):
    comparisons, events = agent_events(agent)
    rules = []
    for subsystem in SUBSYSTEMS:
        rules.append({
            "alert": "MwxInstanceDown",
            "expr": f'mwx_{subsystem}_status{{mwx_{subsystem}_status="down"}} == 1',
            "labels": {"severity": "critical", "subsystem": subsystem},
            "annotations": {"summary": f"{subsystem} {{{{ $labels.name }}}} is down: mwagentx's poll failed "
                                       f"(its LastError column, mwx{subsystem.capitalize()}LastError, says why)"},
        })
    for subsystem, event, value, labels, *guard in THRESHOLD_ALERTS:
        spec = events[(subsystem, event)]
        rules.append(threshold_rule(alert_name(spec["notifications"][0]), value, labels, comparisons, spec["kind"],
                                    spec["rising"], spec["falling"], spec["hold"], spec["description"],
                                    guard[0] if guard else None))
    macros = template_macros()
    for prefix, name, kind, value, labels, description in TEMPLATE_THRESHOLD_ALERTS:
        rising, falling = macros[f"{{$MWX.{prefix}.RISING}}"], macros[f"{{$MWX.{prefix}.FALLING}}"]
        rules.append(threshold_rule(name, value, labels, comparisons, kind, rising, falling, None,
                                    description.format(rising=rising)))
    for notification, expr, labels, description in CHANGE_ALERTS:
        rules.append({"alert": alert_name(notification), "expr": expr, "labels": {"severity": "warning"},
                      "annotations": {"summary": f"{{{{ $labels.{labels[-1]} }}}}: {description}"}})
    for name, expr, hold, labels, description, *subsystem in TEMPLATE_ALERTS:
        rule = {"alert": name, "expr": expr}
        if hold:
            rule["for"] = hold
        rule["labels"] = dict({"severity": "warning"}, **({"subsystem": subsystem[0]} if subsystem else {}))
        rule["annotations"] = {"summary": f"{{{{ $labels.{labels[-1]} }}}}: {description}"}
        rules.append(rule)
    # What none of the agent's events says: when memcached will be full.
    rules.append({
        "alert": "MwxMemcachedFullWithinAnHour",
        "expr": "predict_linear(mwx_memcached_bytes[30m], 3600) >= mwx_memcached_limit_maxbytes",
        "for": "10m", "labels": {"severity": "warning"},
        "annotations": {"summary": "{{ $labels.name }}: at the rate of the last 30 minutes, bytes reach "
                                   "limit_maxbytes within an hour (memcached then evicts)"}})
    return {"groups": [{"name": "mwagentx", "rules": rules}]}
