#pragma once
// What the agent is, whichever process it runs in: its configuration, the
// collectors on their own thread, the snapshots they publish, and the
// events they hand to the thread that owns net-snmp. The AgentX subagent
// (main.cpp) and the module loaded into snmpd (snmpd_module.cpp) each add
// only their side of net-snmp.

#include <memory>
#include <optional>
#include <string>

#include "agent/config_loader.hpp"
#include "agent/events/event_queue.hpp"
#include "agent/poll/poller.hpp"
#include "agent/snapshot/snapshot_store.hpp"
#include "agent/snmp/notifier.hpp"

namespace mwx {

class AgentCore {
 public:
  // Starts the collectors. `config_path` is what reload() reads again.
  AgentCore(std::string config_path, Configuration configuration);
  ~AgentCore();
  AgentCore(const AgentCore&) = delete;
  AgentCore& operator=(const AgentCore&) = delete;

  const SnapshotStore& store() const { return store_; }
  const std::string& config_path() const { return config_path_; }

  // The net-snmp thread watches this fd; when readable, call notify().
  int events_fd() const { return events_.fd(); }
  // On the net-snmp thread: sends what the collectors found, or holds it
  // while snmpd cannot forward it (`deliverable` false).
  void notify(bool deliverable);
  // On the net-snmp thread, once snmpd can forward notifications again.
  void deliver_held();

  // Reads config_path() again, or `path`, which on success becomes
  // config_path() (snmpd's mwagentxConfig changed). A file with errors, or
  // none, is logged, counted and rejected, and the running configuration
  // stays: then it returns nothing. Instances the new file leaves as they
  // were keep their state.
  std::optional<Config> reload();
  std::optional<Config> reload(const std::string& path);

 private:
  void count_lost_events(std::uint64_t lost);

  std::string config_path_;
  Config config_;
  SnapshotStore store_;
  EventQueue events_;  // before the poller, which pushes into it
  Poller poller_;
  Notifier notifier_;
  bool lost_logged_ = false;
};

// Logs each line of a multi-line error text as its own error line.
void log_errors(spdlog::logger& log, const std::string& errors);

}  // namespace mwx
