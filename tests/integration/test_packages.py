"""The RPM and Debian packages: both build from this tree with the tools
Debian ships (rpmbuild --nodeps, dpkg-buildpackage), pass their linters,
hold what cmake --install installs, and run. Installing the .deb for real
would replace an installed mwagentx, so that part runs only where CI=true
says the machine may be changed."""
import glob
import os
import shutil
import subprocess
import tarfile

import pytest

import snmp
from harness import Snmpd, wait_for

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXPECTED_FILES = ["/usr/sbin/mwagentx", "/etc/mwagentx/mwagentx.conf", "/usr/share/snmp/mibs/MWAGENTX-MIB.txt",
                  "/usr/share/man/man8/mwagentx.8", "/usr/share/man/man5/mwagentx.conf.5",
                  "/usr/lib/sysusers.d/mwagentx.conf",
                  "/usr/share/mwagentx/templates/zabbix/mwagentx_memcached.yaml",
                  "/usr/share/mwagentx/templates/cacti/mwagentx_host.xml",
                  "/usr/share/mwagentx/templates/cacti/snmp_queries/mwagentx_memcached.xml",
                  "/usr/share/mwagentx/templates/prometheus/snmp.yml",
                  "/usr/share/mwagentx/templates/prometheus/alerts.yml"]


PACKAGED_CONFIG = "/etc/mwagentx/mwagentx.conf"
# Where Debian's snmpd looks for a module named without a path.
DEB_MODULE = f"/usr/lib/{subprocess.run(['dpkg-architecture', '-qDEB_HOST_MULTIARCH'], capture_output=True, text=True, check=True).stdout.strip()}/snmp/dlmod/mwagentx.so"  # noqa: E501


def holds(files, expected):
    """`expected` is among `files`, compressed or not (man pages)."""
    return any(f == expected or f.startswith(expected + ".") for f in files)


def sh(*argv, cwd=None, env=None, timeout=900):
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def version():
    with open(os.path.join(ROOT, "CMakeLists.txt")) as f:
        for line in f:
            if line.startswith("project(mwagentx VERSION "):
                return line.split()[2]
    raise AssertionError("no project version in CMakeLists.txt")


def source_files():
    """The tree as a clean checkout has it: tracked files and new ones, no
    build output (git's view where there is a repository and git; a tree
    copied onto a host without git is walked)."""
    listed = subprocess.run(["git", "-C", ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            capture_output=True, text=True) if shutil.which("git") else None
    if listed is not None and listed.returncode == 0:
        return [f for f in listed.stdout.split("\0") if f and os.path.isfile(os.path.join(ROOT, f))]
    files = []
    for top, dirs, names in os.walk(ROOT):
        relative = os.path.relpath(top, ROOT)
        if relative == ".":
            dirs[:] = [d for d in dirs if not d.startswith(("build", ".git", "obj-"))]
        files += [os.path.normpath(os.path.join(relative, n)) for n in names]
    return files


def copy_tree(destination):
    for name in source_files():
        target = os.path.join(destination, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, name), target)


@pytest.fixture(scope="module")
def rpm(tmp_path_factory):
    top = tmp_path_factory.mktemp("rpmbuild")
    for d in ("SOURCES", "SPECS", "BUILD", "RPMS", "SRPMS"):
        (top / d).mkdir()
    prefix = f"mwagentx-{version()}"
    with tarfile.open(top / "SOURCES" / f"{prefix}.tar.gz", "w:gz") as tar:
        for name in source_files():
            tar.add(os.path.join(ROOT, name), arcname=f"{prefix}/{name}")
    shutil.copy(os.path.join(ROOT, "conf", "mwagentx.sysusers"), top / "SOURCES")
    sh("rpmbuild", "-ba", "--nodeps", "--define", f"_topdir {top}", os.path.join(ROOT, "rpm", "mwagentx.spec"))
    (binary,) = glob.glob(str(top / "RPMS" / "*" / f"{prefix}-*.rpm"))
    (source,) = glob.glob(str(top / "SRPMS" / f"{prefix}-*.src.rpm"))
    return binary, source


@pytest.fixture(scope="module")
def deb(tmp_path_factory):
    work = tmp_path_factory.mktemp("debbuild")
    src = work / "mwagentx"
    copy_tree(str(src))
    sh("dpkg-buildpackage", "-us", "-uc", "-b", cwd=str(src))
    (package,) = glob.glob(str(work / f"mwagentx_{version()}_*.deb"))
    return package


def test_the_spec_and_the_changelog_carry_the_projects_version():
    with open(os.path.join(ROOT, "rpm", "mwagentx.spec")) as f:
        assert f"Version:        {version()}\n" in f.read()
    with open(os.path.join(ROOT, "debian", "changelog")) as f:
        assert f.readline().startswith(f"mwagentx ({version()})")


def test_rpm_holds_the_installation_and_passes_rpmlint(rpm):
    binary, source = rpm
    files = sh("rpm", "-qlp", binary).split()
    for expected in EXPECTED_FILES + ["/usr/lib/systemd/system/mwagentx.service", "/usr/share/doc/mwagentx/README.md",
                                      sh("rpm", "--eval", "%{_libdir}").strip() + "/snmp/dlmod/mwagentx.so"]:
        assert holds(files, expected), f"{expected} not in the RPM: {files}"
    assert "/usr/share/snmp/mibs" not in files, "the MIB directory belongs to net-snmp"
    config = sh("rpm", "-qp", "--configfiles", binary).split()
    assert config == ["/etc/mwagentx/mwagentx.conf"]
    scripts = sh("rpm", "-qp", "--scripts", binary)
    for scriptlet in ("preinstall", "postinstall", "preuninstall", "postuninstall"):
        assert f"{scriptlet} scriptlet" in scripts, scripts
    assert "useradd -r -g mwagentx" in scripts
    out = subprocess.run(["rpmlint", "-r", os.path.join(ROOT, "rpm", "mwagentx.rpmlintrc"), binary, source,
                          os.path.join(ROOT, "rpm", "mwagentx.spec")], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_rpm_installs_into_a_scratch_root_and_runs(rpm, tmp_path):
    binary, _ = rpm
    root = tmp_path / "root"
    sh("rpm", "--root", str(root), "--initdb")
    sh("rpm", "--root", str(root), "-ivh", "--nodeps", "--noscripts", binary)
    agent = str(root / "usr" / "sbin" / "mwagentx")
    assert sh(agent, "--version").strip() == f"mwagentx {version()}"
    assert "OK" in sh(agent, "--check", "-c", str(root / "etc" / "mwagentx" / "mwagentx.conf"))
    # The installed unit, pointed at the binary in the scratch root.
    with open(root / "usr" / "lib" / "systemd" / "system" / "mwagentx.service") as f:
        unit = f.read().replace("/usr/sbin/mwagentx", agent)
    with open(tmp_path / "mwagentx.service", "w") as f:
        f.write(unit)
    sh("systemd-analyze", "verify", str(tmp_path / "mwagentx.service"))


def test_deb_holds_the_installation_and_passes_lintian(deb, tmp_path):
    listing = sh("dpkg-deb", "-c", deb)
    files = [line.split()[-1].lstrip(".") for line in listing.splitlines()]
    for expected in EXPECTED_FILES + ["/lib/systemd/system/mwagentx.service", "/usr/share/doc/mwagentx/README.md",
                                      DEB_MODULE]:
        assert holds(files, expected), f"{expected} not in the .deb: {files}"
    sh("dpkg-deb", "-e", deb, str(tmp_path / "control"))
    with open(tmp_path / "control" / "postinst") as f:
        postinst = f.read()
    assert "adduser --system --group" in postinst and "deb-systemd-helper" in postinst
    with open(tmp_path / "control" / "conffiles") as f:
        assert "/etc/mwagentx/mwagentx.conf" in f.read().split()
    out = subprocess.run(["lintian", "--fail-on", "error,warning", deb], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_deb_installs_runs_and_purges_cleanly(deb, tmp_path):
    if os.environ.get("CI") != "true":
        pytest.skip("installs the .deb system-wide, replacing any installed mwagentx: runs where CI=true")
    sh("dpkg", "-i", deb)
    try:
        files = [f for f in sh("dpkg", "-L", "mwagentx").split() if os.path.isfile(f)]
        assert sh("/usr/sbin/mwagentx", "--version").strip() == f"mwagentx {version()}"
        assert "OK" in sh("/usr/sbin/mwagentx", "--check", "-c", PACKAGED_CONFIG)
        sh("systemd-analyze", "verify", "/lib/systemd/system/mwagentx.service")
        assert "mwagentx" in sh("getent", "passwd", "mwagentx")
        # snmpd finds the module by its name alone.
        workdir = str(tmp_path)
        snmpd = Snmpd(workdir, extra_conf=f"dlmod mwagentx\nmwagentxConfig {PACKAGED_CONFIG}\n").start()
        try:
            wait_for(lambda: snmp.get(snmpd.port, "MWAGENTX-MIB::mwxAgentVersion.0")
                     ["MWAGENTX-MIB::mwxAgentVersion.0"].text == version(), 10, "the packaged module serving")
        finally:
            snmpd.stop()
    finally:
        sh("dpkg", "--purge", "mwagentx")
    left = [f for f in files if os.path.exists(f)]
    assert left == [], f"left behind after purge: {left}"
