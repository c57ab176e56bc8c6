// IpvsNetlinkClient: the I/O half of netlink.hpp.
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <functional>

#include "handlers/lvs/netlink.hpp"

namespace mwx::lvs {
namespace {

struct SocketCloser {
  void operator()(nl_sock* sock) const { nl_socket_free(sock); }
};
struct MessageFree {
  void operator()(nl_msg* msg) const { nlmsg_free(msg); }
};
using Socket = std::unique_ptr<nl_sock, SocketCloser>;
using Message = std::unique_ptr<nl_msg, MessageFree>;

// Runs `on_message` for each message of the reply; a false return (after
// it set `error`) stops reading.
struct Receiver {
  std::function<bool(nl_msg*)> on_message;
  bool stopped = false;

  static int callback(nl_msg* message, void* self) {
    auto* receiver = static_cast<Receiver*>(self);
    if (receiver->stopped || !receiver->on_message(message)) {
      receiver->stopped = true;
      return NL_STOP;
    }
    return NL_OK;
  }
};

}  // namespace

struct IpvsNetlinkClient::Impl {
  Socket sock;
  int family = -1;

  bool fail(NetlinkError& error, NetlinkFailure kind, std::string message) {
    error = {kind, std::move(message)};
    return false;
  }

  bool bound_receives(std::chrono::steady_clock::time_point deadline, NetlinkError& error) {
    const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return fail(error, NetlinkFailure::other, "netlink: no time left in the poll");
    timeval tv{static_cast<time_t>(left.count() / 1000000), static_cast<suseconds_t>(left.count() % 1000000)};
    setsockopt(nl_socket_get_fd(sock.get()), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return true;
  }

  // Sends `request` and feeds each reply message to `on_message`.
  bool exchange(nl_msg* request, std::chrono::steady_clock::time_point deadline,
                const std::function<bool(nl_msg*)>& on_message, std::string& decode_error, NetlinkError& error) {
    if (!bound_receives(deadline, error)) return false;
    Receiver receiver{on_message};
    nl_socket_modify_cb(sock.get(), NL_CB_VALID, NL_CB_CUSTOM, &Receiver::callback, &receiver);
    int rc = nl_send_auto(sock.get(), request);
    if (rc >= 0) rc = nl_recvmsgs_default(sock.get());
    if (!decode_error.empty()) return fail(error, NetlinkFailure::other, "netlink: " + decode_error);
    if (rc == -NLE_PERM) {
      return fail(error, NetlinkFailure::not_permitted, "netlink: IPVS answers only with CAP_NET_ADMIN");
    }
    if (rc < 0) return fail(error, NetlinkFailure::other, std::string("netlink: ") + nl_geterror(rc));
    return true;
  }

  Message request(int command, int flags) {
    Message msg(nlmsg_alloc());
    if (msg) genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, command, IPVS_GENL_VERSION);
    return msg;
  }

  // A fresh socket per poll, so that no state survives a failed one, and
  // IPVS's generic netlink family.
  bool connect(std::chrono::steady_clock::time_point deadline, NetlinkError& error) {
    sock.reset(nl_socket_alloc());
    if (!sock) return fail(error, NetlinkFailure::other, "netlink: out of memory");
    nl_socket_disable_auto_ack(sock.get());
    if (int rc = genl_connect(sock.get()); rc < 0) {
      return fail(error, NetlinkFailure::other, std::string("netlink: ") + nl_geterror(rc));
    }
    if (!bound_receives(deadline, error)) return false;
    family = genl_ctrl_resolve(sock.get(), IPVS_GENL_NAME);
    if (family < 0) return fail(error, NetlinkFailure::no_ipvs, "netlink: the kernel has no IPVS family");
    return true;
  }

  // A GET command answered by one message, decoded by `decode` into `into`.
  template <class Decoded>
  bool read_one(int command, const char* name, Result<Decoded> (*decode)(nl_msg*), Decoded& into,
                std::chrono::steady_clock::time_point deadline, NetlinkError& error) {
    std::string decode_error;
    bool answered = false;
    const auto on_reply = [&](nl_msg* msg) {
      auto decoded = decode(msg);
      if (!decoded) decode_error = decoded.error();
      else into = decoded.value(), answered = true;
      return decoded.ok();
    };
    if (!exchange(request(command, 0).get(), deadline, on_reply, decode_error, error)) return false;
    if (!answered) return fail(error, NetlinkFailure::other, std::string("netlink: no answer to ") + name);
    return true;
  }

  // A dump of one message per running daemon; none when none runs.
  bool read_daemons(std::chrono::steady_clock::time_point deadline, NetlinkTable& out, NetlinkError& error) {
    std::string decode_error;
    const auto on_daemon = [&](nl_msg* msg) {
      auto decoded = decode_daemon_message(msg, out.sync);
      if (!decoded) decode_error = decoded.error();
      return decoded.ok();
    };
    return exchange(request(IPVS_CMD_GET_DAEMON, NLM_F_DUMP).get(), deadline, on_daemon, decode_error, error);
  }

  // The services, and the address family of each (which GET_DEST names).
  bool read_services(std::chrono::steady_clock::time_point deadline, NetlinkTable& out, std::vector<int>& families,
                     NetlinkError& error) {
    std::string decode_error;
    const auto on_service = [&](nl_msg* msg) {
      int af = 0;
      auto service = decode_service_message(msg, &af);
      if (!service) decode_error = service.error();
      else out.services.push_back(std::move(service).value()), families.push_back(af);
      return service.ok();
    };
    return exchange(request(IPVS_CMD_GET_SERVICE, NLM_F_DUMP).get(), deadline, on_service, decode_error, error);
  }

  bool read_real_servers(std::chrono::steady_clock::time_point deadline, Service& service, int af,
                         NetlinkError& error) {
    std::string decode_error;
    const auto on_dest = [&](nl_msg* msg) {
      auto real = decode_dest_message(msg, af);
      if (!real) decode_error = real.error();
      else service.real_servers.push_back(std::move(real).value());
      return real.ok();
    };
    return exchange(dests_request(service, af).get(), deadline, on_dest, decode_error, error);
  }

  // GET_DEST for one service, which it names by its family and either its
  // firewall mark or its protocol, address and port.
  Message dests_request(const Service& service, int af) {
    Message msg = request(IPVS_CMD_GET_DEST, NLM_F_DUMP);
    nlattr* nested = nla_nest_start(msg.get(), IPVS_CMD_ATTR_SERVICE);
    nla_put_u16(msg.get(), IPVS_SVC_ATTR_AF, static_cast<std::uint16_t>(af));
    if (service.protocol == Protocol::fwmark) {
      nla_put_u32(msg.get(), IPVS_SVC_ATTR_FWMARK, service.fwmark);
    } else {
      const std::uint16_t protocol = service.protocol == Protocol::tcp   ? IPPROTO_TCP
                                     : service.protocol == Protocol::udp ? IPPROTO_UDP
                                                                         : IPPROTO_SCTP;
      nla_put_u16(msg.get(), IPVS_SVC_ATTR_PROTOCOL, protocol);
      char address[16] = {};
      std::copy(service.address.octets.begin(), service.address.octets.end(), address);
      nla_put(msg.get(), IPVS_SVC_ATTR_ADDR, sizeof address, address);
      nla_put_u16(msg.get(), IPVS_SVC_ATTR_PORT, htons(service.port));
    }
    nla_nest_end(msg.get(), nested);
    return msg;
  }
};

IpvsNetlinkClient::IpvsNetlinkClient() : impl_(std::make_unique<Impl>()) {}
IpvsNetlinkClient::~IpvsNetlinkClient() = default;

bool IpvsNetlinkClient::read(std::chrono::steady_clock::time_point deadline, NetlinkTable& out, NetlinkError& error) {
  Impl& n = *impl_;
  std::vector<int> families;
  if (!n.connect(deadline, error) ||
      !n.read_one(IPVS_CMD_GET_INFO, "GET_INFO", &decode_info_message, out.info, deadline, error) ||
      !n.read_one(IPVS_CMD_GET_CONFIG, "GET_CONFIG", &decode_config_message, out.timeouts, deadline, error) ||
      !n.read_daemons(deadline, out, error) || !n.read_services(deadline, out, families, error)) {
    return false;
  }
  for (std::size_t i = 0; i < out.services.size(); ++i) {
    if (!n.read_real_servers(deadline, out.services[i], families[i], error)) return false;
  }
  n.sock.reset();
  return true;
}

}  // namespace mwx::lvs
