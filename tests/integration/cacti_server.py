"""A throwaway Cacti 1.2 for a test, from Debian's packages: its own MariaDB
(a temp dir, a unix socket, no network), Cacti's schema with the stock
automation network deleted before any poller run, and a copy of
/usr/share/cacti whose configuration, rra, log and cache are in the temp
dir. Only Cacti's CLI is used; no web server, no system file or service."""
import os
import shutil
import subprocess

from harness import Process, wait_for

CACTI = "/usr/share/cacti"
SCHEMA = "/usr/share/doc/cacti/cacti.sql"
PACKAGES = ("cacti", "mariadb-server", "rrdtool", "php-cli", "php-mysql", "php-snmp")


class MariaDB(Process):
    def __init__(self, workdir):
        self.datadir = os.path.join(workdir, "mysql")
        self.socket = os.path.join(workdir, "mysql.sock")
        super().__init__("mariadbd", [
            "mariadbd", "--no-defaults", f"--datadir={self.datadir}", f"--socket={self.socket}",
            "--skip-networking", "--user=root", f"--pid-file={workdir}/mariadbd.pid",
            "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
            # What Cacti's installer checks for and its poller relies on.
            "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
            "--max-heap-table-size=64M", "--tmp-table-size=64M", "--join-buffer-size=8M",
            "--innodb-file-per-table=ON"], workdir)

    def start(self):
        subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={self.datadir}", "--user=root",
                        "--auth-root-authentication-method=normal", "--skip-test-db"],
                       check=True, capture_output=True, cwd=self.workdir)
        super().start()
        wait_for(lambda: os.path.exists(self.socket), 30, "MariaDB listening on its unix socket")
        return self

    def sql(self, sql, database=""):
        done = subprocess.run(["mariadb", "--no-defaults", f"--socket={self.socket}", "-uroot", "-N", "-B"] +
                              ([database] if database else []), input=sql, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout


class Cacti:
    """The database and a private copy of Cacti, ready for its CLI."""

    def __init__(self, workdir):
        self.workdir = os.path.join(workdir, "cacti")
        os.makedirs(self.workdir)
        self.root = os.path.join(self.workdir, "share")
        self.site = os.path.join(self.root, "site")
        self.rra = os.path.join(self.workdir, "rra")
        self.log_dir = os.path.join(self.workdir, "log")
        self.db = None

    def start(self):
        self.db = MariaDB(self.workdir).start()
        self.db.sql("CREATE DATABASE cacti CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;")
        with open(SCHEMA) as f:
            self.db.sql(f.read(), "cacti")
        # Safety first: cacti.sql ships an enabled automation network
        # (192.168.1.0/24) that the first poller run would scan.
        self.db.sql("DELETE FROM automation_networks; UPDATE automation_graph_rules SET enabled='';"
                    "UPDATE automation_tree_rules SET enabled='';", "cacti")
        self._copy_cacti()
        return self

    def _copy_cacti(self):
        shutil.copytree(CACTI, self.root, symlinks=True)
        for name in ("rra", "log", "cache"):
            link = os.path.join(self.site, name)
            os.unlink(link)  # into /var: ours are in the temp dir
            os.makedirs(os.path.join(self.workdir, name), exist_ok=True)
            os.symlink(os.path.join(self.workdir, name), link)
        resource = os.path.join(self.site, "resource")
        os.unlink(resource)
        os.symlink(os.path.join(self.root, "resource"), resource)
        config = os.path.join(self.site, "include", "config.php")
        os.unlink(config)  # a link to /etc/cacti/debian.php
        with open(config, "w") as f:
            f.write(f"""<?php
$database_type     = 'mysql';
$database_default  = 'cacti';
$database_hostname = '{self.db.socket}';
$database_username = 'root';
$database_password = '';
$database_port     = '3306';
$database_retries  = 2;
$database_ssl      = false;
$database_ssl_key  = '';
$database_ssl_cert = '';
$database_ssl_ca   = '';
$database_persist  = false;
$poller_id = 1;
$url_path = '/cacti/';
$cacti_session_name = 'Cacti';
$cacti_db_session = false;
$disable_log_rotation = true;
$path_csrf_secret = '{self.workdir}/csrf-secret.php';
$proxy_headers = null;
""")

    def cli(self, script, *args):
        """A script of Cacti's cli/ directory: (exit status, its output)."""
        return self._php(os.path.join(self.root, "cli", script), *args)

    def poller(self):
        """One run of Cacti's poller, whether or not its interval is due."""
        return self._php(os.path.join(self.site, "poller.php"), "--force")

    def _php(self, script, *args):
        # PHP 8.2 warns of deprecations on every SNMP walk of Cacti 1.2.
        done = subprocess.run(["php", "-d", "error_reporting=E_ALL & ~E_DEPRECATED", script, *args],
                              capture_output=True, text=True, timeout=300, cwd=self.workdir)
        return done.returncode, done.stdout + done.stderr

    def stop(self):
        if self.db:
            self.db.stop()

    def logs(self):
        text = f"----- mariadbd log -----\n{self.db.log()}\n" if self.db else ""
        cacti_log = os.path.join(self.workdir, "log", "cacti.log")
        if os.path.exists(cacti_log):
            with open(cacti_log, errors="replace") as f:
                text += f"----- cacti.log -----\n{f.read()[-20000:]}"
        return text
