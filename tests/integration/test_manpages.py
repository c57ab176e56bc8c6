"""The man pages render without a warning and name what the agent has:
every subsystem's line (from --help, which comes from the registration)
and every directive of the annotated example configuration."""
import os
import re
import subprocess

import pytest

from harness import AGENT, have

MAN_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "man")
ENV = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80")


def render(page):
    if not have("man"):
        pytest.fail("man is missing: scripts/deps.sh installs man-db")
    done = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", os.path.join(MAN_DIR, page)],
                          capture_output=True, text=True, env=ENV)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", f"{page}: {done.stderr}"
    return done.stdout


def subsystem_directives():
    help_text = subprocess.run([AGENT, "--help"], capture_output=True, text=True, check=True).stdout
    lines = help_text.split("Instances, one line each in the configuration file:\n", 1)[1].splitlines()
    return [line.split()[0] for line in lines if line.strip()]


def example_directives():
    example = os.path.join(os.path.dirname(__file__), "..", "..", "conf", "mwagentx.conf")
    with open(example) as f:
        return {line.split()[0] for line in f if line.strip() and not line.startswith("#")}


@pytest.mark.parametrize("page", ["mwagentx.8", "mwagentx.conf.5"])
def test_renders_without_warnings(page):
    assert "SEE ALSO" in render(page)


def test_the_configuration_page_names_every_directive():
    text = render("mwagentx.conf.5")
    directives = set(subsystem_directives()) | example_directives()
    assert len(directives) >= 8
    for directive in sorted(directives):
        assert re.search(rf"^\s+{re.escape(directive)}\b", text, re.M), f"mwagentx.conf(5) lacks {directive}"


def test_the_command_page_names_every_option():
    text = render("mwagentx.8")
    help_text = subprocess.run([AGENT, "--help"], capture_output=True, text=True, check=True).stdout
    options = set(re.findall(r"^\s+(-[a-z]|--[a-z-]+)", help_text, re.M))
    assert {"-c", "-x", "-f", "--check", "--dump", "--list-objects", "--version"} <= options
    for option in sorted(options):
        assert option in text, f"mwagentx(8) lacks {option}"


def test_the_notifications_guide_lists_every_event_with_the_agents_defaults():
    """docs/notifications.md's table is what --list-events prints."""
    guide = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "notifications.md")
    with open(guide) as f:
        rows = [[cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
                for line in f if line.startswith("| `")]
    listed = subprocess.run([AGENT, "--list-events"], capture_output=True, text=True, check=True).stdout
    expected = [[subsystem, name, kind, rising, falling, hold, "" if unit == "-" else unit,
                 notifications.replace(",", ", ")]
                for _, subsystem, name, kind, rising, falling, hold, unit, notifications, _ in
                (line.split("\t") for line in listed.splitlines() if line.startswith("event\t"))]
    assert rows == expected, "docs/notifications.md: update the table from mwagentx --list-events"
