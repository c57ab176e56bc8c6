import os
import shutil
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from harness import AGENT, IETF_MIBS, MODE, MODULE, Agent, AgentInSnmpd, Gearmand, Memcached, Snmpd, TrapReceiver  # noqa: E402,E501


def pytest_sessionstart(session):
    missing = [p for p in (AGENT, IETF_MIBS) + ((MODULE,) if MODE == "snmpd" else ()) if not os.path.exists(p)]
    if missing:
        raise pytest.UsageError(f"integration tests need {missing}: build first and run scripts/deps.sh")


@pytest.fixture
def started():
    """Starts components and stops whatever is still running at the end.
    On failure, the logs of every component are printed. The working
    directory is world-traversable so that an agent run as an unprivileged
    user can reach its config and snmpd's socket."""
    components = []
    workdir = tempfile.mkdtemp(prefix="mwx-test-")
    os.chmod(workdir, 0o755)

    class Starter:
        def __init__(self):
            self.workdir = workdir

        def snmpd(self, port=None, agentx_group=None, extra_conf=""):
            self.last_snmpd = self._add(Snmpd(self.workdir, port, agentx_group, extra_conf).start())
            return self.last_snmpd

        def memcached(self, port=None, unix_socket=None, listen="127.0.0.1", extra_args=()):
            return self._add(Memcached(self.workdir, port, unix_socket=unix_socket, listen=listen,
                                       extra_args=extra_args).start())

        def trap_receiver(self):
            return self._add(TrapReceiver(self.workdir).start())

        def gearmand(self, port=None, host="127.0.0.1"):
            return self._add(Gearmand(self.workdir, port, host).start())

        def worker(self, gearmand, function, *command, jobs=None):
            return self._add(gearmand.worker(function, *command, jobs=jobs))

        def agent(self, config, agentx_socket=None, run_as=None):
            """The agent, as MWX_MODE says: beside the last snmpd started, or inside it."""
            if MODE == "snmpd":
                assert agentx_socket is None and run_as is None, "a test of the subagent alone: mark it agentx_only"
                return self._add(AgentInSnmpd(self.workdir, self.last_snmpd, config).start())
            return self._add(Agent(self.workdir, config, agentx_socket, run_as).start())

        def _add(self, component):
            components.append(component)
            return component

    yield Starter()
    try:
        # Every component is stopped, even after one fails its stop (an
        # agent's exit status): then the first failure is raised.
        failures = []
        for component in reversed(components):
            try:
                component.stop()
            except Exception as failure:  # noqa: BLE001
                failures.append(failure)
        if failures:
            raise failures[0]
    finally:
        for component in components:
            print(f"----- {component.name} log -----\n{component.log()}")
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def farm(started):
    """Every subsystem behind one snmpd (farm.py), for the manager tests."""
    from farm import Farm
    farm = Farm(started)
    yield farm.start()
    farm.close()
