"""A qmail queue laid out as qmail's install (hier.c) makes it: queue/ and
mess/, todo/ 0750 qmailq:qmail; info/, local/, remote/, bounce/ 0700
qmails; intd/ 0700 qmailq. Counts are computed here by walking the tree,
independently of the agent."""
import grp
import os
import pwd
import subprocess

from harness import ensure_user

QMAIL_GROUP = "qmail"


def ensure_qmail_users():
    """qmail's own users and group, as its install creates them."""
    for user in ("qmailq", "qmails"):
        ensure_user(user, groups=[QMAIL_GROUP])
    subprocess.run(["usermod", "-g", QMAIL_GROUP, "qmailq"], check=True)
    subprocess.run(["usermod", "-g", QMAIL_GROUP, "qmails"], check=True)


class Queue:
    def __init__(self, qmail_dir, split=23, owned=False):
        """owned=True gives the tree qmail's owners and modes (needs root
        and ensure_qmail_users); otherwise root owns everything."""
        self.qmail_dir, self.split, self.owned = qmail_dir, split, owned
        self.queue = os.path.join(qmail_dir, "queue")
        self._mkdir(self.queue, "qmailq", 0o750)
        for name, owner, mode in (("mess", "qmailq", 0o750), ("info", "qmails", 0o700),
                                  ("local", "qmails", 0o700), ("remote", "qmails", 0o700)):
            self._mkdir(os.path.join(self.queue, name), owner, mode)
            for i in range(split):
                self._mkdir(os.path.join(self.queue, name, str(i)), owner, mode)
        for name, owner, mode in (("todo", "qmailq", 0o750), ("intd", "qmailq", 0o700),
                                  ("bounce", "qmails", 0o700), ("lock", "qmailq", 0o750)):
            self._mkdir(os.path.join(self.queue, name), owner, mode)

    def _mkdir(self, path, owner, mode):
        os.makedirs(path, exist_ok=True)
        os.chmod(path, mode)
        if self.owned:
            os.chown(path, pwd.getpwnam(owner).pw_uid, grp.getgrnam(QMAIL_GROUP).gr_gid)

    def _file(self, *parts, owner="qmailq"):
        path = os.path.join(self.queue, *parts)
        with open(path, "w") as f:
            f.write("Received: test\n\nbody\n")
        if self.owned:
            os.chown(path, pwd.getpwnam(owner).pw_uid, grp.getgrnam(QMAIL_GROUP).gr_gid)
        return path

    def add(self, number, local=False, remote=False, preprocessed=True, age=0, preprocessed_age=0):
        """One message, queued `age` seconds ago: mess/, then todo/ until
        qmail-send preprocessed it (`preprocessed_age` seconds ago), then
        info/ and its delivery lists."""
        bucket = str(number % self.split)
        paths = [self._file("mess", bucket, str(number))]
        if not preprocessed:
            paths.append(self._file("todo", str(number)))
        else:
            info = self._file("info", bucket, str(number), owner="qmails")
            if preprocessed_age:
                when = os.stat(info).st_mtime - preprocessed_age
                os.utime(info, (when, when))
            if local:
                self._file("local", bucket, str(number), owner="qmails")
            if remote:
                self._file("remote", bucket, str(number), owner="qmails")
        if age:
            for path in paths:
                when = os.stat(path).st_mtime - age
                os.utime(path, (when, when))

    def remove(self, number):
        bucket = str(number % self.split)
        for parts in (("mess", bucket), ("todo",), ("info", bucket), ("local", bucket), ("remote", bucket)):
            path = os.path.join(self.queue, *parts, str(number))
            if os.path.exists(path):
                os.unlink(path)

    def bounce(self, number):
        self._file("bounce", str(number), owner="qmails")

    def count(self, name):
        """Files anywhere below queue/NAME, the way `find NAME -type f | wc -l` counts."""
        return sum(len(files) for _, _, files in os.walk(os.path.join(self.queue, name)))
