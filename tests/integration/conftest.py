import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from harness import AGENT, IETF_MIBS, Agent, Memcached, Snmpd  # noqa: E402


def pytest_sessionstart(session):
    missing = [p for p in (AGENT, IETF_MIBS) if not os.path.exists(p)]
    if missing:
        raise pytest.UsageError(f"integration tests need {missing}: build first and run scripts/deps.sh")


@pytest.fixture
def started(tmp_path):
    """Starts components and stops whatever is still running at the end.
    On failure, the logs of every component are printed."""
    components = []

    class Starter:
        workdir = str(tmp_path)

        def snmpd(self, port=None):
            return self._add(Snmpd(self.workdir, port).start())

        def memcached(self, port=None, unix_socket=None):
            return self._add(Memcached(self.workdir, port, unix_socket=unix_socket).start())

        def agent(self, config, agentx_socket=None):
            return self._add(Agent(self.workdir, config, agentx_socket).start())

        def _add(self, component):
            components.append(component)
            return component

    yield Starter()
    for component in reversed(components):
        component.stop()
    for component in components:
        print(f"----- {component.name} log -----\n{component.log()}")
