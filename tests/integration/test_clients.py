"""The client recipes of docs/clients.md, run as written there against the
test's own snmpd: net-snmp's tools, Perl SNMP.pm and pysnmp. Only the
address changes: 'localhost' and port 161 become the test's snmpd."""
import os
import re
import subprocess

import pytest

import snmp
from harness import IETF_MIBS, MIB_DIR, wait_for

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "clients.md")


def recipe(language, containing=""):
    """The one block of docs/clients.md in `language` that has `containing`."""
    with open(DOC) as f:
        blocks = re.findall(rf"^```{language}\n(.*?)^```", f.read(), re.M | re.S)
    blocks = [b for b in blocks if containing in b]
    assert len(blocks) == 1, f"docs/clients.md should have one {language} block with {containing!r}"
    return blocks[0]


@pytest.fixture
def served(started):
    """snmpd (with the SNMPv3 user of the recipe), a memcached named
    "sessions" with known traffic, mwagentx; gives snmpd's port and the
    hits snmpget reads."""
    snmpd = started.snmpd(extra_conf=recipe("text", "createUser"))
    memcached = started.memcached()
    memcached.traffic(sets=30, gets=40)
    started.agent(f"agentx_socket {snmpd.socket_path}\nagentx_ping_interval 1\ninterval 30\ntimeout 1\n"
                  f"memcached sessions 127.0.0.1:{memcached.port}\n")
    key = 'MWAGENTX-MIB::mwxMemcachedGetHits."sessions"'
    wait_for(lambda: not snmp.get(snmpd.port, key)[key].absent, 10, "the instance up")
    return snmpd.port, snmp.get(snmpd.port, key)[key].number()


def run(argv, port, text=None):
    env = dict(os.environ, MIBDIRS=f"{IETF_MIBS}:/usr/share/snmp/mibs:{MIB_DIR}")
    done = subprocess.run(argv, input=text, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_net_snmp_tools(served):
    port, hits = served
    script = recipe("sh", "snmptable").replace(" localhost ", f" 127.0.0.1:{port} ")
    out = run(["bash", "-euo", "pipefail"], port, script)
    assert f'MWAGENTX-MIB::mwxMemcachedGetHits."sessions" = Counter64: {hits}' in out
    assert hits > 0
    assert re.search(r"ChunkSize .* Label\b", out, re.M), f"no table header in snmptable's output:\n{out}"
    assert re.search(r"^\s*\d+ bytes\s+\d+", out, re.M), f"no slab rows in snmptable's output:\n{out}"


def test_perl_snmp_pm(served):
    port, hits = served
    script = recipe("perl").replace("DestHost => 'localhost', RemotePort => 161",
                                    f"DestHost => '127.0.0.1', RemotePort => {port}")
    out = run(["perl", "-w"], port, script)
    assert f"sessions get hits: {hits}\n" in out
    assert f"sessions get hits (table): {hits}\n" in out


def test_pysnmp(served):
    port, hits = served
    script = recipe("python").replace('("localhost", 161)', f'("127.0.0.1", {port})')
    out = run(["/usr/bin/python3", "-"], port, script)
    assert f"sessions get hits: {hits}\n" in out
    assert "instance: sessions index 8.115.101.115.115.105.111.110.115\n" in out


def test_snmpv3_auth_priv_through_snmpd(served):
    port, hits = served
    script = recipe("sh", "-v3").replace(" localhost ", f" 127.0.0.1:{port} ")
    out = run(["bash", "-euo", "pipefail"], port, script)
    assert f'MWAGENTX-MIB::mwxMemcachedGetHits."sessions" = Counter64: {hits}' in out
