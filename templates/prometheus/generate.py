#!/usr/bin/python3
"""Writes the Prometheus files of templates/prometheus/ from what the agent
serves, what the MIB says and the agent's events, so that no OID, type,
threshold or comparison is kept by hand a second time.

  generate.py --agent build/mwagentx [--out templates/prometheus]

- generator.yml: the module `mwagentx` for snmp_exporter's generator: every
  mwagentx table and scalar group walked; rows labelled by the Label
  columns (lookups), never by raw index arcs; state enums as state sets,
  the other enums as info; DateAndTime columns left out for their ages;
  MwxGauge64 levels as gauges.
- snmp.yml: Debian's prometheus-snmp-generator's output for that module
  (snmp_exporter 0.21's format, community `public`), with names that read
  well in PromQL: `mwx_memcached_status{name="sessions"}`, the row labels
  `name`, `slab`, `function`, `node`, `service`, `real_server` (never
  Prometheus's own `instance` and `job`).
- snmp-0.23.yml: the same module in the format of snmp_exporter 0.23 and
  later, where auth is a section of its own.
- alerts.yml: alerting rules for the agent's events and the Zabbix
  templates' triggers, with the agent's defaults and comparisons
  (`mwagentx --list-events`).
"""
import os
import re
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]
from alert_rules import alert_rules  # noqa: E402
from catalog import MIB, ROOT, generator_main, read_objects  # noqa: E402

MODULE = "mwagentx"
EVENT_TABLE = "mwxEventEntry"  # the event log: what notifications were, not metrics
STATE_ENUM = re.compile(r"(Status|State|Role)$")
# Text that changes with every error would make a new series each time.
LEFT_OUT = re.compile(r"(Label|LastError)$")


def snake(name):
    """mwxMemcachedSlabOldestItemAge -> mwx_memcached_slab_oldest_item_age."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def mib_indexes():
    """{entry: [index objects]} from the MIB's INDEX clauses."""
    with open(MIB) as f:
        text = f.read()
    return {entry: [i.strip() for i in index.split(",")] for entry, index in
            re.findall(r"^(\w+Entry)\s+OBJECT-TYPE\s+SYNTAX\s+Mwx\w+Entry\s.*?INDEX\s*\{([^}]*)\}", text, re.M | re.S)}


class Table:
    """A table as the module labels it: its instance table's Label gives
    `name`; a nested table's own Label gives its row label."""

    def __init__(self, entry, columns, indexes, instance_entries):
        self.entry, self.columns, self.indexes = entry, columns, indexes
        self.prefix = entry[:-len("Entry")]
        # The instance table of the same subsystem: the one indexed by its name alone.
        self.instance = next(e for e in instance_entries if indexes[0] == mib_indexes()[e][0])
        self.instance_prefix = self.instance[:-len("Entry")]
        self.nested = self.entry != self.instance

    @property
    def row_label(self):
        """`slab` of mwxMemcachedSlab, `real_server` of mwxLvsRealServer."""
        return snake(self.prefix[len(self.instance_prefix):])

    def lookups(self):
        """A nested table's rows are labelled by its Label column; the
        instance name, its first index, is readable as it is (`name`)."""
        # The generator folds an InetAddressType index into the
        # InetAddress after it: no label of its own to name.
        indexes = [i for i in self.indexes if not i.endswith("AddressType")]
        return [{"source_indexes": indexes, "lookup": f"{self.prefix}Label"}] if self.nested else []


def generator_module(objects):
    indexes = mib_indexes()
    entries = sorted({o.parent for o in objects if o.parent.endswith("Entry") and o.parent != EVENT_TABLE},
                     key=lambda e: next(o.oid for o in objects if o.parent == e))
    instance_entries = [e for e in entries if len(indexes[e]) == 1]
    tables = [Table(e, [o for o in objects if o.parent == e], indexes[e], instance_entries) for e in entries]
    # Scalars one by one: mwxEvents holds the event log's table too.
    scalars = [o.name for o in objects if not o.parent.endswith("Entry")]
    overrides = {}
    for o in objects:
        if o.parent == EVENT_TABLE:
            continue
        if o.syntax == "DateAndTime" or LEFT_OUT.search(o.name):
            overrides[o.name] = {"ignore": True}
        elif o.enums:
            overrides[o.name] = {"type": "EnumAsStateSet" if STATE_ENUM.search(o.name) else "EnumAsInfo"}
        elif o.syntax == "MwxGauge64":
            overrides[o.name] = {"type": "gauge"}
    lookups = [lookup for table in tables for lookup in table.lookups()]
    walk = scalars + [e[:-len("Entry")] + "Table" for e in entries]
    module = {"walk": walk, "max_repetitions": 25, "retries": 2, "timeout": "5s",
              "lookups": lookups, "overrides": dict(sorted(overrides.items()))}
    renames = {f"{table.prefix}Label": table.row_label for table in tables if table.nested}
    return {"modules": {MODULE: module}}, renames


def generate_snmp_yml(generator, renames, work):
    """Runs Debian's prometheus-snmp-generator on `generator`; returns the
    module of its snmp.yml with our names."""
    with open(os.path.join(work, "generator.yml"), "w") as f:
        yaml.safe_dump(generator, f, sort_keys=False)
    ietf = os.environ.get("MWX_IETF_MIBS") or sorted(
        d for d in (os.path.join("/usr/lib/erlang/lib", p, "mibs") for p in os.listdir("/usr/lib/erlang/lib"))
        if os.path.isdir(d))[-1]
    env = dict(os.environ, MIBDIRS=f"{ietf}:/usr/share/snmp/mibs:{os.path.join(ROOT, 'mibs')}")
    done = subprocess.run(["prometheus-snmp-generator", "generate"], cwd=work, env=env, capture_output=True,
                          text=True)
    if done.returncode != 0:
        sys.exit(f"generate: prometheus-snmp-generator failed:\n{done.stderr}")
    with open(os.path.join(work, "snmp.yml")) as f:
        module = yaml.safe_load(f)[MODULE]
    for metric in module["metrics"]:
        metric["name"] = snake(metric["name"])
        metric["help"] = metric.get("help", "").rsplit(" - ", 1)[0]  # without the OID the generator appends
        indexes = metric.get("indexes", [])
        if not indexes:
            continue
        # The instance name is the first index of every table: `name`.
        labels = {index["labelname"]: snake(index["labelname"]) for index in indexes}
        labels[indexes[0]["labelname"]] = "name"
        for index in indexes:
            index["labelname"] = labels[index["labelname"]]
        lookups = metric.get("lookups", [])
        for lookup in lookups:
            lookup["labelname"] = renames[lookup["labelname"]]
            lookup["labels"] = [labels[label] for label in lookup["labels"]]
        # Then the raw index labels (a protocol number, an address) go: the
        # row label says it all. An entry without labels deletes one.
        lookups += [{"labels": [], "labelname": index["labelname"]} for index in indexes[1:]]
        if lookups:
            metric["lookups"] = lookups
    return module


HEADER = """# Generated by templates/prometheus/generate.py from MWAGENTX-MIB and
# mwagentx --list-objects, through Debian's prometheus-snmp-generator; do
# not edit. {what}
"""


class Dumper(yaml.SafeDumper):
    """Multi-line text (an alert's expression) as a block."""


Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


ALERTS_NOTE = """Alerting rules (README.md says what each means).
# Thresholds, hold times and comparisons are the agent's (mwagentx
# --list-events): an alert fires when the value reaches the alarm's line,
# equal included, and resolves when it reaches the other line. That
# hysteresis is written the Prometheus way, as an expression that asks for
# its own ALERTS{alertstate="firing"} series to stay firing between the two
# lines; the agent's hold time is `for:`, which means the same."""


def dump(data):
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, width=100, allow_unicode=True)


def templates(agent):
    objects = read_objects(agent)
    generator, renames = generator_module(objects)
    with tempfile.TemporaryDirectory(prefix="mwx-prometheus-") as work:
        module = generate_snmp_yml(generator, renames, work)
    auth = {"community": "public"}
    old = {MODULE: dict(module, auth=auth)}
    new_module = {k: v for k, v in module.items() if k != "auth"}
    new = {"auths": {"public_v2": dict(auth, version=2)}, "modules": {MODULE: new_module}}
    return {
        "generator.yml": HEADER.format(what="The input of prometheus-snmp-generator.") + dump(generator),
        "snmp.yml": HEADER.format(what="For snmp_exporter 0.21 (Debian 12): auth inside the module.") + dump(old),
        "snmp-0.23.yml": HEADER.format(what="For snmp_exporter 0.23 and later: scrape with "
                                       "&auth=public_v2 as well.") + dump(new),
        "alerts.yml": HEADER.format(what=ALERTS_NOTE) + dump(alert_rules(agent)),
    }


if __name__ == "__main__":
    generator_main(__doc__, templates, "prometheus")
