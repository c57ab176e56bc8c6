#!/usr/bin/python3
"""Writes the Zabbix 6.0 templates of templates/zabbix/ from what the agent
serves and what the MIB says, so that no OID, type, unit, enumeration or
description is kept by hand a second time.

  generate.py --agent build/mwagentx [--out templates/zabbix]

Inputs:
- `mwagentx --list-objects`: every object's name, OID, type, enumeration or
  textual convention, and units, read from the column tables;
- mibs/MWAGENTX-MIB.txt: each object's DESCRIPTION and parent (which table);
- `mwagentx --list-events`: the defaults of the thresholds the agent
  notifies on, which become the values of the macros of the same name, and
  how the agent compares (`comparison` lines), from which every threshold
  trigger (a spec's `threshold:`) is written;
- the template specs, agent/zabbix.yaml and handlers/<subsystem>/zabbix.yaml:
  what only an operator can say (thresholds as user macros, triggers,
  calculated items, counters kept as counts, columns that may be absent).

Every table becomes a discovery rule labelled by its Label column, every
column an item prototype (`OID.{#SNMPINDEX}`), every enumeration a value map;
counters are stored as rates. Every instance table gets the triggers all
instances share (down, polls failing, restarted). The UUIDs the 6.0 importer
insists on are derived from the names, so a template keeps them across runs.
"""
import hashlib
import os
import re
import sys
import uuid

import yaml

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from catalog import (column_groups, generator_main, read_objects, spec_files, tables_of,  # noqa: E402
                     threshold_comparisons, threshold_macros, words)

GROUP = "Templates/Applications"
LABEL_MACRO = "{#MWX.LABEL}"
PRESENT_MACRO = "{#MWX.PRESENT}"

# Macros several templates use; the specs add their own.
SHARED_MACROS = [
    {"macro": "{$MWX.DISCOVERY.INTERVAL}", "value": "1h",
     "description": "How often the tables are walked for new and vanished rows."},
    {"macro": "{$MWX.ITEM.INTERVAL}", "value": "1m",
     "description": "How often each value is read. Shorter than the agent's interval only reads the same sample again."},
    {"macro": "{$MWX.POLL_FAILURES.PERIOD}", "value": "5m",
     "description": "Polls failing: a problem when every Zabbix check over this period saw new poll failures."},
    {"macro": "{$MWX.RESTARTED.PERIOD}", "value": "600",
     "description": "Restarted: a problem while the backend's uptime is below this many seconds."},
]
# The MIB's UNITS as Zabbix shows them (and scales: B, Bps); a counter's
# rate per second in the second table.
ZABBIX_UNITS = {"seconds": "s", "bytes": "B", "bytes per second": "Bps", "packets per second": "pps",
                "connections per second": "cps"}
PER_SECOND_UNITS = {"B": "Bps", "packets": "pps"}
STATUS_DOWN = "down"  # MwxInstanceStatus: pending is not down, so a starting agent raises nothing


def uuid_for(*names):
    """A UUIDv4 (the importer checks version and variant) fixed by the names."""
    return uuid.UUID(bytes=hashlib.md5("/".join(names).encode()).digest(), version=4).hex


def with_agent_defaults(macros, defaults):
    """A spec's macros; those naming an agent threshold take its default,
    which the spec must not state again."""
    out = []
    for macro in macros:
        name = macro["macro"]
        if name in defaults and "value" in macro:
            sys.exit(f"generate: {name} is the agent's threshold (mwagentx --list-events); drop its value")
        if name not in defaults and "value" not in macro:
            sys.exit(f"generate: {name} has no value and is no threshold of the agent")
        out.append({"macro": name, "value": macro.get("value", defaults.get(name)),
                    "description": macro["description"]})
    return out


class TemplateWriter:
    def __init__(self, spec, tables, scalars, thresholds, comparisons, groups):
        self.spec, self.tables, self.scalars = spec, tables, scalars
        self.macros = with_agent_defaults(spec.get("macros", []), thresholds)
        self.comparisons, self.threshold_kinds = comparisons
        self.name = f"MWAGENTX {spec['title']} by SNMP"
        self.valuemaps = {}
        self.kept_as_counts = set(spec.get("counts", []))
        self.may_be_absent = set(spec.get("may_be_absent", []))
        self.groups = groups
        self.items_by_key = {}  # key -> its table, to place triggers

    # --- items -----------------------------------------------------------
    def value_map(self, column):
        if not column.enums:
            return None
        # Named after the textual convention where the MIB has one (shared).
        name = column.name if column.mib_syntax == "INTEGER" else column.mib_syntax
        self.valuemaps.setdefault(name, {
            "uuid": uuid_for(self.name, "valuemap", name),
            "name": name,
            "mappings": [{"value": str(v), "newvalue": n} for v, n in column.enums],
        })
        return {"name": name}

    def item(self, column, table):
        key = column.name + ("[{#SNMPINDEX}]" if table else "")
        oid = column.oid + (".{#SNMPINDEX}" if table else ".0")
        subject = f"{table.title} {LABEL_MACRO}" if table else "mwagentx"
        what = words(column.name[len(table.prefix if table else "mwxAgent"):])
        item = {"uuid": uuid_for(self.name, "item", key), "name": "", "type": "SNMP_AGENT",
                "snmp_oid": oid, "key": key, "delay": "{$MWX.ITEM.INTERVAL}", "history": "7d"}
        steps = []
        if column.name in self.may_be_absent:
            # The MIB leaves this column out until it has a value: wait for it
            # rather than mark the item unsupported.
            steps.append(("CHECK_NOT_SUPPORTED", [""], "DISCARD_VALUE"))
        units = ZABBIX_UNITS.get(column.units, column.units)
        if column.type == "STRING":
            item.update(trends="0", value_type="TEXT" if column.name.endswith("Error") else "CHAR")
        elif column.syntax == "MwxHundredthsPercent":
            item.update(value_type="FLOAT")
            units = "%"
            steps.append(("MULTIPLIER", ["0.01"], None))
        elif column.units == "milliseconds":
            item.update(value_type="FLOAT")
            units = "s"
            steps.append(("MULTIPLIER", ["0.001"], None))
        elif column.is_counter and column.name not in self.kept_as_counts:
            item.update(value_type="FLOAT")
            what += " per second"
            if column.units == "microseconds":  # CPU time: the share of one CPU
                units = "%"
                steps.append(("CHANGE_PER_SECOND", [""], None))
                steps.append(("MULTIPLIER", ["0.0001"], None))
            else:
                units = PER_SECOND_UNITS.get(units, units)
                steps.append(("CHANGE_PER_SECOND", [""], None))
        elif column.type == "INTEGER" and not column.enums:
            item.update(value_type="FLOAT")  # may be negative
        item["name"] = f"{subject}: {what}"
        if units:
            item["units"] = units
        item["description"] = f"{column.description}\nMIB: MWAGENTX-MIB::{column.name}"
        if steps:
            item["preprocessing"] = [
                dict({"type": t, "parameters": p}, **({"error_handler": h} if h else {})) for t, p, h in steps]
        valuemap = self.value_map(column)
        if valuemap:
            item["valuemap"] = valuemap
        item["tags"] = [{"tag": "component", "value": self.spec["title"]}]
        self.items_by_key[column.name] = table
        return item

    def calculated(self, calc, table):
        key = calc["key"] + "[{#SNMPINDEX}]"
        item = {"uuid": uuid_for(self.name, "item", key), "name": f"{table.title} {LABEL_MACRO}: {calc['name']}",
                "type": "CALCULATED", "key": key, "delay": "{$MWX.ITEM.INTERVAL}", "history": "7d",
                "value_type": "FLOAT",
                "params": self.expand(calc["formula"], table, host=""), "units": calc.get("units", ""),
                "description": calc["description"], "tags": [{"tag": "component", "value": self.spec["title"]}]}
        self.items_by_key[calc["key"]] = table
        return item

    # --- triggers ----------------------------------------------------------
    def expand(self, expression, table, host=None):
        """{mwxName} -> /Template/mwxName[{#SNMPINDEX}] (or the scalar's key)."""
        host = self.name if host is None else host

        def ref(match):
            name = match.group(1)
            if name not in self.items_by_key:
                sys.exit(f"generate: {self.spec['title']}: a trigger names {name}, which no item serves")
            suffix = "[{#SNMPINDEX}]" if self.items_by_key[name] else ""
            return f"/{host}/{name}{suffix}"

        return re.sub(r"\{(mwx\w+)\}", ref, expression)

    def threshold_expressions(self, threshold):
        """A threshold trigger's problem and recovery expressions, compared as
        the agent compares (threshold_comparisons). `threshold` names the
        macros ({$MWX.FILE.NAME.RISING}); an agent event's kind comes from the
        agent, a template-only threshold states its `kind`. `value` (or
        `alarm_value` and `clear_value`) is what is compared; `only_while`
        and its negation `or_clear_when` guard a reading that exists only
        while something happens."""
        name = f"{self.spec['file'].upper()}.{threshold['name']}"
        kind = self.threshold_kinds.get(name)
        if kind and "kind" in threshold:
            sys.exit(f"generate: {name} is the agent's threshold: its kind comes from mwagentx --list-events")
        kind = kind or threshold.get("kind")
        if kind not in self.comparisons:
            sys.exit(f"generate: threshold {name}: no kind (above or below) from the agent or the spec")
        (alarm_op, alarm_at), (clear_op, clear_at) = self.comparisons[kind]
        alarm_value = threshold.get("alarm_value", threshold.get("value"))
        clear_value = threshold.get("clear_value", threshold.get("value"))
        problem = f"{alarm_value}{alarm_op}{{$MWX.{name}.{alarm_at}}}"
        recovery = f"{clear_value}{clear_op}{{$MWX.{name}.{clear_at}}}"
        if "only_while" in threshold:
            problem = f"{threshold['only_while']} and {problem}"
            recovery = f"{threshold['or_clear_when']} or {recovery}"
        return problem, recovery

    def trigger(self, spec, table):
        subject = f"{table.title} {LABEL_MACRO}" if table else "mwagentx"
        if "threshold" in spec:
            spec = dict(spec)
            spec["expression"], spec["recovery"] = self.threshold_expressions(spec["threshold"])
        trigger = {"uuid": uuid_for(self.name, "trigger", spec["name"], table.entry if table else ""),
                   "expression": self.expand(spec["expression"], table),
                   "name": f"{subject}: {spec['name']}", "priority": spec.get("priority", "WARNING")}
        if "recovery" in spec:
            trigger.update(recovery_mode="RECOVERY_EXPRESSION",
                           recovery_expression=self.expand(spec["recovery"], table))
        if spec.get("manual_close"):
            trigger["manual_close"] = "YES"
        if "opdata" in spec:
            trigger["opdata"] = spec["opdata"]
        trigger["description"] = spec["description"]
        if "depends_on" in spec:
            trigger["depends_on"] = spec["depends_on"]  # resolved once all are built
        trigger["tags"] = [{"tag": "scope", "value": spec.get("scope", "availability")}]
        return trigger

    def common_triggers(self, table):
        """The triggers every instance table has, and 'restarted' wherever
        the backend reports its uptime."""
        specs = []
        status = table.column("Status")
        if status:
            down_value = next(v for v, n in status.enums if n == STATUS_DOWN)
            specs += [{
                "name": "down", "priority": "HIGH",
                "expression": f"last({{{status.name}}})={down_value}",
                "description": f"The agent's last poll of this {self.spec['title']} instance failed; "
                               f"{table.prefix}LastError says why. Not raised while the agent is starting (pending).",
                "opdata": "{ITEM.LASTVALUE1}",
            }, {
                "name": "polls failing", "depends_on": "down",
                "expression": f"min({{{table.prefix}PollFailures}},{{$MWX.POLL_FAILURES.PERIOD}})>0",
                "description": "Polls of this instance have kept failing for {$MWX.POLL_FAILURES.PERIOD}.",
            }]
        uptime = table.column("Uptime") or table.column("IndexUptime")
        if uptime:
            specs.append(dict({
                "name": "restarted", "priority": "INFO", "manual_close": True,
                "expression": f"last({{{uptime.name}}})<{{$MWX.RESTARTED.PERIOD}}",
                "description": "The backend's uptime is below {$MWX.RESTARTED.PERIOD} seconds: it restarted "
                               "and its counters started over.",
                "opdata": "Uptime: {ITEM.LASTVALUE1}",
            }, **({"depends_on": "down"} if status else {})))
        return specs

    @staticmethod
    def resolve_dependencies(triggers):
        by_name = {t["name"]: t for t in triggers}
        for trigger in triggers:
            wanted = trigger.pop("depends_on", None)
            if wanted:
                subject = trigger["name"].split(": ", 1)[0]
                target = by_name[f"{subject}: {wanted}"]
                trigger["dependencies"] = [{"name": target["name"], "expression": target["expression"]}]
                # YAML keeps the keys in insertion order; tags stay last.
                trigger["tags"] = trigger.pop("tags")

    # --- the template ------------------------------------------------------
    def discovery_rule(self, table, group=None):
        columns = [c for c in table.columns if c is not table.label and c.syntax != "DateAndTime"]
        grouped = {name for g in self.groups if g["table"] == table.entry for name in g["columns"]}
        if group:
            columns = [c for c in columns if c.name in group["columns"]]
        else:
            columns = [c for c in columns if c.name not in grouped]
        key = f"{table.entry}.discovery" + (f".{group['name']}" if group else "")
        snmp_oid = f"discovery[{LABEL_MACRO},{table.label.oid}"
        rule_name = f"{table.title} discovery" + (f": {group['name']}" if group else "")
        rule = {"uuid": uuid_for(self.name, "discovery", key), "name": rule_name, "type": "SNMP_AGENT"}
        if group:
            first = table.by_name[group["columns"][0]]
            snmp_oid += f",{PRESENT_MACRO},{first.oid}"
        rule.update(snmp_oid=snmp_oid + "]", key=key, delay="{$MWX.DISCOVERY.INTERVAL}", lifetime="1d")
        if group:
            rule["filter"] = {"conditions": [{"macro": PRESENT_MACRO, "operator": "EXISTS", "formulaid": "A"}]}
            rule["description"] = group["description"]
        else:
            rule["description"] = f"The rows of {table.entry}, named by {table.label.name}."
        prototypes = [self.item(c, table) for c in columns]
        if not group:
            prototypes += [self.calculated(c, table) for c in self.spec.get("calculated", [])
                           if c["table"] == table.entry]
        rule["item_prototypes"] = prototypes
        return rule

    def write(self):
        rules = []  # (table, rule): a table's own rule, then one per column group
        for table in self.tables:
            rules.append((table, self.discovery_rule(table)))
            rules += [(table, self.discovery_rule(table, g)) for g in self.groups if g["table"] == table.entry]
        items = [self.item(c, None) for c in self.scalars if c.syntax != "DateAndTime"]
        # Triggers once every item exists, so any trigger may name any item;
        # a trigger prototype goes to the rule whose prototypes it reads.
        for table in self.tables:
            specs = self.common_triggers(table) + \
                [t for t in self.spec.get("triggers", []) if t.get("table") == table.entry]
            prototypes = [self.trigger(s, table) for s in specs]
            self.resolve_dependencies(prototypes)
            for prototype in prototypes:
                keys = set(re.findall(r"/[^/]+/(\w+)\[", prototype["expression"]))
                owners = [rule for t, rule in rules if t is table and keys <= {
                    p["key"].split("[")[0] for p in rule["item_prototypes"]}]
                if not owners:
                    sys.exit(f"generate: {prototype['name']} reads items of more than one discovery rule")
                owners[0].setdefault("trigger_prototypes", []).append(prototype)
        triggers = [self.trigger(s, None) for s in self.spec.get("triggers", []) if "table" not in s]
        self.resolve_dependencies(triggers)
        # The shared macros a template uses, and every one of its own.
        used = set(re.findall(r"\{\$[A-Z0-9_.]+\}", yaml.safe_dump([[rule for _, rule in rules], items, triggers])))
        macros = [m for m in SHARED_MACROS if m["macro"] in used] + self.macros
        undefined = used - {m["macro"] for m in macros}
        if undefined:
            sys.exit(f"generate: {self.spec['title']}: no value for {sorted(undefined)}")
        template = {"uuid": uuid_for(self.name), "template": self.name, "name": self.name,
                    "description": self.spec["description"].strip() + "\n\nMIB: MWAGENTX-MIB "
                    "(not needed on the Zabbix server: the items use numeric OIDs). "
                    "Generated by templates/zabbix/generate.py.",
                    "groups": [{"name": GROUP}]}
        if items:
            template["items"] = items
        if rules:
            template["discovery_rules"] = [rule for _, rule in rules]
        template["tags"] = [{"tag": "class", "value": "application"}, {"tag": "target", "value": "mwagentx"}]
        template["macros"] = sorted(macros, key=lambda m: m["macro"])
        if self.valuemaps:
            template["valuemaps"] = list(self.valuemaps.values())
        export = {"version": "6.0", "groups": [{"uuid": uuid_for(GROUP), "name": GROUP}], "templates": [template]}
        if triggers:
            export["triggers"] = triggers
        return {"zabbix_export": export}


class Dumper(yaml.SafeDumper):
    """Multi-line text as a block, the way Zabbix exports it."""


Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def templates(agent):
    """{file name: YAML text} for every spec."""
    objects = read_objects(agent)
    thresholds = threshold_macros(agent)
    comparisons = threshold_comparisons(agent)
    out = {}
    for path in spec_files("zabbix.yaml"):
        spec = yaml.safe_load(open(path))
        tables = tables_of(objects, spec.get("tables", []))
        scalars = [o for o in objects if o.parent in spec.get("scalars", [])]
        export = TemplateWriter(spec, tables, scalars, thresholds, comparisons, column_groups(path)).write()
        text = yaml.dump(export, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=10000)
        out[f"mwagentx_{spec['file']}.yaml"] = text
    return out


if __name__ == "__main__":
    generator_main(__doc__, templates, "zabbix")
