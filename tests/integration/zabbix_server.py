"""A throwaway Zabbix 6.0 server for a test, from Debian's packages: its own
PostgreSQL cluster (a temp dir, a unix socket only), zabbix_server on a
loopback port, and the frontend's API served by `php -S` from a copy of
/usr/share/zabbix pointed at a config in the temp dir. No system file,
service or port is touched; everything stops with stop()."""
import gzip
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

from harness import Process, free_port, wait_for

PG_BIN = "/usr/lib/postgresql/15/bin"
SQL_DIR = "/usr/share/zabbix-server-pgsql"
FRONTEND = "/usr/share/zabbix"
PACKAGES = ("zabbix-server-pgsql", "zabbix-frontend-php", "php-pgsql", "php-cli", "postgresql")


# PostgreSQL refuses to run as root.
AS_POSTGRES = {"user": "postgres", "group": "postgres", "extra_groups": []}


def free_port_below(limit):
    """A free loopback port under `limit`, which the kernel's ephemeral range
    (where free_port finds one) is not."""
    for port in random.sample(range(20000, limit), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise AssertionError(f"no free port below {limit}")


class Postgres(Process):
    def __init__(self, workdir):
        self.datadir = os.path.join(workdir, "pgdata")
        self.socket_dir = os.path.join(workdir, "pgsocket")
        self.port = free_port()
        super().__init__("postgres", [
            f"{PG_BIN}/postgres", "-D", self.datadir, "-k", self.socket_dir, "-p", str(self.port),
            "-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off"], workdir)

    def start(self):
        for path in (self.datadir, self.socket_dir):
            os.makedirs(path)
            shutil.chown(path, "postgres", "postgres")
        subprocess.run([f"{PG_BIN}/initdb", "-D", self.datadir, "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True,
                       cwd=self.workdir, **AS_POSTGRES)
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     cwd=self.workdir, **AS_POSTGRES)
        log.close()
        wait_for(lambda: os.path.exists(os.path.join(self.socket_dir, f".s.PGSQL.{self.port}")), 30,
                 "PostgreSQL listening on its unix socket")
        return self

    def psql(self, database, sql):
        done = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.socket_dir,
                               "-p", str(self.port), "-U", "postgres", "-d", database],
                              input=sql, capture_output=True, text=True, cwd=self.workdir)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def stop(self, sig=signal.SIGINT, timeout=30):
        super().stop(sig, timeout)  # SIGTERM would wait for every client to leave

    def load_zabbix(self, database="zabbix"):
        self.psql("postgres", f"CREATE DATABASE {database} ENCODING 'UTF8' TEMPLATE template0;")
        for name in ("schema.sql.gz", "images.sql.gz", "data.sql.gz"):
            with gzip.open(os.path.join(SQL_DIR, name), "rt") as sql:
                self.psql(database, sql.read())
        # Without fresh statistics, linking a template takes minutes.
        self.psql(database, "VACUUM ANALYZE;")


class ZabbixServer(Process):
    CONFIG = """\
DBHost={socket_dir}
DBPort={db_port}
DBName=zabbix
DBUser=postgres
ListenIP=127.0.0.1
ListenPort={port}
LogFile={log}
LogFileSize=0
PidFile={workdir}/zabbix_server.pid
SocketDir={workdir}
AllowRoot=1
# Loopback only: no network discovery, no traps, no VMware, no HTTP checks.
StartDiscoverers=0
StartSNMPTrapper=0
StartVMwareCollectors=0
StartHTTPPollers=0
StartJavaPollers=0
StartPingers=0
StartPollers=2
StartPollersUnreachable=1
StartPreprocessors=2
StartLLDProcessors=1
StartTimers=1
StartEscalators=1
StartAlerters=1
StartReportWriters=0
CacheUpdateFrequency=1
HousekeepingFrequency=0
Timeout=4
UnreachablePeriod=5
UnavailableDelay=5
UnreachableDelay=1
"""

    def __init__(self, workdir, postgres):
        self.port = free_port_below(32768)  # zabbix_server refuses larger ListenPorts
        self.config_path = os.path.join(workdir, "zabbix_server.conf")
        self.server_log = os.path.join(workdir, "zabbix_server.logfile")
        with open(self.config_path, "w") as f:
            f.write(self.CONFIG.format(socket_dir=postgres.socket_dir, db_port=postgres.port,
                                       port=self.port, workdir=workdir, log=self.server_log))
        super().__init__("zabbix_server", ["zabbix_server", "-f", "-c", self.config_path], workdir)

    def start(self):
        super().start()
        wait_for(lambda: "server #0 started" in self.server_log_text(),
                 60, "zabbix_server started")
        return self

    def server_log_text(self):
        if not os.path.exists(self.server_log):
            return ""
        with open(self.server_log, errors="replace") as f:
            return f.read()

    def log(self):
        return super().log() + "\n" + self.server_log_text()[-20000:]


class Frontend(Process):
    """The frontend's API, from a copy of /usr/share/zabbix whose config path
    is the temp dir's (Debian's build reads /etc/zabbix/zabbix.conf.php)."""

    def __init__(self, workdir, postgres, server):
        self.root = os.path.join(workdir, "frontend")
        shutil.copytree(FRONTEND, self.root, symlinks=True)
        config = os.path.join(workdir, "zabbix.conf.php")
        with open(config, "w") as f:
            f.write(f"""<?php
$DB['TYPE'] = 'POSTGRESQL';
$DB['SERVER'] = '{postgres.socket_dir}';
$DB['PORT'] = '{postgres.port}';
$DB['DATABASE'] = 'zabbix';
$DB['USER'] = 'postgres';
$DB['PASSWORD'] = '';
$DB['SCHEMA'] = '';
$DB['ENCRYPTION'] = false;
$DB['KEY_FILE'] = '';
$DB['CERT_FILE'] = '';
$DB['CA_FILE'] = '';
$DB['VERIFY_HOST'] = false;
$DB['CIPHER_LIST'] = '';
$DB['VAULT_URL'] = '';
$DB['VAULT_DB_PATH'] = '';
$DB['VAULT_TOKEN'] = '';
$DB['DOUBLE_IEEE754'] = true;
$ZBX_SERVER = '127.0.0.1';
$ZBX_SERVER_PORT = '{server.port}';
$ZBX_SERVER_NAME = 'mwagentx test';
$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;
""")
        config_class = os.path.join(self.root, "include/classes/core/CConfigFile.php")
        text = open(config_class).read()
        assert "'/etc/zabbix/zabbix.conf.php'" in text, "Debian's frontend no longer reads /etc/zabbix"
        os.unlink(config_class)  # a symlink into /usr/share in some builds: never write through it
        with open(config_class, "w") as f:
            f.write(text.replace("'/etc/zabbix/zabbix.conf.php'", repr(config)))
        self.port = free_port()
        super().__init__("php", ["php", "-d", "memory_limit=512M", "-d", "max_execution_time=600", "-S",
                                 f"127.0.0.1:{self.port}", "-t", self.root], workdir)
        self.token = None

    def start(self):
        super().start()
        wait_for(lambda: self._ready(), 30, "the Zabbix API answering")
        self.token = self.call("user.login", {"username": "Admin", "password": "zabbix"}, auth=False)
        return self

    def _ready(self):
        try:
            return bool(self.call("apiinfo.version", {}, auth=False))
        except OSError:
            return False

    def call(self, method, params, auth=True):
        body = {"jsonrpc": "2.0", "method": method, "params": params, "id": 1}
        if auth:
            body["auth"] = self.token
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/api_jsonrpc.php",
                                         data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json-rpc"})
        with urllib.request.urlopen(request, timeout=600) as reply:
            answer = json.load(reply)
        if "error" in answer:
            raise ApiError(method, answer["error"])
        return answer["result"]


class ApiError(Exception):
    def __init__(self, method, error):
        super().__init__(f"{method}: {error.get('message')} {error.get('data')}")
        self.error = error


class Zabbix:
    """The database, the server and the API, started in that order."""

    def __init__(self, workdir):
        self.workdir = os.path.join(workdir, "zabbix")
        os.makedirs(self.workdir)
        os.chmod(self.workdir, 0o755)
        self.components = []

    def start(self):
        started = time.monotonic()
        self.postgres = self._add(Postgres(self.workdir).start())
        self.postgres.load_zabbix()
        # The stock host monitors the server through an agent that is not here.
        self.postgres.psql("zabbix", "UPDATE hosts SET status=1 WHERE host='Zabbix server';"
                                     "UPDATE drules SET status=1;")
        self.server = self._add(ZabbixServer(self.workdir, self.postgres).start())
        self.api = self._add(Frontend(self.workdir, self.postgres, self.server).start())
        self.start_seconds = time.monotonic() - started
        return self

    def _add(self, component):
        self.components.append(component)
        return component

    def stop(self):
        for component in reversed(self.components):
            component.stop()

    def logs(self):
        return "\n".join(f"----- {c.name} log -----\n{c.log()}" for c in self.components)
