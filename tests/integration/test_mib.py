"""MWAGENTX-MIB.txt and the agent's bindings describe the same objects."""
import os
import re
import shutil
import subprocess

import pytest

import snmp
from harness import AGENT, IETF_MIBS, MIB_DIR

# Base SYNTAX (as snmptranslate -Td prints it) -> the type the agent binds.
BASE_TYPE = {"Counter64": "Counter64", "Counter32": "Counter32", "Gauge32": "Gauge32",
             "Unsigned32": "Unsigned32", "INTEGER": "INTEGER", "Integer32": "INTEGER", "OCTET STRING": "STRING"}


def bindings():
    """(name, oid, type, syntax, units), tab-separated: syntax is the
    enumeration or the textual convention, or ''; units as the MIB's UNITS, or ''."""
    done = subprocess.run([AGENT, "--list-objects"], capture_output=True, text=True, check=True)
    return [tuple(line.split("\t")) for line in done.stdout.splitlines()]


def mib_definition(name):
    code, out, err = snmp.translate("-Td", f"MWAGENTX-MIB::{name}")
    assert code == 0 and not err.strip(), f"snmptranslate {name}: {err}"
    return out


def test_smilint_level_6_is_clean():
    if shutil.which("smilint") is None:
        pytest.fail("smilint is missing: scripts/deps.sh installs smitools")
    env = dict(os.environ, SMIPATH=f"{IETF_MIBS}:/usr/share/snmp/mibs:{MIB_DIR}")
    done = subprocess.run(["smilint", "-l", "6", os.path.join(MIB_DIR, "MWAGENTX-MIB.txt")],
                          capture_output=True, text=True, env=env)
    # smilint exits 0 even on errors: any output is a failure.
    assert done.stdout + done.stderr == ""


def test_every_binding_is_a_mib_object_with_its_oid_and_type():
    for name, oid, type_, *_ in bindings():
        code, out, err = snmp.translate("-On", f"MWAGENTX-MIB::{name}")
        assert code == 0, f"{name}: {err}"
        assert out.strip() == oid, f"{name}: MIB says {out.strip()}, agent binds {oid}"
        syntax = re.search(r"^\s*SYNTAX\s+(\S+(?: STRING)?)", mib_definition(name), re.M).group(1)
        assert BASE_TYPE.get(syntax) == type_, f"{name}: MIB SYNTAX {syntax}, agent serves {type_}"


def test_every_readable_mib_object_has_a_binding():
    code, out, _ = snmp.translate("-Tz")
    names = re.findall(r'^"(mwx\w+)"', out, re.M)
    readable = [n for n in names if "MAX-ACCESS\tread-only" in mib_definition(n)]
    bound = {name for name, *_ in bindings()}
    assert readable, "no readable objects found in the MIB"
    assert sorted(set(readable) - bound) == []


# The textual conventions that change how a value reads: the column tables
# name them, for --dump and for the manager templates (a level, a ratio).
READING_CONVENTIONS = ("DateAndTime", "MwxGauge64", "MwxHundredthsPercent")


def test_every_enumeration_and_reading_convention_is_bound_as_the_mib_declares():
    """--dump prints up(1) and dates as snmpwalk does, and the templates graph
    a MwxGauge64 as a level, only if the agent knows the MIB's enumerations
    and conventions: the same as the MIB's."""
    checked = 0
    for name, _, _, syntax, _ in bindings():
        definition = mib_definition(name)
        enums = re.search(r"^\s*SYNTAX\s+INTEGER\s+(\{[^}]*\})", definition, re.M)
        convention = re.search(r"TEXTUAL CONVENTION (\w+)$", definition, re.M)
        if enums:
            assert syntax == enums.group(1), f"{name}: MIB {enums.group(1)}, agent {syntax!r}"
            checked += 1
        elif convention and convention.group(1) in READING_CONVENTIONS:
            assert syntax == convention.group(1), f"{name} is a {convention.group(1)}; agent says {syntax!r}"
            checked += 1
        else:
            assert syntax == "", f"{name}: the agent declares {syntax!r}, the MIB neither an enum nor one of {READING_CONVENTIONS}"
    assert checked > 20


def test_every_unit_is_the_mibs():
    """The column tables carry the MIB's UNITS, for the manager templates."""
    with_units = 0
    for name, _, _, _, units in bindings():
        declared = re.search(r'^\s*UNITS\s+"([^"]*)"', mib_definition(name), re.M)
        assert units == (declared.group(1) if declared else ""), f"{name}: MIB {declared}, agent {units!r}"
        with_units += bool(units)
    assert with_units > 50


def listed_events():
    done = subprocess.run([AGENT, "--list-events"], capture_output=True, text=True, check=True)
    return [line.split("\t") for line in done.stdout.splitlines()]


def test_every_notification_is_a_notification_type_with_its_oid_and_objects():
    """The varbinds the agent sends are the OBJECTS the MIB declares, in order."""
    sent = {fields[1]: fields[2:] for fields in listed_events() if fields[0] == "notification"}
    code, out, _ = snmp.translate("-Tz")
    declared = [n for n in re.findall(r'^"(mwx\w+)"', out, re.M) 
                if re.search(r"^\w+\s+NOTIFICATION-TYPE", mib_definition(n), re.M)]
    assert sorted(declared) == sorted(sent), "the MIB's NOTIFICATION-TYPEs are not the ones the agent sends"
    for name, (oid, *objects) in sent.items():
        code, numeric, err = snmp.translate("-On", f"MWAGENTX-MIB::{name}")
        assert numeric.strip() == oid, f"{name}: MIB says {numeric.strip()}, agent sends {oid}"
        assert oid.split(".")[-2] == "0", f"{name}: not under mwxNotifications.0, so no SNMPv1 translation"
        declared_objects = re.search(r"OBJECTS\s*\{([^}]*)\}", mib_definition(name)).group(1)
        assert [o.strip() for o in declared_objects.split(",")] == objects, name


def test_event_types_are_the_notifications():
    """mwxEventType's enumeration: each notification's arc and name."""
    labels = {fields[1][3].lower() + fields[1][4:]: fields[2].rsplit(".", 1)[1]
              for fields in listed_events() if fields[0] == "notification"}
    enums = re.search(r"SYNTAX\s+INTEGER\s+\{([^}]*)\}", mib_definition("mwxEventType")).group(1)
    assert dict(re.findall(r"(\w+)\((\d+)\)", enums)) == labels
