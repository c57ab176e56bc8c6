"""An LVS procfs tree for the tests (this kernel may have no IPVS): the
fixture copied, and /proc/net/ip_vs rewritten as the kernel writes it."""
import os
import shutil

from canned_server import fixture_path

SERVICE_LINE = "TCP  {addr}:{port:04X} {sched}  \n"
REAL_LINE = "  -> {addr}:{port:04X}      {fwd:<7} {weight:<6} {active:<10} {inactive:<10}\n"


def copy_fixture(workdir):
    procfs = os.path.join(workdir, "procfs")
    shutil.copytree(fixture_path("lvs/procfs"), procfs)
    return procfs


def write_ip_vs(procfs, services):
    """A /proc/net/ip_vs in the kernel's format: services is a list of
    (hex address, port, [(hex address, port, weight, active, inactive)])."""
    text = ("IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n"
            "  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n")
    for addr, port, reals in services:
        text += SERVICE_LINE.format(addr=addr, port=port, sched="wlc")
        for raddr, rport, weight, active, inactive in reals:
            text += REAL_LINE.format(addr=raddr, port=rport, fwd="Route", weight=weight, active=active,
                                     inactive=inactive)
    path = os.path.join(procfs, "net", "ip_vs")
    with open(path + ".new", "w") as f:
        f.write(text)
    os.replace(path + ".new", path)  # as the kernel's file: never seen half-written
