#!/usr/bin/env bash
# The demo of the README: installs what is missing, builds, starts a private
# snmpd, a memcached and a gearmand on loopback, a qmail queue tree, an IPVS
# procfs tree, a fake Flare cluster and mwagentx, puts some
# traffic on memcached and some jobs on gearmand, prints snmpwalk of
# MWAGENTX-MIB with names resolved, and stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scripts/deps.sh demo
scripts/build.sh >/dev/null

work=$(mktemp -d /tmp/mwagentx-demo.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {  # $1: tcp or udp
  python3 -c "import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1]=='udp' else socket.SOCK_STREAM); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])" "$1"
}
wait_for_file() { for _ in $(seq 100); do [ -e "$1" ] && return 0; sleep 0.1; done; echo "demo: $1 never appeared" >&2; exit 1; }

snmp_port=$(free_port udp)
mc_port=$(free_port tcp)
gm_port=$(free_port tcp)

cat > "$work/snmpd.conf" <<CONF
agentaddress udp:127.0.0.1:$snmp_port
master agentx
agentXSocket unix:$work/agentx.sock
agentXPerms 0660 0770
rocommunity public 127.0.0.1
dontLogTCPWrappersConnects yes
CONF
mkdir -p "$work/persist"
SNMP_PERSISTENT_DIR=$work/persist snmpd -f -Lf "$work/snmpd.log" -C -c "$work/snmpd.conf" \
  -p "$work/snmpd.pid" -m '' -I -smux &
pids+=($!)
memcached -u nobody -l 127.0.0.1 -p "$mc_port" -U 0 -m 64 &
pids+=($!)
gearmand --listen=127.0.0.1 --port="$gm_port" --log-file="$work/gearmand.log" --pid-file="$work/gearmand.pid" &
pids+=($!)
wait_for_file "$work/agentx.sock"
wait_for_file "$work/gearmand.pid"

echo "demo: putting traffic on memcached at 127.0.0.1:$mc_port"
exec 3<>"/dev/tcp/127.0.0.1/$mc_port"
for i in $(seq 1 40); do
  value=$(head -c $((i * 40)) /dev/zero | tr '\0' x)
  printf 'set key%d 0 0 %d\r\n%s\r\n' "$i" "${#value}" "$value" >&3
done
for i in $(seq 1 60); do printf 'get key%d\r\n' "$i" >&3; done
printf 'quit\r\n' >&3
cat <&3 >/dev/null
exec 3>&-

echo "demo: a worker for 'reverse', and 3 jobs for 'resize_image', which has none"
gearman -h 127.0.0.1 -p "$gm_port" -w -f reverse -- cat >/dev/null 2>&1 &
pids+=($!)
for i in 1 2 3; do gearman -h 127.0.0.1 -p "$gm_port" -b -f resize_image "image$i.jpg"; done

echo "demo: a qmail queue laid out as qmail makes it: 12 messages, 3 not yet preprocessed"
q="$work/qmail/queue"
for d in mess info local remote; do for i in $(seq 0 22); do mkdir -p "$q/$d/$i"; done; done
mkdir -p "$q/todo" "$q/bounce" "$q/intd"
for n in $(seq 100 111); do touch -d '-20 minutes' "$q/mess/$((n % 23))/$n"; done
for n in 109 110 111; do touch -d '-5 minutes' "$q/todo/$n"; done
for n in $(seq 100 108); do touch "$q/info/$((n % 23))/$n" "$q/remote/$((n % 23))/$n"; done

echo "demo: an IPVS procfs tree (the kernel's own format; this host may have no IPVS)"
cp -r "$root/handlers/lvs/fixtures/procfs" "$work/procfs"

echo "demo: a fake Flare cluster (Flare is not packaged for Debian): index server and three nodes"
coproc FLARE { exec python3 "$root/tests/tools/fake_flare_cluster.py"; }
pids+=($FLARE_PID)
read -r flare_port <&"${FLARE[0]}"

cat > "$work/mwagentx.conf" <<CONF
agentx_socket $work/agentx.sock
interval 5
timeout 1
memcached sessions 127.0.0.1:$mc_port
memcached offline  127.0.0.1:1
gearman   jobs     127.0.0.1:$gm_port
qmail     mail     $work/qmail
lvs       director source=procfs procfs=$work/procfs
flare     cluster  127.0.0.1:$flare_port
CONF
"$root/build/mwagentx" -f -c "$work/mwagentx.conf" 2>"$work/mwagentx.log" &
pids+=($!)

ietf=$(ls -d /usr/lib/erlang/lib/snmp-*/mibs | tail -1)  # IETF base MIBs, from erlang-snmp
mibs=(-M "$ietf:/usr/share/snmp/mibs:$root/mibs" -m SNMPv2-MIB:MWAGENTX-MIB)
for _ in $(seq 50); do
  snmpget -v2c -c public "${mibs[@]}" "127.0.0.1:$snmp_port" 'MWAGENTX-MIB::mwxMemcachedStatus."sessions"' 2>/dev/null \
    | grep -q 'up(1)' && break
  sleep 0.2
done

echo "demo: snmpwalk -v2c -c public 127.0.0.1:$snmp_port MWAGENTX-MIB::mwxMIB"
echo
snmpwalk -v2c -c public "${mibs[@]}" "127.0.0.1:$snmp_port" MWAGENTX-MIB::mwxMIB
echo
echo "demo: the slab table, with snmptable"
snmptable -v2c -c public "${mibs[@]}" -Cb -Ci "127.0.0.1:$snmp_port" MWAGENTX-MIB::mwxMemcachedSlabTable
echo
echo "demo: gearmand's function queues, with snmptable"
snmptable -v2c -c public "${mibs[@]}" -Cb -Ci "127.0.0.1:$snmp_port" MWAGENTX-MIB::mwxGearmanFunctionTable
echo
echo "demo: the qmail queue by name, as a Zabbix item would ask (replaces: extend qmail /var/qmail/bin/qmail-qstat)"
snmpget -v2c -c public "${mibs[@]}" "127.0.0.1:$snmp_port" 'MWAGENTX-MIB::mwxQmailQueueMessages."mail"' \
  'MWAGENTX-MIB::mwxQmailTodoMessages."mail"' 'MWAGENTX-MIB::mwxQmailOldestTodoAge."mail"'
echo
echo "demo: the Flare node map, with snmptable"
snmptable -v2c -c public "${mibs[@]}" -Cb -Ci "127.0.0.1:$snmp_port" MWAGENTX-MIB::mwxFlareNodeTable | cut -c1-150
echo
echo "demo: LVS virtual services, with snmptable"
snmptable -v2c -c public "${mibs[@]}" -Cb -Ci "127.0.0.1:$snmp_port" MWAGENTX-MIB::mwxLvsServiceTable
echo
echo "demo: mwagentx's log"
cat "$work/mwagentx.log"
