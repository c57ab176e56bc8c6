"""What the agent serves, as the manager template generators read it: every
object's name, OID, type, enumeration or textual convention and units from
`mwagentx --list-objects` (the column tables), and from the MIB its
DESCRIPTION and its parent, which says which table it is a column of."""
import argparse
import os
import re
import subprocess
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIB = os.path.join(ROOT, "mibs", "MWAGENTX-MIB.txt")


class MibObject:
    def __init__(self, name, oid, snmp_type, syntax, units, parent, description, mib_syntax):
        self.name, self.oid, self.type, self.syntax, self.units = name, oid.lstrip("."), snmp_type, syntax, units
        self.parent, self.description, self.mib_syntax = parent, description, mib_syntax

    @property
    def enums(self):
        return [(int(v), n) for n, v in re.findall(r"(\w+)\((-?\d+)\)", self.syntax)] if self.syntax.startswith("{") else []

    @property
    def is_counter(self):
        return self.type == "Counter64" and self.syntax != "MwxGauge64"


def read_objects(agent):
    listed = subprocess.run([agent, "--list-objects"], capture_output=True, text=True, check=True).stdout
    text = open(MIB).read()
    definitions = {}
    for match in re.finditer(r"^(\w+)\s+OBJECT-TYPE(.*?)::=\s*\{\s*(\w+)\s+\d+\s*\}", text, re.M | re.S):
        name, body, parent = match.groups()
        description = re.search(r'DESCRIPTION\s+"(.*?)"', body, re.S).group(1)
        mib_syntax = re.search(r"SYNTAX\s+(\w+)", body).group(1)
        definitions[name] = (parent, " ".join(description.split()), mib_syntax)
    objects = []
    for line in listed.splitlines():
        name, oid, snmp_type, syntax, units = line.split("\t")
        if name not in definitions:
            sys.exit(f"generate: {name} is served but not defined in {MIB}")
        objects.append(MibObject(name, oid, snmp_type, syntax, units, *definitions[name]))
    return objects


def threshold_macros(agent):
    """The user macros of the agent's thresholds, with the agent's defaults,
    from `mwagentx --list-events`: {"{$MWX.MEMCACHED.CONNECTION_USAGE.RISING}": "80", ...}.
    A template's trigger and the agent's notification then cross the same line."""
    listed = subprocess.run([agent, "--list-events"], capture_output=True, text=True, check=True).stdout
    macros = {}
    for line in listed.splitlines():
        fields = line.split("\t")
        if fields[0] != "event":
            continue
        _, subsystem, name, _, rising, falling, hold, *_ = fields
        prefix = f"{{$MWX.{subsystem.upper()}.{name.upper()}"
        if rising != "-":
            macros[prefix + ".RISING}"], macros[prefix + ".FALLING}"] = rising, falling
        if hold != "-" and int(hold) > 0:
            seconds = int(hold)
            macros[prefix + ".PERIOD}"] = f"{seconds // 60}m" if seconds % 60 == 0 else f"{seconds}s"
    return macros


def threshold_comparisons(agent):
    """How the agent compares, from `mwagentx --list-events`: for each kind of
    threshold ("above", "below") the operator and threshold of its alarm and
    of its end: {"above": ((">=", "RISING"), ("<=", "FALLING")), ...}; and the
    kind of each of the agent's thresholds: {"MEMCACHED.CONNECTION_USAGE": "above"}.
    Triggers built from these cross the line where the agent does, equal included."""
    listed = subprocess.run([agent, "--list-events"], capture_output=True, text=True, check=True).stdout
    comparisons, kinds = {}, {}
    for line in listed.splitlines():
        fields = line.split("\t")
        if fields[0] == "comparison":
            _, kind, alarm_op, alarm_at, clear_op, clear_at = fields
            comparisons[kind] = ((alarm_op, alarm_at.upper()), (clear_op, clear_at.upper()))
        elif fields[0] == "event" and fields[3] in ("above", "below"):
            kinds[f"{fields[1].upper()}.{fields[2].upper()}"] = fields[3]
    return comparisons, kinds


def words(camel):
    """'CurrConnections' -> 'curr connections'; 'OldestTodoAge' -> 'oldest todo age'."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", camel).lower()


class Table:
    """One MIB table (or the agent's scalars) as a Zabbix discovery rule."""

    def __init__(self, entry, columns):
        self.entry, self.columns = entry, columns
        self.prefix = entry[: -len("Entry")] if entry.endswith("Entry") else entry
        self.by_name = {c.name: c for c in columns}
        labels = [c for c in columns if c.name == self.prefix + "Label"]
        self.label = labels[0] if labels else None

    def column(self, suffix):
        return self.by_name.get(self.prefix + suffix)

    @property
    def title(self):
        return words(self.prefix[len("mwx"):])


def tables_of(objects, entries):
    """The named tables (entry names), each with its columns; every one must
    have a Label column to name its rows."""
    columns = {}
    for o in objects:
        if o.parent.endswith("Entry"):
            columns.setdefault(o.parent, []).append(o)
    tables = [Table(e, columns[e]) for e in entries]
    for table in tables:
        if table.label is None:
            sys.exit(f"generate: {table.entry} has no {table.prefix}Label column to name its rows")
    return tables


def generator_main(doc, templates, folder):
    """The command line of every generator: `--agent build/mwagentx [--out
    templates/FOLDER]`; writes what `templates(agent)` makes."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--agent", required=True, help="the mwagentx binary, for --list-objects and --list-events")
    parser.add_argument("--out", default=os.path.join(ROOT, "templates", folder))
    args = parser.parse_args()
    write_templates(templates(args.agent), args.out)


def write_templates(templates, out_dir):
    """Writes {relative name: text} under out_dir, printing each path."""
    for name, text in templates.items():
        path = os.path.join(out_dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        print(path)


def column_groups(spec_path):
    """The groups of columns that only some sources serve, of the subsystem
    whose spec is `spec_path` (its column_groups.yaml): [{table, name,
    description, columns}], the first column finding the group's rows."""
    path = os.path.join(os.path.dirname(spec_path), "column_groups.yaml")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return yaml.safe_load(f)["groups"]


def spec_files(name):
    """agent/NAME, then handlers/<subsystem>/NAME for every subsystem that has one."""
    candidates = [os.path.join(ROOT, "agent", name)]
    handlers = os.path.join(ROOT, "handlers")
    candidates += [os.path.join(handlers, d, name) for d in sorted(os.listdir(handlers))]
    return [path for path in candidates if os.path.exists(path)]
