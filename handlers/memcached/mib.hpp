#pragma once
// MWAGENTX-MIB's memcached tables: which value goes to which column, typed.

#include "agent/mib/mib_catalog.hpp"
#include "agent/mib/row_writer.hpp"
#include "handlers/memcached/sample.hpp"

namespace mwx::memcached {

const Oid& instance_entry_oid();  // mwxMemcachedEntry
const Oid& slab_entry_oid();      // mwxMemcachedSlabEntry
const Oid& listener_entry_oid();  // mwxMemcachedListenerEntry

// The data columns of an up instance's row in mwxMemcachedTable.
void write_instance_data(RowWriter& row, const Sample& sample);
// Its rows in mwxMemcachedSlabTable; `name_index` is the encoded instance name.
void write_slab_rows(SnapshotBuilder& out, OidView name_index, std::string_view name, Snapshot::InstanceSlot instance,
                     const Sample& sample);

// Its rows in mwxMemcachedListenerTable, with conns=on.
void write_listener_rows(SnapshotBuilder& out, OidView name_index, std::string_view name,
                         Snapshot::InstanceSlot instance, const Sample& sample);

void describe(MibCatalog& catalog);

}  // namespace mwx::memcached
