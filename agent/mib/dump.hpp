#pragma once
// Text forms of what the agent serves, for --dump and --list-objects.

#include <ostream>

#include "agent/mib/mib_catalog.hpp"
#include "agent/snapshot/snapshot.hpp"

namespace mwx {

// One line per value, as snmpwalk prints them:
// MWAGENTX-MIB::mwxMemcachedCurrConnections."sessions" = Gauge32: 3
void print_snapshot(const Snapshot& snapshot, const MibCatalog& catalog, std::ostream& out);

// One line per object: NAME OID TYPE
void print_catalog(const MibCatalog& catalog, std::ostream& out);

}  // namespace mwx
