"""A one-minute version of bench/soak.py: RSS and open fds stay flat under
SNMP load, backend restarts and reloads, and the agent logs no error."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
import soak  # noqa: E402


def test_a_minute_of_load_restarts_and_reloads_leaves_memory_and_fds_flat(started):
    if "ASAN_OPTIONS" in os.environ:
        pytest.skip("under AddressSanitizer RSS grows with its quarantine, not with the agent")
    first, last, requests, errors, _ = soak.soak(started.workdir, 60)
    rss, fds = soak.summary(first, last)
    assert requests > 1000
    assert not errors, "\n".join(errors)
    assert rss <= soak.GROWTH_LIMIT, f"RSS grew {rss:+.1%}: {first} -> {last}"
    assert fds <= soak.GROWTH_LIMIT, f"open fds grew {fds:+.1%}: {first} -> {last}"
