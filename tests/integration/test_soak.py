"""A one-minute version of bench/soak.py, with the agent as a subagent and
loaded into snmpd: RSS, USS and open fds stay flat under SNMP load,
backend restarts (their notifications reaching snmptrapd) and reloads,
and the agent logs no error."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
import soak  # noqa: E402


@pytest.mark.parametrize("mode", ["agentx", "snmpd"])
def test_a_minute_of_load_restarts_and_reloads_leaves_memory_and_fds_flat(started, mode):
    if "ASAN_OPTIONS" in os.environ:
        pytest.skip("under AddressSanitizer RSS grows with its quarantine, not with the agent")
    first, last, requests, errors, traps, _ = soak.soak(started.workdir, 60, mode)
    rss, uss, fds = soak.summary(first, last)
    assert requests > 1000
    assert traps > 0, "memcached's restarts were notified"
    assert not errors, "\n".join(errors)
    assert rss <= soak.SHORT_GROWTH_LIMIT, f"RSS grew {rss:+.1%}: {first} -> {last}"
    assert uss <= soak.SHORT_GROWTH_LIMIT, f"USS grew {uss:+.1%}: {first} -> {last}"
    assert fds <= soak.SHORT_GROWTH_LIMIT, f"open fds grew {fds:+.1%}: {first} -> {last}"
