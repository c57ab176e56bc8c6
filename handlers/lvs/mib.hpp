#pragma once
// MWAGENTX-MIB's LVS tables: which value goes to which column, typed.

#include "agent/mib/mib_catalog.hpp"
#include "agent/mib/row_writer.hpp"
#include "handlers/lvs/sample.hpp"

namespace mwx::lvs {

const Oid& instance_entry_oid();     // mwxLvsEntry
const Oid& service_entry_oid();      // mwxLvsServiceEntry
const Oid& real_server_entry_oid();  // mwxLvsRealServerEntry

// Appends a service's index (protocol, address type, address, port,
// firewall mark) to `index`.
void append_service_index(Oid& index, const Service& service);

void write_instance_data(RowWriter& row, const Sample& sample);
// The service and real server rows; `name_index` is the encoded instance name.
void write_service_rows(SnapshotBuilder& out, OidView name_index, std::string_view name, Snapshot::InstanceSlot instance,
                        const Sample& sample);

// The readable labels of mwxLvsServiceLabel and mwxLvsRealServerLabel.
std::string service_label(const Service& service);
std::string real_server_label(const RealServer& real);

void describe(MibCatalog& catalog);

}  // namespace mwx::lvs
