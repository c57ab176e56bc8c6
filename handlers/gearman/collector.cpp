#include "handlers/gearman/collector.hpp"

#include <algorithm>

#include "handlers/gearman/events.hpp"
#include "handlers/gearman/parse.hpp"

namespace mwx::gearman {

std::vector<TextRequest> poll_requests() {
  return {{"status\n", &is_last_list_line}, {"workers\n", &is_last_list_line}, {"version\n", &is_single_line}};
}

Result<Sample> build_sample(const std::vector<std::string>& replies) {
  if (replies.size() != 3) return Error{"expected 3 replies, got " + std::to_string(replies.size())};
  Sample sample;
  auto functions = parse_status(replies[0]);
  if (!functions) return Error{"status: " + functions.error()};
  sample.functions = std::move(functions).value();
  auto workers = parse_workers(replies[1]);
  if (!workers) return Error{"workers: " + workers.error()};
  sample.worker_connections = workers.value();
  auto version = parse_version(replies[2]);
  if (!version) return Error{"version: " + version.error()};
  sample.version = std::move(version).value();
  return sample;
}

GearmanInstance::GearmanInstance(InstanceSettings settings, Endpoint endpoint)
    : TextProtocolInstance(std::move(settings), std::move(endpoint), poll_requests()) {}

std::optional<std::string> GearmanInstance::take_replies(const std::vector<std::string>& replies) {
  auto sample = build_sample(replies);
  if (!sample) return sample.error();
  const auto not_indexed = functions_not_indexed(sample.value());
  if (not_indexed != not_indexed_) {
    log().info("instance \"{}\": {} function(s) have names that cannot be a table index (over {} bytes, or not "
               "printable ASCII); they count in the totals and in mwxGearmanFunctionsNotIndexed",
               settings().name, not_indexed, kMaxIndexedNameLength);
    not_indexed_ = not_indexed;
  }
  for (const auto& function : sample.value().functions) {
    if (!is_indexable(function.name)) continue;
    const std::string label = nested_label(settings().name, function.name);
    watch(events::waiting_jobs, label, function.waiting());
    watch(events::no_worker, label, function.available == 0 ? function.waiting() : 0);
  }
  current_ = std::move(sample).value();
  return std::nullopt;
}

void GearmanInstance::write_rows(SnapshotBuilder& out) const {
  Oid index;
  RowWriter row = write_instance_row(out, instance_entry_oid(), index);
  if (!current_) return;
  write_instance_data(row, *current_);
  write_function_rows(out, index, settings().name, row.instance(), *current_);
}

Result<std::shared_ptr<Instance>> create_instance(const InstanceLine& line) {
  return create_endpoint_instance<GearmanInstance>(line, kDefaultPort);
}

}  // namespace mwx::gearman
