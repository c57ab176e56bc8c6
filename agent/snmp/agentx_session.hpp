#pragma once
// The AgentX side of the agent, in one place: net-snmp set up as a
// subagent, the connection to snmpd's master (connect, ping, reconnect,
// each change logged once), and the event loop of the thread that owns
// net-snmp. net-snmp's headers stay inside agentx_session.cpp.

#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <string>

#include "agent/mib/mib_catalog.hpp"
#include "agent/snapshot/snapshot_store.hpp"

namespace mwx {

struct AgentxOptions {
  std::string socket;                   // "unix:/path", "/path" or "tcp:HOST:PORT"
  std::chrono::seconds ping_interval;  // also the reconnect period
};

class AgentxSession {
 public:
  // Throws std::runtime_error when net-snmp cannot be set up; a master that
  // is not there yet is not an error: the session retries. `catalog` must
  // outlive the session.
  AgentxSession(const AgentxOptions& options, const SnapshotStore& store, const MibCatalog& catalog);
  ~AgentxSession();
  AgentxSession(const AgentxSession&) = delete;
  AgentxSession& operator=(const AgentxSession&) = delete;

  // Calls `on_readable` from process_events() whenever `fd` is readable.
  void watch_readable(int fd, std::function<void()> on_readable);
  // Whether the master has mwxMIB registered: only then does it forward
  // notifications (net-snmp drops them silently otherwise).
  bool registered() const;
  // Called from process_events() after each successful (re)registration.
  void on_registered(std::function<void()> callback);
  // Waits for and handles AgentX traffic, timers and watched fds once.
  void process_events();

 private:
  struct Handler;
  std::unique_ptr<Handler> handler_;
  std::list<std::function<void()>> on_readable_;  // a list: net-snmp keeps pointers to them
};

}  // namespace mwx
