#pragma once
// MWAGENTX-MIB's gearmand tables: which value goes to which column, typed.

#include <string_view>

#include "agent/mib/mib_catalog.hpp"
#include "agent/mib/row_writer.hpp"
#include "handlers/gearman/sample.hpp"

namespace mwx::gearman {

const Oid& instance_entry_oid();  // mwxGearmanEntry
const Oid& function_entry_oid();  // mwxGearmanFunctionEntry

// A function gets a row only if its name can be an index that every client
// can address: 1 to 80 bytes (the OID stays under 128 sub-identifiers) of
// printable ASCII. Other functions count in mwxGearmanFunctionsNotIndexed
// and in the instance's job totals.
inline constexpr std::size_t kMaxIndexedNameLength = 80;
bool is_indexable(std::string_view function_name);
// Functions of the sample that get no row (mwxGearmanFunctionsNotIndexed).
std::uint64_t functions_not_indexed(const Sample& sample);

// The data columns of an up instance's row in mwxGearmanTable, and its
// rows in mwxGearmanFunctionTable; `name_index` is the encoded instance name.
void write_instance_data(RowWriter& row, const Sample& sample);
void write_function_rows(SnapshotBuilder& out, OidView name_index, std::string_view name, Snapshot::InstanceSlot instance,
                         const Sample& sample);

void describe(MibCatalog& catalog);

}  // namespace mwx::gearman
