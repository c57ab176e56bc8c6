#!/usr/bin/env bash
# Installs everything mwagentx needs to build, test and run its demo on
# Debian 12, as root. Safe to run again: it only adds what is missing.
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libsnmp-dev libboost-dev libspdlog-dev libfmt-dev libgtest-dev googletest
  snmpd snmp smitools
  memcached gearman-job-server gearman-tools
  python3 python3-pytest
  clang-14 libfuzzer-14-dev libclang-rt-14-dev
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

# Debian ships no IETF base MIBs (SNMPv2-SMI, SNMPv2-TC, ...: non-free), so
# neither smilint nor snmpwalk could resolve MWAGENTX-MIB. erlang-snmp, in
# main, carries them as text: unpack its MIBs without installing Erlang.
ietf=${MWX_IETF_MIBS:-/usr/local/share/mwagentx/ietf-mibs}
if [ ! -f "$ietf/SNMPv2-SMI.mib" ]; then
  echo "deps: unpacking the IETF base MIBs from erlang-snmp into $ietf"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download erlang-snmp >/dev/null 2>&1 || { apt-get update -qq && apt-get download erlang-snmp >/dev/null; })
  dpkg-deb -x "$work"/erlang-snmp_*.deb "$work/root"
  mkdir -p "$ietf"
  cp "$work"/root/usr/lib/erlang/lib/snmp-*/mibs/*.mib "$ietf/"
fi
