#include "handlers/gearman/mib.hpp"

#include <algorithm>

#include "agent/base/text_values.hpp"
#include "agent/mib/mib_root.hpp"

namespace mwx::gearman {
namespace {

constexpr OidArc kMwxGearman = 3;  // mwxObjects.3

// What an instance row reads: the sample and what is summed from it.
struct InstanceRow {
  const Sample& sample;
  Summary summary;
  std::uint64_t not_indexed;
};

// mwxGearmanEntry beyond the columns every instance table has.
constexpr Cell<InstanceRow> kInstanceCells[] = {
    {{6, "mwxGearmanVersion", SnmpType::OctetString},
     [](const InstanceRow& r) -> CellValue { return display_string(r.sample.version, 64); }},
    {{7, "mwxGearmanFunctions", SnmpType::Gauge32}, [](const InstanceRow& r) -> CellValue { return r.summary.functions; }},
    {{8, "mwxGearmanTotalJobs", SnmpType::Gauge32}, [](const InstanceRow& r) -> CellValue { return r.summary.total_jobs; }},
    {{9, "mwxGearmanRunningJobs", SnmpType::Gauge32},
     [](const InstanceRow& r) -> CellValue { return r.summary.running_jobs; }},
    {{10, "mwxGearmanWaitingJobs", SnmpType::Gauge32},
     [](const InstanceRow& r) -> CellValue { return r.summary.waiting_jobs; }},
    {{11, "mwxGearmanWorkerConnections", SnmpType::Gauge32},
     [](const InstanceRow& r) -> CellValue { return r.sample.connections.workers; }},
    {{12, "mwxGearmanStarvedFunctions", SnmpType::Gauge32},
     [](const InstanceRow& r) -> CellValue { return r.summary.starved_functions; }},
    {{13, "mwxGearmanFunctionsNotIndexed", SnmpType::Gauge32},
     [](const InstanceRow& r) -> CellValue { return r.not_indexed; }},
    {{14, "mwxGearmanPid", SnmpType::Unsigned32}, [](const InstanceRow& r) -> CellValue { return r.sample.pid; }},
    {{15, "mwxGearmanConnections", SnmpType::Gauge32},
     [](const InstanceRow& r) -> CellValue { return r.sample.connections.total; }},
    {{16, "mwxGearmanClientConnections", SnmpType::Gauge32},
     [](const InstanceRow& r) -> CellValue { return r.summary.client_connections; }},
};

struct FunctionRow {
  std::string_view instance;
  const FunctionStatus& function;

  // A figure of 'status', absent for a function only 'prioritystatus' listed.
  CellValue of_status(std::uint64_t value) const { return function.in_status ? CellValue(value) : CellValue(); }
  // A queue of 'prioritystatus', absent where it did not list the function.
  CellValue queued(std::uint64_t QueuedByPriority::*priority) const {
    return function.queued ? CellValue((*function.queued).*priority) : CellValue();
  }
};

// mwxGearmanFunctionEntry: 1 is the index (the function name).
constexpr Cell<FunctionRow> kFunctionCells[] = {
    {{2, "mwxGearmanFunctionTotal", SnmpType::Gauge32},
     [](const FunctionRow& r) { return r.of_status(r.function.total); }},
    {{3, "mwxGearmanFunctionRunning", SnmpType::Gauge32},
     [](const FunctionRow& r) { return r.of_status(r.function.running); }},
    {{4, "mwxGearmanFunctionWaiting", SnmpType::Gauge32},
     [](const FunctionRow& r) { return r.of_status(r.function.waiting()); }},
    {{5, "mwxGearmanFunctionAvailableWorkers", SnmpType::Gauge32},
     [](const FunctionRow& r) { return r.of_status(r.function.available); }},
    {{6, "mwxGearmanFunctionLabel", SnmpType::OctetString},
     [](const FunctionRow& r) -> CellValue { return nested_label(r.instance, r.function.name); }},
    {{7, "mwxGearmanFunctionQueuedHigh", SnmpType::Gauge32},
     [](const FunctionRow& r) { return r.queued(&QueuedByPriority::high); }},
    {{8, "mwxGearmanFunctionQueuedNormal", SnmpType::Gauge32},
     [](const FunctionRow& r) { return r.queued(&QueuedByPriority::normal); }},
    {{9, "mwxGearmanFunctionQueuedLow", SnmpType::Gauge32},
     [](const FunctionRow& r) { return r.queued(&QueuedByPriority::low); }},
    {{10, "mwxGearmanFunctionRegisteredWorkers", SnmpType::Gauge32},
     [](const FunctionRow& r) -> CellValue { return r.function.registered; }},
};

}  // namespace

const Oid& instance_entry_oid() { return table_entry_oid<kMwxGearman, 1>(); }
const Oid& function_entry_oid() { return table_entry_oid<kMwxGearman, 2>(); }

bool is_indexable(std::string_view name) { return is_printable_index(name, kMaxIndexedNameLength); }

std::uint64_t functions_not_indexed(const Sample& sample) {
  return static_cast<std::uint64_t>(std::count_if(sample.functions.begin(), sample.functions.end(),
                                                  [](const auto& f) { return !is_indexable(f.name); }));
}

void write_instance_data(RowWriter& row, const Sample& sample) {
  row.cells<InstanceRow>(kInstanceCells, {sample, summarize(sample), functions_not_indexed(sample)});
}

void write_function_rows(SnapshotBuilder& out, OidView name_index, std::string_view name, Snapshot::InstanceSlot instance,
                         const Sample& sample) {
  Oid index;
  for (const auto& function : sample.functions) {
    if (!is_indexable(function.name)) continue;
    index.assign(name_index.begin(), name_index.end());
    append_string_index(index, function.name);
    RowWriter(out, function_entry_oid(), index, instance).cells<FunctionRow>(kFunctionCells, {name, function});
  }
}

void describe(MibCatalog& catalog) {
  catalog.add_instance_columns("mwxGearman", instance_entry_oid());
  catalog.add_cells<InstanceRow>(instance_entry_oid(), {IndexKind::String}, kInstanceCells);
  catalog.add_cells<FunctionRow>(function_entry_oid(), {IndexKind::String, IndexKind::String}, kFunctionCells);
}

}  // namespace mwx::gearman
