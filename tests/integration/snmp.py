"""net-snmp's own command-line clients, with MWAGENTX-MIB names resolved."""
import re
import subprocess

from harness import IETF_MIBS, MIB_DIR

MIB_ARGS = ["-M", f"{IETF_MIBS}:/usr/share/snmp/mibs:{MIB_DIR}", "-m", "SNMPv2-MIB:MWAGENTX-MIB"]
# -Oe: enums as numbers, -OU: no UNITS suffix.
OUTPUT = ["-Oe", "-OU"]
NO_SUCH = ("No Such Instance currently exists at this OID",
           "No Such Object available on this agent at this OID",
           "No more variables left in this MIB View (It is past the end of the MIB tree)")

LINE = re.compile(r'^(?P<name>.+?) = (?:(?P<type>[A-Za-z0-9-]+): )?(?P<value>.*)$')  # names may hold spaces


class Value:
    def __init__(self, type_, text):
        self.type, self.text = type_, text

    @property
    def absent(self):
        return self.type is None and self.text in NO_SUCH

    def number(self):
        # A DISPLAY-HINT "d-2" value prints as "75.00": its raw integer is 7500.
        return int(self.text.replace(".", "")) if re.fullmatch(r"\d*\.\d+", self.text) else int(self.text)

    def __repr__(self):
        return f"{self.type}: {self.text}"


def _run(tool, port, args, timeout=20):
    argv = [tool, "-v2c", "-c", "public", "-t", "3", "-r", "1"] + MIB_ARGS + OUTPUT + \
        [f"127.0.0.1:{port}"] + list(args)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def parse(output):
    values = {}
    for line in output.splitlines():
        m = LINE.match(line)
        if m:
            values[m["name"]] = Value(m["type"], m["value"].strip())
    return values


def get(port, *oids):
    return parse(_run("snmpget", port, oids))


def walk(port, oid="MWAGENTX-MIB::mwxMIB"):
    return parse(_run("snmpwalk", port, [oid]))


def bulkwalk(port, oid="MWAGENTX-MIB::mwxMIB"):
    return parse(_run("snmpbulkwalk", port, ["-Cr25", oid]))


def walk_lines(port, oid="MWAGENTX-MIB::mwxMIB"):
    """Number of varbinds a GETNEXT walk returned (each was one request)."""
    return len(_run("snmpwalk", port, [oid]).splitlines())


def translate(*args):
    argv = ["snmptranslate"] + MIB_ARGS + list(args)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=20)
    return done.returncode, done.stdout, done.stderr


def numeric(tool, port, *oids):
    """{numeric OID without its leading dot: Value}, for comparing with
    managers that use numeric OIDs (Zabbix, Cacti): `tool` is snmpget or snmpwalk."""
    return {name.lstrip("."): value for name, value in parse(_run(tool, port, ["-On", *oids])).items()}
