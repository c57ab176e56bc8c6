#!/usr/bin/env bash
# Installs everything mwagentx needs to build, test and run its demo on
# Debian 12, as root. Safe to run again: it only adds what is missing.
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libsnmp-dev libboost-dev libspdlog-dev libfmt-dev libgtest-dev googletest
  libnl-3-dev libnl-genl-3-dev  # IPVS over generic netlink (LVS traffic counters)
  snmpd snmp smitools
  memcached gearman-job-server gearman-tools
  ipvsadm  # the live LVS test creates services with it (where the kernel has IPVS)
  python3 python3-pytest
  strace valgrind  # benchmarks: system calls (bench/qmail_scan.py), instructions (bench/lvs_callgrind.py)
  clang-14 libfuzzer-14-dev libclang-rt-14-dev
  # Debian ships no IETF base MIBs (SNMPv2-SMI, SNMPv2-TC, ...: non-free), so
  # neither smilint nor snmpwalk could resolve MWAGENTX-MIB. erlang-snmp, in
  # main, carries them as text under /usr/lib/erlang/lib/snmp-*/mibs.
  erlang-snmp
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
