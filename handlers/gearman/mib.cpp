#include "handlers/gearman/mib.hpp"

#include <algorithm>

#include "agent/mib_root.hpp"
#include "agent/text_values.hpp"

namespace mwx::gearman {
namespace {

constexpr OidArc kMwxGearman = 3;  // mwxObjects.3

// Instance table columns beyond the common ones (1-5).
constexpr OidArc kVersion = 6, kFunctions = 7, kTotalJobs = 8, kRunningJobs = 9, kWaitingJobs = 10,
                 kWorkerConnections = 11, kStarvedFunctions = 12, kFunctionsNotIndexed = 13;
// Function table columns (1 is the index).
constexpr OidArc kTotal = 2, kRunning = 3, kWaiting = 4, kAvailableWorkers = 5, kLabel = 6;

std::uint64_t not_indexed(const Sample& sample) {
  return static_cast<std::uint64_t>(std::count_if(sample.functions.begin(), sample.functions.end(),
                                                  [](const auto& f) { return !is_indexable(f.name); }));
}

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

void write_instance_data(RowWriter& row, const Sample& sample) {
  const Summary summary = summarize(sample);
  row.text(kVersion, display_string(sample.version, 64));
  row.number(kFunctions, SnmpType::Gauge32, summary.functions);
  row.number(kTotalJobs, SnmpType::Gauge32, summary.total_jobs);
  row.number(kRunningJobs, SnmpType::Gauge32, summary.running_jobs);
  row.number(kWaitingJobs, SnmpType::Gauge32, summary.waiting_jobs);
  row.number(kWorkerConnections, SnmpType::Gauge32, sample.worker_connections);
  row.number(kStarvedFunctions, SnmpType::Gauge32, summary.starved_functions);
  row.number(kFunctionsNotIndexed, SnmpType::Gauge32, not_indexed(sample));
}

void write_function_rows(SnapshotBuilder& out, OidView name_index, Snapshot::InstanceSlot instance,
                         const Sample& sample) {
  Oid index;
  for (const auto& function : sample.functions) {
    if (!is_indexable(function.name)) continue;
    index.assign(name_index.begin(), name_index.end());
    append_string_index(index, function.name);
    RowWriter row(out, function_entry_oid(), index, instance);
    row.text(kLabel, function.name);
    row.number(kTotal, SnmpType::Gauge32, function.total);
    row.number(kRunning, SnmpType::Gauge32, function.running);
    row.number(kWaiting, SnmpType::Gauge32, function.waiting());
    row.number(kAvailableWorkers, SnmpType::Gauge32, function.available);
  }
}

void describe(MibCatalog& catalog) {
  const std::vector<IndexKind> by_name{IndexKind::String};
  const std::vector<IndexKind> by_function{IndexKind::String, IndexKind::String};
  const Oid& entry = instance_entry_oid();
  add_instance_columns(catalog, "mwxGearman", entry);
  catalog.add_column("mwxGearmanVersion", concat(entry, {kVersion}), SnmpType::OctetString, by_name);
  const std::pair<OidArc, const char*> gauges[] = {
      {kFunctions, "mwxGearmanFunctions"},           {kTotalJobs, "mwxGearmanTotalJobs"},
      {kRunningJobs, "mwxGearmanRunningJobs"},       {kWaitingJobs, "mwxGearmanWaitingJobs"},
      {kWorkerConnections, "mwxGearmanWorkerConnections"}, {kStarvedFunctions, "mwxGearmanStarvedFunctions"},
      {kFunctionsNotIndexed, "mwxGearmanFunctionsNotIndexed"},
  };
  for (const auto& [column, name] : gauges) catalog.add_column(name, concat(entry, {column}), SnmpType::Gauge32, by_name);
  const std::pair<OidArc, const char*> function_columns[] = {
      {kTotal, "mwxGearmanFunctionTotal"}, {kRunning, "mwxGearmanFunctionRunning"},
      {kWaiting, "mwxGearmanFunctionWaiting"}, {kAvailableWorkers, "mwxGearmanFunctionAvailableWorkers"},
  };
  for (const auto& [column, name] : function_columns) {
    catalog.add_column(name, concat(function_entry_oid(), {column}), SnmpType::Gauge32, by_function);
  }
  catalog.add_column("mwxGearmanFunctionLabel", concat(function_entry_oid(), {kLabel}), SnmpType::OctetString,
                     by_function);
}

}  // namespace mwx::gearman
