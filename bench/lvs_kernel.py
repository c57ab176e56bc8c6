#!/usr/bin/python3
"""The LVS collector's cost on a real kernel: Debian's own kernel with real
IPVS, booted under qemu as the tests boot it (tests/integration/kernel_vm.py),
one service of 2,000 and then of 10,000 real servers; bench_lvs_poll reads
them over netlink and from /proc/net/ip_vs, side by side in one VM.

Under TCG (no working KVM here) the guest's CPU is emulated: compare the
figures with each other (netlink against procfs, 2,000 against 10,000), not
with a real director's.

  bench/lvs_kernel.py [--polls N]     (after scripts/build.sh, as root)
"""
import os
import sys
import tempfile

import bench_env  # noqa: F401  (paths and defaults, before the harness)
from kernel_vm import KernelVm  # noqa: E402

GUEST = """set -eu
modprobe -a -d /kernel ip_vs ip_vs_wlc
ip link set lo up
ip addr add 192.0.2.20/32 dev lo
bench=/repo/build/bench_lvs_poll
add_real_servers() {  # $1 first host number, $2 last (exclusive): 10 ports each
  host=$1
  while [ $host -lt $2 ]; do
    port=8000
    while [ $port -lt 8010 ]; do
      echo "-a -t 192.0.2.20:80 -r 10.$((host / 250)).$((host % 250)).1:$port -m -w 1"
      port=$((port + 1))
    done
    host=$((host + 1))
  done | ipvsadm -R
}
ipvsadm -A -t 192.0.2.20:80 -s wlc
add_real_servers 0 200
for source in netlink procfs; do $bench /proc {polls} $source >> /out/bench.txt; done
add_real_servers 200 1000
for source in netlink procfs; do $bench /proc {polls} $source >> /out/bench.txt; done
"""


def main():
    args = bench_env.options(__doc__, polls=20)
    with tempfile.TemporaryDirectory(prefix="mwx-lvs-kernel-bench-") as work:
        vm = KernelVm(work)
        status = vm.run(GUEST.replace("{polls}", str(args.polls)), timeout=900)
        if status != 0:
            sys.exit(f"the guest failed ({status}):\n{vm.guest_log()}")
        print(f"Debian kernel {vm.release} under {vm.accel}; {args.polls} polls each")
        with open(os.path.join(vm.out_dir, "bench.txt")) as f:
            print(f.read(), end="")


if __name__ == "__main__":
    main()
