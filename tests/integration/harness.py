"""Starts and stops the real components of an integration test: Debian's
snmpd as AgentX master, memcached, and mwagentx. Everything listens on
loopback, on free ports, in a temporary directory, and is stopped at the end.
"""
import glob
import os
import shutil
import signal
import socket
import subprocess
import time

AGENT = os.environ.get("MWX_AGENT", "build/mwagentx")
# How the agent runs: "agentx", the subagent AGENT beside snmpd, or
# "snmpd", the module MODULE loaded into snmpd (dlmod). The same tests run
# in both; those about the subagent alone are marked agentx_only.
MODE = os.environ.get("MWX_MODE", "agentx")
MODULE = os.environ.get("MWX_MODULE", "build/mwagentx.so")
# What snmpd must preload to load a module built with sanitizers (their
# runtimes come first in a process, and snmpd's binary has none).
SNMPD_PRELOAD = os.environ.get("MWX_SNMPD_PRELOAD", "")
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")
MIB_DIR = os.environ.get("MWX_MIB_DIR", "mibs")
# The IETF base MIBs, from Debian's erlang-snmp (scripts/deps.sh installs it).
IETF_MIBS = os.environ.get("MWX_IETF_MIBS") or next(
    iter(sorted(glob.glob("/usr/lib/erlang/lib/snmp-*/mibs"))), "/usr/lib/erlang/lib/snmp-MISSING/mibs")


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def port_open(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


class Process:
    """A foreground daemon with its output in a log file."""

    def __init__(self, name, argv, workdir, env=None):
        self.name, self.argv, self.workdir, self.env = name, argv, workdir, env
        self.log_path = os.path.join(workdir, name + ".log")
        self.proc = None

    def start(self):
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=self.env)
        log.close()
        return self

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if not self.running():
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"{self.name} ignored {sig!r} for {timeout}s")

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()


class Snmpd(Process):
    """snmpd as AgentX master; `agentx_group` owns its socket (mode 0660)."""

    def __init__(self, workdir, port=None, agentx_group=None, extra_conf=""):
        self.port = port or free_port(socket.SOCK_DGRAM)
        self.socket_path = os.path.join(workdir, "agentx.sock")
        persist = os.path.join(workdir, "persist")
        os.makedirs(persist, exist_ok=True)
        self.conf_path = os.path.join(workdir, "snmpd.conf")
        self.conf = (f"agentaddress udp:127.0.0.1:{self.port}\n"
                     "master agentx\n"
                     f"agentXSocket unix:{self.socket_path}\n"
                     f"agentXPerms 0660 0770 root {agentx_group or 'root'}\n"
                     "rocommunity public 127.0.0.1\n"
                     "dontLogTCPWrappersConnects yes\n" + extra_conf)
        self.write_conf()
        env = dict(os.environ, SNMP_PERSISTENT_DIR=persist)
        if SNMPD_PRELOAD:
            env["LD_PRELOAD"] = SNMPD_PRELOAD
            # GCC 12's LeakSanitizer misreads the dynamic TLS of a module
            # dlopened into a process (bogus ranges, then its tracer
            # crashes at exit): it scans no TLS in snmpd. That can only
            # report more leaks, never hide one.
            env["LSAN_OPTIONS"] = ":".join(filter(None, [os.environ.get("LSAN_OPTIONS"), "use_tls=0"]))
        super().__init__("snmpd", ["snmpd", "-f", "-Lo", "-C", "-c", self.conf_path, "-p",
                                   os.path.join(workdir, "snmpd.pid"), "-m", "", "-I", "-smux"],
                         workdir, env)

    def write_conf(self):
        with open(self.conf_path, "w") as f:
            f.write(self.conf)

    def load_module(self, agent_config_path):
        """Restarts snmpd, on the same port, with mwagentx loaded into it."""
        self.stop()
        self.conf += f"dlmod mwagentx {os.path.abspath(MODULE)}\nmwagentxConfig {agent_config_path}\n"
        self.write_conf()
        return self.start()

    def start(self):
        # With the agent loaded, snmpd is held to the agent's standard when it stops.
        self.holds_agent = "dlmod mwagentx" in self.conf
        super().start()
        wait_for(lambda: os.path.exists(self.socket_path), 10, "snmpd's AgentX socket")
        return self

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.holds_agent:
            stop_cleanly(self, lambda: Process.stop(self, sig, timeout), sig)
        else:
            super().stop(sig, timeout)
        if os.path.exists(self.socket_path):
            os.unlink(self.socket_path)  # a SIGKILLed snmpd leaves it behind


class Memcached(Process):
    """memcached on a loopback TCP port (127.0.0.1 unless `listen` names
    another loopback address), or on a unix socket."""

    def __init__(self, workdir, port=None, memory_mb=64, unix_socket=None, listen="127.0.0.1", extra_args=()):
        self.unix_socket = unix_socket
        self.listen = listen
        self.port = None if unix_socket else (port or free_port())
        where = ["-s", unix_socket, "-a", "0700"] if unix_socket else ["-l", listen, "-p", str(self.port)]
        super().__init__(f"memcached-{self.port or 'unix'}",
                         ["memcached", "-u", "nobody", *where, "-U", "0", "-m", str(memory_mb), *extra_args],
                         workdir)

    def start(self):
        super().start()
        if self.unix_socket:
            wait_for(lambda: os.path.exists(self.unix_socket), 10, f"memcached on {self.unix_socket}")
        else:
            wait_for(lambda: port_open(self.port, self.listen), 10, f"memcached on port {self.port}")
        return self

    def connect(self):
        if self.unix_socket:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(5)
            s.connect(self.unix_socket)
            return s
        return socket.create_connection(("127.0.0.1", self.port), timeout=5)

    def command(self, text, terminators=(b"END\r\n", b"STORED\r\n", b"DELETED\r\n", b"NOT_FOUND\r\n")):
        with self.connect() as s:
            s.sendall(text.encode())
            reply = b""
            while not reply.endswith(terminators):
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
            return reply.decode()

    def stats(self, which=""):
        reply = self.command(f"stats {which}".strip() + "\r\n")
        return {line.split(" ", 2)[1]: line.split(" ", 2)[2]
                for line in reply.split("\r\n") if line.startswith("STAT ")}

    def traffic(self, sets=50, gets=80):
        """Known traffic: `sets` stores in several slab classes, hits and misses."""
        with self.connect() as s:
            f = s.makefile("rwb")
            for i in range(sets):
                value = b"v" * (20 + (i * 97) % 3000)
                f.write(b"set key%d 0 0 %d\r\n%s\r\n" % (i, len(value), value))
                f.flush()
                assert f.readline() == b"STORED\r\n"
            for i in range(gets):
                f.write(b"get key%d\r\n" % i)
                f.flush()
                while f.readline() != b"END\r\n":
                    pass


class TrapReceiver(Process):
    """Debian's snmptrapd on a loopback UDP port, logging each notification
    as one line: TRAP, then its varbinds (numeric OIDs) separated by SEPARATOR."""
    SEPARATOR = "~|~"

    def __init__(self, workdir):
        self.port = free_port(socket.SOCK_DGRAM)
        conf = os.path.join(workdir, "snmptrapd.conf")
        with open(conf, "w") as f:
            f.write("authCommunity log public\n")  # without it snmptrapd drops every trap
        self.trap_log = os.path.join(workdir, "traps.log")
        super().__init__("snmptrapd", ["snmptrapd", "-f", "-C", "-c", conf, "-n", "-On", "-Lf", self.trap_log,
                                       "-F", f"TRAP %V{self.SEPARATOR}%v\n", f"udp:127.0.0.1:{self.port}"],
                         workdir, dict(os.environ, MIBS=""))

    def start(self):
        super().start()
        # It logs its version once it listens.
        wait_for(lambda: os.path.exists(self.trap_log) and "NET-SNMP version" in open(self.trap_log).read(), 10,
                 "snmptrapd listening")
        return self

    def lines(self):
        if not os.path.exists(self.trap_log):
            return []
        with open(self.trap_log, errors="replace") as f:
            return [line[len("TRAP "):].rstrip("\n") for line in f if line.startswith("TRAP ")]


class Gearmand(Process):
    """Debian's gearmand on a loopback port (127.0.0.1, or ::1 where a test
    reaches it over IPv6), its log and pid file in the work dir."""

    def __init__(self, workdir, port=None, host="127.0.0.1"):
        self.port = port or free_port()
        self.host = host
        super().__init__(f"gearmand-{self.port}",
                         ["gearmand", f"--listen={host}", f"--port={self.port}",
                          f"--log-file={workdir}/gearmand-{self.port}.log",
                          f"--pid-file={workdir}/gearmand-{self.port}.pid"], workdir)

    def start(self):
        super().start()
        wait_for(lambda: port_open(self.port, self.host), 10, f"gearmand on port {self.port}")
        return self

    def admin(self, command):
        """gearmand's own answer to an admin command, as lines."""
        with socket.create_connection((self.host, self.port), timeout=5) as s:
            s.sendall(command.encode() + b"\n")
            reply = b""
            while not reply.endswith(b".\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
        return reply.decode().split("\n")[:-2]

    def status(self):
        """{function: (total, running, available)} as gearmand says."""
        return {f: (int(t), int(r), int(a)) for f, t, r, a in (line.split("\t") for line in self.admin("status"))}

    def prioritystatus(self):
        """{function: (high, normal, low)} queued, as gearmand says."""
        return {f: (int(h), int(n), int(lo)) for f, h, n, lo, _ in (line.split("\t")
                                                                   for line in self.admin("prioritystatus"))}

    def submit_background(self, function, data="x", priority="normal"):
        flags = {"high": ["-I"], "normal": [], "low": ["-L"]}[priority]
        subprocess.run(["gearman", "-h", self.host, "-p", str(self.port), "-b", *flags, "-f", function, data],
                       check=True, capture_output=True, timeout=10)

    def worker(self, function, *command, jobs=None):
        """A `gearman -w` worker process running `command` for each job."""
        argv = ["gearman", "-h", self.host, "-p", str(self.port), "-w", "-f", function]
        if jobs:
            argv += ["-c", str(jobs)]
        return Process(f"worker-{function}", argv + ["--", *command], self.workdir).start()


class Agent(Process):
    """mwagentx in the foreground. Stopping it with SIGTERM or SIGINT must
    end in exit status 0: a sanitizer report (under scripts/sanitize.sh) or
    an unclean shutdown fails the test that started it."""

    def __init__(self, workdir, config_text, agentx_socket=None, run_as=None):
        self.config_path = os.path.join(workdir, "mwagentx.conf")
        self.write_config(config_text)
        # setpriv execs the agent: same pid, the user's own groups only.
        argv = ["setpriv", f"--reuid={run_as}", f"--regid={run_as}", "--init-groups", "--"] if run_as else []
        argv += [AGENT, "-f", "-c", self.config_path]
        if agentx_socket:
            argv += ["-x", agentx_socket]
        super().__init__("mwagentx", argv, workdir)

    def stop(self, sig=signal.SIGTERM, timeout=10):
        stop_cleanly(self, lambda: Process.stop(self, sig, timeout), sig)

    def write_config(self, text):
        with open(self.config_path, "w") as f:
            f.write(text)

    def reload(self):
        self.proc.send_signal(signal.SIGHUP)

    def open_fds(self):
        return len(os.listdir(f"/proc/{self.proc.pid}/fd"))


def memory_kib(pid):
    """A process's memory in KiB, from /proc/PID/smaps_rollup: Rss, Pss,
    Anonymous, Private_Clean ... and Uss (pages only it maps: what
    stopping it would free) and Files (its file-backed resident pages)."""
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                fields[parts[0].rstrip(":")] = int(parts[1])
    fields["Uss"] = fields["Private_Clean"] + fields["Private_Dirty"]
    fields["Files"] = fields["Rss"] - fields["Anonymous"]
    return fields


def stop_cleanly(process, stop, sig):
    """Stops (with `stop`) the process that runs the agent: after SIGTERM or
    SIGINT it must exit 0, and its log must hold no sanitizer report."""
    was_running = process.running()
    stop()
    if was_running and sig in (signal.SIGTERM, signal.SIGINT):
        assert process.proc.returncode == 0, \
            f"{process.name} exited with {process.proc.returncode} after {sig.name}:\n{process.log()[-4000:]}"
    for marker in SANITIZER_MARKERS:
        assert marker not in process.log(), f"sanitizer report in {process.name}'s log:\n{process.log()[-4000:]}"


class AgentInSnmpd:
    """mwagentx loaded into snmpd, with the face of Agent: its config file,
    reload (snmpd's SIGHUP), log (snmpd's), fds and stop (snmpd's own)."""

    def __init__(self, workdir, snmpd, config_text):
        self.config_path = os.path.join(workdir, "mwagentx.conf")
        self.write_config(config_text)
        self.snmpd = snmpd
        self.name = "mwagentx in snmpd"

    def start(self):
        self.snmpd.load_module(self.config_path)
        return self

    @property
    def proc(self):
        return self.snmpd.proc

    def running(self):
        return self.snmpd.running()

    def stop(self, sig=signal.SIGTERM, timeout=10):
        self.snmpd.stop(sig, timeout)

    def log(self):
        return self.snmpd.log()

    write_config = Agent.write_config
    reload = Agent.reload
    open_fds = Agent.open_fds


def have(program):
    return shutil.which(program) is not None


def ensure_user(name, groups=()):
    """A system user for the privilege tests (created once, kept)."""
    for group in groups:
        if subprocess.run(["getent", "group", group], capture_output=True).returncode != 0:
            subprocess.run(["groupadd", "--system", group], check=True)
    if subprocess.run(["getent", "passwd", name], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        "--user-group", name], check=True)
    if groups:
        subprocess.run(["usermod", "-a", "-G", ",".join(groups), name], check=True)


def serving(server, programs, packages):
    """For a fixture, `yield from serving(...)`: a private manager server
    (Zabbix, Cacti) started, yielded, its logs printed if it failed to
    start, and stopped."""
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        raise AssertionError(f"{missing} missing: scripts/deps.sh installs {' '.join(packages)}")
    try:
        yield server.start()
    except Exception:
        print(server.logs())
        raise
    finally:
        server.stop()
