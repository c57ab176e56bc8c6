#pragma once
// The one net-snmp handler for the whole mwxMIB subtree: answers GET and
// GETNEXT from the current snapshot, never from a backend. It assumes
// nothing about the process it runs in, so the same code can later be
// loaded into snmpd itself (dlmod).

#include "agent/snapshot_store.hpp"

namespace mwx {

// Registers the handler on mwxMIB with net-snmp's agent library; call on
// the thread that owns net-snmp, after init_agent(). False on failure.
bool register_snapshot_handler(const SnapshotStore& store);

}  // namespace mwx
