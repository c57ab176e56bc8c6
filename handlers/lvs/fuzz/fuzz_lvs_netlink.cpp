// IPVS generic netlink messages: the input is the attribute payload of a
// service, destination, info, config or daemon message (first byte picks
// which).
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <cstdint>

#include "handlers/lvs/netlink.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 65536) return 0;
  nl_msg* msg = nlmsg_alloc_size(size + 4096);
  if (msg == nullptr) return 0;
  const int which = data[0] % 5;
  constexpr int kCommands[] = {IPVS_CMD_NEW_SERVICE, IPVS_CMD_NEW_DEST, IPVS_CMD_SET_INFO, IPVS_CMD_SET_CONFIG,
                               IPVS_CMD_NEW_DAEMON};
  const int command = kCommands[which];
  genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0x20, 0, 0, command, IPVS_GENL_VERSION);
  if (nlmsg_append(msg, const_cast<std::uint8_t*>(data + 1), size - 1, 0) == 0) {
    if (which == 0) {
      (void)mwx::lvs::decode_service_message(msg);
    } else if (which == 1) {
      (void)mwx::lvs::decode_dest_message(msg, AF_INET6);
    } else if (which == 2) {
      (void)mwx::lvs::decode_info_message(msg);
    } else if (which == 3) {
      (void)mwx::lvs::decode_config_message(msg);
    } else {
      mwx::lvs::SyncDaemons daemons;
      (void)mwx::lvs::decode_daemon_message(msg, daemons);
    }
  }
  nlmsg_free(msg);
  return 0;
}
