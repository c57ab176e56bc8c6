"""The source tree keeps the shape docs/architecture.md and agent/README.md
describe: each room of agent/ includes only the rooms its README names,
the rooms' includes form no circle, nothing includes the wiring at the top
of agent/ but the top itself and the tests, and no function is longer than
a screen."""
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
AGENT_DIR = ROOT / "agent"
INCLUDE = re.compile(r'^#include "agent/(?:([a-z_]+)/)?([a-z_]+\.hpp)"', re.M)
SCREEN = 40  # lines from a function's first line to its closing brace


def listed_rooms(readme, label):
    """The rooms a README's line 'LABEL: a, b, c.' names."""
    found = re.search(rf"^{label}: (.*)$", readme.read_text(), re.M)
    assert found, f"{readme} has no '{label}:' line"
    words = found.group(1).rstrip(".")
    return set() if words.startswith("nothing") else {w.strip() for w in words.split(",")}


def rooms():
    return {d.name: listed_rooms(d / "README.md", "Includes") for d in sorted(AGENT_DIR.iterdir()) if d.is_dir()}


def includes(folder):
    for path in sorted(folder.rglob("*.[ch]pp")):
        for room, header in INCLUDE.findall(path.read_text()):
            yield path.relative_to(ROOT), room or None, header


def test_every_room_has_a_readme_naming_only_rooms_that_exist():
    allowed = rooms()
    assert allowed, "agent/ has no room"
    for room, below in allowed.items():
        assert below <= allowed.keys(), f"agent/{room}/README.md names {below - allowed.keys()}"


def test_a_room_includes_only_the_rooms_its_readme_names():
    allowed = rooms()
    wrong = [f"{path}: agent/{room or ''}{'/' if room else ''}{header}"
             for name, below in allowed.items()
             for path, room, header in includes(AGENT_DIR / name)
             if room != name and room not in below]
    assert wrong == [], "includes that go up or sideways:\n" + "\n".join(wrong)


def test_the_rooms_form_no_circle():
    allowed = rooms()
    done, visiting = set(), []

    def visit(room):
        assert room not in visiting, "circle: " + " -> ".join(visiting + [room])
        if room in done:
            return
        visiting.append(room)
        for below in sorted(allowed[room]):
            visit(below)
        visiting.pop()
        done.add(room)

    for room in allowed:
        visit(room)


def test_subsystems_include_only_the_rooms_agent_readme_names():
    allowed = listed_rooms(AGENT_DIR / "README.md", "Subsystems \\(`handlers/<name>/`\\) include")
    wrong = [f"{path}: agent/{room or ''}{'/' if room else ''}{header}"
             for path, room, header in includes(ROOT / "handlers")
             if "tests" not in path.parts and room not in allowed]
    assert wrong == [], "\n".join(wrong)


def test_no_function_is_longer_than_a_screen():
    folders = [str(ROOT / f) for f in ("agent", "handlers", "tests/unit", "tests/fuzz", "bench")]
    done = subprocess.run([sys.executable, str(ROOT / "scripts/long_functions.py"), "--lines", str(SCREEN), *folders],
                          capture_output=True, text=True)
    assert done.returncode == 0, f"functions longer than {SCREEN} lines:\n{done.stdout}{done.stderr}"


def test_the_function_length_check_finds_a_long_function(tmp_path):
    body = "\n".join(f"  x += {i};" for i in range(SCREEN))
    (tmp_path / "long.cpp").write_text(f'int long_one(int x) {{\n  const char* s = "}}";\n{body}\n  return x;\n}}\n'
                                       "int short_one() { return 1; }\n")
    done = subprocess.run([sys.executable, str(ROOT / "scripts/long_functions.py"), "--lines", str(SCREEN),
                           str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "long_one" in done.stdout and "short_one" not in done.stdout, done.stdout
