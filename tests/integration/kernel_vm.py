"""Debian's own kernel booted under qemu, for the tests that need a kernel
feature this machine's kernel lacks (IPVS). Nothing is installed: the
kernel package that scripts/deps.sh downloaded is unpacked into a cache,
the guest's root is an initramfs of static busybox and the modules that
reach the host's files, and the host's /usr and /etc, the source tree and
the kernel's modules are shared read-only over virtio-9p; one writable
share carries results back. No network device: the guest's networks are
its own namespaces.

KVM is tried first; where it aborts or stalls before the guest's first
sign of life (seen on this kind of machine), the VM runs under TCG."""
import glob
import gzip
import os
import shutil
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KERNEL_CACHE = "/var/cache/mwagentx-tests/kernel"  # scripts/deps.sh fills it
BUSYBOX = "/bin/busybox"  # busybox-static
# What the initramfs loads to reach the 9p shares, dependencies first.
BOOT_MODULES = ("virtio_pci", "9pnet_virtio", "9p")
SHARES = {"usr": ("/usr", True), "etc": ("/etc", True), "repo": (ROOT, True)}
ALIVE = "alive"  # the guest writes it to the results share once it runs


class VmError(Exception):
    pass


def kernel_package():
    """The .deb of Debian's kernel in the cache, or why there is none."""
    found = sorted(glob.glob(os.path.join(KERNEL_CACHE, "linux-image-*-amd64_*.deb")))
    if not found:
        raise VmError(f"no kernel package in {KERNEL_CACHE}: run scripts/deps.sh")
    return found[-1]


def unpacked_kernel():
    """(directory, release) of the kernel package unpacked once into the
    cache, with modules.dep made by depmod."""
    package = kernel_package()
    directory = package[:-len(".deb")]
    releases = glob.glob(os.path.join(directory, "lib", "modules", "*"))
    if not releases or not os.path.exists(os.path.join(releases[0], "modules.dep")):
        shutil.rmtree(directory, ignore_errors=True)
        partial = directory + ".partial"
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run(["dpkg-deb", "-x", package, partial], check=True)
        release = os.path.basename(glob.glob(os.path.join(partial, "lib", "modules", "*"))[0])
        subprocess.run(["depmod", "-b", partial, release], check=True)
        os.rename(partial, directory)
        releases = glob.glob(os.path.join(directory, "lib", "modules", "*"))
    return directory, os.path.basename(releases[0])


def module_files(kernel_dir, release, names):
    """The .ko files that load `names`, in load order, each once."""
    ordered = []
    for name in names:
        out = subprocess.run(["modprobe", "-d", kernel_dir, "-S", release, "--show-depends", name],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            words = line.split()
            if words and words[0] == "insmod" and words[1] not in ordered:
                ordered.append(words[1])
    return ordered


INIT = """#!/busybox sh
# The guest's first process: the host's files over 9p, then the test's own
# script (with the host's dash, not busybox's applets).
b=/busybox
$b mkdir -p /proc /sys /dev /usr /etc /repo /kernel /out /tmp /run /var /root /mnt
$b mount -t proc proc /proc
$b mount -t sysfs sysfs /sys
$b mount -t devtmpfs devtmpfs /dev
for m in $($b cat /modules.order); do $b insmod /modules/$m; done
opts=trans=virtio,version=9p2000.L,msize=512000
for share in usr etc repo kernel; do $b mount -t 9p -o $opts,ro,cache=loose $share /$share; done
$b mount -t 9p -o $opts out /out
for dir in tmp run var root; do $b mount -t tmpfs tmpfs /$dir; done
$b mount -t tmpfs tmpfs /mnt
$b echo booted > /out/{alive}
export PATH=/usr/sbin:/usr/bin HOME=/root
/usr/bin/dash /out/guest.sh > /out/guest.log 2>&1
$b echo $? > /out/guest.status
$b sync
$b poweroff -f
""".replace("{alive}", ALIVE)


def build_initramfs(workdir, kernel_dir, release):
    """An initramfs (newc cpio, gzip) of busybox, the boot modules, /boot's
    config (the agent reads the kernel's HZ there) and /init."""
    root = os.path.join(workdir, "initramfs")
    os.makedirs(os.path.join(root, "modules"))
    os.makedirs(os.path.join(root, "boot"))
    shutil.copy(BUSYBOX, os.path.join(root, "busybox"))
    shutil.copy(os.path.join(kernel_dir, "boot", f"config-{release}"), os.path.join(root, "boot"))
    names = []
    for path in module_files(kernel_dir, release, BOOT_MODULES):
        shutil.copy(path, os.path.join(root, "modules"))
        names.append(os.path.basename(path))
    with open(os.path.join(root, "modules.order"), "w") as f:
        f.write("\n".join(names) + "\n")
    with open(os.path.join(root, "init"), "w") as f:
        f.write(INIT)
    os.chmod(os.path.join(root, "init"), 0o755)
    # The host's merged /usr: /lib, /lib64, /bin and /sbin lead into it.
    for link in ("lib", "lib64", "bin", "sbin"):
        os.symlink(f"usr/{link}", os.path.join(root, link))
    files = subprocess.run(["find", "."], cwd=root, capture_output=True, check=True).stdout
    archive = subprocess.run(["cpio", "--quiet", "-o", "-H", "newc"], cwd=root, input=files,
                             capture_output=True, check=True).stdout
    path = os.path.join(workdir, "initramfs.cpio.gz")
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(archive)
    return path


class KernelVm:
    """Boots the kernel to run a dash script as root in the guest (files it
    writes under /out come back in `out_dir`) and waits for it to power off."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.out_dir = os.path.join(workdir, "vm-out")
        os.makedirs(self.out_dir, exist_ok=True)
        self.kernel_dir, self.release = unpacked_kernel()
        self.initramfs = build_initramfs(workdir, self.kernel_dir, self.release)
        self.accel = None
        self.boot_seconds = None

    def argv(self, accel):
        vmlinuz = os.path.join(self.kernel_dir, "boot", f"vmlinuz-{self.release}")
        shares = dict(SHARES, kernel=(self.kernel_dir, True), out=(self.out_dir, False))
        argv = ["qemu-system-x86_64", "-m", "1G", "-smp", "2", "-nographic", "-no-reboot", "-nic", "none",
                "-kernel", vmlinuz, "-initrd", self.initramfs,
                "-append", "console=ttyS0 panic=-1 quiet"]
        argv += ["-accel", "kvm", "-cpu", "host"] if accel == "kvm" else ["-accel", "tcg,thread=multi"]
        for tag, (path, readonly) in shares.items():
            argv += ["-virtfs", f"local,path={path},mount_tag={tag},security_model=none"
                     + (",readonly=on" if readonly else "")]
        return argv

    def run(self, script, timeout):
        """Runs `script` (dash) in the guest; returns its exit status. Raises
        VmError when no accelerator boots the guest or it overruns."""
        reasons = []
        for accel in ("kvm", "tcg"):
            if accel == "kvm" and not os.access("/dev/kvm", os.R_OK | os.W_OK):
                reasons.append("kvm: /dev/kvm is not usable")
                continue
            status = self._boot(accel, script, timeout, reasons)
            if status is not None:
                self.accel = accel
                return status
        raise VmError("the VM did not start: " + "; ".join(reasons))

    def _boot(self, accel, script, timeout, reasons):
        alive = os.path.join(self.out_dir, ALIVE)
        shutil.rmtree(self.out_dir)
        os.makedirs(self.out_dir)
        with open(os.path.join(self.out_dir, "guest.sh"), "w") as f:
            f.write(script)
        console = open(os.path.join(self.workdir, f"console-{accel}.log"), "wb")
        started = time.monotonic()
        proc = subprocess.Popen(self.argv(accel), stdin=subprocess.DEVNULL, stdout=console,
                                stderr=subprocess.STDOUT)
        try:
            # The guest says it runs within about 15 s under TCG; under a
            # KVM that does not work here, qemu aborts or never gets there.
            while not os.path.exists(alive):
                if proc.poll() is not None or time.monotonic() - started > 60:
                    reasons.append(f"{accel}: no sign of the guest ({self.console_tail(accel)})")
                    return None
                time.sleep(0.2)
            self.boot_seconds = time.monotonic() - started
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise VmError(f"the guest ran past {timeout} s under {accel}; its log: {self.guest_log()[-3000:]}")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            console.close()
        status_file = os.path.join(self.out_dir, "guest.status")
        if not os.path.exists(status_file):
            raise VmError(f"the guest stopped without a status: {self.console_tail(accel)}")
        with open(status_file) as f:
            return int(f.read().strip() or "-1")

    def console_tail(self, accel):
        path = os.path.join(self.workdir, f"console-{accel}.log")
        with open(path, "rb") as f:
            return f.read()[-600:].decode(errors="replace").strip()

    def guest_log(self):
        path = os.path.join(self.out_dir, "guest.log")
        if not os.path.exists(path):
            return ""
        with open(path, errors="replace") as f:
            return f.read()
