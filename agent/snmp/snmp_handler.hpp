#pragma once
// The one net-snmp handler for the whole mwxMIB subtree: answers GET and
// GETNEXT from the current snapshot, never from a backend. It assumes
// nothing about the process it runs in: the subagent and the module loaded
// into snmpd register the same handler.

#include "agent/mib/mib_catalog.hpp"
#include "agent/snapshot/snapshot_store.hpp"

namespace mwx {

// What the handler reads: the snapshots, and the catalog that tells a GET
// of an object without that row (noSuchInstance) from a GET of no object
// at all (noSuchObject). Both must outlive the registration.
struct HandlerContext {
  const SnapshotStore& store;
  const MibCatalog& catalog;
  // Where the last GETNEXT ended: the next one of a walk goes on from there
  // (only the net-snmp thread calls the handler).
  mutable Snapshot::Cursor walk = {};
};

// Registers the handler on mwxMIB with net-snmp's agent library; call on
// the thread that owns net-snmp, after init_agent(). False on failure.
bool register_snapshot_handler(const HandlerContext& context);
void unregister_snapshot_handler();

// mwxMIB's entry in sysORTable, the same from a subagent and from snmpd.
void register_sysor_entry();
void unregister_sysor_entry();

}  // namespace mwx
