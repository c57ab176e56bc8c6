#!/usr/bin/env bash
# Installs what mwagentx needs on Debian 12, as root. Safe to run again: it
# only adds what is missing.
#   scripts/deps.sh demo    what the demo needs: the build, snmpd and the
#                           clients, the backends it starts, the IETF MIBs
#   scripts/deps.sh         all that, and what the tests need besides
set -euo pipefail
cd "$(dirname "$0")/.."

demo=(
  cmake g++ make pkg-config
  libsnmp-dev libboost-dev libspdlog-dev libfmt-dev libgtest-dev googletest  # the build builds the unit tests too
  snmpd snmp
  python3
  # Debian ships no IETF base MIBs (SNMPv2-SMI, SNMPv2-TC, ...: non-free), so
  # neither smilint nor snmpwalk could resolve MWAGENTX-MIB. erlang-snmp, in
  # main, carries them as text under /usr/lib/erlang/lib/snmp-*/mibs.
  erlang-snmp
)
# Each subsystem lists what it needs itself, in handlers/<subsystem>/packages:
# the demo starts those backends too.
for list in handlers/*/packages; do
  read -r -a listed <<<"$(sed 's/#.*//' "$list" | tr '\n' ' ')"
  demo+=("${listed[@]}")
done

tests=(
  snmptrapd smitools
  python3-pytest
  man-db groff-base  # the man pages' test renders them with man --warnings
  libsnmp-perl python3-pysnmp4  # the client recipes of docs/clients.md, run by a test
  rpm rpmlint debhelper dpkg-dev lintian systemd  # the packages' test: build, lint, systemd-analyze verify
  git  # the packages' test lists the tree's files as a checkout has them
  # The Zabbix templates' test: a private Zabbix 6.0 server and PostgreSQL
  # cluster in a temp dir (installing them also starts Debian's own
  # services, which the test never uses); the generator reads YAML specs.
  zabbix-server-pgsql zabbix-frontend-php php-pgsql php-cli postgresql python3-yaml
  # The Cacti templates' test: a private Cacti 1.2 and MariaDB in a temp dir
  # (installing mariadb-server also starts Debian's own, which it never uses).
  cacti mariadb-server rrdtool php-mysql php-snmp
  strace valgrind  # benchmarks: system calls (bench/qmail_scan.py), instructions (bench/lvs_callgrind.py)
  clang-14 libfuzzer-14-dev libclang-rt-14-dev
  # The Prometheus files' test: Debian's snmp_exporter (and its generator)
  # and Prometheus with promtool, on loopback ports (installing them also
  # starts Debian's own services where systemd runs; the test never uses them).
  prometheus-snmp-exporter prometheus
  # The real kernel's IPVS test boots Debian's own kernel (downloaded below,
  # never installed) under qemu, from an initramfs of static busybox.
  qemu-system-x86 busybox-static kmod cpio
)

case "${1:-tests}" in
  demo) packages=("${demo[@]}") ;;
  tests) packages=("${demo[@]}" "${tests[@]}") ;;
  *) echo "usage: scripts/deps.sh [demo|tests]" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Cacti's package would set up a database and a web server: neither.
  debconf-set-selections <<'PRESEED'
cacti cacti/dbconfig-install boolean false
cacti cacti/webserver select None
PRESEED
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's current kernel package for the tests' VM
# (tests/integration/kernel_vm.py), fetched into a cache, not installed.
if [ "${1:-tests}" = tests ]; then
  kernel_cache=/var/cache/mwagentx-tests/kernel
  current_kernel() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}'; }
  kernel=$(current_kernel)
  if [ -z "$kernel" ]; then
    apt-get update -qq
    kernel=$(current_kernel)
  fi
  if [ -z "$kernel" ]; then
    echo "deps: Debian's archive names no linux-image-amd64 kernel" >&2
    exit 1
  fi
  if ! ls "$kernel_cache/${kernel}"_*.deb >/dev/null 2>&1; then
    mkdir -p "$kernel_cache"
    echo "deps: downloading $kernel into $kernel_cache"
    (cd "$kernel_cache" && apt-get download -qq "$kernel" 2>/dev/null)
  fi
fi
