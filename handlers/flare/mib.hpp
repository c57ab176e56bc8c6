#pragma once
// MWAGENTX-MIB's Flare tables: which value goes to which column, typed.

#include <string_view>

#include "agent/mib/mib_catalog.hpp"
#include "agent/mib/row_writer.hpp"
#include "handlers/flare/collector.hpp"
#include "handlers/flare/sample.hpp"

namespace mwx::flare {

const Oid& instance_entry_oid();  // mwxFlareEntry
const Oid& node_entry_oid();      // mwxFlareNodeEntry

// A node gets a row only if its key is printable ASCII that keeps the OID
// under 128 sub-identifiers with a 32-byte instance name; others count in
// mwxFlareNodesNotIndexed.
inline constexpr std::size_t kMaxIndexedKeyLength = 80;
bool is_indexable(std::string_view node_key);
// Nodes of the map that get no row (mwxFlareNodesNotIndexed).
std::uint64_t nodes_not_indexed(const std::vector<Node>& nodes);

void write_instance_data(RowWriter& row, const Sample& sample, const ClusterHistory& history);
void write_node_rows(SnapshotBuilder& out, OidView name_index, std::string_view name, Snapshot::InstanceSlot instance,
                     const Sample& sample,
                     const ClusterHistory& history);

void describe(MibCatalog& catalog);

}  // namespace mwx::flare
