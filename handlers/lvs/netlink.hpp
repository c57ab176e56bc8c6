#pragma once
// IPVS over generic netlink (family "IPVS", libnl-genl-3): per service and
// per real server 64-bit traffic counters and rates, which procfs lacks.
// The kernel answers only a process with CAP_NET_ADMIN.
//
// Decoding is pure (a message's attributes in, typed values or an error
// out) and tested on messages built with libnl's own constructors; the
// client does the I/O.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "agent/base/result.hpp"
#include "handlers/lvs/sample.hpp"

struct nl_msg;

namespace mwx::lvs {

// One IPVS_CMD_NEW_SERVICE message of a service dump (the service's
// attributes, nested in IPVS_CMD_ATTR_SERVICE), without real servers.
// `kernel_family` receives the service's AF_INET or AF_INET6 (a
// firewall-mark service has one too, though it has no address).
Result<Service> decode_service_message(nl_msg* message, int* kernel_family = nullptr);
// One IPVS_CMD_NEW_DEST message of a destination dump; `service_family`
// (AF_INET or AF_INET6) is the address family of a destination whose
// message does not carry its own (kernels before 5.x).
Result<RealServer> decode_dest_message(nl_msg* message, int service_family);

struct IpvsInfo {
  std::string version;  // "1.2.1"
  std::uint64_t conn_table_size = 0;
};
// The reply to IPVS_CMD_GET_INFO.
Result<IpvsInfo> decode_info_message(nl_msg* message);

// The reply to IPVS_CMD_GET_CONFIG: the connection timeouts.
Result<KernelTimeouts> decode_config_message(nl_msg* message);

// One IPVS_CMD_NEW_DAEMON message of a GET_DAEMON dump, into `daemons`
// by its state (master or backup).
Result<bool> decode_daemon_message(nl_msg* message, SyncDaemons& daemons);

// Why a netlink read failed: the caller falls back to procfs on some.
enum class NetlinkFailure { no_ipvs, not_permitted, other };

struct NetlinkError {
  NetlinkFailure kind;
  std::string message;
};

struct NetlinkTable {
  IpvsInfo info;
  KernelTimeouts timeouts;
  SyncDaemons sync;
  std::vector<Service> services;  // with their real servers, in the kernel's order
};

// Reads everything in one go; every receive is bounded by `deadline`.
class IpvsNetlinkClient {
 public:
  IpvsNetlinkClient();
  ~IpvsNetlinkClient();
  IpvsNetlinkClient(const IpvsNetlinkClient&) = delete;
  IpvsNetlinkClient& operator=(const IpvsNetlinkClient&) = delete;

  // On failure, `error` says why.
  bool read(std::chrono::steady_clock::time_point deadline, NetlinkTable& out, NetlinkError& error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mwx::lvs
