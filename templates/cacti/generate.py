#!/usr/bin/python3
"""Writes the Cacti 1.2 templates of templates/cacti/ from what the agent
serves and what the MIB says, so that no OID, type or description is kept
by hand a second time.

  generate.py --agent build/mwagentx [--out templates/cacti]

- snmp_queries/mwagentx_<table>.xml: one SNMP data query per table. Our
  indexes are strings (an instance name, host:port, an address), so each
  query parses its rows with `oid_index_parse` anchored on the table's
  entry OID, and titles them from the table's Label column.
- snmp_queries/mwagentx_<table>_<group>.xml: one more per group of columns
  that only some sources serve (handlers/<subsystem>/column_groups.yaml;
  LVS traffic: netlink only). Its rows are those of the group's first
  column, so a host whose agent does not serve them gets no row, and no
  graph that never has data.
- mwagentx_host.xml: the device template "mwagentx host" with every data
  query, and for each graph the operator wants first (handlers/<subsystem>/
  cacti.yaml) a data template and a graph template. Counters are DERIVE
  data sources (minimum 0: a restart is a gap, not a spike), levels GAUGE.

Hashes (Cacti's cross-references) are derived from the names, so a
re-import updates rather than duplicates. Version 0103: Cacti 1.2.19-1.2.28.
"""
import hashlib
import os
import re
import sys
from xml.sax.saxutils import escape

import yaml

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from catalog import column_groups, generator_main, read_objects, spec_files, tables_of, words  # noqa: E402

HASH_VERSION = "0103"
# Cacti's hash types (lib/import.php, lib/export.php).
GRAPH_TEMPLATE, DATA_TEMPLATE, HOST_TEMPLATE, DATA_QUERY = "00", "01", "02", "04"
CDEF, GRAPH_ITEM, GRAPH_INPUT, DATA_RRD = "05", "10", "09", "08"
QUERY_GRAPH, SV_GRAPH, SV_DATA_SOURCE, CDEF_ITEM = "11", "12", "13", "14"

# Objects every Cacti 1.2 database has (cacti.sql), referenced by hash.
GET_SNMP_DATA_INDEXED = "hash_030103bf566c869ac6443b0c75d1c32b5a350e"
GPRINT_NORMAL = "hash_060103e9c43831e54eca8069317a2ce8c6f751"
ONE_MINUTE_PROFILE = "hash_20010366d35da8f75c912ede3dbe901fedcae0"
# The fields of "Get SNMP Data (Indexed)"; the last three are per data source.
SNMP_INDEXED_FIELDS = ["617cdc8a230615e59f06f361ef6e7728", "acb449d1451e8a2a655c2c99d31142c7",
                       "f4facc5e2ca7ebee621f09bc6d9fc792", "1cc1493a6781af2c478fa4de971531cf",
                       "b5c23f246559df38662c255f4aa21d6b", "c1f36ee60c3dc98945556d57f26e475b",
                       "2cf7129ad3ff819a7a7ac189bee48ce8", "6b13ac0a0194e171d241d4b06f913158",
                       "3a33d4fc65b8329ab2ac46a36da26b72"]
PER_DATA_SOURCE_FIELDS = ["6027a919c7c7731fbe095b6f53ab127b",  # index_type
                          "cbbe5c1ddfb264a6e5d509ce1c78c95f",  # index_value
                          "e6deda7be0f391399c5130e7c4a48b28"]  # output_type
GAUGE, COUNTER, DERIVE = "1", "2", "3"
LINE2, AREA, GPRINT = "5", "7", "9"
AVERAGE, MAX, LAST = "1", "3", "4"
COLORS = ["0000FF", "00CF00", "FF0000", "FF9900", "9900FF", "00CCCC", "666666"]
DS_NAME = re.compile(r"^[a-zA-Z0-9_]{1,19}$")  # what rrdtool accepts
HOST_TEMPLATE_NAME = "mwagentx host"


def cacti_hash(kind, *names):
    return f"hash_{kind}{HASH_VERSION}" + hashlib.md5("/".join(names).encode()).hexdigest()


def element(tag, children, depth):
    """<tag> children </tag>, children a list of (tag, text or list)."""
    pad = "\t" * depth
    out = [f"{pad}<{tag}>"]
    for name, value in children:
        if isinstance(value, list):
            out.append(element(name, value, depth + 1))
        else:
            out.append(f"{pad}\t<{name}>{escape(str(value))}</{name}>")
    out.append(f"{pad}</{tag}>")
    return "\n".join(out)


def templated(fields):
    """Cacti's template rows: each field with its t_ (per-graph override) twin, off."""
    out = []
    for name, value in fields:
        out += [(f"t_{name}", ""), (name, value)]
    return out


# --- the data queries ------------------------------------------------------

class QueryTable:
    """What one data query reads of a MIB table: every row (found by the Label
    column) and the columns of no group, or for a group only its columns, on
    the rows where its first column is served."""

    def __init__(self, table, group=None, grouped=()):
        self.entry, self.prefix, self.label, self.title = table.entry, table.prefix, table.label, table.title
        self.group = group["name"] if group else None
        if group:
            self.columns = [table.by_name[c] for c in group["columns"]]
            self.index = self.columns[0]
        else:
            self.columns, self.index = [c for c in table.columns if c.name not in grouped], table.label
        self.by_name = {c.name: c for c in self.columns}
        self.query_title = f"{self.title} {self.group}" if group else self.title
        self.rows = f"the rows of {self.entry} that serve {self.index.name}" if group else f"the rows of {self.entry}"


def sentence(text):
    return text[:1].upper() + text[1:]


def query_tables(table, groups):
    """The data queries of a table: all of it, and each of its groups. The
    whole table's query leaves out the groups' columns: a graph of them
    there would stay empty where they are not served."""
    mine = [g for g in groups if g["table"] == table.entry]
    grouped = {c for g in mine for c in g["columns"]}
    return [QueryTable(table, grouped=grouped)] + [QueryTable(table, g) for g in mine]


def query_file(table):
    group = f"_{table.group}" if table.group else ""
    return f"mwagentx_{table.prefix[len('mwx'):].lower()}{group}.xml"


def query_xml(table):
    entry_oid = table.label.oid.rsplit(".", 1)[0]
    parse = r"OID/REGEXP:^\.?" + re.escape(entry_oid) + r"\.[0-9]+\.(.*)$"
    lines = ["<interface>",
             f"\t<name>MWAGENTX - {table.query_title}</name>",
             f"\t<description>{escape(f'{sentence(table.rows)} (MWAGENTX-MIB), named by {table.label.name}.')}"
             "</description>",
             f"\t<oid_index>.{table.index.oid}</oid_index>",
             # Our indexes are strings: the index is what follows the column's arc.
             f"\t<oid_index_parse>{escape(parse)}</oid_index_parse>"]
    if table.group:
        # Cacti keeps a field's rows that oid_index did not find unless a
        # value filter is set (lib/data_query.php): one that lets every value through.
        lines.append("\t<value_index_parse>VALUE/REGEXP:.*</value_index_parse>")
    lines += [f"\t<index_order>{table.label.name}</index_order>",
              "\t<index_order_type>alphabetic</index_order_type>",
              "\t<index_title_format>|chosen_order_field|</index_title_format>",
              "\t<fields>"]
    for column in fields_of(table):
        direction = "input" if column.type == "STRING" else "output"
        lines += [f"\t\t<{column.name}>",
                  f"\t\t\t<name>{escape(field_title(table, column))}</name>",
                  "\t\t\t<method>walk</method>",
                  "\t\t\t<source>value</source>",
                  f"\t\t\t<direction>{direction}</direction>",
                  f"\t\t\t<oid>.{column.oid}</oid>",
                  f"\t\t</{column.name}>"]
    lines += ["\t</fields>", "</interface>", ""]
    return "\n".join(lines)


def fields_of(table):
    """The label first (it titles rows), then every column a graph or a
    title can use; dates have their ages beside them."""
    return [table.label] + [c for c in table.columns if c is not table.label and c.syntax != "DateAndTime"]


def field_title(table, column):
    return words(column.name[len(table.prefix):]).capitalize()


# --- the device template -----------------------------------------------------

class HostTemplate:
    def __init__(self, tables, graphs):
        self.tables = tables  # QueryTable
        self.graphs = graphs  # spec entries, in order
        self.parts = []       # XML of every template object, dependencies first
        self.cdefs = {}

    def cdef_divide(self, divisor):
        """A CDEF turning the data source into value/divisor (hundredths to %)."""
        name = f"MWAGENTX - divide by {divisor}"
        if name not in self.cdefs:
            h = cacti_hash(CDEF, name)
            items = [(cacti_hash(CDEF_ITEM, name, str(i)), [("sequence", i + 1), ("type", kind), ("value", value)])
                     for i, (kind, value) in enumerate([("4", "CURRENT_DATA_SOURCE"), ("6", str(divisor)),
                                                        ("2", "4")])]  # 2/4: the operator "/"
            self.parts.append(element(h, [("name", name), ("items", items)], 1))
            self.cdefs[name] = h
        return self.cdefs[name]

    def data_template(self, table, graph, columns):
        name = f"MWAGENTX - {table.title} - {graph['name']}"
        h = cacti_hash(DATA_TEMPLATE, name)
        rrds = {}
        items = []
        for column in columns:
            ds = ds_name(table, column)
            rrd = cacti_hash(DATA_RRD, name, ds)
            rrds[column.name] = rrd
            maximum = "10000" if column.syntax == "MwxHundredthsPercent" else "U"
            items.append((rrd, templated([
                ("data_source_name", ds), ("rrd_minimum", "0"), ("rrd_maximum", maximum),
                ("data_source_type_id", DERIVE if column.is_counter else GAUGE),
                ("rrd_heartbeat", "600"), ("data_input_field_id", "0")])))
        data = [(f"item_{i:03d}", [("data_input_field_id", f"hash_070103{field}"),
                                   ("t_value", "on" if field in PER_DATA_SOURCE_FIELDS else ""), ("value", "")])
                for i, field in enumerate(SNMP_INDEXED_FIELDS[:5] + PER_DATA_SOURCE_FIELDS + SNMP_INDEXED_FIELDS[5:])]
        ds = templated([("name", f"|host_description| - {table.title} |query_{table.label.name}| - {graph['name']}")])
        ds += [("data_source_path", ""), ("data_input_id", GET_SNMP_DATA_INDEXED)]  # never per data source
        ds += templated([("data_source_profile_id", ONE_MINUTE_PROFILE), ("rrd_step", "60"), ("active", "on")])
        self.parts.append(element(h, [("name", name), ("ds", ds), ("items", items), ("data", data)], 1))
        return h, rrds

    def graph_template(self, table, graph, columns, rrds):
        name = f"MWAGENTX - {table.title} - {graph['name']}"
        h = cacti_hash(GRAPH_TEMPLATE, name)
        items, inputs = [], []
        sequence = 0
        for n, (line, column) in enumerate(zip(graph["lines"], columns)):
            cdef = self.cdef_divide(100) if column.syntax == "MwxHundredthsPercent" else "0"
            uses = []
            for kind, cf, text, hard_return in ((AREA if line.get("area") else LINE2, AVERAGE, line["legend"], ""),
                                                (GPRINT, LAST, "Current:", ""), (GPRINT, AVERAGE, "Average:", ""),
                                                (GPRINT, MAX, "Maximum:", "on")):
                sequence += 1
                item = cacti_hash(GRAPH_ITEM, name, str(sequence))
                uses.append("hash_00" + item[len("hash_10"):])  # how Cacti's export names them
                items.append((item, [
                    ("graph_type_id", kind), ("task_item_id", rrds[column.name]),
                    ("color_id", COLORS[n % len(COLORS)] if kind != GPRINT else "0"), ("alpha", "FF"),
                    ("consolidation_function_id", cf), ("cdef_id", cdef), ("vdef_id", "0"), ("shift", ""),
                    ("value", ""), ("gprint_id", GPRINT_NORMAL), ("textalign", ""), ("text_format", text),
                    ("hard_return", hard_return), ("line_width", "1.00"), ("dashes", ""), ("dash_offset", "0"),
                    ("sequence", sequence)]))
            inputs.append((cacti_hash(GRAPH_INPUT, name, column.name), [
                ("name", f"Data Source [{ds_name(table, column)}]"), ("description", ""),
                ("column_name", "task_item_id"), ("items", "|".join(uses))]))
        settings = templated([
            ("title", f"|host_description| - {table.title} |query_{table.label.name}| - {graph['name']}"),
            ("vertical_label", graph["vertical_label"]), ("image_format_id", "1"), ("height", "200"),
            ("width", "700"), ("base_value", graph.get("base", "1000")), ("slope_mode", "on"),
            ("auto_scale", "on"), ("auto_scale_opts", "2"), ("auto_scale_log", ""), ("scale_log_units", ""),
            ("auto_scale_rigid", ""), ("upper_limit", "100"), ("lower_limit", "0"), ("unit_value", ""),
            ("unit_exponent_value", ""), ("unit_length", ""), ("no_gridfit", ""), ("alt_y_grid", ""),
            ("right_axis", ""), ("right_axis_label", ""), ("right_axis_format", "0"),
            ("right_axis_formatter", "0"), ("left_axis_formatter", "0"), ("auto_padding", "on"),
            ("dynamic_labels", ""), ("force_rules_legend", ""), ("tab_width", ""), ("legend_position", "0"),
            ("legend_direction", "0")])
        self.parts.append(element(h, [("name", name), ("graph", settings), ("items", items), ("inputs", inputs)], 1))
        return h

    def data_query(self, table, path_prefix):
        name = f"MWAGENTX - {table.query_title}"
        h = cacti_hash(DATA_QUERY, name)
        graphs = []
        for graph in [g for g in self.graphs if g["table"] == table.entry and g.get("group") == table.group]:
            for line in graph["lines"]:
                if line["column"] not in table.by_name:
                    sys.exit(f"generate: graph {graph['name']}: {line['column']} is not in the query of "
                             f"{table.query_title} (a column of a group is graphed in the group's graphs)")
            columns = [table.by_name[line["column"]] for line in graph["lines"]]
            for column in columns:
                if column.type == "STRING":
                    sys.exit(f"generate: {graph['name']}: {column.name} is text, not a number to graph")
            if len({ds_name(table, c) for c in columns}) != len(columns):
                sys.exit(f"generate: {graph['name']}: two data sources of the same name")
            data_template, rrds = self.data_template(table, graph, columns)
            graph_template = self.graph_template(table, graph, columns, rrds)
            title = f"|host_description| - {table.title} |query_{table.label.name}| - {graph['name']}"
            graphs.append((cacti_hash(QUERY_GRAPH, name, graph["name"]), [
                ("graph_template_id", graph_template), ("name", graph["name"]),
                ("rrd", [(f"item_{i:03d}", [("snmp_field_name", c.name), ("data_template_id", data_template),
                                            ("data_template_rrd_id", rrds[c.name])])
                         for i, c in enumerate(columns)]),
                ("sv_graph", [(cacti_hash(SV_GRAPH, name, graph["name"]), [
                    ("field_name", "title"), ("sequence", "1"), ("text", title)])]),
                ("sv_data_source", [(cacti_hash(SV_DATA_SOURCE, name, graph["name"]), [
                    ("field_name", "name"), ("data_template_id", data_template), ("sequence", "1"),
                    ("text", title)])])]))
        self.parts.append(element(h, [
            ("name", name), ("description", f"{sentence(table.rows)}, titled by {table.label.name}."),
            ("xml_path", f"{path_prefix}/{query_file(table)}"), ("data_input_id", GET_SNMP_DATA_INDEXED),
            ("graphs", graphs)], 1))
        return h

    def xml(self, path_prefix):
        queries = [self.data_query(t, path_prefix) for t in self.tables]
        host = element(cacti_hash(HOST_TEMPLATE, HOST_TEMPLATE_NAME), [
            ("name", HOST_TEMPLATE_NAME), ("class", "unassigned"), ("graph_templates", ""),
            ("data_queries", "|".join(queries))], 1)
        return "<cacti>\n" + host + "\n" + "\n".join(self.parts) + "\n</cacti>\n"


def ds_name(table, column):
    """The column's name without the table's prefix, cut to rrdtool's 19
    characters (a graph's data sources are checked to stay distinct)."""
    name = column.name[len(table.prefix):][:19]
    if not DS_NAME.match(name):
        sys.exit(f"generate: {column.name}: '{name}' is no rrdtool data source name")
    return name


def templates(agent, path_prefix="<path_cacti>/resource/snmp_queries"):
    """{relative file name: text}"""
    objects = read_objects(agent)
    tables, graphs = [], []
    for path in spec_files("cacti.yaml"):
        spec = yaml.safe_load(open(path))
        for table in tables_of(objects, spec["tables"]):
            tables += query_tables(table, column_groups(path))
        graphs += spec.get("graphs", [])
    out = {f"snmp_queries/{query_file(t)}": query_xml(t) for t in tables}
    out["mwagentx_host.xml"] = HostTemplate(tables, graphs).xml(path_prefix)
    return out


if __name__ == "__main__":
    generator_main(__doc__, templates, "cacti")
