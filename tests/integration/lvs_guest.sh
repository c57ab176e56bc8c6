# Runs as root inside the VM of test_lvs_kernel.py (dash; the host's /usr
# and the source tree are shared read-only, /out carries results back):
# real IPVS services made with ipvsadm, real TCP (IPv4 and IPv6) and UDP
# traffic from a client namespace through the director to real servers in
# another, then mwagentx behind a private snmpd, and ipvsadm's own views
# captured around every reading of the agent. The host compares them.
# Set by the host before this: AGENT (the agent's path in the guest) and
# MIBDIRS (snmpwalk's -M).
set -eu

log() { echo "guest: $(date +%T) $*"; }
poll_interval=3

modprobe -a -d /kernel ip_vs ip_vs_rr ip_vs_wlc ip_vs_lc ip_vs_sh ip_vs_wrr veth
echo 1 > /proc/sys/net/ipv4/ip_forward
echo 1 > /proc/sys/net/ipv6/conf/all/forwarding
ip link set lo up

log "networks: client 198.51.100.0/24 2001:db8:1::/64, real servers 203.0.113.0/24 2001:db8:2::/64"
ip netns add client
ip netns add real
ip link add d0 type veth peer name c0 netns client
ip link add d1 type veth peer name r0 netns real
ip addr add 198.51.100.1/24 dev d0
ip -6 addr add 2001:db8:1::1/64 dev d0 nodad
ip addr add 203.0.113.1/24 dev d1
ip -6 addr add 2001:db8:2::1/64 dev d1 nodad
ip link set d0 up
ip link set d1 up
ip addr add 192.0.2.10/32 dev lo
ip addr add 192.0.2.12/32 dev lo
ip -6 addr add 2001:db8:10::10/128 dev lo
ip netns exec client sh -e -c '
  ip link set lo up; ip link set c0 up
  ip addr add 198.51.100.2/24 dev c0; ip -6 addr add 2001:db8:1::2/64 dev c0 nodad
  ip route add default via 198.51.100.1; ip -6 route add default via 2001:db8:1::1'
ip netns exec real sh -e -c '
  ip link set lo up; ip link set r0 up
  ip addr add 203.0.113.18/24 dev r0; ip addr add 203.0.113.34/24 dev r0
  ip -6 addr add 2001:db8:2::2/64 dev r0 nodad; ip -6 addr add 2001:db8:2::3/64 dev r0 nodad
  ip route add default via 203.0.113.1; ip -6 route add default via 2001:db8:2::1'

log "real servers: TCP echo on port 80 (IPv4 and IPv6), UDP echo on port 53"
ip netns exec real /usr/bin/python3 -c '
import socket, threading
def tcp():
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", 80)); s.listen(64)
    while True:
        c, _ = s.accept(); c.sendall(c.recv(4096) * 4); c.close()
def udp():
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", 53))
    while True:
        data, peer = s.recvfrom(4096); s.sendto(data * 2, peer)
threading.Thread(target=udp, daemon=True).start()
tcp()' &

log "services"
# IPv4 TCP and UDP (one-packet scheduling), IPv6 TCP, masquerading, weight 0.
ipvsadm -A -t 192.0.2.10:80 -s wlc
ipvsadm -a -t 192.0.2.10:80 -r 203.0.113.18:80 -m -w 3
ipvsadm -a -t 192.0.2.10:80 -r 203.0.113.34:80 -m -w 1 -x 100 -y 10
ipvsadm -A -u 192.0.2.10:53 -s rr -o
ipvsadm -a -u 192.0.2.10:53 -r 203.0.113.18:53 -m -w 1
ipvsadm -a -u 192.0.2.10:53 -r 203.0.113.34:53 -m -w 1
ipvsadm -A -t '[2001:db8:10::10]:80' -s rr
ipvsadm -a -t '[2001:db8:10::10]:80' -r '[2001:db8:2::2]:80' -m -w 2
ipvsadm -a -t '[2001:db8:10::10]:80' -r '[2001:db8:2::3]:80' -m -w 1
ipvsadm -a -t '[2001:db8:10::10]:80' -r '[2001:db8:2::4]:80' -m -w 0
# Persistence: an IPv4 netmask, IPv6 prefixes 128 (the default), 64 and 48;
# route and tunnel forwarding; thresholds.
ipvsadm -A -t 192.0.2.11:443 -s lc -p 120 -M 255.255.255.0
ipvsadm -a -t 192.0.2.11:443 -r 198.51.100.50:443 -g -w 5
ipvsadm -a -t 192.0.2.11:443 -r 198.51.100.51:443 -i -w 7 -x 500 -y 200
ipvsadm -A -t '[2001:db8:10::10]:443' -s sh -p 300
ipvsadm -a -t '[2001:db8:10::10]:443' -r '[2001:db8:2::2]:443' -m -w 1
ipvsadm -A -t '[2001:db8:10::10]:8443' -s wrr -p 60 -M 64
ipvsadm -a -t '[2001:db8:10::10]:8443' -r '[2001:db8:2::2]:8443' -m -w 0
# The same firewall mark in IPv4 and IPv6; an IPv6 mark with a /48 prefix.
ipvsadm -A -f 5 -s wrr
ipvsadm -a -f 5 -r 203.0.113.18 -g -w 2
ipvsadm -A -f 5 -6 -s lc
ipvsadm -a -f 5 -6 -r 2001:db8:2::2 -g -w 4
ipvsadm -A -f 7 -6 -s rr -p 30 -M 48
# SCTP.
ipvsadm -A --sctp-service 192.0.2.12:3868 -s rr
ipvsadm -a --sctp-service 192.0.2.12:3868 -r 203.0.113.18:3868 -m -w 9
# One service with 2,000 real servers, restored in one go.
{
  echo "-A -t 192.0.2.20:80 -s wlc"
  host=30
  while [ $host -lt 230 ]; do
    port=8000
    while [ $port -lt 8010 ]; do
      echo "-a -t 192.0.2.20:80 -r 192.0.2.$host:$port -m -w $(( (host + port) % 5 ))"
      port=$((port + 1))
    done
    host=$((host + 1))
  done
} | ipvsadm -R

log "kernel timeouts and sync daemons: a master on d0, a backup on d1"
ipvsadm --set 901 121 301
ipvsadm --start-daemon master --mcast-interface d0 --syncid 7
ipvsadm --start-daemon backup --mcast-interface d1 --syncid 9

log "traffic through the director"
ip netns exec client /usr/bin/python3 -c '
import socket
for target, family in (("192.0.2.10", socket.AF_INET), ("2001:db8:10::10", socket.AF_INET6)):
    for i in range(24):
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(5); s.connect((target, 80)); s.sendall(b"hello %d" % i)
            while s.recv(4096): pass
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    s.settimeout(5)
    for i in range(12):
        s.sendto(b"query %d" % i, ("192.0.2.10", 53)); s.recv(4096)
print("traffic done")'
sleep 4  # the kernel's rate estimator runs every 2 s

log "snmpd and the agent (netlink), polling every $poll_interval s"
mkdir -p /run/persist /run/agent
cat > /run/snmpd.conf <<EOF
agentaddress udp:127.0.0.1:161
master agentx
agentXSocket unix:/run/agentx.sock
rocommunity public 127.0.0.1
dontLogTCPWrappersConnects yes
EOF
SNMP_PERSISTENT_DIR=/run/persist snmpd -f -Lf /out/snmpd.log -C -c /run/snmpd.conf -p /run/snmpd.pid -m '' -I -smux &
for source in netlink procfs auto; do
  cat > /run/agent/$source.conf <<EOF
agentx_socket /run/agentx.sock
agentx_ping_interval 1
interval $poll_interval
timeout 2
event_holdoff 0
lvs lb source=$source conn_interval=$poll_interval
EOF
done
chmod 755 /run/agent && chmod 644 /run/agent/*.conf
while [ ! -S /run/agentx.sock ]; do sleep 0.2; done
"$AGENT" -f -c /run/agent/netlink.conf 2> /out/agent.log &
agent=$!
snmp() {  # TOOL [OPTIONS] OID: as the tests' clients ask snmpd
  tool=$1
  shift
  "$tool" -v2c -c public -M "$MIBDIRS" -m SNMPv2-MIB:MWAGENTX-MIB "$@"
}
until snmp snmpget 127.0.0.1 'MWAGENTX-MIB::mwxLvsStatus."lb"' 2>/dev/null | grep -q 'up(1)'; do sleep 0.5; done

ipvsadm_views() {  # $1: a prefix for the files
  ipvsadm -Ln --exact > /out/$1-list.txt
  ipvsadm -Ln --stats --exact > /out/$1-stats.txt
  ipvsadm -Ln --rate --exact > /out/$1-rate.txt
  ipvsadm -Ln --persistent-conn > /out/$1-persistent.txt
  ipvsadm -Ln --thresholds > /out/$1-thresholds.txt
  cat /proc/net/ip_vs_stats > /out/$1-ip_vs_stats.txt
  ipvsadm -Lnc > /out/$1-connections.txt
  ipvsadm -L --timeout > /out/$1-timeout.txt
  ipvsadm -L --daemon > /out/$1-daemon.txt
}
walk() {  # $1: a file name; the rest: what to walk through snmpd
  out=/out/$1.txt
  shift
  : > $out
  for table in "$@"; do snmp snmpbulkwalk -Cr50 127.0.0.1 "MWAGENTX-MIB::$table" >> $out; done
}
# After the first walk of everything, the instance and the services will
# do (a walk through AgentX under emulation costs about 1 ms a value).
short_walk() { walk "$1" mwxLvsTable mwxLvsServiceTable mwxEventTable; }

log "the agent's readings, each between two captures of ipvsadm's"
sleep $((poll_interval * 2))  # a poll since the traffic stopped
ipvsadm_views before
"$AGENT" --dump -c /run/agent/netlink.conf > /out/dump-netlink.txt
ipvsadm_views after
# The rest holds still since the traffic stopped (the rates aside).
walk walk mwxLvs
"$AGENT" --dump -c /run/agent/procfs.conf > /out/dump-procfs.txt
# As an unprivileged user: no CAP_NET_ADMIN, so source=auto reads procfs.
setpriv --reuid=65534 --regid=65534 --clear-groups "$AGENT" --dump -c /run/agent/auto.conf > /out/dump-nobody.txt

log "counters zeroed"
ipvsadm -Z
sleep $((poll_interval * 2))
ipvsadm -Ln --stats --exact > /out/zeroed-stats.txt
short_walk walk-zeroed

log "a service deleted, then added again"
ipvsadm -D -t 192.0.2.10:80
sleep $((poll_interval * 2))
short_walk walk-deleted
ipvsadm -A -t 192.0.2.10:80 -s wlc
ipvsadm -a -t 192.0.2.10:80 -r 203.0.113.18:80 -m -w 3
sleep $((poll_interval * 2))
short_walk walk-readded

log "the agent reading procfs, through snmpd"
kill $agent
wait $agent
"$AGENT" -f -c /run/agent/procfs.conf 2> /out/agent-procfs.log &
sleep $((poll_interval * 2))
ipvsadm -Ln --exact > /out/final-list.txt
walk walk-procfs mwxLvsTable mwxLvsServiceTable
log "done"
