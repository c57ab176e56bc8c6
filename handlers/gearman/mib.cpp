#include "handlers/gearman/mib.hpp"

#include <algorithm>

#include "agent/base/text_values.hpp"
#include "agent/mib/mib_root.hpp"

namespace mwx::gearman {
namespace {

constexpr OidArc kMwxGearman = 3;  // mwxObjects.3

// mwxGearmanEntry beyond the columns every instance table has.
constexpr Column kVersion{6, "mwxGearmanVersion", SnmpType::OctetString};
constexpr Column kFunctions{7, "mwxGearmanFunctions", SnmpType::Gauge32};
constexpr Column kTotalJobs{8, "mwxGearmanTotalJobs", SnmpType::Gauge32};
constexpr Column kRunningJobs{9, "mwxGearmanRunningJobs", SnmpType::Gauge32};
constexpr Column kWaitingJobs{10, "mwxGearmanWaitingJobs", SnmpType::Gauge32};
constexpr Column kWorkerConnections{11, "mwxGearmanWorkerConnections", SnmpType::Gauge32};
constexpr Column kStarvedFunctions{12, "mwxGearmanStarvedFunctions", SnmpType::Gauge32};
constexpr Column kFunctionsNotIndexed{13, "mwxGearmanFunctionsNotIndexed", SnmpType::Gauge32};
constexpr const Column* kInstanceColumns[] = {&kVersion,          &kFunctions,   &kTotalJobs,
                                              &kRunningJobs,      &kWaitingJobs, &kWorkerConnections,
                                              &kStarvedFunctions, &kFunctionsNotIndexed};

// mwxGearmanFunctionEntry: 1 is the index (the function name).
constexpr Column kTotal{2, "mwxGearmanFunctionTotal", SnmpType::Gauge32};
constexpr Column kRunning{3, "mwxGearmanFunctionRunning", SnmpType::Gauge32};
constexpr Column kWaiting{4, "mwxGearmanFunctionWaiting", SnmpType::Gauge32};
constexpr Column kAvailableWorkers{5, "mwxGearmanFunctionAvailableWorkers", SnmpType::Gauge32};
constexpr Column kLabel{6, "mwxGearmanFunctionLabel", SnmpType::OctetString};
constexpr const Column* kFunctionColumns[] = {&kTotal, &kRunning, &kWaiting, &kAvailableWorkers, &kLabel};

}  // namespace

const Oid& instance_entry_oid() {
  static const Oid oid = concat(mwx_objects(kMwxGearman), {1, 1});
  return oid;
}

const Oid& function_entry_oid() {
  static const Oid oid = concat(mwx_objects(kMwxGearman), {2, 1});
  return oid;
}

bool is_indexable(std::string_view name) { return is_printable_index(name, kMaxIndexedNameLength); }

std::uint64_t functions_not_indexed(const Sample& sample) {
  return static_cast<std::uint64_t>(std::count_if(sample.functions.begin(), sample.functions.end(),
                                                  [](const auto& f) { return !is_indexable(f.name); }));
}

void write_instance_data(RowWriter& row, const Sample& sample) {
  const Summary summary = summarize(sample);
  row.text(kVersion, display_string(sample.version, 64));
  row.number(kFunctions, summary.functions);
  row.number(kTotalJobs, summary.total_jobs);
  row.number(kRunningJobs, summary.running_jobs);
  row.number(kWaitingJobs, summary.waiting_jobs);
  row.number(kWorkerConnections, sample.worker_connections);
  row.number(kStarvedFunctions, summary.starved_functions);
  row.number(kFunctionsNotIndexed, functions_not_indexed(sample));
}

void write_function_rows(SnapshotBuilder& out, OidView name_index, std::string_view name, Snapshot::InstanceSlot instance,
                         const Sample& sample) {
  Oid index;
  for (const auto& function : sample.functions) {
    if (!is_indexable(function.name)) continue;
    index.assign(name_index.begin(), name_index.end());
    append_string_index(index, function.name);
    RowWriter row(out, function_entry_oid(), index, instance);
    row.number(kTotal, function.total);
    row.number(kRunning, function.running);
    row.number(kWaiting, function.waiting());
    row.number(kAvailableWorkers, function.available);
    row.text(kLabel, nested_label(name, function.name));
  }
}

void describe(MibCatalog& catalog) {
  catalog.add_instance_columns("mwxGearman", instance_entry_oid());
  catalog.add_columns(instance_entry_oid(), {IndexKind::String}, kInstanceColumns);
  catalog.add_columns(function_entry_oid(), {IndexKind::String, IndexKind::String}, kFunctionColumns);
}

}  // namespace mwx::gearman
